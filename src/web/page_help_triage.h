/*
 * page_help_triage.h — the HTML faces of help/help_triage.c: the triage and
 * hand-back forms on a request's page, the moderators' "waiting for an
 * organisation" section of the dashboard, and the three form posts.
 */
#ifndef KHIBRA_PAGE_HELP_TRIAGE_H
#define KHIBRA_PAGE_HELP_TRIAGE_H

#include "http/request.h"
#include "store/help.h"

/* page_help_triage_attach: can_triage, triage_urgencies and can_decline for
 * help_request.html (called by page_help.c for a request the reader sees). */
void page_help_triage_attach(request *r, const struct help_request *h, json_t *ctx);
/* page_help_triage_moderation: waiting_requests and route_orgs for
 * moderation.html (called by page_moderation.c). */
void page_help_triage_moderation(request *r, json_t *ctx);

void page_help_triage_post(request *r);   /* POST /requests/{id}/triage */
void page_help_decline_post(request *r);  /* POST /requests/{id}/decline */
void page_help_route_post(request *r);    /* POST /requests/{id}/route (moderators) */

#endif
