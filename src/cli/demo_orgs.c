/*
 * demo_orgs.c — demo organisations across cities and kinds: a verified
 * clinic in Jeddah, a pending village council near Abha, a verified
 * refugee-support non-profit in Amman and a company in Dammam that lends its
 * people's skills.  Idempotent: an organisation whose name exists is left
 * alone.
 */
#include "cli/demo_orgs.h"
#include "store/orgs.h"

#include <stdbool.h>
#include <stdio.h>

struct demo_member { const char *email; const char *role; };

static const struct demo_org {
	struct org_fields f;
	bool verified;
	struct demo_member members[3]; /* the first is the owner who creates it */
} demo_org_list[] = {
	{ { "عيادة الشفاء الخيرية", "Al-Shifa Charity Clinic", "clinic", "MOH-JED-2291", "Jeddah",
	    "عيادة خيرية في حي الصفا بجدة تقدّم الكشف العام وطب الأسنان مجانًا للأسر ذات الدخل المحدود، "
	    "وتستقبل أطباء وممرضين متطوعين في أمسيات نهاية الأسبوع.",
	    "https://shifa-clinic.example.org" },
	  true, { { "coordinator@khibra.local", "owner" }, { "dr.sara@khibra.local", "coordinator" } } },
	{ { "المجلس الأهلي بقرية السودة", "Al-Soudah Village Community Council", "community_council", "MC-ASR-0147",
	    "Abha",
	    "مجلس أهالي قرية السودة في مرتفعات عسير قرب أبها. نحتاج إلى مهندسين لتصميم ممرات المشاة وتصريف "
	    "مياه الأمطار، وإلى معلمين يقدّمون دروسًا عن بُعد لطلاب القرية.",
	    "" },
	  false, { { "school@khibra.local", "owner" }, { "eng.omar@khibra.local", "coordinator" } } },
	{ { "جمعية سند لدعم اللاجئين", "Sanad Refugee Support Association", "nonprofit", "MOSD-AMM-3318", "Amman",
	    "جمعية غير ربحية في عمّان تساند الأسر اللاجئة بالاستشارات القانونية والطبية، ودروس التقوية للأطفال، "
	    "وتدريب الشباب على مهارات العمل.",
	    "https://sanad.example.org" },
	  true, { { "eng.omar@khibra.local", "owner" }, { "lawyer.khalid@khibra.local", "coordinator" },
		  { "teacher.huda@khibra.local", "coordinator" } } },
	{ { "شركة ضوء للحلول الرقمية", "Daw Digital Solutions", "company", "CR-2050123456", "Dammam",
	    "شركة تقنية في الدمام تتيح لموظفيها ساعات تطوع شهرية لبناء مواقع وتطبيقات للجمعيات الخيرية.",
	    "https://daw.example.com" },
	  true, { { "dev.layla@khibra.local", "owner" } } },
};

/* demo_user_id: the id of a demo person, or 0 (with a message) if missing. */
static int64_t demo_user_id(db_conn *c, const char *email)
{
	struct user_record u;
	if (store_user_by_email(c, email, &u) != DB_OK) {
		fprintf(stderr, "khibra: demo person %s is missing (run the people part of the demo first)\n", email);
		return 0;
	}
	int64_t id = u.id;
	user_record_free(&u);
	return id;
}

int demo_orgs(db_conn *c, int64_t now)
{
	for (size_t i = 0; i < sizeof demo_org_list / sizeof demo_org_list[0]; i++) {
		const struct demo_org *d = &demo_org_list[i];
		int64_t id = 0;
		if (store_org_by_name(c, d->f.name, &id) == DB_OK)
			continue;
		int64_t owner = demo_user_id(c, d->members[0].email);
		if (!owner)
			return 1;
		/* Store the city as its slug when the taxonomy knows it. */
		struct org_fields f = d->f;
		char slug[96];
		if (store_org_city_slug(c, f.city, slug, sizeof slug) == DB_OK)
			f.city = slug;
		if (store_org_create_owned(c, &f, owner, now, &id) != DB_OK) {
			fprintf(stderr, "khibra: cannot create demo organisation %s\n", f.name_en);
			return 1;
		}
		for (size_t m = 1; m < sizeof d->members / sizeof d->members[0] && d->members[m].email; m++) {
			int64_t uid = demo_user_id(c, d->members[m].email);
			if (!uid)
				return 1;
			int st = store_org_add_member(c, id, uid, d->members[m].role, now);
			if (st != DB_OK && st != DB_CONSTRAINT)
				return 1;
		}
		if (d->verified && store_org_set_verified(c, id, now) != DB_OK)
			return 1;
		char target[32];
		snprintf(target, sizeof target, "org:%lld", (long long)id);
		store_audit(c, owner, "org.create", target, "demo", "", now);
	}
	return 0;
}
