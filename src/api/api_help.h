/*
 * api_help.h — help requests over JSON (routes section "help requests").
 */
#ifndef KHIBRA_API_HELP_H
#define KHIBRA_API_HELP_H

#include "auth/accounts.h"
#include "http/request.h"

#include <stdbool.h>
#include <stdint.h>

/* api_help_request_id: the {id} of the path, or a 404 answer. */
bool api_help_request_id(request *r, int64_t *id);
/* api_help_answer: the outcome's error, or 200 with the request as the
 * caller may see it now (help_reload). */
void api_help_answer(request *r, int64_t id, struct outcome *o);

void api_help_create(request *r);
void api_help_get(request *r);
void api_help_mine(request *r);
void api_help_org_queue(request *r);
void api_help_assign(request *r);
void api_help_book(request *r);
void api_help_resolve(request *r);
void api_help_rate(request *r);
void api_help_access_log(request *r);

#endif
