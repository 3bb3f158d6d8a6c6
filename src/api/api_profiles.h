/*
 * api_profiles.h — specialists' profiles over JSON (GET/PUT /api/v1/me/profile,
 * GET /api/v1/specialists/{id}), and the saving step the HTML form shares.
 */
#ifndef KHIBRA_API_PROFILES_H
#define KHIBRA_API_PROFILES_H

#include "auth/accounts.h"
#include "domain/profile.h"
#include "http/request.h"

void api_profile_get(request *r);
void api_profile_put(request *r);
void api_specialist_get(request *r);

/* profile_submit: validate `p` (adding to the parse errors already in errs),
 * check its profession, city and skill slugs exist, that a domain given is
 * the profession's and that coordinates given with a city lie within
 * PROFILE_CITY_RADIUS_KM of it, take the domain from the profession and the
 * coordinates from the city when they were not given,
 * then save it as the caller's profile (which makes the caller a
 * specialist).  o->status is 200 on success, 422 with translated field
 * reasons, or 500.  p->user_id is set to the caller. */
void profile_submit(request *r, struct profile *p, struct profile_errors *errs, struct outcome *o);

/* profile_errors_json: the reasons, translated, as {field: reason}. */
/* own_profile_json: the person's own profile as GET /me/profile shows it. */
json_t *own_profile_json(const struct profile *p);
json_t *profile_errors_json(request *r, const struct profile_errors *errs);

#endif
