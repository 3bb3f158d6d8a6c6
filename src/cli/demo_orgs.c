/*
 * demo_orgs.c — demo organisations across cities and kinds: a clinic in
 * Jeddah, a village council near Abha, a refugee-support non-profit in Amman,
 * a company in Dammam that lends its people's skills, a patients' society in
 * Madinah and a training institute in Tabuk.  They are created pending; the
 * demo moderator's decisions (demo_moderation.c) verify or reject them.
 * Cities are slugs of the cities table.  Idempotent: an organisation whose
 * name exists is left alone.
 */
#include "cli/demo_orgs.h"
#include "store/orgs.h"

#include <stdbool.h>
#include <stdio.h>

struct demo_member { const char *email; const char *role; };

static const struct demo_org {
	struct org_fields f;
	struct demo_member members[3]; /* the first is the owner who creates it */
} demo_org_list[] = {
	{ { "عيادة الشفاء الخيرية", "Al-Shifa Charity Clinic", "clinic", "MOH-JED-2291", "jeddah",
	    "عيادة خيرية في حي الصفا بجدة تقدّم الكشف العام وطب الأسنان مجانًا للأسر ذات الدخل المحدود، "
	    "وتستقبل أطباء وممرضين متطوعين في أمسيات نهاية الأسبوع.",
	    "https://shifa-clinic.example.org" },
	  { { "coordinator@khibra.local", "owner" }, { "dr.sara@khibra.local", "coordinator" } } },
	{ { "المجلس الأهلي بقرية السودة", "Al-Soudah Village Community Council", "community_council", "MC-ASR-0147",
	    "abha",
	    "مجلس أهالي قرية السودة في مرتفعات عسير قرب أبها. نحتاج إلى مهندسين لتصميم ممرات المشاة وتصريف "
	    "مياه الأمطار، وإلى معلمين يقدّمون دروسًا عن بُعد لطلاب القرية.",
	    "" },
	  { { "school@khibra.local", "owner" }, { "eng.omar@khibra.local", "coordinator" } } },
	{ { "جمعية سند لدعم اللاجئين", "Sanad Refugee Support Association", "nonprofit", "MOSD-AMM-3318", "amman",
	    "جمعية غير ربحية في عمّان تساند الأسر اللاجئة بالاستشارات القانونية والطبية، ودروس التقوية للأطفال، "
	    "وتدريب الشباب على مهارات العمل.",
	    "https://sanad.example.org" },
	  { { "eng.omar@khibra.local", "owner" }, { "lawyer.khalid@khibra.local", "coordinator" },
		  { "teacher.huda@khibra.local", "coordinator" } } },
	{ { "شركة ضوء للحلول الرقمية", "Daw Digital Solutions", "company", "CR-2050123456", "dammam",
	    "شركة تقنية في الدمام تتيح لموظفيها ساعات تطوع شهرية لبناء مواقع وتطبيقات للجمعيات الخيرية.",
	    "https://daw.example.com" },
	  { { "dev.layla@khibra.local", "owner" } } },
	{ { "جمعية أصدقاء مرضى السكري بالمدينة المنورة", "Madinah Friends of Diabetes Patients Society", "charity",
	    "NCNP-MED-4410", "madinah",
	    "جمعية ناشئة في المدينة المنورة توعّي مرضى السكري وأسرهم، وتنظّم أيام فحص مجانية في الأحياء، "
	    "وتبحث عن صيادلة وأخصائيي تغذية متطوعين.",
	    "" },
	  { { "school@khibra.local", "owner" } } },
	{ { "معهد المستقبل للتدريب", "Al-Mustaqbal Training Institute", "nonprofit", "TVTC-TBK-0093", "tabuk",
	    "معهد في تبوك يقدّم دورات مجانية في المهارات الرقمية وريادة الأعمال للشباب الباحثين عن عمل.",
	    "" },
	  { { "school@khibra.local", "owner" } } },
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
		if (store_org_create_owned(c, &d->f, owner, now, &id) != DB_OK) {
			fprintf(stderr, "khibra: cannot create demo organisation %s\n", d->f.name_en);
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
		char target[32];
		snprintf(target, sizeof target, "org:%lld", (long long)id);
		store_audit(c, owner, "org.create", target, "demo", "", now);
	}
	return 0;
}
