/*
 * page_help.h — the help-request pages: the form, one request with the forms
 * each handler may use, my requests, and an organisation's triage queue.
 */
#ifndef KHIBRA_PAGE_HELP_H
#define KHIBRA_PAGE_HELP_H

#include "http/request.h"

void page_help_form(request *r);
void page_help_submit(request *r);
void page_help_request(request *r);
void page_help_assign(request *r);
void page_help_book(request *r);
void page_help_resolve(request *r);
void page_help_rate(request *r);
void page_help_mine(request *r);
void page_help_org_queue(request *r);

#endif
