/*
 * opportunities.c — opportunities, their skills and shifts (opportunities.h).
 *
 * The SQL is written once for SQLite and PostgreSQL.  Optional filters are
 * bound parameters guarded by flags ("CAST(? AS TEXT) IS NULL OR …"), so that
 * each query stays one literal.  Two filters run in C over the rows the SQL
 * lets through: the words of `q` (opportunity_text_matches, to be replaced by
 * the Arabic-aware search) and the exact distance of `near` (SQLite has no
 * trigonometry; SQL keeps only a bounding box).
 */
#include "store/opportunities.h"
#include "core/xalloc.h"
#include "store/jobs.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- writing ---- */

static int insert_skills(db_conn *c, int64_t id, const struct opportunity *o)
{
	for (int i = 0; i < o->nskills; i++) {
		int st = db_exec(c, "INSERT INTO opportunity_skills (opportunity_id, skill_slug) VALUES (?, ?) "
				    "ON CONFLICT (opportunity_id, skill_slug) DO NOTHING",
				 DB_PARAMS(DB_INT(id), DB_TEXT(o->skills[i])), NULL);
		if (st != DB_OK)
			return st;
	}
	return DB_OK;
}

static int insert_shift(db_conn *c, int64_t opportunity_id, const struct opp_shift *s, int position)
{
	return db_exec(c, "INSERT INTO shifts (opportunity_id, role, skill_slug, starts_at, ends_at, capacity, position) "
			  "VALUES (?, ?, ?, ?, ?, ?, ?)",
		       DB_PARAMS(DB_INT(opportunity_id), DB_TEXT(s->role), DB_TEXT(s->skill), DB_INT(s->starts_at),
				 DB_INT(s->ends_at), DB_INT(s->capacity), DB_INT(position)),
		       NULL);
}

/* finish: commit when st is DB_OK, otherwise roll back; returns the status. */
static int finish(db_conn *c, int st)
{
	if (st != DB_OK) {
		db_rollback(c);
		return st;
	}
	return db_commit(c);
}

int store_opportunity_create(db_conn *c, const struct opportunity *o, int64_t now, int64_t *id)
{
	int st = db_begin(c, true);
	if (st != DB_OK)
		return st;
	int64_t new_id = 0;
	st = db_query_int(c, "INSERT INTO opportunities (org_id, kind, domain, title, description, city, address, lat, lon, "
			     "remote, starts_at, ends_at, expected_beneficiaries, status, created_by, created_at, updated_at) "
			     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?) RETURNING id",
			  DB_PARAMS(DB_INT(o->org_id), DB_TEXT(o->kind), DB_TEXT(o->domain), DB_TEXT(o->title),
				    DB_TEXT(o->description), DB_TEXT(o->city), DB_TEXT(o->address),
				    o->has_coords ? DB_DOUBLE(o->lat) : DB_NULL, o->has_coords ? DB_DOUBLE(o->lon) : DB_NULL,
				    DB_INT(o->remote ? 1 : 0), DB_INT(o->starts_at), DB_INT(o->ends_at),
				    DB_INT(o->expected_beneficiaries), o->created_by ? DB_INT(o->created_by) : DB_NULL,
				    DB_INT(now), DB_INT(now)),
			  &new_id);
	if (st == STORE_NOT_FOUND)
		st = DB_ERROR;
	if (st == DB_OK)
		st = insert_skills(c, new_id, o);
	for (int i = 0; st == DB_OK && i < o->nshifts; i++)
		st = insert_shift(c, new_id, &o->shifts[i], i);
	st = finish(c, st);
	if (st == DB_OK && id)
		*id = new_id;
	return st;
}

/* shift_changed: does `s` differ from the saved shift `id`?  Sets *taken to
 * the accepted people on it.  STORE_NOT_FOUND if it is not this opportunity's. */
static int shift_state(db_conn *c, int64_t opportunity_id, const struct opp_shift *s, bool *changed, int64_t *accepted)
{
	int st;
	db_rows *r = db_query(c, "SELECT role, COALESCE(skill_slug, ''), starts_at, ends_at, capacity, "
				 "(SELECT count(*) FROM applications a WHERE a.shift_id = shifts.id AND a.status = 'accepted') "
				 "FROM shifts WHERE id = ? AND opportunity_id = ? FOR UPDATE",
			      DB_PARAMS(DB_INT(s->id), DB_INT(opportunity_id)), &st);
	if (!r)
		return st;
	if (!db_next(r)) {
		st = db_rows_status(r);
		db_rows_free(r);
		return st != DB_OK ? st : STORE_NOT_FOUND;
	}
	*changed = strcmp(db_text(r, 0), s->role) != 0 || strcmp(db_text(r, 1), s->skill ? s->skill : "") != 0 ||
		   db_int(r, 2) != s->starts_at || db_int(r, 3) != s->ends_at || db_int(r, 4) != s->capacity;
	*accepted = db_int(r, 5);
	db_rows_free(r);
	return DB_OK;
}

static int update_shifts(db_conn *c, const struct opportunity *o)
{
	for (int i = 0; i < o->nshifts; i++) {
		const struct opp_shift *s = &o->shifts[i];
		if (s->id == 0) {
			int st = insert_shift(c, o->id, s, i);
			if (st != DB_OK)
				return st;
			continue;
		}
		bool changed = false;
		int64_t accepted = 0;
		int st = shift_state(c, o->id, s, &changed, &accepted);
		if (st != DB_OK)
			return st;
		if (!changed)
			continue;
		if (accepted > 0)
			return STORE_SHIFT_TAKEN;
		st = db_exec(c, "UPDATE shifts SET role = ?, skill_slug = ?, starts_at = ?, ends_at = ?, capacity = ? "
				"WHERE id = ? AND opportunity_id = ?",
			     DB_PARAMS(DB_TEXT(s->role), DB_TEXT(s->skill), DB_INT(s->starts_at), DB_INT(s->ends_at),
				       DB_INT(s->capacity), DB_INT(s->id), DB_INT(o->id)),
			     NULL);
		if (st != DB_OK)
			return st;
	}
	return DB_OK;
}

int store_opportunity_update(db_conn *c, const struct opportunity *o, int64_t now)
{
	int st = db_begin(c, true);
	if (st != DB_OK)
		return st;
	int64_t changes = 0;
	st = db_exec(c, "UPDATE opportunities SET kind = ?, domain = ?, title = ?, description = ?, city = ?, address = ?, "
			"lat = ?, lon = ?, remote = ?, starts_at = ?, ends_at = ?, expected_beneficiaries = ?, updated_at = ? "
			"WHERE id = ?",
		     DB_PARAMS(DB_TEXT(o->kind), DB_TEXT(o->domain), DB_TEXT(o->title), DB_TEXT(o->description),
			       DB_TEXT(o->city), DB_TEXT(o->address), o->has_coords ? DB_DOUBLE(o->lat) : DB_NULL,
			       o->has_coords ? DB_DOUBLE(o->lon) : DB_NULL, DB_INT(o->remote ? 1 : 0),
			       DB_INT(o->starts_at), DB_INT(o->ends_at), DB_INT(o->expected_beneficiaries), DB_INT(now),
			       DB_INT(o->id)),
		     &changes);
	if (st == DB_OK && changes == 0)
		st = STORE_NOT_FOUND;
	if (st == DB_OK)
		st = db_exec(c, "DELETE FROM opportunity_skills WHERE opportunity_id = ?", DB_PARAMS(DB_INT(o->id)), NULL);
	if (st == DB_OK)
		st = insert_skills(c, o->id, o);
	if (st == DB_OK)
		st = update_shifts(c, o);
	return finish(c, st);
}

/* cancel_applications: every open application (invited, applied,
 * waitlisted, offered, accepted) becomes "cancelled", and each person is
 * told, in the app and by e-mail.  Accepted places stay counted in
 * shifts.taken, as for completed ones: nobody can book a cancelled
 * opportunity, and taken <= capacity holds. */
static int cancel_applications(db_conn *c, int64_t id, int64_t now)
{
	int st;
	db_rows *r = db_query(c, "SELECT DISTINCT a.user_id, o.title FROM applications a JOIN opportunities o "
				 "ON o.id = a.opportunity_id WHERE a.opportunity_id = ? "
				 "AND a.status IN ('invited', 'applied', 'waitlisted', 'offered', 'accepted') ORDER BY a.user_id",
			      DB_PARAMS(DB_INT(id)), &st);
	if (!r)
		return st;
	int64_t *users = NULL;
	int n = 0;
	char *title = NULL;
	while (db_next(r)) {
		users = xreallocarray(users, (size_t)n + 1, sizeof *users);
		users[n++] = db_int(r, 0);
		if (!title)
			title = xstrdup(db_text(r, 1));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st == DB_OK)
		st = db_exec(c, "UPDATE applications SET status = 'cancelled', updated_at = ? WHERE opportunity_id = ? "
				"AND status IN ('invited', 'applied', 'waitlisted', 'offered', 'accepted')",
			     DB_PARAMS(DB_INT(now), DB_INT(id)), NULL);
	char link[48];
	snprintf(link, sizeof link, "/opportunities/%lld", (long long)id);
	json_t *params = json_pack("{s:s, s:I}", "title", title ? title : "", "opportunity_id", (json_int_t)id);
	char *text = json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS);
	for (int i = 0; st == DB_OK && i < n; i++) {
		st = db_exec(c, "INSERT INTO notifications (user_id, kind, params, link, created_at) "
				"VALUES (?, 'opportunity_cancelled', ?, ?, ?)",
			     DB_PARAMS(DB_INT(users[i]), DB_TEXT(text), DB_TEXT(link), DB_INT(now)), NULL);
		if (st == DB_OK)
			st = store_job_enqueue_mail(c, users[i], "opportunity_cancelled", text, link, now);
	}
	free(text);
	json_decref(params);
	free(title);
	free(users);
	return st;
}

int store_opportunity_set_status(db_conn *c, int64_t id, const char *from, const char *to, const char *reason,
				 int64_t now)
{
	int st = db_begin(c, true);
	if (st != DB_OK)
		return st;
	int64_t changes = 0;
	st = db_exec(c, "UPDATE opportunities SET status = ?, updated_at = ?, "
			"published_at = CASE WHEN CAST(? AS TEXT) = 'open' THEN COALESCE(published_at, ?) ELSE published_at END, "
			"cancel_reason = CASE WHEN CAST(? AS TEXT) = 'cancelled' THEN ? ELSE cancel_reason END "
			"WHERE id = ? AND status = ?",
		     DB_PARAMS(DB_TEXT(to), DB_INT(now), DB_TEXT(to), DB_INT(now), DB_TEXT(to),
			       DB_TEXT(reason ? reason : ""), DB_INT(id), DB_TEXT(from)),
		     &changes);
	if (st == DB_OK && changes == 0)
		st = STORE_WRONG_STATE;
	if (st == DB_OK && strcmp(to, "cancelled") == 0)
		st = cancel_applications(c, id, now);
	return finish(c, st);
}

int store_skills_unknown(db_conn *c, char *const *slugs, int n, const char **unknown)
{
	*unknown = NULL;
	for (int i = 0; i < n; i++) {
		int64_t one = 0;
		int st = db_query_int(c, "SELECT 1 FROM skills WHERE slug = ?", DB_PARAMS(DB_TEXT(slugs[i])), &one);
		if (st < 0)
			return st;
		if (st == STORE_NOT_FOUND) {
			*unknown = slugs[i];
			return DB_OK;
		}
	}
	return DB_OK;
}

int store_org_is_verified(db_conn *c, int64_t org_id, bool *verified)
{
	int64_t n = 0;
	int st = db_query_int(c, "SELECT count(*) FROM orgs WHERE id = ? AND status = 'verified' AND verified_at IS NOT NULL",
			      DB_PARAMS(DB_INT(org_id)), &n);
	*verified = st == DB_OK && n > 0;
	return st < 0 ? st : DB_OK;
}

/* ---- reading ---- */

#define OPP_COLUMNS                                                                                            \
	"o.id, o.org_id, g.name, g.name_en, o.kind, o.domain, o.title, o.description, o.city, o.address, o.lat, " \
	"o.lon, o.remote, o.starts_at, o.ends_at, o.expected_beneficiaries, o.status, o.cancel_reason, "       \
	"o.created_by, o.created_at, o.updated_at, o.published_at, "                                            \
	"(SELECT COALESCE(SUM(s.capacity - s.taken), 0) FROM shifts s WHERE s.opportunity_id = o.id), "          \
	"(SELECT COALESCE(SUM(s.capacity), 0) FROM shifts s WHERE s.opportunity_id = o.id), "                    \
	"COALESCE(o.lat, ci.lat), COALESCE(o.lon, ci.lon), ci.slug IS NOT NULL OR o.lat IS NOT NULL "
#define OPP_FROM " FROM opportunities o JOIN orgs g ON g.id = o.org_id LEFT JOIN cities ci ON ci.slug = o.city "

/* row_to: the opportunity of a row of OPP_COLUMNS (no skills, no shifts). */
static void row_to(db_rows *r, struct opportunity *o)
{
	memset(o, 0, sizeof *o);
	o->id = db_int(r, 0);
	o->org_id = db_int(r, 1);
	o->org_name = xstrdup(db_text(r, 2));
	o->org_name_en = xstrdup(db_text(r, 3));
	o->kind = xstrdup(db_text(r, 4));
	o->domain = xstrdup(db_text(r, 5));
	o->title = xstrdup(db_text(r, 6));
	o->description = xstrdup(db_text(r, 7));
	o->city = xstrdup(db_text(r, 8));
	o->address = xstrdup(db_text(r, 9));
	o->has_coords = !db_is_null(r, 10) && !db_is_null(r, 11);
	o->lat = db_double(r, 10);
	o->lon = db_double(r, 11);
	o->remote = db_int(r, 12) != 0;
	o->starts_at = db_int(r, 13);
	o->ends_at = db_int(r, 14);
	o->expected_beneficiaries = (int)db_int(r, 15);
	o->status = xstrdup(db_text(r, 16));
	o->cancel_reason = xstrdup(db_text(r, 17));
	o->created_by = db_int(r, 18);
	o->created_at = db_int(r, 19);
	o->updated_at = db_int(r, 20);
	o->published_at = db_int(r, 21);
	o->places_left = (int)db_int(r, 22);
	o->capacity_total = (int)db_int(r, 23);
}

static int load_skills(db_conn *c, struct opportunity *o)
{
	int st;
	db_rows *r = db_query(c, "SELECT k.skill_slug FROM opportunity_skills k JOIN skills s ON s.slug = k.skill_slug "
				 "WHERE k.opportunity_id = ? ORDER BY s.domain, s.position, s.slug",
			      DB_PARAMS(DB_INT(o->id)), &st);
	if (!r)
		return st;
	while (db_next(r))
		opportunity_add_skill(o, db_text(r, 0));
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

static int load_shifts(db_conn *c, struct opportunity *o)
{
	int st;
	db_rows *r = db_query(c, "SELECT id, starts_at, ends_at, capacity, taken, role, skill_slug FROM shifts "
				 "WHERE opportunity_id = ? ORDER BY position, starts_at, id",
			      DB_PARAMS(DB_INT(o->id)), &st);
	if (!r)
		return st;
	while (db_next(r)) {
		struct opp_shift *s = opportunity_add_shift(o, db_int(r, 0), db_int(r, 1), db_int(r, 2), (int)db_int(r, 3),
							    db_text(r, 5), db_is_null(r, 6) ? NULL : db_text(r, 6));
		s->taken = (int)db_int(r, 4);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

int store_opportunity_get(db_conn *c, int64_t id, struct opportunity *out)
{
	int st;
	memset(out, 0, sizeof *out);
	db_rows *r = db_query(c, "SELECT " OPP_COLUMNS OPP_FROM "WHERE o.id = ?", DB_PARAMS(DB_INT(id)), &st);
	if (!r)
		return st;
	if (!db_next(r)) {
		st = db_rows_status(r);
		db_rows_free(r);
		return st != DB_OK ? st : STORE_NOT_FOUND;
	}
	row_to(r, out);
	db_rows_free(r);
	st = load_skills(c, out);
	if (st == DB_OK)
		st = load_shifts(c, out);
	if (st != DB_OK)
		opportunity_free(out);
	return st;
}

void opportunities_free(struct opportunity *list, int count)
{
	for (int i = 0; list && i < count; i++)
		opportunity_free(&list[i]);
	free(list);
}

/* keep_row: the filters SQL cannot do (the words of q, the exact distance). */
static bool keep_row(const struct opp_filter *f, db_rows *r)
{
	if (f->q && *f->q && !opportunity_text_matches(f->q, db_text(r, 6), db_text(r, 7)))
		return false;
	if (f->near && db_int(r, 12) == 0) {
		if (!db_bool(r, 26))
			return false;
		if (opportunity_distance_km(f->lat, f->lon, db_double(r, 24), db_double(r, 25)) > f->radius_km)
			return false;
	}
	return true;
}

int store_opportunities_list(db_conn *c, const struct opp_filter *f, struct opportunity **out, int *count,
			     char next[OPP_CURSOR_MAX])
{
	*out = NULL;
	*count = 0;
	next[0] = '\0';
	bool in_c = (f->q && *f->q) || f->near;
	/* Bounding box of the circle: a degree of latitude is ~111.32 km. */
	double dlat = f->radius_km / 111.32, coslat = cos(f->lat * M_PI / 180.0);
	double dlon = coslat > 0.01 ? f->radius_km / (111.32 * coslat) : 360.0;
	int sql_limit = in_c ? OPP_SCAN_MAX : f->limit + 1;
	int st;
	db_rows *r = db_query(
		c,
		"SELECT " OPP_COLUMNS OPP_FROM
		"WHERE (o.status = 'open' OR (CAST(? AS INTEGER) >= 1 AND o.status <> 'draft') OR CAST(? AS INTEGER) >= 2) "
		"AND (CAST(? AS BIGINT) = 0 OR o.org_id = ?) "
		"AND (CAST(? AS TEXT) IS NULL OR o.domain = ?) "
		"AND (CAST(? AS TEXT) IS NULL OR o.city = ?) "
		"AND (CAST(? AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM opportunity_skills k WHERE k.opportunity_id = o.id "
		"AND k.skill_slug = ?) OR EXISTS (SELECT 1 FROM shifts s2 WHERE s2.opportunity_id = o.id AND s2.skill_slug = ?)) "
		"AND ((CAST(? AS INTEGER) = 0 AND (CAST(? AS INTEGER) < 0 OR o.remote = ?)) "
		"OR (CAST(? AS INTEGER) = 1 AND ((o.remote = 0 AND COALESCE(o.lat, ci.lat) BETWEEN ? AND ? "
		"AND COALESCE(o.lon, ci.lon) BETWEEN ? AND ?) OR (CAST(? AS INTEGER) = 1 AND o.remote = 1)))) "
		"AND (CAST(? AS INTEGER) = 0 OR o.ends_at >= ?) "
		"AND (CAST(? AS INTEGER) = 0 OR o.starts_at <= ?) "
		"AND (CAST(? AS BIGINT) = 0 OR o.ends_at > ?) "
		"AND (CAST(? AS INTEGER) = 0 OR o.starts_at > ? OR (o.starts_at = ? AND o.id > ?)) "
		"ORDER BY o.starts_at, o.id LIMIT ?",
		DB_PARAMS(DB_INT(f->scope), DB_INT(f->scope), DB_INT(f->org_id), DB_INT(f->org_id),
			  DB_TEXT(f->domain), DB_TEXT(f->domain), DB_TEXT(f->city), DB_TEXT(f->city),
			  DB_TEXT(f->skill), DB_TEXT(f->skill), DB_TEXT(f->skill),
			  DB_INT(f->near ? 1 : 0), DB_INT(f->remote), DB_INT(f->remote),
			  DB_INT(f->near ? 1 : 0), DB_DOUBLE(f->lat - dlat), DB_DOUBLE(f->lat + dlat),
			  DB_DOUBLE(f->lon - dlon), DB_DOUBLE(f->lon + dlon), DB_INT(f->remote),
			  DB_INT(f->has_from ? 1 : 0), DB_INT(f->from), DB_INT(f->has_to ? 1 : 0), DB_INT(f->to),
			  DB_INT(f->not_before), DB_INT(f->not_before),
			  DB_INT(f->has_cursor ? 1 : 0), DB_INT(f->cursor_start), DB_INT(f->cursor_start),
			  DB_INT(f->cursor_id), DB_INT(sql_limit)),
		&st);
	if (!r)
		return st;
	struct opportunity *list = xcalloc((size_t)f->limit + 1, sizeof *list);
	int n = 0, scanned = 0;
	int64_t last_start = 0, last_id = 0;
	while (n <= f->limit && db_next(r)) {
		scanned++;
		last_start = db_int(r, 13);
		last_id = db_int(r, 0);
		if (keep_row(f, r))
			row_to(r, &list[n++]);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (n > f->limit) {
		/* One more than a page: the next page starts after the last shown. */
		opportunity_free(&list[--n]);
		opportunity_cursor_encode(list[n - 1].starts_at, list[n - 1].id, next);
	} else if (in_c && scanned >= sql_limit) {
		/* The scan stopped before the end: continue after the last row read. */
		opportunity_cursor_encode(last_start, last_id, next);
	}
	for (int i = 0; st == DB_OK && i < n; i++)
		st = load_skills(c, &list[i]);
	if (st != DB_OK) {
		opportunities_free(list, n);
		next[0] = '\0';
		return st;
	}
	*out = list;
	*count = n;
	return DB_OK;
}

int store_opportunities_featured(db_conn *c, int limit, int64_t now, struct opportunity **out, int *count)
{
	char next[OPP_CURSOR_MAX];
	struct opp_filter f = { .remote = -1, .scope = OPP_SCOPE_OPEN, .not_before = now,
				.limit = limit < 1 ? 1 : limit > PAGE_MAX_LIMIT ? PAGE_MAX_LIMIT : limit };
	return store_opportunities_list(c, &f, out, count, next);
}
