/*
 * notifications.c — in-app notifications (notifications.h).
 */
#include "store/notifications.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

void notification_records_free(struct notification_record *list, int count)
{
	for (int i = 0; i < count; i++) {
		free(list[i].kind);
		free(list[i].params);
		free(list[i].link);
	}
	free(list);
}

int store_notification_create(db_conn *c, int64_t user_id, const char *kind, const char *params_json,
			      const char *link, int64_t now, int64_t *id)
{
	int64_t new_id = 0;
	int st = db_query_int(c, "INSERT INTO notifications (user_id, kind, params, link, created_at) "
				 "VALUES (?, ?, ?, ?, ?) RETURNING id",
			      DB_PARAMS(DB_INT(user_id), DB_TEXT(kind), DB_TEXT(params_json ? params_json : "{}"),
					DB_TEXT(link ? link : ""), DB_INT(now)),
			      &new_id);
	if (st == DB_OK && id)
		*id = new_id;
	return st == STORE_NOT_FOUND ? DB_ERROR : st;
}

int store_notifications_list(db_conn *c, int64_t user_id, int64_t cursor, int limit,
			     struct notification_record **out, int *count, bool *more)
{
	*out = NULL;
	*count = 0;
	*more = false;
	int st;
	db_rows *r = db_query(c, "SELECT id, user_id, kind, params, link, created_at, read_at FROM notifications "
				 "WHERE user_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
			      DB_PARAMS(DB_INT(user_id), DB_INT(cursor > 0 ? cursor : INT64_MAX), DB_INT(limit + 1)),
			      &st);
	if (!r)
		return st;
	int n = 0;
	struct notification_record *list = NULL;
	while (db_next(r)) {
		if (n == limit) {
			*more = true;
			break;
		}
		list = xreallocarray(list, (size_t)n + 1, sizeof *list);
		struct notification_record *e = &list[n++];
		e->id = db_int(r, 0);
		e->user_id = db_int(r, 1);
		e->kind = xstrdup(db_text(r, 2));
		e->params = xstrdup(db_text(r, 3));
		e->link = xstrdup(db_text(r, 4));
		e->created_at = db_int(r, 5);
		e->read_at = db_int(r, 6);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK) {
		notification_records_free(list, n);
		return st;
	}
	*out = list;
	*count = n;
	return DB_OK;
}

int store_notifications_unread(db_conn *c, int64_t user_id, int64_t *count)
{
	int st = db_query_int(c, "SELECT count(*) FROM notifications WHERE user_id = ? AND read_at IS NULL",
			      DB_PARAMS(DB_INT(user_id)), count);
	return st == STORE_NOT_FOUND ? DB_ERROR : st;
}

int store_notifications_mark_read(db_conn *c, int64_t user_id, const int64_t *ids, int nids, int64_t now,
				  int64_t *changed)
{
	int64_t total = 0, n = 0;
	if (!ids) {
		int st = db_exec(c, "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
				 DB_PARAMS(DB_INT(now), DB_INT(user_id)), &total);
		if (changed)
			*changed = total;
		return st;
	}
	int st = db_begin(c, true);
	for (int i = 0; st == DB_OK && i < nids; i++) {
		st = db_exec(c, "UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL",
			     DB_PARAMS(DB_INT(now), DB_INT(ids[i]), DB_INT(user_id)), &n);
		total += n;
	}
	if (st == DB_OK)
		st = db_commit(c);
	else
		db_rollback(c);
	if (changed)
		*changed = st == DB_OK ? total : 0;
	return st;
}
