/*
 * page_messages.h — message threads on the pages (page_messages.c): the
 * application's own page with its thread, the thread on a help request's
 * page, the forms that post to them, and the person's list of threads.
 */
#ifndef KHIBRA_PAGE_MESSAGES_H
#define KHIBRA_PAGE_MESSAGES_H

#include "http/request.h"

#include <jansson.h>

void page_application_thread(request *r);        /* GET /applications/{id} */
void page_application_message_post(request *r);  /* POST /applications/{id}/messages */
void page_request_message_post(request *r);      /* POST /requests/{id}/messages */
void page_messages(request *r);                  /* GET /messages */

/* page_messages_attach: put the thread of (kind, id) into a page context as
 * "thread" (for templates/messages_thread.html) and mark it read.  The
 * caller has already checked the reader may see the object; nothing is
 * added when the thread cannot be opened. */
void page_messages_attach(request *r, const char *kind, int64_t id, json_t *ctx);
#endif
