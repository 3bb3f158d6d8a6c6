/*
 * api_opportunities.h — opportunities and shifts over JSON (API.md,
 * docs/openapi/opportunities.json).  The work is done by
 * opportunities/opportunity_actions.c, shared with the pages.
 */
#ifndef KHIBRA_API_OPPORTUNITIES_H
#define KHIBRA_API_OPPORTUNITIES_H

#include "http/request.h"

void api_opportunity_create(request *r);   /* POST /orgs/{id}/opportunities */
void api_org_opportunities(request *r);    /* GET /orgs/{id}/opportunities */
void api_opportunities_list(request *r);   /* GET /opportunities */
void api_opportunity_get(request *r);      /* GET /opportunities/{id} */
void api_opportunity_update(request *r);   /* PATCH /opportunities/{id} */
void api_opportunity_publish(request *r);  /* POST /opportunities/{id}/publish */
void api_opportunity_close(request *r);
void api_opportunity_complete(request *r);
void api_opportunity_cancel(request *r);   /* {reason?} */

#endif
