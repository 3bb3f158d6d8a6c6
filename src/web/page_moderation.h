/*
 * page_moderation.h — pages for credentials (a specialist's licences and
 * degrees), notifications, and the moderators' queues and audit log.
 */
#ifndef KHIBRA_PAGE_MODERATION_H
#define KHIBRA_PAGE_MODERATION_H

#include "http/request.h"

/* page_credentials.c */
void page_credentials(request *r);
void page_credential_upload(request *r);
void page_credential_file(request *r);
void page_notifications(request *r);
void page_notifications_read(request *r);

/* page_moderation.c */
void page_moderation(request *r);
void page_moderation_credential(request *r);
void page_moderation_org(request *r);
void page_moderation_audit(request *r);
void page_moderation_decisions(request *r);

/* credential_status_label / _class: the translated status and its badge class. */
const char *credential_status_label(request *r, const char *status);
const char *status_badge_class(const char *status);

#endif
