/*
 * profiles_test.c — store/profiles.c on the database named by KHIBRA_TEST_DB
 * (SQLite and PostgreSQL): save and load round trip with Arabic text,
 * wholesale replacement of skills and availability, the public view's
 * rules, and licence verification.
 */
#include "store/profiles.h"
#include "cli/demo_profiles.h"

#include "store_fixture.h"

#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct store_fixture fixture;
static db *pdb;
static db_conn *pc;

/* seed_taxonomy: the few slugs these tests use, in case the taxonomy data
 * migration is not there; harmless when it is. */
static void seed_taxonomy(void)
{
	static const char *const skills[][4] = {
		{ "general-medicine", "health", "طب عام", "General medicine" },
		{ "dentistry", "health", "طب الأسنان", "Dentistry" },
		{ "programming", "technology", "البرمجة", "Programming" },
		{ "web-development", "technology", "تطوير المواقع", "Web development" },
		{ "legal-consultation", "law", "استشارات قانونية", "Legal consultation" },
	};
	for (size_t i = 0; i < sizeof skills / sizeof *skills; i++)
		cr_assert_eq(db_exec(pc, "INSERT INTO skills (slug, domain, name_ar, name_en) VALUES (?, ?, ?, ?) "
					 "ON CONFLICT DO NOTHING",
				     DB_PARAMS(DB_TEXT(skills[i][0]), DB_TEXT(skills[i][1]), DB_TEXT(skills[i][2]),
					       DB_TEXT(skills[i][3])), NULL), DB_OK);
	cr_assert_eq(db_exec(pc, "INSERT INTO professions (slug, domain, name_ar, name_en, licensed) VALUES "
				 "('doctor', 'health', 'طبيب', 'Physician', 1), "
				 "('software-developer', 'technology', 'مطور برمجيات', 'Software developer', 0) "
				 "ON CONFLICT DO NOTHING", DB_NO_PARAMS, NULL), DB_OK);
	cr_assert_eq(db_exec(pc, "INSERT INTO cities (slug, name_ar, name_en, country_code, country_ar, country_en, lat, lon) "
				 "VALUES ('riyadh', 'الرياض', 'Riyadh', 'SA', 'السعودية', 'Saudi Arabia', 24.7136, 46.6753), "
				 "('jeddah', 'جدة', 'Jeddah', 'SA', 'السعودية', 'Saudi Arabia', 21.4858, 39.1925) "
				 "ON CONFLICT DO NOTHING", DB_NO_PARAMS, NULL), DB_OK);
}

static void setup(void)
{
	store_fixture_open(&fixture, false);
	pdb = fixture.db;
	pc = fixture.c;
	seed_taxonomy();
}

static void teardown(void)
{
	store_fixture_close(&fixture);
}

TestSuite(profiles_store, .init = setup, .fini = teardown);

static int64_t make_user(const char *role)
{
	char email[64];
	snprintf(email, sizeof email, "p-%08x%08x@example.org", randombytes_random(), randombytes_random());
	int64_t id = 0;
	cr_assert_eq(store_user_create(pc, email, "د. سارة العتيبي", "hash", "ar", role, time(NULL), &id), DB_OK);
	return id;
}

/* doctor: a full profile for user `id`. */
static void doctor(struct profile *p, int64_t id)
{
	specialist_profile_init(p);
	p->user_id = id;
	specialist_profile_set_text(&p->headline, "طبيبة أسرة — استشارات عن بعد");
	specialist_profile_set_text(&p->bio, "أعمل في الرياض منذ ١٢ عامًا.\nI also speak English.");
	specialist_profile_set_text(&p->profession, "doctor");
	specialist_profile_set_text(&p->domain, "health");
	specialist_profile_set_text(&p->city, "riyadh");
	p->years_experience = 12;
	p->has_lat = p->has_lon = true;
	p->lat = 24.75;
	p->lon = 46.5;
	p->onsite = true;
	specialist_profile_add_language(p, "en");
	specialist_profile_add_skill(p, "general-medicine", 5);
	specialist_profile_add_skill(p, "dentistry", 2);
	specialist_profile_add_slot(p, 0, 9 * 60, 12 * 60);
	specialist_profile_add_slot(p, 4, 16 * 60, 1440);
	p->max_hours_month = 20;
}

Test(profiles_store, no_profile_gives_defaults)
{
	int64_t id = make_user("beneficiary");
	struct profile p;
	cr_assert_eq(store_profile_load(pc, id, &p), STORE_NOT_FOUND);
	cr_assert_str_eq(p.headline, "");
	cr_assert(p.remote && !p.onsite && p.public);
	cr_assert_eq(p.max_hours_month, 10);
	cr_assert_eq(p.nskills, 0);
	specialist_profile_free(&p);
	cr_assert_eq(store_profile_public(pc, id, &p), STORE_NOT_FOUND);
	specialist_profile_free(&p);
}

Test(profiles_store, save_and_load_round_trip)
{
	int64_t id = make_user("beneficiary");
	struct profile in, out;
	doctor(&in, id);
	cr_assert_eq(store_profile_save(pc, &in, time(NULL)), DB_OK);
	cr_assert_eq(store_profile_load(pc, id, &out), DB_OK);
	cr_assert_str_eq(out.headline, in.headline);
	cr_assert_str_eq(out.bio, in.bio);
	cr_assert_str_eq(out.profession, "doctor");
	cr_assert_str_eq(out.profession_ar, "طبيب");
	cr_assert_str_eq(out.domain, "health");
	cr_assert_str_eq(out.city, "riyadh");
	cr_assert_str_eq(out.city_ar, "الرياض");
	cr_assert_str_eq(out.name, "د. سارة العتيبي");
	cr_assert_eq(out.years_experience, 12);
	cr_assert(out.has_lat && out.has_lon);
	cr_assert_float_eq(out.lat, 24.75, 1e-9);
	cr_assert_float_eq(out.lon, 46.5, 1e-9);
	cr_assert(out.remote && out.onsite && out.public);
	cr_assert_eq(out.nlanguages, 2);
	cr_assert_str_eq(out.languages[0], "ar");
	cr_assert_str_eq(out.languages[1], "en");
	cr_assert_eq(out.max_hours_month, 20);
	cr_assert_eq(out.nskills, 2);
	cr_assert_str_eq(out.skills[0].slug, "general-medicine"); /* highest level first */
	cr_assert_eq(out.skills[0].level, 5);
	cr_assert_not_null(out.skills[0].name_ar);
	cr_assert_str_eq(out.skills[1].slug, "dentistry");
	cr_assert_eq(out.nslots, 2);
	cr_assert_eq(out.slots[0].weekday, 0);
	cr_assert_eq(out.slots[0].start, 540);
	cr_assert_eq(out.slots[1].weekday, 4);
	cr_assert_eq(out.slots[1].end, 1440);
	cr_assert_not(out.licence_verified);
	specialist_profile_free(&out);
	specialist_profile_free(&in);

	/* Saving made the person a specialist. */
	struct user_record u;
	cr_assert_eq(store_user_by_id(pc, id, &u), DB_OK);
	cr_assert(u.roles & ROLE_SPECIALIST);
	cr_assert(u.roles & ROLE_BENEFICIARY);
	user_record_free(&u);
}

Test(profiles_store, save_replaces_skills_and_availability)
{
	int64_t id = make_user("specialist");
	struct profile p;
	doctor(&p, id);
	cr_assert_eq(store_profile_save(pc, &p, time(NULL)), DB_OK);
	specialist_profile_free(&p);

	specialist_profile_init(&p);
	p.user_id = id;
	specialist_profile_set_text(&p.headline, "مطورة مواقع");
	specialist_profile_add_skill(&p, "programming", 3);
	specialist_profile_add_slot(&p, 6, 600, 660);
	cr_assert_eq(store_profile_save(pc, &p, time(NULL)), DB_OK);
	specialist_profile_free(&p);

	cr_assert_eq(store_profile_load(pc, id, &p), DB_OK);
	cr_assert_str_eq(p.headline, "مطورة مواقع");
	cr_assert_null(p.profession);
	cr_assert_null(p.city);
	cr_assert_not(p.has_lat);
	cr_assert_eq(p.nskills, 1);
	cr_assert_str_eq(p.skills[0].slug, "programming");
	cr_assert_eq(p.nslots, 1);
	cr_assert_eq(p.slots[0].weekday, 6);
	cr_assert_eq(p.nlanguages, 1);
	specialist_profile_free(&p);

	/* An empty save clears the lists. */
	specialist_profile_init(&p);
	p.user_id = id;
	cr_assert_eq(store_profile_save(pc, &p, time(NULL)), DB_OK);
	specialist_profile_free(&p);
	cr_assert_eq(store_profile_load(pc, id, &p), DB_OK);
	cr_assert_eq(p.nskills, 0);
	cr_assert_eq(p.nslots, 0);
	specialist_profile_free(&p);
}

Test(profiles_store, unknown_skill_rolls_back_everything)
{
	int64_t id = make_user("specialist");
	struct profile p;
	doctor(&p, id);
	cr_assert_eq(store_profile_save(pc, &p, time(NULL)), DB_OK);
	specialist_profile_set_text(&p.headline, "changed");
	specialist_profile_add_skill(&p, "no-such-skill", 3);
	cr_assert_eq(store_profile_save(pc, &p, time(NULL)), DB_CONSTRAINT);
	specialist_profile_free(&p);
	cr_assert_eq(store_profile_load(pc, id, &p), DB_OK);
	cr_assert_str_eq(p.headline, "طبيبة أسرة — استشارات عن بعد");
	cr_assert_eq(p.nskills, 2);
	specialist_profile_free(&p);
}

Test(profiles_store, public_view_rules)
{
	int64_t id = make_user("specialist");
	struct profile p;
	doctor(&p, id);
	cr_assert_eq(store_profile_save(pc, &p, time(NULL)), DB_OK);
	specialist_profile_free(&p);
	cr_assert_eq(store_profile_public(pc, id, &p), DB_OK);
	cr_assert_str_eq(p.name, "د. سارة العتيبي");
	cr_assert_eq(p.nskills, 2);
	specialist_profile_free(&p);

	/* Private. */
	doctor(&p, id);
	p.public = false;
	cr_assert_eq(store_profile_save(pc, &p, time(NULL)), DB_OK);
	specialist_profile_free(&p);
	cr_assert_eq(store_profile_public(pc, id, &p), STORE_NOT_FOUND);
	specialist_profile_free(&p);
	/* …but its owner still loads it. */
	cr_assert_eq(store_profile_load(pc, id, &p), DB_OK);
	cr_assert_not(p.public);
	specialist_profile_free(&p);

	/* Public again, then the role is taken away: not a specialist. */
	doctor(&p, id);
	cr_assert_eq(store_profile_save(pc, &p, time(NULL)), DB_OK);
	specialist_profile_free(&p);
	cr_assert_eq(db_exec(pc, "DELETE FROM user_roles WHERE user_id = ? AND role = 'specialist'",
			     DB_PARAMS(DB_INT(id)), NULL), DB_OK);
	cr_assert_eq(store_profile_public(pc, id, &p), STORE_NOT_FOUND);
	specialist_profile_free(&p);

	/* A deleted person. */
	cr_assert_eq(store_user_add_role(pc, id, "specialist", time(NULL)), DB_OK);
	cr_assert_eq(store_profile_public(pc, id, &p), DB_OK);
	specialist_profile_free(&p);
	cr_assert_eq(db_exec(pc, "UPDATE users SET deleted_at = ? WHERE id = ?",
			     DB_PARAMS(DB_INT(time(NULL)), DB_INT(id)), NULL), DB_OK);
	cr_assert_eq(store_profile_public(pc, id, &p), STORE_NOT_FOUND);
	specialist_profile_free(&p);
}

Test(profiles_store, licence_verified_once_approved)
{
	int64_t id = make_user("specialist");
	bool verified = true;
	cr_assert_eq(profile_licence_verified(pc, id, &verified), DB_OK);
	cr_assert_not(verified);
	/* A pending licence and an approved degree do not count. */
	cr_assert_eq(db_exec(pc, "INSERT INTO credentials (user_id, kind, file_hash, file_type, file_size, status, created_at) "
				 "VALUES (?, 'licence', 'aa', 'application/pdf', 10, 'pending', ?), "
				 "(?, 'degree', 'bb', 'application/pdf', 10, 'approved', ?)",
			     DB_PARAMS(DB_INT(id), DB_INT(time(NULL)), DB_INT(id), DB_INT(time(NULL))), NULL), DB_OK);
	cr_assert_eq(profile_licence_verified(pc, id, &verified), DB_OK);
	cr_assert_not(verified);
	cr_assert_eq(db_exec(pc, "INSERT INTO credentials (user_id, kind, file_hash, file_type, file_size, status, created_at) "
				 "VALUES (?, 'licence', 'cc', 'image/png', 10, 'approved', ?)",
			     DB_PARAMS(DB_INT(id), DB_INT(time(NULL))), NULL), DB_OK);
	cr_assert_eq(profile_licence_verified(pc, id, &verified), DB_OK);
	cr_assert(verified);
	struct profile p;
	cr_assert_eq(store_profile_load(pc, id, &p), STORE_NOT_FOUND);
	cr_assert(p.licence_verified, "the default profile should show the licence too");
	specialist_profile_free(&p);
}

Test(profiles_store, taxonomy_lookups)
{
	cr_assert_eq(store_profile_skill_exists(pc, "programming"), DB_OK);
	cr_assert_eq(store_profile_skill_exists(pc, "no-such-skill"), STORE_NOT_FOUND);
	char domain[16];
	cr_assert_eq(store_profile_profession(pc, "software-developer", domain), DB_OK);
	cr_assert_str_eq(domain, "technology");
	cr_assert_eq(store_profile_profession(pc, "astronaut", domain), STORE_NOT_FOUND);
	double lat = 0, lon = 0;
	cr_assert_eq(store_profile_city(pc, "jeddah", &lat, &lon), DB_OK);
	cr_assert(lat > 21 && lat < 22 && lon > 39 && lon < 40);
	cr_assert_eq(store_profile_city(pc, "atlantis", &lat, &lon), STORE_NOT_FOUND);
	struct profile_choice *list;
	int n;
	cr_assert_eq(store_profile_choices(pc, CHOICE_SKILLS, &list, &n), DB_OK);
	cr_assert_geq(n, 5);
	profile_choices_free(list, n);
	cr_assert_eq(store_profile_choices(pc, CHOICE_CITIES, &list, &n), DB_OK);
	cr_assert_geq(n, 2);
	cr_assert_str_eq(list[0].domain, "");
	profile_choices_free(list, n);
}

Test(profiles_store, demo_profiles_is_idempotent)
{
	int64_t id = 0;
	int st = store_user_create(pc, "dev.layla@khibra.local", "ليلى القحطاني", "hash", "ar", "specialist",
				   time(NULL), &id);
	cr_assert(st == DB_OK || st == DB_CONSTRAINT);
	cr_assert_eq(demo_profiles(pc, time(NULL)), 0);
	cr_assert_eq(demo_profiles(pc, time(NULL)), 0);
	struct user_record u;
	cr_assert_eq(store_user_by_email(pc, "dev.layla@khibra.local", &u), DB_OK);
	struct profile p;
	cr_assert_eq(store_profile_public(pc, u.id, &p), DB_OK);
	cr_assert(p.remote);
	cr_assert_geq(p.nskills, 2);
	cr_assert_eq(p.nslots, 4);
	user_record_free(&u);
	specialist_profile_free(&p);
}
