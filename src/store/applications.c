/*
 * applications.c — applying, inviting and every later move of an
 * application, with the capacity-checked accept (applications.h).
 */
#include "store/applications.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "i18n/i18n.h"
#include "store/jobs.h"
#include "store/messages.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ACT_ATTEMPTS 8   /* tries of a transaction that met DB_BUSY */

void application_free(struct application *a)
{
	free(a->message);
	free(a->decline_reason);
	free(a->no_show_contest);
	free(a->user_name);
	free(a->opportunity_title);
	memset(a, 0, sizeof *a);
}

void applications_free(struct application *list, int count)
{
	for (int i = 0; i < count; i++)
		application_free(&list[i]);
	free(list);
}

void booking_opportunity_free(struct booking_opportunity *o)
{
	free(o->title);
	memset(o, 0, sizeof *o);
}

void booking_shifts_free(struct booking_shift *list, int count)
{
	for (int i = 0; i < count; i++)
		free(list[i].role);
	free(list);
}

/* copy_word: a short text column into a fixed buffer. */
static void copy_word(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src);
}

int store_booking_opportunity(db_conn *c, int64_t opportunity_id, struct booking_opportunity *out)
{
	int st;
	memset(out, 0, sizeof *out);
	db_rows *r = db_query(c, "SELECT id, org_id, status, kind, domain, title FROM opportunities WHERE id = ?",
			      DB_PARAMS(DB_INT(opportunity_id)), &st);
	if (!r)
		return st;
	st = STORE_NOT_FOUND;
	if (db_next(r)) {
		out->id = db_int(r, 0);
		out->org_id = db_int(r, 1);
		copy_word(out->status, sizeof out->status, db_text(r, 2));
		copy_word(out->kind, sizeof out->kind, db_text(r, 3));
		copy_word(out->domain, sizeof out->domain, db_text(r, 4));
		out->title = xstrdup(db_text(r, 5));
		st = DB_OK;
	} else if (db_rows_status(r) != DB_OK) {
		st = db_rows_status(r);
	}
	db_rows_free(r);
	return st;
}

int store_booking_shifts(db_conn *c, int64_t opportunity_id, struct booking_shift **out, int *count)
{
	int st;
	*out = NULL;
	*count = 0;
	db_rows *r = db_query(c, "SELECT id, starts_at, ends_at, capacity, taken, role FROM shifts "
				 "WHERE opportunity_id = ? ORDER BY position, starts_at, id",
			      DB_PARAMS(DB_INT(opportunity_id)), &st);
	if (!r)
		return st;
	int cap = 0;
	while (db_next(r)) {
		if (*count == cap) {
			cap = cap ? cap * 2 : 8;
			*out = xrealloc(*out, (size_t)cap * sizeof **out);
		}
		struct booking_shift *s = &(*out)[(*count)++];
		s->id = db_int(r, 0);
		s->starts_at = db_int(r, 1);
		s->ends_at = db_int(r, 2);
		s->capacity = db_int(r, 3);
		s->taken = db_int(r, 4);
		s->role = xstrdup(db_text(r, 5));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK) {
		booking_shifts_free(*out, *count);
		*out = NULL;
		*count = 0;
	}
	return st;
}

bool store_is_org_member(db_conn *c, int64_t org_id, int64_t user_id)
{
	int64_t n = 0;
	return db_query_int(c, "SELECT count(*) FROM org_members WHERE org_id = ? AND user_id = ?",
			    DB_PARAMS(DB_INT(org_id), DB_INT(user_id)), &n) == DB_OK && n > 0;
}

/* tell: an in-app notification row and its e-mail (a durable job), in the
 * caller's transaction; kind and params are rendered in the reader's
 * language by whoever shows or sends them. */
static int tell(db_conn *c, int64_t user_id, const char *kind, json_t *params, const char *link, int64_t now)
{
	char *text = json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS);
	int st = db_exec(c, "INSERT INTO notifications (user_id, kind, params, link, created_at) VALUES (?, ?, ?, ?, ?)",
			 DB_PARAMS(DB_INT(user_id), DB_TEXT(kind), DB_TEXT(text ? text : "{}"), DB_TEXT(link),
				   DB_INT(now)), NULL);
	if (st == DB_OK)
		st = store_job_enqueue_mail(c, user_id, kind, text ? text : "{}", link, now);
	free(text);
	return st;
}

/* notify: tell the applicant about their application. */
static int notify(db_conn *c, int64_t user_id, const char *kind, int64_t application_id,
		  int64_t opportunity_id, const char *title, const char *reason, int64_t now)
{
	json_t *params = json_pack("{s:I, s:I, s:s}", "application_id", (json_int_t)application_id,
				   "opportunity_id", (json_int_t)opportunity_id, "title", title ? title : "");
	if (reason)
		json_object_set_new(params, "reason", json_string(reason));
	int st = tell(c, user_id, kind, params, "/me/applications", now);
	json_decref(params);
	return st;
}

/* ---- applying and inviting ---- */

/* resolve_shift: check *shift_id belongs to the opportunity, or pick its only shift. */
static int resolve_shift(db_conn *c, int64_t opportunity_id, int64_t *shift_id)
{
	int64_t n = 0;
	int st;
	if (*shift_id > 0) {
		st = db_query_int(c, "SELECT count(*) FROM shifts WHERE id = ? AND opportunity_id = ?",
				  DB_PARAMS(DB_INT(*shift_id), DB_INT(opportunity_id)), &n);
		if (st < 0)
			return st;
		return n > 0 ? DB_OK : BOOK_BAD_SHIFT;
	}
	st = db_query_int(c, "SELECT count(*) FROM shifts WHERE opportunity_id = ?",
			  DB_PARAMS(DB_INT(opportunity_id)), &n);
	if (st < 0)
		return st;
	if (n > 1)
		return BOOK_SHIFT_NEEDED;
	*shift_id = 0;
	if (n == 1) {
		st = db_query_int(c, "SELECT id FROM shifts WHERE opportunity_id = ?",
				  DB_PARAMS(DB_INT(opportunity_id)), shift_id);
		if (st < 0)
			return st;
	}
	return DB_OK;
}

/* create: insert one application in `status` after the shared checks. */
static int create(db_conn *c, int64_t opportunity_id, int64_t user_id, int64_t shift_id, const char *status,
		  int64_t invited_by, const char *message, int64_t now, int64_t *id, char **title)
{
	struct booking_opportunity o;
	int st = store_booking_opportunity(c, opportunity_id, &o);
	if (st != DB_OK)
		return st;
	if (strcmp(o.status, "draft") == 0)
		st = STORE_NOT_FOUND;
	else if (strcmp(o.status, "open") != 0)
		st = BOOK_NOT_OPEN;
	else
		st = resolve_shift(c, opportunity_id, &shift_id);
	if (st == DB_OK) {
		st = db_query_int(c, "INSERT INTO applications (opportunity_id, shift_id, user_id, status, message, "
				     "invited_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
				  DB_PARAMS(DB_INT(opportunity_id), shift_id ? DB_INT(shift_id) : DB_NULL,
					    DB_INT(user_id), DB_TEXT(status), DB_TEXT(message ? message : ""),
					    invited_by ? DB_INT(invited_by) : DB_NULL, DB_INT(now), DB_INT(now)), id);
		if (st == DB_CONSTRAINT)
			st = BOOK_DUPLICATE;
	}
	if (title) {
		*title = o.title;
		o.title = NULL;
	}
	booking_opportunity_free(&o);
	return st;
}

int store_application_apply(db_conn *c, int64_t opportunity_id, int64_t user_id, int64_t shift_id,
			    const char *message, int64_t now, int64_t *id)
{
	return create(c, opportunity_id, user_id, shift_id, "applied", 0, message, now, id, NULL);
}

int store_application_invite(db_conn *c, int64_t opportunity_id, int64_t by, int64_t specialist_id,
			     int64_t shift_id, const char *message, int64_t now, int64_t *id)
{
	int64_t n = 0;
	int st = db_query_int(c, "SELECT count(*) FROM users WHERE id = ? AND deleted_at IS NULL",
			      DB_PARAMS(DB_INT(specialist_id)), &n);
	if (st < 0)
		return st;
	if (n == 0)
		return BOOK_NO_PERSON;
	char *title = NULL;
	st = create(c, opportunity_id, specialist_id, shift_id, "invited", by, message, now, id, &title);
	if (st == DB_OK)
		notify(c, specialist_id, "application_invited", *id, opportunity_id, title, NULL, now);
	free(title);
	return st;
}

/* ---- reading ---- */

#define APPLICATION_COLUMNS                                                                            \
	"SELECT a.id, a.opportunity_id, COALESCE(a.shift_id, 0), a.user_id, o.org_id, a.status, a.message, " \
	"a.decline_reason, a.no_show_contest, u.name, o.title, COALESCE(s.starts_at, 0), "                 \
	"COALESCE(s.ends_at, 0), COALESCE(s.capacity, 0), COALESCE(s.taken, 0), a.created_at, "            \
	"a.updated_at, COALESCE(a.offered_at, 0), COALESCE(a.checked_in_at, 0), "                          \
	"COALESCE(a.offer_expires_at, 0) "
#define APPLICATION_FROM                                                                               \
	"FROM applications a JOIN opportunities o ON o.id = a.opportunity_id "                             \
	"JOIN users u ON u.id = a.user_id LEFT JOIN shifts s ON s.id = a.shift_id "
/* The lists add column 20: the viewer's unread messages in the application's
 * thread (two parameters, the viewer's id, before those of the WHERE). */
#define APPLICATION_LIST APPLICATION_COLUMNS ", " MESSAGES_UNREAD_SQL("'application'", "a.id") " " APPLICATION_FROM

static void application_read(db_rows *r, struct application *a)
{
	a->id = db_int(r, 0);
	a->opportunity_id = db_int(r, 1);
	a->shift_id = db_int(r, 2);
	a->user_id = db_int(r, 3);
	a->org_id = db_int(r, 4);
	copy_word(a->status, sizeof a->status, db_text(r, 5));
	a->message = xstrdup(db_text(r, 6));
	a->decline_reason = xstrdup(db_text(r, 7));
	a->no_show_contest = xstrdup(db_text(r, 8));
	a->user_name = xstrdup(db_text(r, 9));
	a->opportunity_title = xstrdup(db_text(r, 10));
	a->shift_starts_at = db_int(r, 11);
	a->shift_ends_at = db_int(r, 12);
	a->shift_capacity = db_int(r, 13);
	a->shift_taken = db_int(r, 14);
	a->created_at = db_int(r, 15);
	a->updated_at = db_int(r, 16);
	a->offered_at = db_int(r, 17);
	a->checked_in_at = db_int(r, 18);
	a->offer_expires_at = db_int(r, 19);
}

int store_application_get(db_conn *c, int64_t id, struct application *out)
{
	int st;
	memset(out, 0, sizeof *out);
	db_rows *r = db_query(c, APPLICATION_COLUMNS APPLICATION_FROM "WHERE a.id = ?", DB_PARAMS(DB_INT(id)), &st);
	if (!r)
		return st;
	st = STORE_NOT_FOUND;
	if (db_next(r)) {
		application_read(r, out);
		st = DB_OK;
	} else if (db_rows_status(r) != DB_OK) {
		st = db_rows_status(r);
	}
	db_rows_free(r);
	return st;
}

/* read_list: up to `limit` rows into a new array; *more when one more came. */
static int read_list(db_rows *r, int limit, struct application **out, int *count, bool *more)
{
	int cap = 0;
	*out = NULL;
	*count = 0;
	*more = false;
	while (db_next(r)) {
		if (*count == limit) {
			*more = true;
			break;
		}
		if (*count == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, (size_t)cap * sizeof **out);
		}
		application_read(r, &(*out)[*count]);
		(*out)[(*count)++].messages_unread = db_int(r, 20);
	}
	int st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK) {
		applications_free(*out, *count);
		*out = NULL;
		*count = 0;
	}
	return st;
}

int store_applications_of_opportunity(db_conn *c, int64_t viewer, int64_t opportunity_id, int64_t after, int limit,
				      struct application **out, int *count, bool *more)
{
	int st;
	db_rows *r = db_query(c, APPLICATION_LIST "WHERE a.opportunity_id = ? AND a.id > ? ORDER BY a.id LIMIT ?",
			      DB_PARAMS(DB_INT(viewer), DB_INT(viewer), DB_INT(opportunity_id), DB_INT(after),
					DB_INT(limit + 1)),
			      &st);
	if (!r)
		return st;
	return read_list(r, limit, out, count, more);
}

int store_applications_of_user(db_conn *c, int64_t user_id, int64_t after, int limit,
			       struct application **out, int *count, bool *more)
{
	int st;
	db_rows *r = db_query(c, APPLICATION_LIST "WHERE a.user_id = ? AND a.id > ? ORDER BY a.id LIMIT ?",
			      DB_PARAMS(DB_INT(user_id), DB_INT(user_id), DB_INT(user_id), DB_INT(after),
					DB_INT(limit + 1)),
			      &st);
	if (!r)
		return st;
	return read_list(r, limit, out, count, more);
}

/* ---- moving an application ---- */

/* What one transaction knows about the application it moves. */
struct move_ctx {
	int64_t id, user_id, shift_id, opportunity_id, org_id;
	char kind[16], domain[16];
	char *title;
	int64_t capacity, taken, starts_at, ends_at; /* the shift, locked */
	char contest[2];                             /* first byte of no_show_contest */
	enum app_status from, to;
	enum app_actor actor;
};

/* load_application: the application's fixed facts (who, which shift, which
 * organisation); these never change, so they are read before any lock. */
static int load_application(db_conn *c, struct move_ctx *m)
{
	int st;
	db_rows *r = db_query(c, "SELECT a.user_id, COALESCE(a.shift_id, 0), a.opportunity_id, o.org_id, o.kind, "
				 "o.domain, o.title FROM applications a JOIN opportunities o ON o.id = a.opportunity_id "
				 "WHERE a.id = ?",
			      DB_PARAMS(DB_INT(m->id)), &st);
	if (!r)
		return st;
	st = STORE_NOT_FOUND;
	if (db_next(r)) {
		m->user_id = db_int(r, 0);
		m->shift_id = db_int(r, 1);
		m->opportunity_id = db_int(r, 2);
		m->org_id = db_int(r, 3);
		copy_word(m->kind, sizeof m->kind, db_text(r, 4));
		copy_word(m->domain, sizeof m->domain, db_text(r, 5));
		m->title = xstrdup(db_text(r, 6));
		st = DB_OK;
	} else if (db_rows_status(r) != DB_OK) {
		st = db_rows_status(r);
	}
	db_rows_free(r);
	return st;
}

/* lock_shift: lock the shift row and read its capacity and times. */
static int lock_shift(db_conn *c, struct move_ctx *m)
{
	int st;
	db_rows *r = db_query(c, "SELECT capacity, taken, starts_at, ends_at FROM shifts WHERE id = ? FOR UPDATE",
			      DB_PARAMS(DB_INT(m->shift_id)), &st);
	if (!r)
		return st;
	st = STORE_NOT_FOUND;
	if (db_next(r)) {
		m->capacity = db_int(r, 0);
		m->taken = db_int(r, 1);
		m->starts_at = db_int(r, 2);
		m->ends_at = db_int(r, 3);
		st = DB_OK;
	} else if (db_rows_status(r) != DB_OK) {
		st = db_rows_status(r);
	}
	db_rows_free(r);
	return st;
}

/* lock_status: lock the application row and read its current status. */
static int lock_status(db_conn *c, struct move_ctx *m)
{
	int st;
	db_rows *r = db_query(c, "SELECT status, no_show_contest FROM applications WHERE id = ? FOR UPDATE",
			      DB_PARAMS(DB_INT(m->id)), &st);
	if (!r)
		return st;
	st = STORE_NOT_FOUND;
	if (db_next(r)) {
		st = booking_status_parse(db_text(r, 0), &m->from) ? DB_OK : DB_ERROR;
		copy_word(m->contest, sizeof m->contest, db_text(r, 1));
	} else if (db_rows_status(r) != DB_OK) {
		st = db_rows_status(r);
	}
	db_rows_free(r);
	return st;
}

/* choose_actor: the capacity in which the caller may make this move. */
static int choose_actor(struct move_ctx *m, bool is_applicant, bool is_member, enum app_action action)
{
	if (is_applicant && booking_transition(m->from, ACTOR_SPECIALIST, action, &m->to)) {
		m->actor = ACTOR_SPECIALIST;
		return DB_OK;
	}
	if (is_member && booking_transition(m->from, ACTOR_ORG, action, &m->to)) {
		m->actor = ACTOR_ORG;
		return DB_OK;
	}
	if ((is_applicant && booking_actor_may(ACTOR_SPECIALIST, action)) ||
	    (is_member && booking_actor_may(ACTOR_ORG, action)))
		return BOOK_WRONG_STATE;
	return BOOK_FORBIDDEN;
}

/* check_person: no overlap with the person's other accepted shifts, and the
 * month's booked minutes (accepted and completed) within their cap. */
static int check_person(db_conn *c, const struct move_ctx *m)
{
	int st;
	db_rows *r = db_query(c, "SELECT a.status, s.starts_at, s.ends_at FROM applications a "
				 "JOIN shifts s ON s.id = a.shift_id WHERE a.user_id = ? AND a.id <> ? "
				 "AND a.status IN ('accepted', 'completed')",
			      DB_PARAMS(DB_INT(m->user_id), DB_INT(m->id)), &st);
	if (!r)
		return st;
	struct booking_span *spans = NULL;
	int n = 0, cap = 0;
	bool overlap = false;
	while (db_next(r)) {
		struct booking_span span = { db_int(r, 1), db_int(r, 2) };
		if (strcmp(db_text(r, 0), "accepted") == 0 &&
		    booking_overlaps(span.starts_at, span.ends_at, m->starts_at, m->ends_at))
			overlap = true;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			spans = xrealloc(spans, (size_t)cap * sizeof *spans);
		}
		spans[n++] = span;
	}
	st = db_rows_status(r);
	db_rows_free(r);
	int64_t booked = booking_month_minutes(spans, n, booking_month_of(m->starts_at));
	free(spans);
	if (st != DB_OK)
		return st;
	if (overlap)
		return BOOK_OVERLAP;
	int64_t max_hours = BOOKING_DEFAULT_MAX_HOURS;
	st = db_query_int(c, "SELECT max_hours_month FROM specialist_profiles WHERE user_id = ?",
			  DB_PARAMS(DB_INT(m->user_id)), &max_hours);
	if (st < 0)
		return st;
	if (!booking_within_cap(booked, (m->ends_at - m->starts_at) / 60, (int)max_hours))
		return BOOK_HOUR_CAP;
	return DB_OK;
}

/* check_licence: consultations in health and law need an approved licence. */
static int check_licence(db_conn *c, const struct move_ctx *m)
{
	if (strcmp(m->kind, "consultation") != 0 || (strcmp(m->domain, "health") != 0 && strcmp(m->domain, "law") != 0))
		return DB_OK;
	int64_t n = 0;
	int st = db_query_int(c, "SELECT count(*) FROM credentials WHERE user_id = ? AND kind = 'licence' "
				 "AND status = 'approved'",
			      DB_PARAMS(DB_INT(m->user_id)), &n);
	if (st < 0)
		return st;
	return n > 0 ? DB_OK : BOOK_LICENCE;
}

/* take_place: every check of becoming accepted, then taken + 1 (guarded
 * again in SQL) unless the application already holds its place (a
 * confirmed offer: `new_place` false). */
static int take_place(db_conn *c, const struct move_ctx *m, bool new_place)
{
	if (!m->shift_id)
		return check_licence(c, m);
	if (new_place && m->taken >= m->capacity)
		return BOOK_FULL;
	int st = check_person(c, m);
	if (st == DB_OK)
		st = check_licence(c, m);
	if (st != DB_OK || !new_place)
		return st;
	int64_t changes = 0;
	st = db_exec(c, "UPDATE shifts SET taken = taken + 1 WHERE id = ? AND taken < capacity",
		     DB_PARAMS(DB_INT(m->shift_id)), &changes);
	if (st == DB_OK && changes != 1)
		st = BOOK_FULL;
	return st;
}

/* notify_until: tell the applicant about their offer (kind
 * application_offered or application_offer_expired), with the date and time
 * (Riyadh) until which the place is, or was, held. */
static int notify_until(db_conn *c, const struct move_ctx *m, int64_t application_id, int64_t user_id,
			const char *kind, int64_t until, int64_t now)
{
	char date[16], clock[8];
	time_riyadh_date_clock(until, date, clock);
	json_t *params = json_pack("{s:I, s:I, s:s, s:s, s:s}", "application_id", (json_int_t)application_id,
				   "opportunity_id", (json_int_t)m->opportunity_id, "title", m->title ? m->title : "",
				   "date", date, "time", clock);
	int st = tell(c, user_id, kind, params, "/me/applications", now);
	json_decref(params);
	return st;
}

/* offer_place: application `next` (waitlisted, locked) is offered the place
 * its caller has just taken for it; its expiry is queued as a durable job. */
static int offer_place(db_conn *c, const struct move_ctx *m, int64_t next, int64_t now)
{
	int64_t until = now + BOOKING_OFFER_HOLD_SECONDS, who = 0;
	int st = db_exec(c, "UPDATE applications SET status = 'offered', offered_at = ?, offer_expires_at = ?, "
			    "updated_at = ? WHERE id = ?",
			 DB_PARAMS(DB_INT(now), DB_INT(until), DB_INT(now), DB_INT(next)), NULL);
	if (st == DB_OK)
		st = db_query_int(c, "SELECT user_id FROM applications WHERE id = ?", DB_PARAMS(DB_INT(next)), &who);
	if (st == DB_OK) {
		char key[80], payload[80];
		snprintf(key, sizeof key, "offer_expiry:app:%lld:%lld", (long long)next, (long long)now);
		snprintf(payload, sizeof payload, "{\"application_id\":%lld}", (long long)next);
		st = store_job_enqueue(c, "offer_expiry", payload, until, 0, key, now, NULL);
	}
	if (st == DB_OK)
		st = notify_until(c, m, next, who, "application_offered", until, now);
	return st < 0 ? st : (st == DB_OK ? DB_OK : DB_ERROR);
}

/* offer_free_places: while the shift (locked by the caller) has a free
 * place, it goes to the first on its waiting list as an offer that holds it
 * (taken + 1, guarded in SQL). */
static int offer_free_places(db_conn *c, const struct move_ctx *m, int64_t now)
{
	if (!m->shift_id)
		return DB_OK;
	for (;;) {
		int64_t next = 0, changes = 0;
		int st = db_query_int(c, "SELECT id FROM applications WHERE shift_id = ? AND status = 'waitlisted' "
					 "ORDER BY waitlisted_at, id LIMIT 1 FOR UPDATE",
				      DB_PARAMS(DB_INT(m->shift_id)), &next);
		if (st != DB_OK)
			return st < 0 ? st : DB_OK; /* nobody waiting */
		st = db_exec(c, "UPDATE shifts SET taken = taken + 1 WHERE id = ? AND taken < capacity",
			     DB_PARAMS(DB_INT(m->shift_id)), &changes);
		if (st != DB_OK || changes != 1)
			return st; /* no free place */
		if ((st = offer_place(c, m, next, now)) != DB_OK)
			return st;
	}
}

/* write_move: the application's new row, per action. */
static int write_move(db_conn *c, const struct move_ctx *m, enum app_action action, int64_t by, const char *text,
		      int64_t now)
{
	const char *to = booking_status_name(m->to);
	int64_t decider = m->actor == ACTOR_ORG ? by : 0;
	db_value who = decider ? DB_INT(decider) : DB_NULL;
	switch (action) {
	case ACT_DECLINE:
		return db_exec(c, "UPDATE applications SET status = ?, decline_reason = ?, decided_by = COALESCE(?, decided_by), "
				  "updated_at = ? WHERE id = ?",
			       DB_PARAMS(DB_TEXT(to), DB_TEXT(text ? text : ""), who, DB_INT(now), DB_INT(m->id)), NULL);
	case ACT_WAITLIST:
		return db_exec(c, "UPDATE applications SET status = ?, waitlisted_at = ?, decided_by = ?, updated_at = ? "
				  "WHERE id = ?",
			       DB_PARAMS(DB_TEXT(to), DB_INT(now), who, DB_INT(now), DB_INT(m->id)), NULL);
	case ACT_CONTEST:
		return db_exec(c, "UPDATE applications SET no_show_contest = ?, updated_at = ? WHERE id = ?",
			       DB_PARAMS(DB_TEXT(text ? text : ""), DB_INT(now), DB_INT(m->id)), NULL);
	case ACT_CHECKIN:
		return db_exec(c, "UPDATE applications SET checked_in_at = COALESCE(checked_in_at, ?), "
				  "checked_in_by = COALESCE(checked_in_by, ?), updated_at = ? WHERE id = ?",
			       DB_PARAMS(DB_INT(now), who, DB_INT(now), DB_INT(m->id)), NULL);
	default:
		return db_exec(c, "UPDATE applications SET status = ?, decided_by = COALESCE(?, decided_by), updated_at = ? "
				  "WHERE id = ?",
			       DB_PARAMS(DB_TEXT(to), who, DB_INT(now), DB_INT(m->id)), NULL);
	}
}

/* notify_org: tell the organisation's owners and coordinators that the
 * specialist withdrew or contested a no-show (`text`: the contest). */
static int notify_org(db_conn *c, const struct move_ctx *m, const char *kind, const char *text, int64_t now)
{
	int st;
	db_rows *r = db_query(c, "SELECT m.user_id, u.name FROM org_members m JOIN users u ON u.id = ? "
				 "WHERE m.org_id = ? AND m.role IN ('owner', 'coordinator') ORDER BY m.user_id",
			      DB_PARAMS(DB_INT(m->user_id), DB_INT(m->org_id)), &st);
	if (!r)
		return st;
	int64_t *members = NULL;
	int n = 0;
	char *name = NULL;
	while (db_next(r)) {
		members = xreallocarray(members, (size_t)n + 1, sizeof *members);
		members[n++] = db_int(r, 0);
		if (!name)
			name = xstrdup(db_text(r, 1));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	char link[64];
	snprintf(link, sizeof link, "/opportunities/%lld/applicants", (long long)m->opportunity_id);
	json_t *params = json_pack("{s:I, s:I, s:s, s:s}", "application_id", (json_int_t)m->id, "opportunity_id",
				   (json_int_t)m->opportunity_id, "title", m->title ? m->title : "", "name",
				   name ? name : "");
	if (text)
		json_object_set_new(params, "reason", json_string(text));
	for (int i = 0; st == DB_OK && i < n; i++)
		st = tell(c, members[i], kind, params, link, now);
	json_decref(params);
	free(name);
	free(members);
	return st;
}

/* free_place: taken - 1 on the application's shift (locked by the caller). */
static int free_place(db_conn *c, const struct move_ctx *m)
{
	if (!m->shift_id)
		return DB_OK;
	return db_exec(c, "UPDATE shifts SET taken = taken - 1 WHERE id = ? AND taken > 0",
		       DB_PARAMS(DB_INT(m->shift_id)), NULL);
}

/* move_in_tx: the whole move inside an open write transaction. */
static int move_in_tx(db_conn *c, struct move_ctx *m, int64_t by, enum app_action action, const char *text,
		      int64_t now)
{
	int st = load_application(c, m);
	if (st != DB_OK)
		return st;
	bool is_applicant = m->user_id == by;
	bool is_member = store_is_org_member(c, m->org_id, by);
	if (!is_applicant && !is_member)
		return STORE_NOT_FOUND;
	/* Lock order: the person, the shift, the application. */
	if (action == ACT_ACCEPT && db_conn_kind(c) == DB_POSTGRES) {
		int64_t ignored;
		st = db_query_int(c, "SELECT id FROM users WHERE id = ? FOR UPDATE", DB_PARAMS(DB_INT(m->user_id)), &ignored);
		if (st < 0)
			return st;
	}
	if (m->shift_id && (st = lock_shift(c, m)) != DB_OK)
		return st;
	if ((st = lock_status(c, m)) != DB_OK)
		return st;
	if ((st = choose_actor(m, is_applicant, is_member, action)) != DB_OK)
		return st;
	if (action == ACT_CONTEST && m->contest[0])
		return BOOK_WRONG_STATE; /* contested once already */
	int delta = booking_place_delta(m->from, m->to);
	if (booking_takes_place(m->from, m->to) && (st = take_place(c, m, delta > 0)) != DB_OK)
		return st;
	if (delta < 0 && (st = free_place(c, m)) != DB_OK)
		return st;
	if ((st = write_move(c, m, action, by, text, now)) != DB_OK)
		return st;
	if (delta < 0 && (st = offer_free_places(c, m, now)) != DB_OK)
		return st;
	if (m->actor == ACTOR_SPECIALIST && action == ACT_WITHDRAW)
		return notify_org(c, m, "application_withdrawn", NULL, now);
	if (m->actor == ACTOR_SPECIALIST && action == ACT_CONTEST)
		return notify_org(c, m, "no_show_contested", text ? text : "", now);
	if (m->actor != ACTOR_ORG)
		return DB_OK;
	if (action == ACT_ACCEPT)
		return notify(c, m->user_id, "application_accepted", m->id, m->opportunity_id, m->title, NULL, now);
	if (action == ACT_DECLINE)
		return notify(c, m->user_id, "application_declined", m->id, m->opportunity_id, m->title,
			      text ? text : "", now);
	if (action == ACT_NO_SHOW)
		return notify(c, m->user_id, "application_no_show", m->id, m->opportunity_id, m->title, NULL, now);
	return DB_OK;
}

/* backoff: a short random pause before retrying a busy transaction. */
static void backoff(int attempt)
{
	struct timespec ts = { 0, (long)(1 + randombytes_uniform(5u << attempt)) * 1000000L };
	nanosleep(&ts, NULL);
}

int store_application_act(db_conn *c, int64_t id, int64_t user_id, enum app_action action, const char *text,
			  int64_t now)
{
	int st = DB_BUSY;
	for (int attempt = 0; attempt < ACT_ATTEMPTS && st == DB_BUSY; attempt++) {
		if (attempt)
			backoff(attempt);
		struct move_ctx m = { .id = id };
		st = db_begin(c, true);
		if (st != DB_OK) {
			continue;
		}
		st = move_in_tx(c, &m, user_id, action, text, now);
		free(m.title);
		if (st == DB_OK)
			st = db_commit(c);
		if (st != DB_OK)
			db_rollback(c);
	}
	return st;
}

int store_shift_offer_places_tx(db_conn *c, int64_t shift_id, int64_t now)
{
	struct move_ctx m = { .shift_id = shift_id };
	int st;
	db_rows *r = db_query(c, "SELECT o.id, o.title FROM shifts s JOIN opportunities o ON o.id = s.opportunity_id "
				 "WHERE s.id = ?",
			      DB_PARAMS(DB_INT(shift_id)), &st);
	if (!r)
		return st;
	st = STORE_NOT_FOUND;
	if (db_next(r)) {
		m.opportunity_id = db_int(r, 0);
		m.title = xstrdup(db_text(r, 1));
		st = DB_OK;
	} else if (db_rows_status(r) != DB_OK) {
		st = db_rows_status(r);
	}
	db_rows_free(r);
	if (st == DB_OK)
		st = lock_shift(c, &m);
	if (st == DB_OK)
		st = offer_free_places(c, &m, now);
	free(m.title);
	return st == STORE_NOT_FOUND ? DB_OK : st; /* gone: nobody to offer it to */
}

/* ---- offers that expire ---- */

/* expiry_reason: "The offer expired" in the person's language. */
static const char *expiry_reason(db_conn *c, int64_t user_id)
{
	enum lang l = LANG_DEFAULT;
	db_rows *r = db_query(c, "SELECT locale FROM users WHERE id = ?", DB_PARAMS(DB_INT(user_id)), NULL);
	if (r && db_next(r) && !i18n_parse(db_text(r, 0), &l))
		l = LANG_DEFAULT;
	db_rows_free(r);
	return i18n_gettext(l, N_("The offer expired"));
}

int store_application_expire_offer_tx(db_conn *c, int64_t id, int64_t now, bool *expired)
{
	struct move_ctx m = { .id = id };
	int64_t until = 0;
	enum app_status to;
	if (expired)
		*expired = false;
	int st = load_application(c, &m);
	if (st == DB_OK && m.shift_id)
		st = lock_shift(c, &m);
	if (st == DB_OK)
		st = lock_status(c, &m);
	if (st == DB_OK)
		st = db_query_int(c, "SELECT COALESCE(offer_expires_at, 0) FROM applications WHERE id = ?",
				  DB_PARAMS(DB_INT(id)), &until);
	if (st == DB_OK && (!booking_transition(m.from, ACTOR_SYSTEM, ACT_EXPIRE, &to) || until > now)) {
		free(m.title);
		return DB_OK; /* confirmed, declined or not yet due */
	}
	if (st == DB_OK)
		st = db_exec(c, "UPDATE applications SET status = ?, decline_reason = ?, updated_at = ? WHERE id = ?",
			     DB_PARAMS(DB_TEXT(booking_status_name(to)), DB_TEXT(expiry_reason(c, m.user_id)), DB_INT(now),
				       DB_INT(id)), NULL);
	if (st == DB_OK && booking_place_delta(m.from, to) < 0)
		st = free_place(c, &m);
	if (st == DB_OK)
		st = notify_until(c, &m, id, m.user_id, "application_offer_expired", until, now);
	if (st == DB_OK)
		st = offer_free_places(c, &m, now);
	if (st == DB_OK && expired)
		*expired = true;
	free(m.title);
	return st == STORE_NOT_FOUND ? DB_OK : st; /* gone: nothing to expire */
}

int store_application_expire_offer(db_conn *c, int64_t id, int64_t now, bool *expired)
{
	int st = DB_BUSY;
	for (int attempt = 0; attempt < ACT_ATTEMPTS && st == DB_BUSY; attempt++) {
		if (attempt)
			backoff(attempt);
		st = db_begin(c, true);
		if (st != DB_OK)
			continue;
		st = store_application_expire_offer_tx(c, id, now, expired);
		if (st == DB_OK)
			st = db_commit(c);
		if (st != DB_OK)
			db_rollback(c);
	}
	return st;
}
