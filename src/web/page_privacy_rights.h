/*
 * page_privacy_rights.h — privacy-rights pages (routes section "privacy"):
 * deleting one's account, and the moderators' access log.
 */
#ifndef KHIBRA_PAGE_PRIVACY_RIGHTS_H
#define KHIBRA_PAGE_PRIVACY_RIGHTS_H

#include "http/request.h"

/* GET /account/delete: the confirmation form (also shown on /account). */
void page_account_delete_form(request *r);
/* POST /account/delete {password, confirm}: erase, log out, confirm. */
void page_account_delete(request *r);
/* GET /moderation/access-log?request_id=&reader_id=&cursor= */
void page_moderation_access_log(request *r);

#endif
