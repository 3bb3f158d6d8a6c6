/*
 * credentials.c — licences, degrees and certificates uploaded by specialists,
 * and their review by moderators (moderation.h).
 */
#include "store/moderation.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

void credential_record_free(struct credential_record *c)
{
	free(c->owner_name);
	free(c->kind);
	free(c->issuer);
	free(c->number);
	free(c->file_hash);
	free(c->file_type);
	free(c->file_name);
	free(c->status);
	free(c->reason);
	memset(c, 0, sizeof *c);
}

void credential_records_free(struct credential_record *list, int count)
{
	for (int i = 0; i < count; i++)
		credential_record_free(&list[i]);
	free(list);
}

#define CREDENTIAL_COLUMNS                                                                          \
	"c.id, c.user_id, u.name, c.kind, c.issuer, c.number, c.file_hash, c.file_type, c.file_size, " \
	"c.file_name, c.status, c.reason, c.reviewed_by, c.reviewed_at, c.created_at "                 \
	"FROM credentials c JOIN users u ON u.id = c.user_id "

/* credential_fill: *out from the current row of a CREDENTIAL_COLUMNS query. */
static void credential_fill(db_rows *r, struct credential_record *out)
{
	out->id = db_int(r, 0);
	out->user_id = db_int(r, 1);
	out->owner_name = xstrdup(db_text(r, 2));
	out->kind = xstrdup(db_text(r, 3));
	out->issuer = xstrdup(db_text(r, 4));
	out->number = xstrdup(db_text(r, 5));
	out->file_hash = xstrdup(db_text(r, 6));
	out->file_type = xstrdup(db_text(r, 7));
	out->file_size = db_int(r, 8);
	out->file_name = xstrdup(db_text(r, 9));
	out->status = xstrdup(db_text(r, 10));
	out->reason = xstrdup(db_text(r, 11));
	out->reviewed_by = db_int(r, 12);
	out->reviewed_at = db_int(r, 13);
	out->created_at = db_int(r, 14);
}

/* credential_list: every row of `r` into a new array; frees r.  When `limit`
 * is positive, a row beyond it only sets *more. */
static int credential_list(db_rows *r, int limit, struct credential_record **out, int *count, bool *more)
{
	int n = 0, cap = 0;
	struct credential_record *list = NULL;
	if (more)
		*more = false;
	while (db_next(r)) {
		if (limit > 0 && n == limit) {
			if (more)
				*more = true;
			break;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			list = xreallocarray(list, (size_t)cap, sizeof *list);
		}
		memset(&list[n], 0, sizeof list[n]);
		credential_fill(r, &list[n++]);
	}
	int st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK) {
		credential_records_free(list, n);
		return st;
	}
	*out = list;
	*count = n;
	return DB_OK;
}

int store_credential_create(db_conn *c, const struct credential_new *in, int64_t now, int64_t *id)
{
	int st = db_query_int(c, "INSERT INTO credentials (user_id, kind, issuer, number, file_hash, file_type, "
				 "file_size, file_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			      DB_PARAMS(DB_INT(in->user_id), DB_TEXT(in->kind), DB_TEXT(in->issuer),
					DB_TEXT(in->number), DB_TEXT(in->file_hash), DB_TEXT(in->file_type),
					DB_INT(in->file_size), DB_TEXT(in->file_name), DB_INT(now)),
			      id);
	return st == STORE_NOT_FOUND ? DB_ERROR : st;
}

int store_credential_by_id(db_conn *c, int64_t id, struct credential_record *out)
{
	memset(out, 0, sizeof *out);
	int st;
	db_rows *r = db_query(c, "SELECT " CREDENTIAL_COLUMNS "WHERE c.id = ?", DB_PARAMS(DB_INT(id)), &st);
	if (!r)
		return st;
	if (!db_next(r)) {
		st = db_rows_status(r);
		db_rows_free(r);
		return st != DB_OK ? st : STORE_NOT_FOUND;
	}
	credential_fill(r, out);
	db_rows_free(r);
	return DB_OK;
}

int store_credentials_of_user(db_conn *c, int64_t user_id, struct credential_record **out, int *count)
{
	*out = NULL;
	*count = 0;
	int st;
	db_rows *r = db_query(c, "SELECT " CREDENTIAL_COLUMNS "WHERE c.user_id = ? ORDER BY c.id DESC",
			      DB_PARAMS(DB_INT(user_id)), &st);
	return r ? credential_list(r, 0, out, count, NULL) : st;
}

int store_credentials_by_status(db_conn *c, const char *status, int64_t cursor, int limit,
				struct credential_record **out, int *count, bool *more)
{
	*out = NULL;
	*count = 0;
	*more = false;
	int st;
	db_rows *r = db_query(c, "SELECT " CREDENTIAL_COLUMNS "WHERE c.status = ? AND c.id > ? "
				 "ORDER BY c.id LIMIT ?",
			      DB_PARAMS(DB_TEXT(status), DB_INT(cursor), DB_INT(limit + 1)), &st);
	return r ? credential_list(r, limit, out, count, more) : st;
}

int store_credential_decide(db_conn *c, int64_t id, bool approved, const char *reason, int64_t moderator_id,
			    int64_t now)
{
	int64_t changes = 0;
	int st = db_exec(c, "UPDATE credentials SET status = ?, reason = ?, reviewed_by = ?, reviewed_at = ? "
			    "WHERE id = ?",
			 DB_PARAMS(DB_TEXT(approved ? "approved" : "rejected"), DB_TEXT(reason ? reason : ""),
				   DB_INT(moderator_id), DB_INT(now), DB_INT(id)),
			 &changes);
	if (st != DB_OK)
		return st;
	return changes ? DB_OK : STORE_NOT_FOUND;
}

int store_credential_count(db_conn *c, const char *status, int64_t *count)
{
	int st = db_query_int(c, "SELECT count(*) FROM credentials WHERE status = ?", DB_PARAMS(DB_TEXT(status)),
			      count);
	return st == STORE_NOT_FOUND ? DB_ERROR : st;
}
