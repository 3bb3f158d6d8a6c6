/*
 * api_help_triage.h — triage and routing of help requests over JSON
 * (routes section "help triage"; the rules are in help/help_triage.h).
 */
#ifndef KHIBRA_API_HELP_TRIAGE_H
#define KHIBRA_API_HELP_TRIAGE_H

#include "http/request.h"

void api_help_triage(request *r);     /* POST /requests/{id}/triage {urgency?} */
void api_help_route(request *r);      /* POST /requests/{id}/route {org_id} (moderators) */
void api_help_decline(request *r);    /* POST /requests/{id}/decline {reason} */
void api_help_unrouted(request *r);   /* GET /admin/requests?status=unrouted (moderators) */

#endif
