/*
 * api.h — handlers of the JSON API under /api/v1 (see ../shared/API.md and
 * the OpenAPI document served at /api/v1/openapi.json).
 */
#ifndef KHIBRA_API_H
#define KHIBRA_API_H

#include "http/request.h"

/* api_user_json: the public-to-self view of a user: {id, email, name, locale, email_verified}. */
json_t *api_user_json(const struct auth_user *u);

void api_openapi(request *r);
/* api_openapi_document: the merged OpenAPI document (caller decrefs). */
json_t *api_openapi_document(void);
void api_openapi_free(void);
void api_register(request *r);
void api_login(request *r);
void api_logout(request *r);
void api_verify_email(request *r);
void api_password_reset(request *r);
void api_password_reset_confirm(request *r);
void api_me(request *r);
void api_tokens_list(request *r);
void api_sessions_list(request *r);
/* api_me_export / page_me_export: everything held about the caller (api_export.c). */
void api_me_export(request *r);
void page_me_export(request *r);
void api_session_revoke(request *r);
void api_token_create(request *r);
void api_token_revoke(request *r);

#endif
