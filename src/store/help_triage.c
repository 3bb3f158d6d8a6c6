/*
 * help_triage.c — the store side of triage and routing (help_triage.h):
 * locking a request, moving it between organisations and the moderators'
 * queue, and the two queues, sorted for the people who work them.
 */
#include "store/help_triage.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Urgent first, then normal, then low: a rank both databases sort by. */
#define URGENCY_RANK "CASE h.urgency WHEN 'urgent' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END"

bool help_triage_open(const char *status)
{
	return strcmp(status, "new") == 0 || strcmp(status, "triaged") == 0;
}

int store_help_lock(db_conn *c, int64_t id, int64_t actor_id, unsigned roles, struct help_lock *out)
{
	memset(out, 0, sizeof *out);
	int64_t found = 0;
	int st = db_query_int(c, "SELECT id FROM help_requests WHERE id = ? FOR UPDATE", DB_PARAMS(DB_INT(id)), &found);
	if (st != DB_OK)
		return st;
	st = store_help_circle(c, id, actor_id, roles, &out->circle);
	if (st != DB_OK)
		return st;
	if (!out->circle)
		return STORE_NOT_FOUND;
	db_rows *r = db_query(c, "SELECT COALESCE(requester_id, 0), COALESCE(org_id, 0), status FROM help_requests "
				 "WHERE id = ?", DB_PARAMS(DB_INT(id)), &st);
	if (!r)
		return st;
	if (db_next(r)) {
		out->requester_id = db_int(r, 0);
		out->org_id = db_int(r, 1);
		snprintf(out->status, sizeof out->status, "%s", db_text(r, 2));
	} else {
		st = db_rows_status(r) != DB_OK ? db_rows_status(r) : STORE_NOT_FOUND;
	}
	db_rows_free(r);
	return st;
}

int store_help_set_triaged(db_conn *c, int64_t id, const char *urgency, int64_t now)
{
	return db_exec(c, "UPDATE help_requests SET status = 'triaged', urgency = COALESCE(?, urgency), updated_at = ? "
			  "WHERE id = ?",
		       DB_PARAMS(urgency ? DB_TEXT(urgency) : DB_NULL, DB_INT(now), DB_INT(id)), NULL);
}

int store_help_set_org(db_conn *c, int64_t id, int64_t org_id, int64_t now)
{
	return db_exec(c, "UPDATE help_requests SET org_id = ?, status = 'new', updated_at = ? WHERE id = ?",
		       DB_PARAMS(org_id > 0 ? DB_INT(org_id) : DB_NULL, DB_INT(now), DB_INT(id)), NULL);
}

int store_help_verified_org_name(db_conn *c, int64_t org_id, char **name)
{
	int st;
	*name = NULL;
	db_rows *r = db_query(c, "SELECT name FROM orgs WHERE id = ? AND status = 'verified'",
			      DB_PARAMS(DB_INT(org_id)), &st);
	if (!r)
		return st;
	if (db_next(r))
		*name = xstrdup(db_text(r, 0));
	else
		st = db_rows_status(r) != DB_OK ? db_rows_status(r) : HELP_BAD_ORG;
	db_rows_free(r);
	return st;
}

int store_help_org_member_ids(db_conn *c, int64_t org_id, int64_t **ids, int *count)
{
	return db_query_ids(c, "SELECT user_id FROM org_members WHERE org_id = ? ORDER BY user_id",
			    DB_PARAMS(DB_INT(org_id)), ids, count);
}

/* list_brief: rows of (id, domain, city, urgency, status, created_at[, title])
 * into a new array; the strings the queues do not carry stay "". */
static int list_brief(db_rows *r, int st, bool with_title, struct help_request **out, int *count)
{
	int cap = 0;
	*out = NULL;
	*count = 0;
	if (!r)
		return st;
	while (db_next(r)) {
		if (*count == cap) {
			cap = cap ? cap * 2 : 8;
			*out = xreallocarray(*out, (size_t)cap, sizeof **out);
		}
		struct help_request *h = &(*out)[(*count)++];
		memset(h, 0, sizeof *h);
		h->id = db_int(r, 0);
		snprintf(h->domain, sizeof h->domain, "%s", db_text(r, 1));
		h->city = xstrdup(db_text(r, 2));
		snprintf(h->urgency, sizeof h->urgency, "%s", db_text(r, 3));
		snprintf(h->status, sizeof h->status, "%s", db_text(r, 4));
		h->created_at = db_int(r, 5);
		h->title = xstrdup(with_title ? db_text(r, 6) : "");
		h->org_name = xstrdup("");
		h->specialist_name = xstrdup("");
		h->rating_comment = xstrdup("");
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

int store_help_list_unrouted(db_conn *c, int offset, int limit, struct help_request **out, int *count)
{
	int st;
	db_rows *r = db_query(c, "SELECT h.id, h.domain, h.city, h.urgency, h.status, h.created_at FROM help_requests h "
				 "WHERE h.org_id IS NULL AND h.status IN ('new', 'triaged') "
				 "ORDER BY " URGENCY_RANK ", h.created_at, h.id LIMIT ? OFFSET ?",
			      DB_PARAMS(DB_INT(limit), DB_INT(offset > 0 ? offset : 0)), &st);
	return list_brief(r, st, false, out, count);
}

int store_help_queue_org(db_conn *c, int64_t org_id, int limit, struct help_request **out, int *count)
{
	int st;
	db_rows *r = db_query(c, "SELECT h.id, h.domain, h.city, h.urgency, h.status, h.created_at, h.title "
				 "FROM help_requests h WHERE h.org_id = ? "
				 "ORDER BY CASE WHEN h.status IN ('resolved', 'closed') THEN 1 ELSE 0 END, "
				 URGENCY_RANK ", h.created_at, h.id LIMIT ?",
			      DB_PARAMS(DB_INT(org_id), DB_INT(limit)), &st);
	return list_brief(r, st, true, out, count);
}
