/*
 * page_opportunities.h — opportunity pages: the public search, the detail
 * page (with the management buttons for the organisation's members), the
 * create and edit forms, and the status actions.  The work is done by
 * opportunities/opportunity_actions.c, shared with the JSON API.
 */
#ifndef KHIBRA_PAGE_OPPORTUNITIES_H
#define KHIBRA_PAGE_OPPORTUNITIES_H

#include "http/request.h"

void page_opportunities(request *r);            /* GET /opportunities */
void page_opportunity(request *r);              /* GET /opportunities/{id} */
void page_opportunity_new_form(request *r);     /* GET /orgs/{id}/opportunities/new */
void page_opportunity_new(request *r);          /* POST /orgs/{id}/opportunities/new */
void page_opportunity_edit_form(request *r);    /* GET /opportunities/{id}/edit */
void page_opportunity_edit(request *r);         /* POST /opportunities/{id}/edit */
void page_opportunity_publish(request *r);      /* POST /opportunities/{id}/publish */
void page_opportunity_close(request *r);
void page_opportunity_complete(request *r);
void page_opportunity_cancel(request *r);

#endif
