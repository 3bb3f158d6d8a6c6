/*
 * help.c — help requests: sealed details, the circle rule, the access log,
 * and the handling actions (help.h).
 */
#include "store/help.h"
#include "auth/sealed.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const domains[] = { "health", "education", "law", "engineering", "technology", "arts_media" };
static const char *const urgencies[] = { "low", "normal", "urgent" };
static const char *const modes[] = { "video", "phone", "in_person" };

static bool one_of(const char *s, const char *const *names, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return true;
	return false;
}

bool help_domain_ok(const char *domain) { return one_of(domain, domains, 6); }
bool help_urgency_ok(const char *urgency) { return one_of(urgency, urgencies, 3); }
bool help_mode_ok(const char *mode) { return one_of(mode, modes, 3); }

void help_request_free(struct help_request *h)
{
	free(h->title);
	free(h->city);
	free(h->org_name);
	free(h->specialist_name);
	free(h->rating_comment);
	sealed_free(h->details);
	memset(h, 0, sizeof *h);
}

void help_requests_free(struct help_request *list, int count)
{
	for (int i = 0; i < count; i++)
		help_request_free(&list[i]);
	free(list);
}

/* ---- reading rows ---- */

#define HELP_COLUMNS "h.id, h.requester_id, h.org_id, h.assigned_specialist_id, h.domain, h.urgency, h.status, " \
	"h.title, h.city, COALESCE(o.name, ''), COALESCE(s.name, ''), h.session_starts_at, h.session_ends_at, " \
	"COALESCE(h.session_mode, ''), COALESCE(h.rating, 0), h.rating_comment, h.created_at, h.updated_at, " \
	"h.resolved_at"
#define HELP_FROM " FROM help_requests h LEFT JOIN orgs o ON o.id = h.org_id " \
	"LEFT JOIN users s ON s.id = h.assigned_specialist_id "

static void copy_text(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src);
}

/* fill_row: the HELP_COLUMNS of the current row into *h. */
static void fill_row(db_rows *r, struct help_request *h)
{
	memset(h, 0, sizeof *h);
	h->id = db_int(r, 0);
	h->requester_id = db_int(r, 1);
	h->org_id = db_int(r, 2);
	h->specialist_id = db_int(r, 3);
	copy_text(h->domain, sizeof h->domain, db_text(r, 4));
	copy_text(h->urgency, sizeof h->urgency, db_text(r, 5));
	copy_text(h->status, sizeof h->status, db_text(r, 6));
	h->title = xstrdup(db_text(r, 7));
	h->city = xstrdup(db_text(r, 8));
	h->org_name = xstrdup(db_text(r, 9));
	h->specialist_name = xstrdup(db_text(r, 10));
	h->session_starts_at = db_int(r, 11);
	h->session_ends_at = db_int(r, 12);
	copy_text(h->session_mode, sizeof h->session_mode, db_text(r, 13));
	h->rating = (int)db_int(r, 14);
	h->rating_comment = xstrdup(db_text(r, 15));
	h->created_at = db_int(r, 16);
	h->updated_at = db_int(r, 17);
	h->resolved_at = db_int(r, 18);
}

/* load_request: the request without its details; STORE_NOT_FOUND if none. */
static int load_request(db_conn *c, int64_t id, struct help_request *out)
{
	int st;
	memset(out, 0, sizeof *out);
	db_rows *r = db_query(c, "SELECT " HELP_COLUMNS HELP_FROM "WHERE h.id = ?", DB_PARAMS(DB_INT(id)), &st);
	if (!r)
		return st;
	if (db_next(r))
		fill_row(r, out);
	else
		st = db_rows_status(r) != DB_OK ? db_rows_status(r) : STORE_NOT_FOUND;
	db_rows_free(r);
	return st;
}

bool store_help_org_member(db_conn *c, int64_t org_id, int64_t user_id)
{
	int64_t n = 0;
	if (org_id <= 0 || user_id <= 0)
		return false;
	return db_query_int(c, "SELECT count(*) FROM org_members WHERE org_id = ? AND user_id = ?",
			    DB_PARAMS(DB_INT(org_id), DB_INT(user_id)), &n) == DB_OK && n > 0;
}

/* circle_of: who the reader is to a loaded request. */
static unsigned circle_of(db_conn *c, const struct help_request *h, int64_t reader_id, unsigned roles)
{
	unsigned circle = 0;
	if (reader_id <= 0)
		return 0;
	if (h->requester_id == reader_id)
		circle |= HELP_REQUESTER;
	if (h->specialist_id == reader_id)
		circle |= HELP_SPECIALIST;
	if (h->org_id && store_help_org_member(c, h->org_id, reader_id))
		circle |= HELP_ORG_MEMBER;
	if (roles & (ROLE_MODERATOR | ROLE_ADMIN))
		circle |= HELP_MODERATOR;
	return circle;
}

int store_help_circle(db_conn *c, int64_t id, int64_t reader_id, unsigned roles, unsigned *circle)
{
	struct help_request h;
	*circle = 0;
	int st = load_request(c, id, &h);
	if (st != DB_OK)
		return st;
	*circle = circle_of(c, &h, reader_id, roles);
	help_request_free(&h);
	return DB_OK;
}

int store_help_summary(db_conn *c, int64_t id, int64_t reader_id, unsigned roles, struct help_request *out)
{
	int st = load_request(c, id, out);
	if (st != DB_OK)
		return st;
	out->circle = circle_of(c, out, reader_id, roles);
	if (!out->circle) {
		help_request_free(out);
		return STORE_NOT_FOUND;
	}
	return DB_OK;
}

/* ---- create and read ---- */

int store_help_create(db_conn *c, int64_t requester_id, int64_t org_id, const char *domain, const char *title,
		      const char *details, const char *city, const char *urgency, int64_t now, int64_t *id)
{
	const unsigned char *key = sealed_key();
	if (!key)
		return HELP_NO_KEY;
	if (org_id > 0) {
		int64_t n = 0;
		int st = db_query_int(c, "SELECT count(*) FROM orgs WHERE id = ? AND status = 'verified'",
				      DB_PARAMS(DB_INT(org_id)), &n);
		if (st < 0)
			return st;
		if (n == 0)
			return HELP_BAD_ORG;
	}
	unsigned char *box = NULL;
	size_t boxlen = 0;
	if (!sealed_seal(key, details, strlen(details), &box, &boxlen))
		return DB_ERROR;
	int st = db_begin(c, true);
	int64_t new_id = 0;
	if (st == DB_OK)
		st = db_query_int(c, "INSERT INTO help_requests (requester_id, org_id, domain, title, details_box, city, "
				     "urgency, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'new', ?, ?) "
				     "RETURNING id",
				  DB_PARAMS(DB_INT(requester_id), org_id > 0 ? DB_INT(org_id) : DB_NULL, DB_TEXT(domain),
					    DB_TEXT(title), DB_BLOB(box, boxlen), DB_TEXT(city), DB_TEXT(urgency),
					    DB_INT(now), DB_INT(now)),
				  &new_id);
	free(box);
	if (st == DB_OK)
		st = store_user_add_role(c, requester_id, "beneficiary", now);
	if (st != DB_OK) {
		db_rollback(c);
		return st == STORE_NOT_FOUND ? DB_ERROR : st;
	}
	st = db_commit(c);
	if (st == DB_OK && id)
		*id = new_id;
	return st;
}

/* open_details: the request's details, opened with the loaded key. */
static int open_details(db_conn *c, int64_t id, char **details)
{
	int st;
	*details = NULL;
	db_rows *r = db_query(c, "SELECT details_box FROM help_requests WHERE id = ?", DB_PARAMS(DB_INT(id)), &st);
	if (!r)
		return st;
	if (db_next(r)) {
		size_t len = 0;
		const void *box = db_blob(r, 0, &len);
		*details = sealed_open(sealed_key(), box, len, NULL);
		if (!*details) {
			log_error("help", "cannot open the details of request %lld (key missing or changed)",
				  (long long)id);
			st = DB_ERROR;
		}
	} else {
		st = STORE_NOT_FOUND;
	}
	db_rows_free(r);
	return st;
}

int store_help_get(db_conn *c, int64_t id, int64_t reader_id, unsigned roles, const char *reason,
		   const char *address, int64_t now, struct help_request *out)
{
	int st = load_request(c, id, out);
	if (st != DB_OK)
		return st;
	out->circle = circle_of(c, out, reader_id, roles);
	if (!out->circle) {
		help_request_free(out);
		return STORE_NOT_FOUND;
	}
	if (!reason)
		reason = out->circle & HELP_REQUESTER ? "requester" : out->circle & HELP_SPECIALIST ? "specialist"
			 : out->circle & HELP_ORG_MEMBER ? "organisation" : "moderation";
	/* No read without its log line: write the log first. */
	st = db_exec(c, "INSERT INTO request_access_log (request_id, reader_id, reason, address, at) "
			"VALUES (?, ?, ?, ?, ?)",
		     DB_PARAMS(DB_INT(id), DB_INT(reader_id), DB_TEXT(reason),
			       DB_TEXT(address ? address : ""), DB_INT(now)),
		     NULL);
	if (st == DB_OK)
		st = open_details(c, id, &out->details);
	if (st != DB_OK) {
		help_request_free(out);
		return st == STORE_NOT_FOUND ? DB_ERROR : st;
	}
	return DB_OK;
}

/* list_rows: run a list query into a new array. */
static int list_rows(db_rows *r, int st, struct help_request **out, int *count)
{
	*out = NULL;
	*count = 0;
	if (!r)
		return st;
	int cap = 0;
	while (db_next(r)) {
		if (*count == cap) {
			cap = cap ? cap * 2 : 8;
			*out = xreallocarray(*out, (size_t)cap, sizeof **out);
		}
		fill_row(r, &(*out)[(*count)++]);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK) {
		help_requests_free(*out, *count);
		*out = NULL;
		*count = 0;
	}
	return st;
}

#define BEFORE(id) DB_INT((id) > 0 ? (id) : INT64_MAX)

int store_help_list_mine(db_conn *c, int64_t requester_id, int64_t before_id, int limit,
			 struct help_request **out, int *count)
{
	int st;
	db_rows *r = db_query(c, "SELECT " HELP_COLUMNS HELP_FROM "WHERE h.requester_id = ? AND h.id < ? "
				 "ORDER BY h.id DESC LIMIT ?",
			      DB_PARAMS(DB_INT(requester_id), BEFORE(before_id), DB_INT(limit)), &st);
	return list_rows(r, st, out, count);
}

int store_help_list_org(db_conn *c, int64_t org_id, int64_t before_id, int limit,
			struct help_request **out, int *count)
{
	int st;
	db_rows *r = db_query(c, "SELECT " HELP_COLUMNS HELP_FROM "WHERE h.org_id = ? AND h.id < ? "
				 "ORDER BY h.id DESC LIMIT ?",
			      DB_PARAMS(DB_INT(org_id), BEFORE(before_id), DB_INT(limit)), &st);
	return list_rows(r, st, out, count);
}

int store_help_list_assigned(db_conn *c, int64_t specialist_id, int64_t before_id, int limit,
			     struct help_request **out, int *count)
{
	int st;
	db_rows *r = db_query(c, "SELECT " HELP_COLUMNS HELP_FROM "WHERE h.assigned_specialist_id = ? AND h.id < ? "
				 "ORDER BY h.id DESC LIMIT ?",
			      DB_PARAMS(DB_INT(specialist_id), BEFORE(before_id), DB_INT(limit)), &st);
	return list_rows(r, st, out, count);
}
