/*
 * messages.c — message threads: sealed bodies, lists, read marks, unread
 * counts, the people to tell, and the e-mail throttle (messages.h).
 */
#include "store/messages.h"
#include "auth/sealed.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool message_kind_ok(const char *kind)
{
	return kind && (strcmp(kind, "application") == 0 || strcmp(kind, "request") == 0);
}

void messages_free(struct message *list, int count)
{
	for (int i = 0; list && i < count; i++) {
		free(list[i].author_name);
		sealed_free(list[i].body);
	}
	free(list);
}

void message_threads_free(struct message_thread *list, int count)
{
	for (int i = 0; list && i < count; i++)
		free(list[i].title);
	free(list);
}

int store_message_post(db_conn *c, const char *kind, int64_t thread_id, int64_t author_id, const char *body,
		       int64_t now, int64_t *id)
{
	const unsigned char *key = sealed_key();
	if (!key)
		return MESSAGE_NO_KEY;
	unsigned char *box = NULL;
	size_t boxlen = 0;
	if (!sealed_seal(key, body, strlen(body), &box, &boxlen))
		return DB_ERROR;
	int64_t new_id = 0;
	int st = db_query_int(c, "INSERT INTO messages (thread_kind, thread_id, author_id, body_box, created_at) "
				 "VALUES (?, ?, ?, ?, ?) RETURNING id",
			      DB_PARAMS(DB_TEXT(kind), DB_INT(thread_id), author_id > 0 ? DB_INT(author_id) : DB_NULL,
					DB_BLOB(box, boxlen), DB_INT(now)),
			      &new_id);
	free(box);
	if (st == STORE_NOT_FOUND)
		st = DB_ERROR;
	if (st == DB_OK && id)
		*id = new_id;
	return st;
}

int store_messages_list(db_conn *c, const char *kind, int64_t thread_id, int64_t after, int limit,
			struct message **out, int *count, bool *more)
{
	int st;
	*out = NULL;
	*count = 0;
	*more = false;
	db_rows *r = db_query(c, "SELECT m.id, COALESCE(m.author_id, 0), COALESCE(u.name, ''), m.body_box, m.created_at "
				 "FROM messages m LEFT JOIN users u ON u.id = m.author_id "
				 "WHERE m.thread_kind = ? AND m.thread_id = ? AND m.id > ? ORDER BY m.id LIMIT ?",
			      DB_PARAMS(DB_TEXT(kind), DB_INT(thread_id), DB_INT(after), DB_INT(limit + 1)), &st);
	if (!r)
		return st;
	struct message *list = xcalloc((size_t)limit + 1, sizeof *list);
	int n = 0;
	st = DB_OK;
	while (db_next(r)) {
		if (n == limit) {
			*more = true;
			break;
		}
		size_t len = 0;
		const void *box = db_blob(r, 3, &len);
		char *plain = sealed_open(sealed_key(), box, len, NULL);
		if (!plain) {
			log_error("messages", "cannot open message %lld (key missing or changed)", (long long)db_int(r, 0));
			st = DB_ERROR;
			break;
		}
		list[n] = (struct message){ .id = db_int(r, 0), .author_id = db_int(r, 1),
					    .author_name = xstrdup(db_text(r, 2)), .body = plain,
					    .created_at = db_int(r, 4) };
		n++;
	}
	if (st == DB_OK)
		st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK) {
		messages_free(list, n);
		*more = false;
		return st;
	}
	*out = list;
	*count = n;
	return DB_OK;
}

int store_messages_last_id(db_conn *c, const char *kind, int64_t thread_id, int64_t *id)
{
	*id = 0;
	int st = db_query_int(c, "SELECT COALESCE(max(id), 0) FROM messages WHERE thread_kind = ? AND thread_id = ?",
			      DB_PARAMS(DB_TEXT(kind), DB_INT(thread_id)), id);
	return st == STORE_NOT_FOUND ? DB_OK : st;
}

int store_messages_mark_read(db_conn *c, int64_t user_id, const char *kind, int64_t thread_id, int64_t last_id)
{
	return db_exec(c, "INSERT INTO message_reads (user_id, thread_kind, thread_id, last_read_id) VALUES (?, ?, ?, ?) "
			  "ON CONFLICT (user_id, thread_kind, thread_id) DO UPDATE SET last_read_id = "
			  "CASE WHEN excluded.last_read_id > message_reads.last_read_id THEN excluded.last_read_id "
			  "ELSE message_reads.last_read_id END",
		       DB_PARAMS(DB_INT(user_id), DB_TEXT(kind), DB_INT(thread_id), DB_INT(last_id)), NULL);
}

int store_messages_unread(db_conn *c, int64_t user_id, const char *kind, int64_t thread_id, int64_t *count)
{
	*count = 0;
	int st = db_query_int(c, "SELECT " MESSAGES_UNREAD_SQL("?", "?"),
			      DB_PARAMS(DB_TEXT(kind), DB_INT(thread_id), DB_INT(user_id), DB_INT(user_id),
					DB_TEXT(kind), DB_INT(thread_id)),
			      count);
	return st == STORE_NOT_FOUND ? DB_OK : st;
}

/*
 * The person's threads, as a condition on messages m.  Its parameters, in
 * order: user (applicant), user (org member), user (requester), user
 * (specialist), user (org member), moderator flag (0/1), user (author).
 */
#define MY_THREADS                                                                                      \
	"((m.thread_kind = 'application' AND m.thread_id IN (SELECT a.id FROM applications a "           \
	"JOIN opportunities o ON o.id = a.opportunity_id WHERE a.user_id = ? "                           \
	"OR o.org_id IN (SELECT g.org_id FROM org_members g WHERE g.user_id = ?))) "                     \
	"OR (m.thread_kind = 'request' AND m.thread_id IN (SELECT h.id FROM help_requests h "            \
	"WHERE h.requester_id = ? OR h.assigned_specialist_id = ? "                                      \
	"OR h.org_id IN (SELECT g.org_id FROM org_members g WHERE g.user_id = ?) "                       \
	"OR (? = 1 AND h.id IN (SELECT w.thread_id FROM messages w "                                     \
	"WHERE w.thread_kind = 'request' AND w.author_id = ?)))))"

#define MY_THREADS_PARAMS(u, mod) DB_INT(u), DB_INT(u), DB_INT(u), DB_INT(u), DB_INT(u), DB_INT((mod) ? 1 : 0), DB_INT(u)

int store_message_threads(db_conn *c, int64_t user_id, bool moderator, int64_t before, int limit,
			  struct message_thread **out, int *count, bool *more)
{
	int st;
	*out = NULL;
	*count = 0;
	*more = false;
	db_rows *r = db_query(c, "SELECT m.thread_kind, m.thread_id, max(m.id), max(m.created_at), "
				 "sum(CASE WHEN m.id > COALESCE(rd.last_read_id, 0) "
				 "AND (m.author_id IS NULL OR m.author_id <> ?) THEN 1 ELSE 0 END), "
				 "CASE WHEN m.thread_kind = 'application' THEN (SELECT o.title FROM applications a "
				 "JOIN opportunities o ON o.id = a.opportunity_id WHERE a.id = m.thread_id) "
				 "ELSE (SELECT h.title FROM help_requests h WHERE h.id = m.thread_id) END "
				 "FROM messages m LEFT JOIN message_reads rd ON rd.user_id = ? "
				 "AND rd.thread_kind = m.thread_kind AND rd.thread_id = m.thread_id "
				 "WHERE " MY_THREADS " GROUP BY m.thread_kind, m.thread_id "
				 "HAVING (? = 0 OR max(m.id) < ?) ORDER BY max(m.id) DESC LIMIT ?",
			      DB_PARAMS(DB_INT(user_id), DB_INT(user_id), MY_THREADS_PARAMS(user_id, moderator),
					DB_INT(before > 0 ? 1 : 0), DB_INT(before), DB_INT(limit + 1)),
			      &st);
	if (!r)
		return st;
	struct message_thread *list = xcalloc((size_t)limit + 1, sizeof *list);
	int n = 0;
	while (db_next(r)) {
		if (n == limit) {
			*more = true;
			break;
		}
		struct message_thread *t = &list[n++];
		snprintf(t->kind, sizeof t->kind, "%s", db_text(r, 0));
		t->thread_id = db_int(r, 1);
		t->last_id = db_int(r, 2);
		t->last_at = db_int(r, 3);
		t->unread = db_int(r, 4);
		t->title = xstrdup(db_text(r, 5));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK) {
		message_threads_free(list, n);
		*more = false;
		return st;
	}
	*out = list;
	*count = n;
	return DB_OK;
}

int store_messages_unread_total(db_conn *c, int64_t user_id, bool moderator, int64_t *count)
{
	*count = 0;
	int st = db_query_int(c, "SELECT count(*) FROM messages m LEFT JOIN message_reads rd ON rd.user_id = ? "
				 "AND rd.thread_kind = m.thread_kind AND rd.thread_id = m.thread_id "
				 "WHERE m.id > COALESCE(rd.last_read_id, 0) AND (m.author_id IS NULL OR m.author_id <> ?) "
				 "AND " MY_THREADS,
			      DB_PARAMS(DB_INT(user_id), DB_INT(user_id), MY_THREADS_PARAMS(user_id, moderator)), count);
	return st == STORE_NOT_FOUND ? DB_OK : st;
}

int store_message_participants(db_conn *c, const char *kind, int64_t thread_id, int64_t **ids, int *count)
{
	if (strcmp(kind, "application") == 0)
		return db_query_ids(c, "SELECT a.user_id FROM applications a WHERE a.id = ? "
				       "UNION SELECT g.user_id FROM applications a JOIN opportunities o ON o.id = a.opportunity_id "
				       "JOIN org_members g ON g.org_id = o.org_id WHERE a.id = ?",
				    DB_PARAMS(DB_INT(thread_id), DB_INT(thread_id)), ids, count);
	return db_query_ids(c, "SELECT requester_id FROM help_requests WHERE id = ? AND requester_id IS NOT NULL "
			       "UNION SELECT assigned_specialist_id FROM help_requests WHERE id = ? "
			       "AND assigned_specialist_id IS NOT NULL "
			       "UNION SELECT g.user_id FROM help_requests h JOIN org_members g ON g.org_id = h.org_id "
			       "WHERE h.id = ?",
			    DB_PARAMS(DB_INT(thread_id), DB_INT(thread_id), DB_INT(thread_id)), ids, count);
}

int store_message_mail_claim(db_conn *c, int64_t user_id, const char *kind, int64_t thread_id, int64_t now,
			     int64_t window, bool *due)
{
	int64_t changes = 0;
	*due = false;
	int st = db_exec(c, "INSERT INTO message_reads (user_id, thread_kind, thread_id, last_read_id, mailed_at) "
			    "VALUES (?, ?, ?, 0, ?) ON CONFLICT (user_id, thread_kind, thread_id) DO UPDATE "
			    "SET mailed_at = excluded.mailed_at "
			    "WHERE message_reads.mailed_at IS NULL OR message_reads.mailed_at <= ?",
			 DB_PARAMS(DB_INT(user_id), DB_TEXT(kind), DB_INT(thread_id), DB_INT(now), DB_INT(now - window)),
			 &changes);
	if (st == DB_OK)
		*due = changes > 0;
	return st;
}

int store_message_log_read(db_conn *c, int64_t request_id, int64_t reader_id, const char *address, int64_t now)
{
	return db_exec(c, "INSERT INTO request_access_log (request_id, reader_id, reason, address, at) "
			  "VALUES (?, ?, 'messages', ?, ?)",
		       DB_PARAMS(DB_INT(request_id), DB_INT(reader_id), DB_TEXT(address ? address : ""), DB_INT(now)),
		       NULL);
}
