/*
 * page_taxonomy.h — the public page of the taxonomy: GET /skills.
 */
#ifndef KHIBRA_PAGE_TAXONOMY_H
#define KHIBRA_PAGE_TAXONOMY_H

#include "http/request.h"

/* page_skills: skills grouped by parent and professions, domain by domain
 * (?domain= shows one; an unknown domain is a 404). */
void page_skills(request *r);

/* taxonomy_city_options: every city of the taxonomy as [{slug, name,
 * selected}] for a <select name="city">, named in the page language, the
 * one whose slug is `selected` (may be NULL) chosen.  Shared by the forms
 * that pick a city (profiles, organisations). */
json_t *taxonomy_city_options(request *r, const char *selected);

#endif
