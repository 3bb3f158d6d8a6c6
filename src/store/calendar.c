/*
 * calendar.c — a person's events (shifts and help sessions) and their
 * private feed token.  Two queries, one per kind, merged in time order: SQL
 * that both backends accept without a UNION of differently typed NULLs.
 */
#include "store/calendar.h"
#include "core/xalloc.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void calendar_events_free(struct calendar_event *list, int count)
{
	for (int i = 0; i < count; i++) {
		struct calendar_event *e = &list[i];
		free(e->title);
		free(e->role);
		free(e->org_name);
		free(e->org_name_en);
		free(e->city_ar);
		free(e->city_en);
		free(e->address);
	}
	free(list);
}

/* sequence_of: a SEQUENCE that grows with each change: seconds from the
 * record's creation to its last change, clamped to an int. */
static int sequence_of(int64_t created_at, int64_t updated_at)
{
	int64_t d = updated_at - created_at;
	return d < 0 ? 0 : d > INT_MAX ? INT_MAX : (int)d;
}

/* push: a new zeroed event at the end of the list. */
static struct calendar_event *push(struct calendar_event **list, int *count, int *cap)
{
	if (*count == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*list = xreallocarray(*list, (size_t)*cap, sizeof **list);
	}
	struct calendar_event *e = &(*list)[(*count)++];
	memset(e, 0, sizeof *e);
	return e;
}

static int load_shifts(db_conn *c, int64_t user_id, int64_t from, int64_t to, int64_t cancelled_since,
		       struct calendar_event **list, int *count, int *cap)
{
	int st;
	db_rows *r = db_query(c,
		"SELECT a.id, o.id, o.title, COALESCE(s.role, ''), g.name, COALESCE(g.name_en, ''), "
		"COALESCE(ci.name_ar, o.city), COALESCE(ci.name_en, o.city), o.address, o.remote, "
		"COALESCE(s.starts_at, o.starts_at), COALESCE(s.ends_at, o.ends_at), "
		"a.created_at, a.updated_at, o.updated_at, a.status, o.status "
		"FROM applications a JOIN opportunities o ON o.id = a.opportunity_id "
		"JOIN orgs g ON g.id = o.org_id "
		"LEFT JOIN shifts s ON s.id = a.shift_id "
		"LEFT JOIN cities ci ON ci.slug = o.city "
		"WHERE a.user_id = ? AND COALESCE(s.starts_at, o.starts_at) < ? AND COALESCE(s.ends_at, o.ends_at) > ? "
		"AND ((a.status IN ('accepted', 'completed') AND o.status <> 'cancelled') "
		"  OR ((a.status = 'cancelled' OR (a.status IN ('accepted', 'completed') AND o.status = 'cancelled')) "
		"      AND (a.updated_at >= ? OR o.updated_at >= ?))) "
		"ORDER BY COALESCE(s.starts_at, o.starts_at), a.id LIMIT ?",
		DB_PARAMS(DB_INT(user_id), DB_INT(to), DB_INT(from), DB_INT(cancelled_since), DB_INT(cancelled_since),
			  DB_INT(CALENDAR_MAX_EVENTS)),
		&st);
	if (!r)
		return st;
	while (db_next(r)) {
		struct calendar_event *e = push(list, count, cap);
		e->kind = CAL_SHIFT;
		e->id = db_int(r, 0);
		e->link_id = db_int(r, 1);
		e->title = xstrdup(db_text(r, 2));
		e->role = xstrdup(db_text(r, 3));
		e->org_name = xstrdup(db_text(r, 4));
		e->org_name_en = xstrdup(db_text(r, 5));
		e->city_ar = xstrdup(db_text(r, 6));
		e->city_en = xstrdup(db_text(r, 7));
		e->address = xstrdup(db_text(r, 8));
		e->remote = db_int(r, 9) != 0;
		e->starts_at = db_int(r, 10);
		e->ends_at = db_int(r, 11);
		int64_t updated = db_int(r, 13) > db_int(r, 14) ? db_int(r, 13) : db_int(r, 14);
		e->sequence = sequence_of(db_int(r, 12), updated);
		e->cancelled = strcmp(db_text(r, 15), "cancelled") == 0 || strcmp(db_text(r, 16), "cancelled") == 0;
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

static int load_sessions(db_conn *c, int64_t user_id, int64_t from, int64_t to,
			 struct calendar_event **list, int *count, int *cap)
{
	int st;
	db_rows *r = db_query(c,
		"SELECT id, session_starts_at, session_ends_at, COALESCE(session_mode, ''), created_at, updated_at "
		"FROM help_requests WHERE (requester_id = ? OR assigned_specialist_id = ?) "
		"AND session_starts_at IS NOT NULL AND session_starts_at < ? AND session_ends_at > ? "
		"ORDER BY session_starts_at, id LIMIT ?",
		DB_PARAMS(DB_INT(user_id), DB_INT(user_id), DB_INT(to), DB_INT(from), DB_INT(CALENDAR_MAX_EVENTS)),
		&st);
	if (!r)
		return st;
	while (db_next(r)) {
		struct calendar_event *e = push(list, count, cap);
		e->kind = CAL_SESSION;
		e->id = e->link_id = db_int(r, 0);
		e->starts_at = db_int(r, 1);
		e->ends_at = db_int(r, 2);
		snprintf(e->mode, sizeof e->mode, "%s", db_text(r, 3));
		e->remote = strcmp(e->mode, "in_person") != 0;
		e->sequence = sequence_of(db_int(r, 4), db_int(r, 5));
		e->title = xstrdup("");
		e->role = xstrdup("");
		e->org_name = xstrdup("");
		e->org_name_en = xstrdup("");
		e->city_ar = xstrdup("");
		e->city_en = xstrdup("");
		e->address = xstrdup("");
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

/* by_time: soonest first; shifts before sessions at the same time; then by id. */
static int by_time(const void *pa, const void *pb)
{
	const struct calendar_event *a = pa, *b = pb;
	if (a->starts_at != b->starts_at)
		return a->starts_at < b->starts_at ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind == CAL_SHIFT ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

int store_calendar_events(db_conn *c, int64_t user_id, int64_t from, int64_t to, int64_t cancelled_since,
			  struct calendar_event **out, int *count)
{
	struct calendar_event *list = NULL;
	int n = 0, cap = 0;
	int st = load_shifts(c, user_id, from, to, cancelled_since, &list, &n, &cap);
	if (st == DB_OK)
		st = load_sessions(c, user_id, from, to, &list, &n, &cap);
	if (st != DB_OK) {
		calendar_events_free(list, n);
		*out = NULL;
		*count = 0;
		return st;
	}
	if (n > 0)
		qsort(list, (size_t)n, sizeof *list, by_time);
	if (n > CALENDAR_MAX_EVENTS) {
		for (int i = CALENDAR_MAX_EVENTS; i < n; i++) {
			struct calendar_event *e = &list[i];
			free(e->title), free(e->role), free(e->org_name), free(e->org_name_en);
			free(e->city_ar), free(e->city_en), free(e->address);
		}
		n = CALENDAR_MAX_EVENTS;
	}
	*out = list;
	*count = n;
	return DB_OK;
}

int store_calendar_feed_set(db_conn *c, int64_t user_id, const char *token_hash, int64_t now)
{
	return db_exec(c, "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES (?, ?, ?) "
			  "ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, "
			  "created_at = excluded.created_at",
		       DB_PARAMS(DB_INT(user_id), DB_TEXT(token_hash), DB_INT(now)), NULL);
}

int store_calendar_feed_delete(db_conn *c, int64_t user_id)
{
	int64_t changes = 0;
	int st = db_exec(c, "DELETE FROM calendar_feeds WHERE user_id = ?", DB_PARAMS(DB_INT(user_id)), &changes);
	if (st == DB_OK && changes == 0)
		return STORE_NOT_FOUND;
	return st;
}

int store_calendar_feed_get(db_conn *c, int64_t user_id, int64_t *created_at)
{
	return db_query_int(c, "SELECT created_at FROM calendar_feeds WHERE user_id = ?",
			    DB_PARAMS(DB_INT(user_id)), created_at);
}

int store_calendar_feed_find(db_conn *c, const char *token_hash, int64_t *user_id, char *locale, size_t localelen)
{
	int st;
	db_rows *r = db_query(c, "SELECT u.id, u.locale FROM calendar_feeds f JOIN users u ON u.id = f.user_id "
				 "WHERE f.token_hash = ? AND u.deleted_at IS NULL",
			      DB_PARAMS(DB_TEXT(token_hash)), &st);
	if (!r)
		return st;
	st = STORE_NOT_FOUND;
	if (db_next(r)) {
		*user_id = db_int(r, 0);
		snprintf(locale, localelen, "%s", db_text(r, 1));
		st = DB_OK;
	} else if (db_rows_status(r) != DB_OK) {
		st = db_rows_status(r);
	}
	db_rows_free(r);
	return st;
}
