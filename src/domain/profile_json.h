/*
 * profile_json.h — a JSON body onto a struct profile (profile_json.c).
 */
#ifndef KHIBRA_PROFILE_JSON_H
#define KHIBRA_PROFILE_JSON_H

#include "domain/profile.h"

#include <jansson.h>

/* profile_from_json: the members of `body` over the values already in *p
 * (the defaults); a member of the wrong type adds an error to errs. */
void profile_from_json(json_t *body, struct profile *p, struct profile_errors *errs);

#endif
