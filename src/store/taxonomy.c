/*
 * taxonomy.c — domains, skills, professions and cities (see taxonomy.h).
 *
 * Lists are read in one query each (professions: two, the second for their
 * skills) and grown in arrays the caller owns, like store_user_orgs().
 */
#include "store/taxonomy.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

const struct taxonomy_domain taxonomy_domains[TAXONOMY_DOMAIN_COUNT] = {
	{ "health", "الصحة", "Health" },
	{ "education", "التعليم والتدريب", "Education and training" },
	{ "law", "القانون", "Law" },
	{ "engineering", "الهندسة والتصميم", "Engineering and design" },
	{ "technology", "التقنية", "Technology" },
	{ "arts_media", "الفنون والإعلام", "Arts and media" },
};

const struct taxonomy_domain *taxonomy_domain_find(const char *slug)
{
	if (!slug)
		return NULL;
	for (int i = 0; i < TAXONOMY_DOMAIN_COUNT; i++)
		if (strcmp(taxonomy_domains[i].slug, slug) == 0)
			return &taxonomy_domains[i];
	return NULL;
}

bool taxonomy_domain_valid(const char *slug)
{
	return taxonomy_domain_find(slug) != NULL;
}

/* The canonical order of domains in SQL (both dialects accept CASE). */
#define DOMAIN_ORDER                                                                              \
	"CASE domain WHEN 'health' THEN 0 WHEN 'education' THEN 1 WHEN 'law' THEN 2 "             \
	"WHEN 'engineering' THEN 3 WHEN 'technology' THEN 4 ELSE 5 END"

/* grow: make room for one more element in a caller-owned array. */
static void *grow(void *array, int count, int *cap, size_t size)
{
	if (count < *cap)
		return array;
	*cap = *cap ? *cap * 2 : 16;
	return xreallocarray(array, (size_t)*cap, size);
}

/* ================================================================ skills */

#define SKILL_COLUMNS "slug, domain, parent_slug, name_ar, name_en, position"

void taxonomy_skill_free(struct taxonomy_skill *s)
{
	free(s->slug);
	free(s->domain);
	free(s->parent_slug);
	free(s->name_ar);
	free(s->name_en);
	memset(s, 0, sizeof *s);
}

void taxonomy_skills_free(struct taxonomy_skill *s, int count)
{
	for (int i = 0; i < count; i++)
		taxonomy_skill_free(&s[i]);
	free(s);
}

static void skill_from_row(db_rows *r, struct taxonomy_skill *s)
{
	s->slug = xstrdup(db_text(r, 0));
	s->domain = xstrdup(db_text(r, 1));
	s->parent_slug = db_is_null(r, 2) ? NULL : xstrdup(db_text(r, 2));
	s->name_ar = xstrdup(db_text(r, 3));
	s->name_en = xstrdup(db_text(r, 4));
	s->position = (int)db_int(r, 5);
}

int store_skills_list(db_conn *c, const char *domain, struct taxonomy_skill **out, int *count)
{
	int st, cap = 0;
	*out = NULL;
	*count = 0;
	db_rows *r = domain
		? db_query(c, "SELECT " SKILL_COLUMNS " FROM skills WHERE domain = ? ORDER BY position, slug",
			   DB_PARAMS(DB_TEXT(domain)), &st)
		: db_query(c, "SELECT " SKILL_COLUMNS " FROM skills ORDER BY " DOMAIN_ORDER ", position, slug",
			   DB_NO_PARAMS, &st);
	if (!r)
		return st;
	while (db_next(r)) {
		*out = grow(*out, *count, &cap, sizeof **out);
		skill_from_row(r, &(*out)[(*count)++]);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK) {
		taxonomy_skills_free(*out, *count);
		*out = NULL;
		*count = 0;
	}
	return st;
}

int store_skill_by_slug(db_conn *c, const char *slug, struct taxonomy_skill *out)
{
	int st;
	memset(out, 0, sizeof *out);
	db_rows *r = db_query(c, "SELECT " SKILL_COLUMNS " FROM skills WHERE slug = ?", DB_PARAMS(DB_TEXT(slug)), &st);
	if (!r)
		return st;
	bool found = db_next(r);
	if (found)
		skill_from_row(r, out);
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK)
		taxonomy_skill_free(out);
	return st == DB_OK && !found ? STORE_NOT_FOUND : st;
}

/* ================================================================ professions */

#define PROFESSION_COLUMNS "slug, domain, name_ar, name_en, licensed, position"

void taxonomy_profession_free(struct taxonomy_profession *p)
{
	free(p->slug);
	free(p->domain);
	free(p->name_ar);
	free(p->name_en);
	for (int i = 0; i < p->nskills; i++)
		free(p->skills[i]);
	free(p->skills);
	memset(p, 0, sizeof *p);
}

void taxonomy_professions_free(struct taxonomy_profession *p, int count)
{
	for (int i = 0; i < count; i++)
		taxonomy_profession_free(&p[i]);
	free(p);
}

static void profession_from_row(db_rows *r, struct taxonomy_profession *p)
{
	memset(p, 0, sizeof *p);
	p->slug = xstrdup(db_text(r, 0));
	p->domain = xstrdup(db_text(r, 1));
	p->name_ar = xstrdup(db_text(r, 2));
	p->name_en = xstrdup(db_text(r, 3));
	p->licensed = db_int(r, 4) != 0;
	p->position = (int)db_int(r, 5);
}

static void profession_add_skill(struct taxonomy_profession *p, const char *slug)
{
	/* nskills is small (3–8): grow one at a time. */
	p->skills = xreallocarray(p->skills, (size_t)p->nskills + 1, sizeof *p->skills);
	p->skills[p->nskills++] = xstrdup(slug);
}

/* attach_skills: fill in the skills of professions p[0..n) from one query,
 * rows ordered by profession then skill order. */
static int attach_skills(db_conn *c, const char *only_slug, struct taxonomy_profession *p, int n)
{
	int st;
	db_rows *r = only_slug
		? db_query(c, "SELECT ps.profession_slug, ps.skill_slug FROM profession_skills ps "
			      "JOIN skills s ON s.slug = ps.skill_slug WHERE ps.profession_slug = ? "
			      "ORDER BY s.position, s.slug",
			   DB_PARAMS(DB_TEXT(only_slug)), &st)
		: db_query(c, "SELECT ps.profession_slug, ps.skill_slug FROM profession_skills ps "
			      "JOIN skills s ON s.slug = ps.skill_slug ORDER BY ps.profession_slug, s.position, s.slug",
			   DB_NO_PARAMS, &st);
	if (!r)
		return st;
	while (db_next(r)) {
		const char *prof = db_text(r, 0);
		/* n is about fifty: a linear search per row is cheaper than a map. */
		for (int i = 0; i < n; i++) {
			if (strcmp(p[i].slug, prof) == 0) {
				profession_add_skill(&p[i], db_text(r, 1));
				break;
			}
		}
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

int store_professions_list(db_conn *c, const char *domain, struct taxonomy_profession **out, int *count)
{
	int st, cap = 0;
	*out = NULL;
	*count = 0;
	db_rows *r = domain
		? db_query(c, "SELECT " PROFESSION_COLUMNS " FROM professions WHERE domain = ? ORDER BY position, slug",
			   DB_PARAMS(DB_TEXT(domain)), &st)
		: db_query(c, "SELECT " PROFESSION_COLUMNS " FROM professions ORDER BY " DOMAIN_ORDER ", position, slug",
			   DB_NO_PARAMS, &st);
	if (!r)
		return st;
	while (db_next(r)) {
		*out = grow(*out, *count, &cap, sizeof **out);
		profession_from_row(r, &(*out)[(*count)++]);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st == DB_OK)
		st = attach_skills(c, NULL, *out, *count);
	if (st != DB_OK) {
		taxonomy_professions_free(*out, *count);
		*out = NULL;
		*count = 0;
	}
	return st;
}

int store_profession_by_slug(db_conn *c, const char *slug, struct taxonomy_profession *out)
{
	int st;
	memset(out, 0, sizeof *out);
	db_rows *r = db_query(c, "SELECT " PROFESSION_COLUMNS " FROM professions WHERE slug = ?",
			      DB_PARAMS(DB_TEXT(slug)), &st);
	if (!r)
		return st;
	bool found = db_next(r);
	if (found)
		profession_from_row(r, out);
	st = db_rows_status(r);
	db_rows_free(r);
	if (st == DB_OK && !found)
		return STORE_NOT_FOUND;
	if (st == DB_OK)
		st = attach_skills(c, slug, out, 1);
	if (st != DB_OK)
		taxonomy_profession_free(out);
	return st;
}

/* ================================================================ cities */

#define CITY_COLUMNS "slug, name_ar, name_en, country_code, country_ar, country_en, lat, lon, position"

void taxonomy_city_free(struct taxonomy_city *c)
{
	free(c->slug);
	free(c->name_ar);
	free(c->name_en);
	free(c->country_code);
	free(c->country_ar);
	free(c->country_en);
	memset(c, 0, sizeof *c);
}

void taxonomy_cities_free(struct taxonomy_city *c, int count)
{
	for (int i = 0; i < count; i++)
		taxonomy_city_free(&c[i]);
	free(c);
}

static void city_from_row(db_rows *r, struct taxonomy_city *c)
{
	c->slug = xstrdup(db_text(r, 0));
	c->name_ar = xstrdup(db_text(r, 1));
	c->name_en = xstrdup(db_text(r, 2));
	c->country_code = xstrdup(db_text(r, 3));
	c->country_ar = xstrdup(db_text(r, 4));
	c->country_en = xstrdup(db_text(r, 5));
	c->lat = db_double(r, 6);
	c->lon = db_double(r, 7);
	c->position = (int)db_int(r, 8);
}

int store_cities_list(db_conn *c, struct taxonomy_city **out, int *count)
{
	int st, cap = 0;
	*out = NULL;
	*count = 0;
	db_rows *r = db_query(c, "SELECT " CITY_COLUMNS " FROM cities ORDER BY position, slug", DB_NO_PARAMS, &st);
	if (!r)
		return st;
	while (db_next(r)) {
		*out = grow(*out, *count, &cap, sizeof **out);
		city_from_row(r, &(*out)[(*count)++]);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK) {
		taxonomy_cities_free(*out, *count);
		*out = NULL;
		*count = 0;
	}
	return st;
}

int store_city_by_slug(db_conn *c, const char *slug, struct taxonomy_city *out)
{
	int st;
	memset(out, 0, sizeof *out);
	db_rows *r = db_query(c, "SELECT " CITY_COLUMNS " FROM cities WHERE slug = ?", DB_PARAMS(DB_TEXT(slug)), &st);
	if (!r)
		return st;
	bool found = db_next(r);
	if (found)
		city_from_row(r, out);
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK)
		taxonomy_city_free(out);
	return st == DB_OK && !found ? STORE_NOT_FOUND : st;
}
