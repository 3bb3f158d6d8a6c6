/*
 * help_actions.c — handling a help request: assign, book, resolve, rate; the
 * availability check; the access log (help.h).  Each action runs in one write
 * transaction that locks the request row first, so two handlers acting at
 * once see each other's result.
 */
#include "store/help.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define RIYADH_OFFSET (3 * 3600) /* Asia/Riyadh: UTC+3, no daylight saving */

/* begin_locked: start a write transaction, lock request `id` and work out
 * the actor's circle.  STORE_NOT_FOUND (transaction rolled back) when the
 * request does not exist or the actor is outside its circle. */
static int begin_locked(db_conn *c, int64_t id, int64_t actor_id, unsigned roles, unsigned *circle,
			char *status, size_t status_len, int64_t *specialist_id)
{
	int st = db_begin(c, true);
	if (st != DB_OK)
		return st;
	int64_t found = 0;
	st = db_query_int(c, "SELECT id FROM help_requests WHERE id = ? FOR UPDATE", DB_PARAMS(DB_INT(id)), &found);
	if (st == DB_OK)
		st = store_help_circle(c, id, actor_id, roles, circle);
	if (st == DB_OK && *circle == 0)
		st = STORE_NOT_FOUND;
	if (st == DB_OK) {
		db_rows *r = db_query(c, "SELECT status, COALESCE(assigned_specialist_id, 0) FROM help_requests WHERE id = ?",
				      DB_PARAMS(DB_INT(id)), &st);
		if (r && db_next(r)) {
			strncpy(status, db_text(r, 0), status_len - 1);
			status[status_len - 1] = '\0';
			*specialist_id = db_int(r, 1);
		} else if (r) {
			st = STORE_NOT_FOUND;
		}
		db_rows_free(r);
	}
	if (st != DB_OK)
		db_rollback(c);
	return st;
}

/* finish: commit after a successful update, roll back otherwise. */
static int finish(db_conn *c, int st)
{
	if (st != DB_OK) {
		db_rollback(c);
		return st;
	}
	return db_commit(c);
}

static bool is_closed(const char *status)
{
	return strcmp(status, "resolved") == 0 || strcmp(status, "closed") == 0;
}

int store_help_assign(db_conn *c, int64_t id, int64_t actor_id, unsigned roles, int64_t specialist_id,
		      int64_t now)
{
	unsigned circle = 0;
	char status[16];
	int64_t current = 0;
	int st = begin_locked(c, id, actor_id, roles, &circle, status, sizeof status, &current);
	if (st != DB_OK)
		return st;
	if (!(circle & (HELP_ORG_MEMBER | HELP_MODERATOR)))
		return finish(c, HELP_FORBIDDEN);
	if (is_closed(status))
		return finish(c, HELP_WRONG_STATE);
	int64_t n = 0;
	st = db_query_int(c, "SELECT count(*) FROM user_roles ur JOIN users u ON u.id = ur.user_id "
			     "WHERE ur.user_id = ? AND ur.role = 'specialist' AND u.deleted_at IS NULL",
			  DB_PARAMS(DB_INT(specialist_id)), &n);
	if (st != DB_OK)
		return finish(c, st);
	if (n == 0)
		return finish(c, HELP_NOT_SPECIALIST);
	/* Consultations in health and law need a licence a moderator approved. */
	st = db_query_int(c, "SELECT count(*) FROM help_requests h WHERE h.id = ? AND h.domain IN ('health', 'law') "
			     "AND NOT EXISTS (SELECT 1 FROM credentials cr WHERE cr.user_id = ? "
			     "AND cr.kind = 'licence' AND cr.status = 'approved')",
			  DB_PARAMS(DB_INT(id), DB_INT(specialist_id)), &n);
	if (st != DB_OK)
		return finish(c, st);
	if (n > 0)
		return finish(c, HELP_LICENCE_REQUIRED);
	/* A new specialist starts without the previous one's session. */
	st = db_exec(c, "UPDATE help_requests SET assigned_specialist_id = ?, status = 'assigned', "
			"session_starts_at = NULL, session_ends_at = NULL, session_mode = NULL, updated_at = ? "
			"WHERE id = ?",
		     DB_PARAMS(DB_INT(specialist_id), DB_INT(now), DB_INT(id)), NULL);
	return finish(c, st);
}

bool help_slot_fits(const struct help_availability *ranges, int n, int64_t starts_at, int64_t ends_at)
{
	if (ends_at <= starts_at)
		return false;
	int64_t local_start = starts_at + RIYADH_OFFSET, local_end = ends_at + RIYADH_OFFSET;
	int64_t day = local_start >= 0 ? local_start / 86400 : (local_start - 86399) / 86400;
	int64_t day_start = day * 86400;
	if (local_end > day_start + 86400)
		return false; /* a session does not run past midnight */
	int weekday = (int)(((day + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
	int64_t start_minute = (local_start - day_start) / 60;
	int64_t end_minute = (local_end - day_start + 59) / 60;
	for (int i = 0; i < n; i++)
		if (ranges[i].weekday == weekday && ranges[i].start_minute <= start_minute &&
		    end_minute <= ranges[i].end_minute)
			return true;
	return false;
}

/* specialist_free_at: does the slot fit the specialist's weekly availability? */
static int specialist_free_at(db_conn *c, int64_t specialist_id, int64_t starts_at, int64_t ends_at, bool *fits)
{
	int st;
	*fits = false;
	db_rows *r = db_query(c, "SELECT weekday, start_minute, end_minute FROM availability WHERE user_id = ?",
			      DB_PARAMS(DB_INT(specialist_id)), &st);
	if (!r)
		return st;
	while (!*fits && db_next(r)) {
		struct help_availability a = { (int)db_int(r, 0), (int)db_int(r, 1), (int)db_int(r, 2) };
		*fits = help_slot_fits(&a, 1, starts_at, ends_at);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

int store_help_book(db_conn *c, int64_t id, int64_t actor_id, unsigned roles, int64_t starts_at,
		    int64_t ends_at, const char *mode, int64_t now)
{
	unsigned circle = 0;
	char status[16];
	int64_t specialist = 0;
	int st = begin_locked(c, id, actor_id, roles, &circle, status, sizeof status, &specialist);
	if (st != DB_OK)
		return st;
	if (!(circle & (HELP_SPECIALIST | HELP_ORG_MEMBER)))
		return finish(c, HELP_FORBIDDEN);
	if (is_closed(status) || specialist == 0)
		return finish(c, HELP_WRONG_STATE);
	bool fits = false;
	st = specialist_free_at(c, specialist, starts_at, ends_at, &fits);
	if (st != DB_OK)
		return finish(c, st);
	if (!fits)
		return finish(c, HELP_OUTSIDE_AVAILABILITY);
	st = db_exec(c, "UPDATE help_requests SET session_starts_at = ?, session_ends_at = ?, session_mode = ?, "
			"status = 'booked', updated_at = ? WHERE id = ?",
		     DB_PARAMS(DB_INT(starts_at), DB_INT(ends_at), DB_TEXT(mode), DB_INT(now), DB_INT(id)), NULL);
	return finish(c, st);
}

int store_help_resolve(db_conn *c, int64_t id, int64_t actor_id, unsigned roles, int64_t now)
{
	unsigned circle = 0;
	char status[16];
	int64_t specialist = 0;
	int st = begin_locked(c, id, actor_id, roles, &circle, status, sizeof status, &specialist);
	if (st != DB_OK)
		return st;
	if (!(circle & (HELP_SPECIALIST | HELP_ORG_MEMBER | HELP_MODERATOR)))
		return finish(c, HELP_FORBIDDEN);
	if (is_closed(status))
		return finish(c, HELP_WRONG_STATE);
	st = db_exec(c, "UPDATE help_requests SET status = 'resolved', resolved_at = ?, updated_at = ? WHERE id = ?",
		     DB_PARAMS(DB_INT(now), DB_INT(now), DB_INT(id)), NULL);
	return finish(c, st);
}

int store_help_rate(db_conn *c, int64_t id, int64_t actor_id, unsigned roles, int rating, const char *comment,
		    int64_t now)
{
	unsigned circle = 0;
	char status[16];
	int64_t specialist = 0;
	int st = begin_locked(c, id, actor_id, roles, &circle, status, sizeof status, &specialist);
	if (st != DB_OK)
		return st;
	if (!(circle & HELP_REQUESTER))
		return finish(c, HELP_FORBIDDEN);
	int64_t changes = 0;
	st = db_exec(c, "UPDATE help_requests SET rating = ?, rating_comment = ?, updated_at = ? "
			"WHERE id = ? AND status = 'resolved' AND rating IS NULL",
		     DB_PARAMS(DB_INT(rating), DB_TEXT(comment ? comment : ""), DB_INT(now), DB_INT(id)), &changes);
	if (st == DB_OK && changes == 0)
		st = HELP_WRONG_STATE;
	return finish(c, st);
}

/* ---- the access log ---- */

void help_access_free(struct help_access *list, int count)
{
	for (int i = 0; i < count; i++) {
		free(list[i].reader_name);
		free(list[i].reason);
		free(list[i].address);
	}
	free(list);
}

int store_help_access_log(db_conn *c, int64_t id, struct help_access **out, int *count)
{
	int st;
	*out = NULL;
	*count = 0;
	db_rows *r = db_query(c, "SELECT COALESCE(l.reader_id, 0), COALESCE(u.name, ''), l.reason, l.address, l.at "
				 "FROM request_access_log l LEFT JOIN users u ON u.id = l.reader_id "
				 "WHERE l.request_id = ? ORDER BY l.at, l.id",
			      DB_PARAMS(DB_INT(id)), &st);
	if (!r)
		return st;
	int cap = 0;
	while (db_next(r)) {
		if (*count == cap) {
			cap = cap ? cap * 2 : 8;
			*out = xreallocarray(*out, (size_t)cap, sizeof **out);
		}
		(*out)[(*count)++] = (struct help_access){
			.reader_id = db_int(r, 0), .reader_name = xstrdup(db_text(r, 1)),
			.reason = xstrdup(db_text(r, 2)), .address = xstrdup(db_text(r, 3)), .at = db_int(r, 4),
		};
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK) {
		help_access_free(*out, *count);
		*out = NULL;
		*count = 0;
	}
	return st;
}

/* ---- people for the assign form ---- */

void help_people_free(struct help_person *list, int count)
{
	for (int i = 0; i < count; i++)
		free(list[i].name);
	free(list);
}

int store_help_specialists_for(db_conn *c, const char *domain, struct help_person **out, int *count)
{
	int st;
	*out = NULL;
	*count = 0;
	db_rows *r = db_query(c, "SELECT u.id, u.name, EXISTS (SELECT 1 FROM credentials cr WHERE cr.user_id = u.id "
				 "AND cr.kind = 'licence' AND cr.status = 'approved') "
				 "FROM users u JOIN specialist_profiles p ON p.user_id = u.id "
				 "JOIN user_roles ur ON ur.user_id = u.id AND ur.role = 'specialist' "
				 "WHERE p.domain = ? AND u.deleted_at IS NULL ORDER BY u.name, u.id LIMIT 200",
			      DB_PARAMS(DB_TEXT(domain)), &st);
	if (!r)
		return st;
	int cap = 0;
	while (db_next(r)) {
		if (*count == cap) {
			cap = cap ? cap * 2 : 8;
			*out = xreallocarray(*out, (size_t)cap, sizeof **out);
		}
		(*out)[(*count)++] = (struct help_person){ db_int(r, 0), xstrdup(db_text(r, 1)), db_bool(r, 2) };
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK) {
		help_people_free(*out, *count);
		*out = NULL;
		*count = 0;
	}
	return st;
}

int store_help_verified_orgs(db_conn *c, struct help_person **out, int *count)
{
	int st;
	*out = NULL;
	*count = 0;
	db_rows *r = db_query(c, "SELECT id, name FROM orgs WHERE status = 'verified' ORDER BY name, id LIMIT 500",
			      DB_NO_PARAMS, &st);
	if (!r)
		return st;
	int cap = 0;
	while (db_next(r)) {
		if (*count == cap) {
			cap = cap ? cap * 2 : 8;
			*out = xreallocarray(*out, (size_t)cap, sizeof **out);
		}
		(*out)[(*count)++] = (struct help_person){ db_int(r, 0), xstrdup(db_text(r, 1)), false };
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK) {
		help_people_free(*out, *count);
		*out = NULL;
		*count = 0;
	}
	return st;
}
