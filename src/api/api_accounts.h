/*
 * api_accounts.h — account routes added beside those of api.h (api_auth.c).
 */
#ifndef KHIBRA_API_ACCOUNTS_H
#define KHIBRA_API_ACCOUNTS_H

#include "http/request.h"

/* PATCH /api/v1/me {locale: "ar"|"en"} → 200 {user, roles, orgs}, as GET /me. */
void api_me_update(request *r);

#endif
