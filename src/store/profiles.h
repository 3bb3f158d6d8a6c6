/*
 * profiles.h — specialists' profiles in the store: the profile row, its
 * skills with levels and its weekly availability, saved together in one
 * transaction; the public view; whether a licence has been verified; and the
 * few taxonomy look-ups the profile forms need.
 *
 * Conventions as in store.h: DB_OK, STORE_NOT_FOUND or a negative db_status.
 * A loaded struct profile is the caller's, freed with specialist_profile_free().
 */
#ifndef KHIBRA_STORE_PROFILES_H
#define KHIBRA_STORE_PROFILES_H

#include "domain/profile.h"
#include "store/store.h"

/* store_profile_load: the person's own profile with the names of its
 * profession, city and skills, and licence_verified.  When the person has no
 * profile yet, *out holds the defaults (specialist_profile_init) and the result is
 * STORE_NOT_FOUND.  On any error *out is still a valid (default) profile. */
int store_profile_load(db_conn *c, int64_t user_id, struct profile *out);

/* store_profile_public: the profile as anyone may see it, with the person's
 * name.  STORE_NOT_FOUND unless the person exists (not deleted), holds the
 * specialist role, has a profile and made it public. */
int store_profile_public(db_conn *c, int64_t user_id, struct profile *out);

/* store_profile_save: in one transaction, insert or update the profile row
 * of p->user_id, replace its skills and its availability wholesale, and give
 * the person the specialist role.  The profile must be valid
 * (specialist_profile_validate) and its slugs known; DB_CONSTRAINT otherwise. */
int store_profile_save(db_conn *c, const struct profile *p, int64_t now);

/* profile_licence_verified: *verified = the person has an approved
 * credential of kind 'licence'. */
int profile_licence_verified(db_conn *c, int64_t user_id, bool *verified);

/* ---- taxonomy look-ups for profiles ---- */
/* store_profile_skill_exists: DB_OK if the skill slug exists, else STORE_NOT_FOUND. */
int store_profile_skill_exists(db_conn *c, const char *slug);
/* store_profile_profession: the profession's domain (into domain[16]);
 * STORE_NOT_FOUND if there is no such profession. */
int store_profile_profession(db_conn *c, const char *slug, char domain[16]);
/* store_profile_city: the city's coordinates; STORE_NOT_FOUND if unknown. */
int store_profile_city(db_conn *c, const char *slug, double *lat, double *lon);

/* The choices a profile form offers, in the taxonomy's order. */
enum profile_choice_kind { CHOICE_SKILLS, CHOICE_PROFESSIONS, CHOICE_CITIES };
struct profile_choice {
	char *slug;
	char *domain;   /* skills and professions; "" for cities */
	char *name_ar;
	char *name_en;
};
/* store_profile_choices: every skill (by domain), profession or city; the
 * array is the caller's, freed with profile_choices_free. */
int store_profile_choices(db_conn *c, enum profile_choice_kind kind, struct profile_choice **out, int *count);
void profile_choices_free(struct profile_choice *list, int count);

#endif
