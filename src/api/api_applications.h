/*
 * api_applications.h — applications and booking over JSON (/api/v1), and
 * the pieces the HTML pages share with it (web/page_applications.c).
 */
#ifndef KHIBRA_API_APPLICATIONS_H
#define KHIBRA_API_APPLICATIONS_H

#include "http/request.h"
#include "store/applications.h"

#define APPLICATION_MESSAGE_MAX 2000   /* bytes in a message, reason or contest */

/* booking_refusal: the HTTP status, API code and message msgid for a store
 * result that is not DB_OK (BOOK_*, STORE_NOT_FOUND, DB_BUSY, …). */
void booking_refusal(int result, int *status, const char **code, const char **message);
/* booking_refusal_field: the field a 422 refusal is about, or NULL. */
const char *booking_refusal_field(int result);

/* application_json: the API's view of an application. */
json_t *application_json(const struct application *a);

void api_application_create(request *r);
void api_invitation_create(request *r);
void api_opportunity_applications(request *r);
void api_my_applications(request *r);
void api_application_accept(request *r);
void api_application_decline(request *r);
void api_application_withdraw(request *r);
void api_application_waitlist(request *r);
void api_application_complete(request *r);
void api_application_no_show(request *r);
void api_application_contest(request *r);
void api_application_checkin(request *r);

#endif
