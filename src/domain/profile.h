/*
 * profile.h — a specialist's profile as data, and the rules it must follow.
 *
 * Pure functions only: no I/O, no database, no request.  The API and the
 * pages parse their input into a `struct profile`, call specialist_profile_validate(),
 * and only then ask the store (store/profiles.h) whether the slugs exist and
 * to save.  Reasons are gettext msgids (N_), translated by the caller.
 *
 * Names: the functions are prefixed specialist_profile_, not profile_: libkrb5
 * (loaded by libpq) exports profile_init() and friends, and a profile_init of
 * ours would be called by Kerberos while connecting to PostgreSQL.
 *
 * Ownership: a struct profile owns every string it points to;
 * specialist_profile_free() releases them and zeroes the struct (call
 * specialist_profile_init to use it again).  NULL means "none"
 * for profession, domain and city; "" is never stored for them.
 */
#ifndef KHIBRA_DOMAIN_PROFILE_H
#define KHIBRA_DOMAIN_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROFILE_HEADLINE_MAX      120   /* characters (code points) */
#define PROFILE_BIO_MAX           2000  /* characters */
#define PROFILE_YEARS_MAX         70
#define PROFILE_SKILLS_MAX        30
#define PROFILE_SLOTS_MAX         21    /* weekly availability ranges */
#define PROFILE_HOURS_MAX         200   /* max_hours_month */
#define PROFILE_LANGUAGES_MAX     13    /* = the number of known languages */
#define PROFILE_SLUG_MAX          64    /* bytes in a taxonomy slug */
#define PROFILE_ERRORS_MAX        24
#define PROFILE_CITY_RADIUS_KM    100   /* coordinates given with a city lie this close to it */

struct profile_skill {
	char *slug;
	int level;        /* 1 … 5 */
	char *name_ar;    /* filled by the store when loading; NULL otherwise */
	char *name_en;
};

/* One weekly range: weekday 0 = Sunday … 6 = Saturday; minutes since midnight,
 * start in 0 … 1439, end in 1 … 1440 ("24:00"), start < end. */
struct profile_slot {
	int weekday;
	int start;
	int end;
};

struct profile {
	int64_t user_id;
	char *name;              /* the person's display name (loaded views only) */
	char *headline;          /* never NULL */
	char *profession;        /* slug or NULL */
	char *profession_ar, *profession_en; /* loaded views only */
	char *domain;            /* one of the six or NULL */
	char *bio;               /* never NULL */
	int years_experience;
	char *city;              /* slug or NULL */
	char *city_ar, *city_en; /* loaded views only */
	bool has_lat, has_lon;   /* both or neither once valid */
	double lat, lon;
	bool remote, onsite;
	char languages[PROFILE_LANGUAGES_MAX][4]; /* ISO 639-1 codes */
	int nlanguages;
	struct profile_skill *skills;
	int nskills;
	struct profile_slot *slots;
	int nslots;
	int max_hours_month;
	bool public;
	bool licence_verified;   /* computed by the store, never saved */
};

/* specialist_profile_init: the defaults of a person who has no profile yet: remote,
 * Arabic, 10 hours a month, public. */
void specialist_profile_init(struct profile *p);
void specialist_profile_free(struct profile *p);

/* Building a profile (the strings are copied). */
/* specialist_profile_set_text: replace *field with a copy of value (NULL stays NULL). */
void specialist_profile_set_text(char **field, const char *value);
void specialist_profile_add_skill(struct profile *p, const char *slug, int level);
void specialist_profile_add_slot(struct profile *p, int weekday, int start, int end);
/* specialist_profile_add_language: false when the list is full (PROFILE_LANGUAGES_MAX). */
bool specialist_profile_add_language(struct profile *p, const char *code);

/* Per-field reasons, at most one per field (the first one found). */
struct profile_errors {
	int n;
	struct { char field[24]; const char *reason; } e[PROFILE_ERRORS_MAX];
};
void specialist_profile_error(struct profile_errors *errs, const char *field, const char *reason);
const char *specialist_profile_error_for(const struct profile_errors *errs, const char *field);

/* specialist_profile_validate: check every rule on the values (not whether the slugs
 * exist — that is the store's); add a reason per failing field.  Returns true
 * when nothing was added.  Fields: headline, bio, years_experience, languages,
 * skills, availability, max_hours_month, lat, lon, remote, domain. */
bool specialist_profile_validate(const struct profile *p, struct profile_errors *errs);

/* specialist_profile_match_domain: the profession (of `profession_domain`,
 * from the professions table) and the domain agree: an empty domain takes
 * the profession's; another one adds a reason on "domain". */
void specialist_profile_match_domain(struct profile *p, const char *profession_domain, struct profile_errors *errs);
/* specialist_profile_near_city: when the profile has both coordinates, they
 * lie within PROFILE_CITY_RADIUS_KM of the city's (city_lat, city_lon);
 * farther adds a reason on "lat" and on "lon".  True when nothing was added. */
bool specialist_profile_near_city(const struct profile *p, double city_lat, double city_lon,
				  struct profile_errors *errs);

/* specialist_profile_domain_valid: one of health, education, law, engineering,
 * technology, arts_media. */
bool specialist_profile_domain_valid(const char *domain);
/* specialist_profile_domain_label: the msgid naming a domain ("Health" …), or NULL. */
const char *specialist_profile_domain_label(const char *domain);
extern const char *const specialist_profile_domains[6];

/* specialist_profile_language_known: one of the ISO 639-1 codes Khibra lists. */
bool specialist_profile_language_known(const char *code);
/* The known languages, with their names in their own language. */
struct profile_language { const char *code; const char *native; };
extern const struct profile_language specialist_profile_languages[PROFILE_LANGUAGES_MAX];

/* specialist_profile_parse_time: "HH:MM" (00:00 … 23:59, and 24:00 for the end of the
 * day) → minutes since midnight; -1 if it is not such a time. */
int specialist_profile_parse_time(const char *s);
/* specialist_profile_format_time: minutes (0 … 1440) → "HH:MM" into out[6]. */
void specialist_profile_format_time(int minutes, char out[6]);
/* specialist_profile_weekday_label: the msgid of a weekday's name ("Sunday" …), or NULL. */
const char *specialist_profile_weekday_label(int weekday);

/* profile_utf8_length: code points in a valid UTF-8 string; -1 if it is not
 * valid UTF-8 or holds a control character (newlines and tabs are allowed
 * only when allow_newlines). */
long profile_utf8_length(const char *s, bool allow_newlines);

#endif
