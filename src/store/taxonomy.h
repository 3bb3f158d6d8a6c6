/*
 * taxonomy.h — the bilingual taxonomy: the six domains, skills (with their
 * parents), professions (with their typical skills) and cities.
 *
 * The data comes from migration 0004 and changes only with a migration.
 * Skills are listed domain by domain in the order of taxonomy_domains[],
 * then by position; a parent always comes before its children.
 *
 * Ownership: records and arrays filled by these functions belong to the
 * caller; free them with the matching *_free function.  Strings are never
 * NULL, except taxonomy_skill.parent_slug for a top-level skill.
 */
#ifndef KHIBRA_TAXONOMY_H
#define KHIBRA_TAXONOMY_H

#include "store/store.h"

#include <stdbool.h>
#include <stdint.h>

/* ---- domains (static data, no database) ---- */
#define TAXONOMY_DOMAIN_COUNT 6

struct taxonomy_domain {
	const char *slug;    /* "health", "education", "law", "engineering", "technology", "arts_media" */
	const char *name_ar;
	const char *name_en; /* also the gettext msgid: tr(r, d->name_en) names it in the page language */
};

/* taxonomy_domains: the six domains in their canonical order. */
extern const struct taxonomy_domain taxonomy_domains[TAXONOMY_DOMAIN_COUNT];

/* taxonomy_domain_valid: is `slug` one of the six domains?  (NULL → false) */
bool taxonomy_domain_valid(const char *slug);
/* taxonomy_domain_find: the domain with this slug, or NULL. */
const struct taxonomy_domain *taxonomy_domain_find(const char *slug);

/* ---- skills ---- */
struct taxonomy_skill {
	char *slug;
	char *domain;
	char *parent_slug; /* NULL for a top-level skill */
	char *name_ar;
	char *name_en;
	int position;      /* order within the domain */
};
void taxonomy_skill_free(struct taxonomy_skill *s);
void taxonomy_skills_free(struct taxonomy_skill *s, int count);

/* store_skills_list: every skill, or only those of `domain` (NULL: all). */
int store_skills_list(db_conn *c, const char *domain, struct taxonomy_skill **out, int *count);
/* store_skill_by_slug: one skill; STORE_NOT_FOUND if there is none. */
int store_skill_by_slug(db_conn *c, const char *slug, struct taxonomy_skill *out);

/* ---- professions ---- */
struct taxonomy_profession {
	char *slug;
	char *domain;
	char *name_ar;
	char *name_en;
	bool licensed;     /* consultations need a verified licence */
	int position;
	char **skills;     /* slugs of its typical skills, in the skills' order */
	int nskills;
};
void taxonomy_profession_free(struct taxonomy_profession *p);
void taxonomy_professions_free(struct taxonomy_profession *p, int count);

/* store_professions_list: every profession (or those of `domain`), with its skills. */
int store_professions_list(db_conn *c, const char *domain, struct taxonomy_profession **out, int *count);
/* store_profession_by_slug: one profession with its skills; STORE_NOT_FOUND if none. */
int store_profession_by_slug(db_conn *c, const char *slug, struct taxonomy_profession *out);

/* ---- cities ---- */
struct taxonomy_city {
	char *slug;
	char *name_ar;
	char *name_en;
	char *country_code; /* ISO 3166-1 alpha-2 */
	char *country_ar;
	char *country_en;
	double lat, lon;
	int position;
};
void taxonomy_city_free(struct taxonomy_city *c);
void taxonomy_cities_free(struct taxonomy_city *c, int count);

/* store_cities_list: every city, Saudi cities first, in their position order. */
int store_cities_list(db_conn *c, struct taxonomy_city **out, int *count);
/* store_city_by_slug: one city; STORE_NOT_FOUND if there is none. */
int store_city_by_slug(db_conn *c, const char *slug, struct taxonomy_city *out);

#endif
