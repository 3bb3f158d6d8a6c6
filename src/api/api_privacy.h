/*
 * api_privacy.h — privacy rights over JSON (routes section "privacy"):
 * erasing one's own account, and the moderators' access log.
 */
#ifndef KHIBRA_API_PRIVACY_H
#define KHIBRA_API_PRIVACY_H

#include "http/request.h"

/* DELETE /api/v1/me {password} → 204, the session cookie cleared. */
void api_me_delete(request *r);
/* GET /api/v1/admin/access-log?request_id=&reader_id=&limit=&cursor= */
void api_admin_access_log(request *r);

#endif
