/*
 * page_applications.h — the HTML faces of applications and booking: my
 * applications, an opportunity's applicants, the apply form, and the forms
 * that move an application (web/page_applications.c).
 */
#ifndef KHIBRA_PAGE_APPLICATIONS_H
#define KHIBRA_PAGE_APPLICATIONS_H

#include "http/request.h"

void page_my_applications(request *r);
void page_applicants(request *r);
void page_apply_form(request *r);
void page_apply(request *r);
/* page_application_act: POST /applications/{id}/{action} → 303 back to
 * `next` with ?done=ACTION or ?refused=CODE. */
void page_application_act(request *r);

#endif
