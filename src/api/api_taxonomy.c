/*
 * api_taxonomy.c — skills, professions and cities over JSON.
 *
 * The taxonomy changes only with a migration, so each answer is built once
 * per process and kept as JSON text: later calls copy those bytes.  The
 * answers hold both names (ar, en), so they do not depend on the language.
 * A failed load is not cached.
 */
#include "api/api_taxonomy.h"
#include "store/taxonomy.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum cache_slot {
	SLOT_SKILLS = 0,                                       /* + 1 + domain index: filtered */
	SLOT_PROFESSIONS = SLOT_SKILLS + 1 + TAXONOMY_DOMAIN_COUNT, /* likewise */
	SLOT_CITIES = SLOT_PROFESSIONS + 1 + TAXONOMY_DOMAIN_COUNT,
	SLOT_COUNT,
};

static struct {
	pthread_mutex_t lock;
	char *text[SLOT_COUNT];
} cache = { .lock = PTHREAD_MUTEX_INITIALIZER };

void api_taxonomy_cache_free(void)
{
	pthread_mutex_lock(&cache.lock);
	for (int i = 0; i < SLOT_COUNT; i++) {
		free(cache.text[i]);
		cache.text[i] = NULL;
	}
	pthread_mutex_unlock(&cache.lock);
}

static const char JSON_TYPE[] = "application/json; charset=utf-8";

/* serve_cached: answer from the cache if the slot is filled. */
static bool serve_cached(request *r, int slot)
{
	bool hit = false;
	pthread_mutex_lock(&cache.lock);
	if (cache.text[slot]) {
		respond_bytes(r, 200, JSON_TYPE, cache.text[slot], strlen(cache.text[slot]));
		hit = true;
	}
	pthread_mutex_unlock(&cache.lock);
	return hit;
}

/* serve_and_keep: answer {"items": items, "next_cursor": null} (items stolen)
 * and keep the text for the next call. */
static void serve_and_keep(request *r, int slot, json_t *items)
{
	json_t *body = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	char *text = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(10));
	json_decref(body);
	if (!text) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	respond_bytes(r, 200, JSON_TYPE, text, strlen(text));
	pthread_mutex_lock(&cache.lock);
	if (!cache.text[slot]) {
		cache.text[slot] = text;
		text = NULL;
	}
	pthread_mutex_unlock(&cache.lock);
	free(text);
}

/* domain_slot: the cache offset for ?domain= (0: none); false, after a 422
 * answer, when the domain is not one of the six. */
static bool domain_slot(request *r, const char **domain, int *offset)
{
	*domain = req_query(r, "domain");
	*offset = 0;
	if (!*domain)
		return true;
	for (int i = 0; i < TAXONOMY_DOMAIN_COUNT; i++) {
		if (strcmp(taxonomy_domains[i].slug, *domain) == 0) {
			*offset = 1 + i;
			return true;
		}
	}
	respond_error(r, 422, "invalid", N_("Some fields need your attention."),
		      json_pack("{s:s}", "domain",
				tr(r, N_("Choose one of the six domains: health, education, law, engineering, technology, arts_media."))));
	return false;
}

static void respond_store_error(request *r)
{
	respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
}

void api_skills_list(request *r)
{
	const char *domain;
	int offset;
	if (!domain_slot(r, &domain, &offset) || serve_cached(r, SLOT_SKILLS + offset))
		return;
	struct taxonomy_skill *s = NULL;
	int n = 0;
	if (store_skills_list(req_db(r), domain, &s, &n) != DB_OK) {
		respond_store_error(r);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:s, s:s, s:s?, s:s, s:s}", "slug", s[i].slug, "domain", s[i].domain,
						       "parent", s[i].parent_slug, "name_ar", s[i].name_ar,
						       "name_en", s[i].name_en));
	taxonomy_skills_free(s, n);
	serve_and_keep(r, SLOT_SKILLS + offset, items);
}

void api_professions_list(request *r)
{
	const char *domain;
	int offset;
	if (!domain_slot(r, &domain, &offset) || serve_cached(r, SLOT_PROFESSIONS + offset))
		return;
	struct taxonomy_profession *p = NULL;
	int n = 0;
	if (store_professions_list(req_db(r), domain, &p, &n) != DB_OK) {
		respond_store_error(r);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		json_t *skills = json_array();
		for (int k = 0; k < p[i].nskills; k++)
			json_array_append_new(skills, json_string(p[i].skills[k]));
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:b, s:o}", "slug", p[i].slug, "domain",
						       p[i].domain, "name_ar", p[i].name_ar, "name_en", p[i].name_en,
						       "licensed", p[i].licensed, "skills", skills));
	}
	taxonomy_professions_free(p, n);
	serve_and_keep(r, SLOT_PROFESSIONS + offset, items);
}

/* round4: coordinates to 4 decimals (about 11 m), as they are stored. */
static double round4(double v)
{
	return round(v * 10000.0) / 10000.0;
}

void api_cities_list(request *r)
{
	if (serve_cached(r, SLOT_CITIES))
		return;
	struct taxonomy_city *c = NULL;
	int n = 0;
	if (store_cities_list(req_db(r), &c, &n) != DB_OK) {
		respond_store_error(r);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:f, s:f}", "slug", c[i].slug,
						       "name_ar", c[i].name_ar, "name_en", c[i].name_en, "country_code",
						       c[i].country_code, "country_ar", c[i].country_ar, "country_en",
						       c[i].country_en, "lat", round4(c[i].lat), "lon", round4(c[i].lon)));
	taxonomy_cities_free(c, n);
	serve_and_keep(r, SLOT_CITIES, items);
}
