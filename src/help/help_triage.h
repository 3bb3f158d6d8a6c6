/*
 * help_triage.h — triage and routing of help requests, shared by the JSON
 * API (api/api_help_triage.c) and the pages (web/page_help_triage.c).
 *
 * The rules:
 *   - triage: the handling organisation's members or a moderator mark a
 *     request "triaged" (from "new"; again from "triaged" it only re-rates
 *     the urgency).  The requester and the assigned specialist get 403,
 *     anyone outside the circle 404; from "assigned" onwards 409.
 *   - route: a moderator hands a request that is not yet assigned to a
 *     verified organisation (422 otherwise); its members are notified
 *     (kind help_routed, naming only the organisation).
 *   - decline: the handling organisation's members hand it back to the
 *     moderators with a reason (1–500 characters); the requester is
 *     notified (kind help_declined, with the reason).
 * Each is one transaction with its audit_log row (request.triage,
 * request.route, request.decline; never the title, details or reason).
 */
#ifndef KHIBRA_HELP_TRIAGE_H
#define KHIBRA_HELP_TRIAGE_H

#include "auth/accounts.h"
#include "store/help_triage.h"

/* help_triage: `urgency` NULL or "" keeps the current one. */
void help_triage(request *r, int64_t id, const char *urgency, struct outcome *o);
/* help_route: org_id <= 0 is a 422 on "org_id". */
void help_route(request *r, int64_t id, int64_t org_id, struct outcome *o);
/* help_decline: on 200, *former_org is the organisation that declined. */
void help_decline(request *r, int64_t id, const char *reason, int64_t *former_org, struct outcome *o);

#endif
