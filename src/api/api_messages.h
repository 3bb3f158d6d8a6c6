/*
 * api_messages.h — message threads over JSON (api_messages.c), and the thread
 * rules the HTML pages (web/page_messages.c) share with them:
 *
 *  - who is in a thread: an application's applicant and the members of the
 *    opportunity's organisation; a help request's circle (store/help.h:
 *    requester, assigned specialist, handling organisation's members,
 *    moderators).  Anyone else is told 404, as if the thread did not exist.
 *  - when a thread is closed to new messages (409 wrong_state): an
 *    application that was withdrawn, declined or cancelled; a help request
 *    resolved or closed more than MESSAGE_CLOSED_GRACE ago.  Reading stays
 *    possible.
 *  - a new message notifies every other participant in the app
 *    ("message_application" / "message_request", params {title}) and by
 *    e-mail at most once an hour per thread and person; the e-mail about a
 *    help-request thread names only the request's number, never its title
 *    nor the message.
 *  - a moderator outside the rest of the circle who reads a help-request
 *    thread leaves a line in the request's access log (reason "messages").
 */
#ifndef KHIBRA_API_MESSAGES_H
#define KHIBRA_API_MESSAGES_H

#include "auth/accounts.h"
#include "http/request.h"
#include "store/messages.h"

#define MESSAGE_CLOSED_GRACE (30 * 24 * 3600)   /* a resolved request's thread stays open this long */
#define MESSAGE_MAIL_WINDOW  3600               /* at most one e-mail per thread and person per hour */
#define MESSAGE_PAGE_MAX     200                /* messages shown on one page */

/* A thread the caller may read. */
struct thread {
	char kind[12];          /* "application" or "request" */
	int64_t id;
	char *title;            /* the opportunity's or the request's title */
	char link[64];          /* "/applications/ID#messages", "/requests/ID#messages" */
	bool open;              /* new messages allowed */
	bool log_reads;         /* the caller reads as a moderator only: log it */
	/* an application thread's facts, for its page */
	int64_t opportunity_id, applicant_id;
	char *applicant_name;
	char status[16];
};
void thread_free(struct thread *t);

/* thread_open: the thread (kind, id) if the caller is in it: 200 and *t
 * filled (free with thread_free); else 404 (or 500) in *o. */
void thread_open(request *r, const char *kind, int64_t id, struct thread *t, struct outcome *o);
/* thread_post: validate `body` (1–MESSAGE_BODY_MAX characters once trimmed),
 * check the thread is open, store it, notify the others.  201 and *id. */
void thread_post(request *r, const struct thread *t, const char *body, int64_t *id, struct outcome *o);
/* thread_read: messages after `after`, at most `limit` (200 + list, free
 * with messages_free); marks them read and logs a moderator's read. */
void thread_read(request *r, const struct thread *t, int64_t after, int limit, struct message **list, int *n,
		 bool *more, struct outcome *o);

/* message_json: {id, author: {id, name}, body, created_at, mine}. */
json_t *message_json(const struct message *m, int64_t reader_id);

void api_application_messages(request *r);
void api_application_message_post(request *r);
void api_request_messages(request *r);
void api_request_message_post(request *r);
void api_my_messages(request *r);

#endif
