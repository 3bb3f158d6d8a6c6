/*
 * demo.c — `khibra demo`: a realistic Arabic and English data set for trying
 * Khibra out.  Idempotent: what exists (by e-mail or name) is left alone.
 * Later capabilities add their own data here.
 */
#include "cli/commands.h"
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
	{ "جمعية البر الخيرية", "Al-Birr Charity Society", "charity", "NCNP-1021", "Riyadh",
	  "جمعية تخدم الأسر المحتاجة في الرياض بالقوافل الطبية والاستشارات المجانية.", "coordinator@khibra.local", true },
	{ "مدرسة النور", "Al-Noor School", "school", "MOE-55310", "Hail",
	  "مدرسة في قرية نائية تحتاج إلى معلمين متطوعين للرياضيات والبرمجة.", "school@khibra.local", false },
};

int command_demo(db *d)
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
	db_release(c);
	printf("%sdemo: %zu records created, %zu already there\n\n", tty ? "\n" : "", created, total - created);
	printf("Demo logins (password for all: %s)\n", DEMO_PASSWORD);
	for (size_t i = 0; i < sizeof people / sizeof people[0]; i++)
		printf("  %-30s %s\n", people[i].email, people[i].what);
	return 0;
}
