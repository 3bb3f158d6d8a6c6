/*
 * demo_profiles.c — the demo specialists (demo_specialists.c): their
 * accounts, when demo.c has not created them, and their profiles.
 */
#include "cli/demo_profiles.h"
#include "cli/demo_specialists.h"
#include "auth/secret.h"
#include "store/profiles.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define DEMO_PASSWORD "khibra-demo-2026" /* the same as demo.c's */

/* build: the profile of demo specialist `d` (user `id`), keeping only the
 * slugs the taxonomy has. */
static int build(db_conn *c, const struct demo_specialist *d, int64_t id, struct profile *p)
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
	p->public = !d->hidden;
	p->nlanguages = 0;
	for (int i = 0; i < 3 && d->languages[i]; i++)
		specialist_profile_add_language(p, d->languages[i]);
	for (int i = 0; i < 4 && d->skills[i].slug; i++) {
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

/* specialist_id: the id of demo specialist `d` into *id, creating the
 * account (e-mail verified, the demo password hashed once into `hash`) when
 * demo.c does not.  STORE_NOT_FOUND for a person of demo.c who is missing. */
static int specialist_id(db_conn *c, const struct demo_specialist *d, int64_t now, char *hash, bool *created,
			 int64_t *id)
{
	struct user_record u;
	int st = store_user_by_email(c, d->email, &u);
	if (st == DB_OK) {
		*id = u.id;
		user_record_free(&u);
		return DB_OK;
	}
	if (st != STORE_NOT_FOUND || !d->name)
		return st;
	if (!hash[0] && !password_hash(DEMO_PASSWORD, hash))
		return DB_ERROR;
	st = store_user_create(c, d->email, d->name, hash, d->locale, "specialist", now, id);
	if (st == DB_OK)
		st = store_user_set_verified(c, *id, now);
	*created = st == DB_OK;
	return st;
}

/* save_profile: the profile of `d` for user `id`, unless they have one
 * (then what may have been edited is left alone). */
static int save_profile(db_conn *c, const struct demo_specialist *d, int64_t id, int64_t now)
{
	struct profile p;
	int st = store_profile_load(c, id, &p);
	specialist_profile_free(&p);
	if (st != STORE_NOT_FOUND)
		return st;
	st = build(c, d, id, &p);
	struct profile_errors errs = { 0 };
	if (st == DB_OK && !specialist_profile_validate(&p, &errs)) {
		fprintf(stderr, "demo: the profile of %s is invalid (%s)\n", d->email, errs.e[0].field);
		st = DB_ERROR;
	}
	if (st == DB_OK)
		st = store_profile_save(c, &p, now);
	specialist_profile_free(&p);
	return st;
}

int demo_profiles(db_conn *c, int64_t now)
{
	char hash[PASSWORD_HASH_SIZE] = "";
	size_t loaded = 0, created = 0;
	for (size_t i = 0; i < demo_specialists_count; i++) {
		const struct demo_specialist *d = &demo_specialists[i];
		int64_t id = 0;
		bool is_new = false;
		int st = specialist_id(c, d, now, hash, &is_new, &id);
		if (st == STORE_NOT_FOUND)
			continue;
		if (st == DB_OK)
			st = save_profile(c, d, id, now);
		if (st != DB_OK) {
			fprintf(stderr, "demo: cannot load the specialist %s\n", d->email);
			return -1;
		}
		loaded++;
		created += is_new;
	}
	printf("%sdemo: %zu specialists loaded (%zu new accounts, password %s)\n", isatty(STDOUT_FILENO) ? "\n" : "",
	       loaded, created, DEMO_PASSWORD);
	return 0;
}
