/*
 * api_moderation.h — JSON handlers for credentials, moderation and
 * notifications (docs/openapi/moderation.json).
 */
#ifndef KHIBRA_API_MODERATION_H
#define KHIBRA_API_MODERATION_H

#include "http/request.h"
#include "core/timefmt.h"
#include "store/moderation.h"

void api_credential_upload(request *r);
void api_credentials_mine(request *r);
void api_admin_credentials(request *r);
void api_admin_credential_verify(request *r);
void api_admin_orgs(request *r);
void api_admin_org_verify(request *r);
void api_admin_audit(request *r);
void api_notifications(request *r);
void api_notifications_read(request *r);

/* credential_json: the credential as its owner sees it; with_owner adds
 * owner {id, name} for moderators. */
json_t *credential_json(const struct credential_record *c, bool with_owner);
json_t *org_review_json(const struct org_review *o);

#endif
