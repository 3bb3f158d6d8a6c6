/*
 * demo.c — `khibra demo`: a realistic Arabic and English data set for trying
 * Khibra out.  Idempotent: what exists (by e-mail or name) is left alone.
 * Later capabilities add their own data here.
 */
#include "cli/commands.h"
#include "cli/demo_applications.h"
#include "cli/demo_help.h"
#include "cli/demo_jobs.h"
#include "cli/demo_messages.h"
#include "cli/demo_moderation.h"
#include "cli/demo_opportunities.h"
#include "cli/demo_orgs.h"
#include "cli/demo_profiles.h"
#include "cli/demo_taxonomy.h"
#include "cli/demo_triage.h"
#include "auth/secret.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEMO_PASSWORD "khibra-demo-2026"

static const struct demo_person {
	const char *email;
	const char *name;
	const char *locale;
	const char *role;
	const char *extra_role;
	const char *what;
} people[] = {
	{ "admin@khibra.local", "مدير المنصة", "ar", "admin", "moderator", "admin + moderator" },
	{ "moderator@khibra.local", "Noura Al-Harbi", "en", "moderator", NULL, "moderator" },
	{ "dr.sara@khibra.local", "د. سارة العتيبي", "ar", "specialist", NULL, "specialist: general medicine, Riyadh" },
	{ "lawyer.khalid@khibra.local", "خالد الزهراني", "ar", "specialist", NULL, "specialist: lawyer, Jeddah" },
	{ "eng.omar@khibra.local", "Omar Haddad", "en", "specialist", NULL, "specialist: civil engineer, Amman" },
	{ "dev.layla@khibra.local", "ليلى القحطاني", "ar", "specialist", NULL, "specialist: web developer, Dammam" },
	{ "teacher.huda@khibra.local", "هدى الشمري", "ar", "specialist", NULL, "specialist: mathematics teacher, Hail" },
	{ "family.ahmad@khibra.local", "أبو أحمد", "ar", "beneficiary", NULL, "beneficiary: family in need" },
	{ "student.mariam@khibra.local", "Mariam Yousef", "en", "beneficiary", NULL, "beneficiary: student, remote village" },
	{ "coordinator@khibra.local", "فاطمة الدوسري", "ar", "organisation", NULL, "organisation owner: جمعية البر الخيرية" },
	{ "school@khibra.local", "Ahmed Salem", "en", "organisation", NULL, "organisation owner: Al-Noor School (unverified)" },
};

static const struct demo_org {
	const char *name;
	const char *name_en;
	const char *kind;
	const char *registration_no;
	const char *city;
	const char *description;
	const char *owner;
	bool verified;
} orgs[] = {
	{ "جمعية البر الخيرية", "Al-Birr Charity Society", "charity", "NCNP-1021", "riyadh",
	  "جمعية تخدم الأسر المحتاجة في الرياض بالقوافل الطبية والاستشارات المجانية.", "coordinator@khibra.local", true },
	{ "مدرسة النور", "Al-Noor School", "school", "MOE-55310", "hail",
	  "مدرسة في قرية نائية تحتاج إلى معلمين متطوعين للرياضيات والبرمجة.", "school@khibra.local", false },
};

/* The subjects' demo loaders, adapted to one shape. */
static int load_taxonomy(db_conn *c, int64_t now, const char *dir) { (void)dir; return demo_taxonomy(c, now); }
static int load_orgs(db_conn *c, int64_t now, const char *dir) { (void)dir; return demo_orgs(c, now); }
static int load_profiles(db_conn *c, int64_t now, const char *dir) { (void)dir; return demo_profiles(c, now); }
static int load_opportunities(db_conn *c, int64_t now, const char *dir) { (void)dir; return demo_opportunities(c, now); }
static int load_applications(db_conn *c, int64_t now, const char *dir) { (void)dir; return demo_applications(c, now); }
static int load_triage(db_conn *c, int64_t now, const char *dir) { (void)dir; return demo_triage(c, now); }
static int load_messages(db_conn *c, int64_t now, const char *dir) { (void)dir; return demo_messages(c, now); }
static int load_jobs(db_conn *c, int64_t now, const char *dir) { (void)dir; return demo_jobs(c, now); }

static const struct {
	const char *name;
	int (*load)(db_conn *c, int64_t now, const char *data_dir);
} demo_parts[] = {
	{ "taxonomy", load_taxonomy },
	{ "organisations", load_orgs },
	{ "profiles", load_profiles },
	{ "credentials", demo_moderation },
	{ "opportunities", load_opportunities },
	{ "applications", load_applications },
	{ "help requests", demo_help },
	{ "triage", load_triage },
	{ "messages", load_messages },
	{ "reminders", load_jobs },
};

int command_demo(db *d, const char *data_dir)
{
	db_conn *c = db_acquire(d);
	if (!c) {
		fprintf(stderr, "khibra: cannot connect to the database\n");
		return 1;
	}
	char hash[PASSWORD_HASH_SIZE];
	if (!password_hash(DEMO_PASSWORD, hash)) {
		db_release(c);
		fprintf(stderr, "khibra: cannot hash the demo password\n");
		return 1;
	}
	int64_t now = time(NULL);
	size_t total = sizeof people / sizeof people[0] + sizeof orgs / sizeof orgs[0];
	size_t step = 0, created = 0;
	bool tty = isatty(STDOUT_FILENO);
	for (size_t i = 0; i < sizeof people / sizeof people[0]; i++) {
		const struct demo_person *p = &people[i];
		printf(tty ? "\rdemo: [%zu/%zu] people " : "demo: [%zu/%zu] people\n", ++step, total);
		fflush(stdout);
		struct user_record u;
		if (store_user_by_email(c, p->email, &u) == DB_OK) {
			user_record_free(&u);
			continue;
		}
		int64_t id = 0;
		if (store_user_create(c, p->email, p->name, hash, p->locale, p->role, now, &id) != DB_OK) {
			fprintf(stderr, "\nkhibra: cannot create demo user %s\n", p->email);
			db_release(c);
			return 1;
		}
		if (p->extra_role)
			store_user_add_role(c, id, p->extra_role, now);
		store_user_set_verified(c, id, now);
		created++;
	}
	for (size_t i = 0; i < sizeof orgs / sizeof orgs[0]; i++) {
		const struct demo_org *o = &orgs[i];
		printf(tty ? "\rdemo: [%zu/%zu] organisations " : "demo: [%zu/%zu] organisations\n", ++step, total);
		fflush(stdout);
		int64_t id = 0;
		if (store_org_by_name(c, o->name, &id) == DB_OK)
			continue;
		struct user_record owner;
		if (store_org_create(c, o->name, o->name_en, o->kind, o->registration_no, o->city, o->description, now,
				     &id) != DB_OK ||
		    store_user_by_email(c, o->owner, &owner) != DB_OK) {
			fprintf(stderr, "\nkhibra: cannot create demo organisation %s\n", o->name_en);
			db_release(c);
			return 1;
		}
		store_org_add_member(c, id, owner.id, "owner", now);
		user_record_free(&owner);
		if (o->verified)
			store_org_set_verified(c, id, now);
		created++;
	}
	printf("%sdemo: %zu people and organisations created, %zu already there\n", tty ? "\n" : "", created,
	       total - created);

	/* Each subject adds its own data, in the order they build on each other. */
	size_t nparts = sizeof demo_parts / sizeof demo_parts[0];
	for (size_t i = 0; i < nparts; i++) {
		printf(tty ? "\rdemo: [%zu/%zu] %-20s" : "demo: [%zu/%zu] %s\n", i + 1, nparts, demo_parts[i].name);
		fflush(stdout);
		if (demo_parts[i].load(c, now, data_dir) != 0) {
			fprintf(stderr, "\nkhibra: demo data for %s could not be loaded\n", demo_parts[i].name);
			db_release(c);
			return 1;
		}
	}
	db_release(c);
	printf("%sdemo: done\n\n", tty ? "\n" : "");
	printf("Demo logins (password for all: %s)\n", DEMO_PASSWORD);
	for (size_t i = 0; i < sizeof people / sizeof people[0]; i++)
		printf("  %-30s %s\n", people[i].email, people[i].what);
	return 0;
}
