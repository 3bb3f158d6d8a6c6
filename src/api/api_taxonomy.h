/*
 * api_taxonomy.h — the taxonomy over JSON: GET /api/v1/skills, /professions
 * and /cities (public, all items in one page).
 */
#ifndef KHIBRA_API_TAXONOMY_H
#define KHIBRA_API_TAXONOMY_H

#include "http/request.h"

void api_skills_list(request *r);
void api_professions_list(request *r);
void api_cities_list(request *r);

/* api_taxonomy_cache_free: drop the cached answers (call at shutdown, after
 * the server has stopped, beside page_home_cache_free()). */
void api_taxonomy_cache_free(void);

#endif
