/*
 * demo_profiles.c — profiles for the demo specialists of src/cli/demo.c.
 */
#include "cli/demo_profiles.h"
#include "store/profiles.h"

#include <stdio.h>
#include <string.h>

struct demo_slot { int weekday; const char *start, *end; };

static const struct demo_profile {
	const char *email;
	const char *headline;
	const char *bio;
	const char *profession;
	const char *city;
	int years;
	bool remote, onsite;
	const char *languages[3];
	struct { const char *slug; int level; } skills[3];
	struct demo_slot slots[4];
	int max_hours;
} demo[] = {
	{ "dr.sara@khibra.local", "طبيبة أسرة تقدّم استشارات مجانية للأسر المحتاجة",
	  "طبيبة عامة منذ اثني عشر عامًا في الرياض. أتطوع بالاستشارات عن بُعد وفي القوافل الطبية.",
	  "doctor", "riyadh", 12, true, true, { "ar", "en" }, { { "general-medicine", 5 } },
	  { { 0, "18:00", "21:00" }, { 2, "18:00", "21:00" }, { 5, "08:00", "14:00" } }, 20 },
	{ "lawyer.khalid@khibra.local", "محامٍ يساعد الجمعيات في العقود واللوائح",
	  "محامٍ مرخّص في جدة، أقدّم استشارات قانونية مجانية وأصوغ العقود واللوائح للجمعيات الخيرية.",
	  "lawyer", "jeddah", 9, true, true, { "ar", "en" },
	  { { "legal-consultation", 5 }, { "contract-drafting", 4 } },
	  { { 1, "19:00", "22:00" }, { 3, "19:00", "22:00" } }, 12 },
	{ "eng.omar@khibra.local", "Civil engineer for village infrastructure and solar power",
	  "Civil engineer in Amman. I survey buildings, design small water and road works, and advise on solar power for schools and clinics.",
	  "civil-engineer", "amman", 15, true, true, { "en", "ar" },
	  { { "civil-engineering", 5 }, { "renewable-energy", 3 } },
	  { { 6, "09:00", "13:00" }, { 4, "17:00", "20:00" } }, 16 },
	{ "dev.layla@khibra.local", "مطوّرة مواقع تبني مواقع الجمعيات وتعلّم البرمجة",
	  "مطوّرة برمجيات في الدمام. أبني مواقع وتطبيقات بسيطة للجهات غير الربحية، وأدرّس البرمجة للشباب عن بُعد.",
	  "software-developer", "dammam", 6, true, false, { "ar", "en" },
	  { { "programming", 4 }, { "web-development", 5 } },
	  { { 0, "20:00", "22:00" }, { 2, "20:00", "22:00" }, { 6, "10:00", "12:00" }, { 6, "12:00", "14:00" } }, 15 },
	{ "teacher.huda@khibra.local", "معلمة رياضيات تدرّس طلاب القرى عن بُعد",
	  "معلمة رياضيات في حائل منذ عشر سنوات، أساعد طلاب المرحلتين المتوسطة والثانوية.",
	  "teacher", "hail", 10, true, true, { "ar" }, { { "teaching-mathematics", 5 } },
	  { { 0, "16:00", "18:00" }, { 1, "16:00", "18:00" }, { 3, "16:00", "18:00" } }, 10 },
};

/* build: the profile of demo person `d` (user `id`), keeping only the slugs
 * the taxonomy has. */
static int build(db_conn *c, const struct demo_profile *d, int64_t id, struct profile *p)
{
	specialist_profile_init(p);
	p->user_id = id;
	specialist_profile_set_text(&p->headline, d->headline);
	specialist_profile_set_text(&p->bio, d->bio);
	char domain[16];
	int st = store_profile_profession(c, d->profession, domain);
	if (st < 0)
		return st;
	if (st == DB_OK) {
		specialist_profile_set_text(&p->profession, d->profession);
		specialist_profile_set_text(&p->domain, domain);
	}
	st = store_profile_city(c, d->city, &p->lat, &p->lon);
	if (st < 0)
		return st;
	if (st == DB_OK) {
		specialist_profile_set_text(&p->city, d->city);
		p->has_lat = p->has_lon = true;
	}
	p->years_experience = d->years;
	p->remote = d->remote;
	p->onsite = d->onsite;
	p->nlanguages = 0;
	for (int i = 0; i < 3 && d->languages[i]; i++)
		specialist_profile_add_language(p, d->languages[i]);
	for (int i = 0; i < 3 && d->skills[i].slug; i++) {
		st = store_profile_skill_exists(c, d->skills[i].slug);
		if (st < 0)
			return st;
		if (st == DB_OK)
			specialist_profile_add_skill(p, d->skills[i].slug, d->skills[i].level);
	}
	for (int i = 0; i < 4 && d->slots[i].start; i++)
		specialist_profile_add_slot(p, d->slots[i].weekday, specialist_profile_parse_time(d->slots[i].start),
					    specialist_profile_parse_time(d->slots[i].end));
	p->max_hours_month = d->max_hours;
	return DB_OK;
}

int demo_profiles(db_conn *c, int64_t now)
{
	for (size_t i = 0; i < sizeof demo / sizeof demo[0]; i++) {
		struct user_record u;
		int st = store_user_by_email(c, demo[i].email, &u);
		if (st == STORE_NOT_FOUND)
			continue;
		if (st != DB_OK) {
			fprintf(stderr, "demo: cannot read %s\n", demo[i].email);
			return -1;
		}
		int64_t id = u.id;
		user_record_free(&u);
		struct profile p;
		st = store_profile_load(c, id, &p);
		specialist_profile_free(&p);
		if (st == DB_OK)
			continue; /* already there: leave what may have been edited */
		if (st == STORE_NOT_FOUND)
			st = build(c, &demo[i], id, &p);
		struct profile_errors errs = { 0 };
		if (st == DB_OK && !specialist_profile_validate(&p, &errs)) {
			fprintf(stderr, "demo: the profile of %s is invalid (%s)\n", demo[i].email, errs.e[0].field);
			st = DB_ERROR;
		}
		if (st == DB_OK)
			st = store_profile_save(c, &p, now);
		specialist_profile_free(&p);
		if (st != DB_OK) {
			fprintf(stderr, "demo: cannot save the profile of %s\n", demo[i].email);
			return -1;
		}
	}
	return 0;
}
