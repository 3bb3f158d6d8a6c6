/*
 * sessions.c — login sessions, API tokens and single-use e-mailed tokens.
 *
 * Only hashes of secrets are stored: a stolen database copy does not let
 * anyone log in.  The callers (auth/) hash; this file only stores and finds.
 */
#include "store/store.h"
#include "core/xalloc.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

int store_session_create(db_conn *c, int64_t user_id, const char *token_hash, const char *csrf_token,
			 int64_t now, int64_t expires_at, const char *address, const char *user_agent,
			 int64_t *id)
{
	int64_t new_id = 0;
	int st = db_query_int(c, "INSERT INTO sessions (user_id, token_hash, csrf_token, created_at, last_seen_at, "
				 "expires_at, address, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			      DB_PARAMS(DB_INT(user_id), DB_TEXT(token_hash), DB_TEXT(csrf_token), DB_INT(now),
					DB_INT(now), DB_INT(expires_at), DB_TEXT(address), DB_TEXT(user_agent)),
			      &new_id);
	if (st == DB_OK && id)
		*id = new_id;
	return st == STORE_NOT_FOUND ? DB_ERROR : st;
}

int store_session_find(db_conn *c, const char *token_hash, int64_t now, int64_t idle_seconds,
		       struct session_record *out)
{
	int st;
	memset(out, 0, sizeof *out);
	db_rows *r = db_query(c, "SELECT s.id, s.user_id, s.csrf_token, s.last_seen_at, s.expires_at "
				 "FROM sessions s JOIN users u ON u.id = s.user_id "
				 "WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? "
				 "AND s.last_seen_at > ? AND u.deleted_at IS NULL",
			      DB_PARAMS(DB_TEXT(token_hash), DB_INT(now), DB_INT(now - idle_seconds)), &st);
	if (!r)
		return st;
	st = STORE_NOT_FOUND;
	if (db_next(r)) {
		out->id = db_int(r, 0);
		out->user_id = db_int(r, 1);
		snprintf(out->csrf_token, sizeof out->csrf_token, "%s", db_text(r, 2));
		out->last_seen_at = db_int(r, 3);
		out->expires_at = db_int(r, 4);
		st = DB_OK;
	} else if (db_rows_status(r) != DB_OK) {
		st = db_rows_status(r);
	}
	db_rows_free(r);
	return st;
}

int store_session_touch(db_conn *c, int64_t id, int64_t now)
{
	return db_exec(c, "UPDATE sessions SET last_seen_at = ? WHERE id = ?",
		       DB_PARAMS(DB_INT(now), DB_INT(id)), NULL);
}

int store_session_revoke(db_conn *c, int64_t id, int64_t now)
{
	return db_exec(c, "UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
		       DB_PARAMS(DB_INT(now), DB_INT(id)), NULL);
}

int store_sessions_revoke_user(db_conn *c, int64_t user_id, int64_t now)
{
	return db_exec(c, "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
		       DB_PARAMS(DB_INT(now), DB_INT(user_id)), NULL);
}

int store_token_create(db_conn *c, int64_t user_id, const char *name, const char *token_hash,
		       int64_t now, int64_t *id)
{
	int64_t new_id = 0;
	int st = db_query_int(c, "INSERT INTO api_tokens (user_id, name, token_hash, created_at) "
				 "VALUES (?, ?, ?, ?) RETURNING id",
			      DB_PARAMS(DB_INT(user_id), DB_TEXT(name), DB_TEXT(token_hash), DB_INT(now)), &new_id);
	if (st == DB_OK && id)
		*id = new_id;
	return st == STORE_NOT_FOUND ? DB_ERROR : st;
}

int store_token_find(db_conn *c, const char *token_hash, int64_t now, int64_t *user_id)
{
	int st = db_query_int(c, "SELECT t.user_id FROM api_tokens t JOIN users u ON u.id = t.user_id "
				 "WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.deleted_at IS NULL",
			      DB_PARAMS(DB_TEXT(token_hash)), user_id);
	if (st != DB_OK)
		return st;
	/* last_used_at is informational: at most one write a minute per token,
	 * and a busy database does not make a valid token fail. */
	db_exec(c, "UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ? AND (last_used_at IS NULL OR last_used_at < ?)",
		DB_PARAMS(DB_INT(now), DB_TEXT(token_hash), DB_INT(now - 60)), NULL);
	return DB_OK;
}

int store_email_token_create(db_conn *c, int64_t user_id, const char *kind, const char *token_hash,
			     int64_t now, int64_t expires_at)
{
	return db_exec(c, "INSERT INTO email_tokens (user_id, kind, token_hash, created_at, expires_at) "
			  "VALUES (?, ?, ?, ?, ?)",
		       DB_PARAMS(DB_INT(user_id), DB_TEXT(kind), DB_TEXT(token_hash), DB_INT(now), DB_INT(expires_at)),
		       NULL);
}

int store_email_token_use(db_conn *c, const char *kind, const char *token_hash, int64_t now,
			  int64_t *user_id)
{
	/* One statement marks the token used and returns its owner, so two
	 * concurrent uses cannot both succeed. */
	return db_query_int(c, "UPDATE email_tokens SET used_at = ? WHERE kind = ? AND token_hash = ? "
			       "AND used_at IS NULL AND expires_at > ? RETURNING user_id",
			    DB_PARAMS(DB_INT(now), DB_TEXT(kind), DB_TEXT(token_hash), DB_INT(now)), user_id);
}

int store_tokens_list(db_conn *c, int64_t user_id, struct token_record **out, int *count)
{
	return store_tokens_page(c, user_id, 0, INT_MAX, out, count);
}

int store_tokens_page(db_conn *c, int64_t user_id, int64_t after_id, int limit, struct token_record **out,
		      int *count)
{
	int st;
	*out = NULL;
	*count = 0;
	db_rows *r = db_query(c, "SELECT id, name, created_at, last_used_at FROM api_tokens "
				 "WHERE user_id = ? AND revoked_at IS NULL AND id > ? ORDER BY id LIMIT ?",
			      DB_PARAMS(DB_INT(user_id), DB_INT(after_id), DB_INT(limit)), &st);
	if (!r)
		return st;
	int cap = 0;
	while (db_next(r)) {
		if (*count == cap) {
			cap = cap ? cap * 2 : 4;
			*out = xreallocarray(*out, (size_t)cap, sizeof **out);
		}
		struct token_record *t = &(*out)[(*count)++];
		t->id = db_int(r, 0);
		snprintf(t->name, sizeof t->name, "%s", db_text(r, 1));
		t->created_at = db_int(r, 2);
		t->last_used_at = db_int(r, 3);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

int store_token_revoke(db_conn *c, int64_t user_id, int64_t id, int64_t now)
{
	int64_t changes = 0;
	int st = db_exec(c, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
			 DB_PARAMS(DB_INT(now), DB_INT(id), DB_INT(user_id)), &changes);
	if (st != DB_OK)
		return st;
	return changes ? DB_OK : STORE_NOT_FOUND;
}

int store_sessions_list(db_conn *c, int64_t user_id, int64_t now, int64_t idle_seconds,
			struct session_info **out, int *count)
{
	return store_sessions_page(c, user_id, now, idle_seconds, 0, INT_MAX, out, count);
}

int store_sessions_page(db_conn *c, int64_t user_id, int64_t now, int64_t idle_seconds, int64_t offset, int limit,
			struct session_info **out, int *count)
{
	int st;
	*out = NULL;
	*count = 0;
	db_rows *r = db_query(c, "SELECT id, created_at, last_seen_at, address, user_agent FROM sessions "
				 "WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? AND last_seen_at > ? "
				 "ORDER BY last_seen_at DESC, id DESC LIMIT ? OFFSET ?",
			      DB_PARAMS(DB_INT(user_id), DB_INT(now), DB_INT(now - idle_seconds), DB_INT(limit),
					DB_INT(offset)),
			      &st);
	if (!r)
		return st;
	int cap = 0;
	while (db_next(r)) {
		if (*count == cap) {
			cap = cap ? cap * 2 : 4;
			*out = xreallocarray(*out, (size_t)cap, sizeof **out);
		}
		struct session_info *s = &(*out)[(*count)++];
		s->id = db_int(r, 0);
		s->created_at = db_int(r, 1);
		s->last_seen_at = db_int(r, 2);
		snprintf(s->address, sizeof s->address, "%s", db_text(r, 3));
		snprintf(s->user_agent, sizeof s->user_agent, "%s", db_text(r, 4));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

int store_session_revoke_own(db_conn *c, int64_t user_id, int64_t id, int64_t now)
{
	int64_t changes = 0;
	int st = db_exec(c, "UPDATE sessions SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
			 DB_PARAMS(DB_INT(now), DB_INT(id), DB_INT(user_id)), &changes);
	if (st != DB_OK)
		return st;
	return changes ? DB_OK : STORE_NOT_FOUND;
}

/* ---- housekeeping (the daily job, jobs/run.c) ---- */

int store_sessions_prune(db_conn *c, int64_t now, int64_t idle_seconds, int64_t *deleted)
{
	return db_exec(c, "DELETE FROM sessions WHERE revoked_at IS NOT NULL OR expires_at <= ? OR last_seen_at <= ?",
		       DB_PARAMS(DB_INT(now), DB_INT(now - idle_seconds)), deleted);
}

int store_email_tokens_prune(db_conn *c, int64_t now, int64_t *deleted)
{
	return db_exec(c, "DELETE FROM email_tokens WHERE used_at IS NOT NULL OR expires_at <= ?",
		       DB_PARAMS(DB_INT(now)), deleted);
}
