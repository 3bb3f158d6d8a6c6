/*
 * messages.h — message threads in the store (messages.c): one thread per
 * application and one per help request, named by (kind, thread_id) with kind
 * "application" or "request".
 *
 * Bodies are sealed at rest (auth/sealed.h) for both kinds, like the help
 * details: the database never holds a message in plain text.  Who may read
 * or write a thread is the caller's check (api/api_messages.c: the
 * application's applicant and organisation members; the help request's
 * circle); the store only stores, lists and counts.
 *
 * Unread: a person's message_reads row keeps the last message id they have
 * seen in a thread; messages by others after it are unread.  Their own
 * messages never count.
 *
 * Conventions as in store.h; MESSAGE_NO_KEY when the sealing key is not loaded.
 */
#ifndef KHIBRA_STORE_MESSAGES_H
#define KHIBRA_STORE_MESSAGES_H

#include "store/store.h"

#include <stdbool.h>
#include <stdint.h>

#define MESSAGE_NO_KEY     8      /* the sealing key is not loaded */
#define MESSAGE_BODY_MAX   4000   /* characters (code points), after trimming */

struct message {
	int64_t id;
	int64_t author_id;      /* 0 when the author's account was deleted */
	char *author_name;      /* "" when deleted */
	char *body;             /* opened plaintext; freed with sealed_free */
	int64_t created_at;
};
void messages_free(struct message *list, int count);

/* One thread in a person's summary. */
struct message_thread {
	char kind[12];          /* "application" or "request" */
	int64_t thread_id;
	char *title;            /* the opportunity's or the help request's title */
	int64_t unread;
	int64_t last_id, last_at;
};
void message_threads_free(struct message_thread *list, int count);

/* message_kind_ok: "application" or "request". */
bool message_kind_ok(const char *kind);

/* store_message_post: seal `body` and add it to the thread; *id the new id. */
int store_message_post(db_conn *c, const char *kind, int64_t thread_id, int64_t author_id, const char *body,
		       int64_t now, int64_t *id);

/* store_messages_list: the thread's messages, oldest first, with id > after
 * (0: from the start), at most `limit`; *more says whether more follow.
 * DB_ERROR if a body cannot be opened (key missing or changed). */
int store_messages_list(db_conn *c, const char *kind, int64_t thread_id, int64_t after, int limit,
			struct message **out, int *count, bool *more);

/* store_messages_last_id: the newest message id of the thread (0: none). */
int store_messages_last_id(db_conn *c, const char *kind, int64_t thread_id, int64_t *id);

/* store_messages_mark_read: the person has read the thread up to message
 * `last_id` (never moves backwards). */
int store_messages_mark_read(db_conn *c, int64_t user_id, const char *kind, int64_t thread_id, int64_t last_id);

/* MESSAGES_UNREAD_SQL: a scalar subquery counting the messages by others
 * that a person has not read in thread (kind, thread) — SQL expressions, such
 * as "?" or "a.id".  Its placeholders, in order: those of `kind` and
 * `thread`, the person's id twice, those of `kind` and `thread` again. */
#define MESSAGES_UNREAD_SQL(kind, thread)                                                               \
	"(SELECT count(*) FROM messages m WHERE m.thread_kind = " kind " AND m.thread_id = " thread       \
	" AND (m.author_id IS NULL OR m.author_id <> ?) AND m.id > COALESCE((SELECT rd.last_read_id "      \
	"FROM message_reads rd WHERE rd.user_id = ? AND rd.thread_kind = " kind " AND rd.thread_id = "     \
	thread "), 0))"

/* store_messages_unread: messages by others the person has not read in one
 * thread. */
int store_messages_unread(db_conn *c, int64_t user_id, const char *kind, int64_t thread_id, int64_t *count);

/* store_message_threads: the person's threads that hold messages, the most
 * recently active first: applications they made or whose organisation they
 * belong to; help requests they asked, are assigned to or whose organisation
 * they belong to; and, for moderators (`moderator`), help-request threads
 * they wrote in.  `before` > 0 continues after the thread whose last message
 * id is `before` (cursor).  At most `limit`; *more says whether more follow. */
int store_message_threads(db_conn *c, int64_t user_id, bool moderator, int64_t before, int limit,
			  struct message_thread **out, int *count, bool *more);

/* store_messages_unread_total: unread messages over all the person's threads. */
int store_messages_unread_total(db_conn *c, int64_t user_id, bool moderator, int64_t *count);

/* store_message_participants: the people to tell about a new message:
 * application — the applicant and the organisation's members; request — the
 * requester, the assigned specialist and the handling organisation's members.
 * Distinct ids, malloc'd array owned by the caller. */
int store_message_participants(db_conn *c, const char *kind, int64_t thread_id, int64_t **ids, int *count);

/* store_message_mail_claim: may the person be e-mailed about this thread
 * now?  True (and the time recorded) when they were not e-mailed about it in
 * the last `window` seconds; the claim is one atomic statement, so two
 * messages at once cannot both mail. */
int store_message_mail_claim(db_conn *c, int64_t user_id, const char *kind, int64_t thread_id, int64_t now,
			     int64_t window, bool *due);

/* store_message_log_read: a line in the help request's access log (reason
 * "messages") — for moderators reading a help-request thread. */
int store_message_log_read(db_conn *c, int64_t request_id, int64_t reader_id, const char *address, int64_t now);

#endif
