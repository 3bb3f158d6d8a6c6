/*
 * demo_opportunities.c — demo opportunities: a medical caravan in a village
 * near Riyadh (3 dentists, 2 nurses, 1 pharmacist, Friday 08:00-14:00), a
 * series of remote legal consultations, a website for Al-Noor School, a
 * photography workshop, by-laws for a refugee-support association and a
 * programming workshop.  Dates follow `now` (the coming weeks).  Idempotent:
 * an organisation's opportunity with the same title is left alone.
 */
#include "cli/demo_opportunities.h"
#include "store/opportunities.h"

#include <stdio.h>
#include <string.h>

#define HOUR 3600
#define DAY 86400

struct demo_shift { int day, start_hour, hours, capacity; const char *role, *skill; };

static const struct demo_opportunity {
	const char *org;          /* the organisation's (Arabic) name */
	const char *owner;        /* e-mail of the member who creates it */
	const char *kind, *domain, *title, *description, *city, *address;
	double lat, lon;          /* 0, 0: none */
	bool remote;
	int weekday;              /* first day: the next such weekday (0 = Sunday) */
	int start_hour, days, end_hour; /* span: start_hour on the first day to end_hour `days` later */
	int expected_beneficiaries;
	const char *skills[4];
	struct demo_shift shifts[6];
} demo_list[] = {
	{ "جمعية البر الخيرية", "coordinator@khibra.local", "campaign", "health", "قافلة طبية مجانية في قرية الحائر",
	  "قافلة طبية ليوم واحد لأهالي قرية الحائر جنوب الرياض: فحص الأسنان وعلاجها البسيط، وقياس الضغط والسكري، "
	  "وصرف الأدوية الأساسية مجانًا. تتكفل الجمعية بالنقل من الرياض والوجبات.",
	  "riyadh", "قرية الحائر، جنوب الرياض", 24.3853, 46.8369, false, 5, 8, 0, 14, 250,
	  { "dentistry", "nursing", "pharmacy" },
	  { { 0, 8, 6, 3, "طبيب أسنان", "dentistry" }, { 0, 8, 6, 2, "ممرض أو ممرضة", "nursing" },
	    { 0, 8, 6, 1, "صيدلي", "pharmacy" } } },
	{ "جمعية البر الخيرية", "coordinator@khibra.local", "consultation", "law", "استشارات قانونية مجانية للأسر",
	  "جلسات استشارة قانونية عن بُعد للأسر المستفيدة من الجمعية في قضايا الإيجار والعمل والأحوال الشخصية، "
	  "كل ثلاثاء لمدة أربعة أسابيع.",
	  "", "", 0, 0, true, 2, 19, 21, 21, 40, { "legal-consultation" },
	  { { 0, 19, 2, 2, "محامٍ مستشار", "legal-consultation" }, { 7, 19, 2, 2, "محامٍ مستشار", "legal-consultation" },
	    { 14, 19, 2, 2, "محامٍ مستشار", "legal-consultation" }, { 21, 19, 2, 2, "محامٍ مستشار", "legal-consultation" } } },
	{ "مدرسة النور", "school@khibra.local", "project", "technology", "موقع إلكتروني لمدرسة النور",
	  "نحتاج إلى موقع بسيط باللغتين يعرض أخبار المدرسة وجداولها ويستقبل طلبات التسجيل، مع تدريب معلمَين "
	  "على تحديثه.",
	  "", "", 0, 0, true, 0, 9, 42, 17, 180, { "web-development", "graphic-design" },
	  { { 0, 9, 42 * 24 - 1, 2, "مطوّر مواقع", "web-development" }, { 0, 9, 14 * 24, 1, "مصمم جرافيك", "graphic-design" } } },
	{ "جمعية البر الخيرية", "coordinator@khibra.local", "workshop", "arts_media", "ورشة تصوير فوتوغرافي لليافعين",
	  "ورشة عملية لأبناء الأسر المستفيدة (13-17 سنة) عن أساسيات التصوير بالهاتف والتكوين والإضاءة، تنتهي "
	  "بمعرض صغير لأعمالهم.",
	  "riyadh", "مقر الجمعية، حي النسيم", 0, 0, false, 6, 16, 7, 19, 20, { "photography" },
	  { { 0, 16, 3, 2, "مدرب تصوير", "photography" }, { 7, 16, 3, 2, "مدرب تصوير", "photography" } } },
	{ "جمعية سند لدعم اللاجئين", "eng.omar@khibra.local", "project", "law", "صياغة اللائحة الداخلية للجمعية",
	  "مراجعة النظام الأساسي للجمعية وصياغة لائحة داخلية لحوكمة المتطوعين والتبرعات وفق الأنظمة المحلية.",
	  "amman", "", 0, 0, false, 0, 10, 28, 16, 0, { "contract-drafting", "legal-consultation" }, { { 0 } } },
	{ "شركة ضوء للحلول الرقمية", "dev.layla@khibra.local", "workshop", "technology", "تعليم البرمجة لليافعين",
	  "ثلاث أمسيات لتعليم أساسيات البرمجة بلغة بايثون لطلاب المرحلة المتوسطة في الدمام.",
	  "dammam", "", 0, 0, false, 1, 17, 2, 20, 30, { "programming" },
	  { { 0, 17, 3, 2, "مدرّب برمجة", "programming" }, { 1, 17, 3, 2, "مدرّب برمجة", "programming" },
	    { 2, 17, 3, 2, "مدرّب برمجة", "programming" } } },
};

/* next_day: midnight (Riyadh) of the next `weekday` strictly after now. */
static int64_t next_day(int64_t now, int weekday)
{
	int64_t day = (now + OPP_RIYADH_OFFSET) / DAY; /* 1970-01-01 was a Thursday (4) */
	int ahead = ((weekday - (int)((day + 4) % 7)) + 7) % 7;
	return (day + (ahead ? ahead : 7)) * DAY - OPP_RIYADH_OFFSET;
}

static int64_t id_of(db_conn *c, const char *sql_org, const char *email)
{
	int64_t id = 0;
	if (sql_org)
		return store_org_by_name(c, sql_org, &id) == DB_OK ? id : 0;
	struct user_record u;
	if (store_user_by_email(c, email, &u) != DB_OK)
		return 0;
	id = u.id;
	user_record_free(&u);
	return id;
}

/* demo_one: create (and open, when the organisation is verified) one opportunity. */
static int demo_one(db_conn *c, const struct demo_opportunity *d, int64_t org, int64_t now)
{
	int64_t exists = 0;
	if (db_query_int(c, "SELECT id FROM opportunities WHERE org_id = ? AND title = ?",
			 DB_PARAMS(DB_INT(org), DB_TEXT(d->title)), &exists) == DB_OK)
		return 0;
	int64_t first = next_day(now, d->weekday);
	struct opportunity o;
	opportunity_init(&o);
	o.org_id = org;
	o.created_by = id_of(c, NULL, d->owner);
	opportunity_set_text(&o.kind, d->kind);
	opportunity_set_text(&o.domain, d->domain);
	opportunity_set_text(&o.title, d->title);
	opportunity_set_text(&o.description, d->description);
	opportunity_set_text(&o.city, d->city);
	opportunity_set_text(&o.address, d->address);
	o.has_coords = d->lat != 0 || d->lon != 0;
	o.lat = d->lat;
	o.lon = d->lon;
	o.remote = d->remote;
	o.starts_at = first + d->start_hour * HOUR;
	o.ends_at = first + (int64_t)d->days * DAY + d->end_hour * HOUR;
	o.expected_beneficiaries = d->expected_beneficiaries;
	for (int i = 0; i < 4 && d->skills[i]; i++)
		opportunity_add_skill(&o, d->skills[i]);
	for (int i = 0; i < 6 && d->shifts[i].capacity; i++) {
		const struct demo_shift *s = &d->shifts[i];
		int64_t start = first + (int64_t)s->day * DAY + s->start_hour * HOUR;
		opportunity_add_shift(&o, 0, start, start + (int64_t)s->hours * HOUR, s->capacity, s->role, s->skill);
	}
	opportunity_default_shift(&o, 2);
	struct opp_errors errs = { 0 };
	int64_t id = 0;
	int st = opportunity_validate(&o, &errs) ? store_opportunity_create(c, &o, now, &id) : DB_ERROR;
	if (st != DB_OK) {
		fprintf(stderr, "khibra: cannot create demo opportunity %s (%s)\n", d->title,
			errs.n ? errs.e[0].field : "database");
		opportunity_free(&o);
		return 1;
	}
	opportunity_free(&o);
	bool verified = false;
	if (store_org_is_verified(c, org, &verified) == DB_OK && verified &&
	    store_opportunity_set_status(c, id, "draft", "open", NULL, now) != DB_OK) {
		fprintf(stderr, "khibra: cannot publish demo opportunity %s\n", d->title);
		return 1;
	}
	return 0;
}

int demo_opportunities(db_conn *c, int64_t now)
{
	for (size_t i = 0; i < sizeof demo_list / sizeof demo_list[0]; i++) {
		int64_t org = id_of(c, demo_list[i].org, NULL);
		if (org == 0)
			continue; /* that organisation is not part of this demo */
		if (demo_one(c, &demo_list[i], org, now) != 0)
			return 1;
	}
	return 0;
}
