/*
 * page_taxonomy.h — the public page of the taxonomy: GET /skills.
 */
#ifndef KHIBRA_PAGE_TAXONOMY_H
#define KHIBRA_PAGE_TAXONOMY_H

#include "http/request.h"

/* page_skills: skills grouped by parent and professions, domain by domain
 * (?domain= shows one; an unknown domain is a 404). */
void page_skills(request *r);

#endif
