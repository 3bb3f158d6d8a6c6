/*
 * page_profiles.h — the profile form (GET/POST /profile) and the public
 * profile page (GET /specialists/{id}).
 */
#ifndef KHIBRA_PAGE_PROFILES_H
#define KHIBRA_PAGE_PROFILES_H

#include "http/request.h"

void page_profile_form(request *r);
void page_profile_save(request *r);
void page_specialist(request *r);

#endif
