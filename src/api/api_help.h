/*
 * api_help.h — help requests over JSON (routes section "help requests").
 */
#ifndef KHIBRA_API_HELP_H
#define KHIBRA_API_HELP_H

#include "http/request.h"

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
