/*
 * moderation.c — organisations' verification and the audit log as
 * moderators read them (moderation.h).
 */
#include "store/moderation.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void org_review_free(struct org_review *o)
{
	free(o->name);
	free(o->name_en);
	free(o->kind);
	free(o->registration_no);
	free(o->city);
	free(o->description);
	free(o->website);
	free(o->city_ar);
	free(o->city_en);
	free(o->status);
	free(o->review_reason);
	free(o->owner_name);
	memset(o, 0, sizeof *o);
}

void org_reviews_free(struct org_review *list, int count)
{
	for (int i = 0; i < count; i++)
		org_review_free(&list[i]);
	free(list);
}

/* The first owner (by when they joined) stands for the organisation; the
 * city's names come from the cities table when `city` is one of its slugs. */
#define ORG_COLUMNS                                                                                   \
	"o.id, o.name, o.name_en, o.kind, o.registration_no, o.city, o.description, o.website, o.status, " \
	"o.review_reason, o.verified_at, o.created_at, u.id, u.name, COALESCE(ci.name_ar, ''), "          \
	"COALESCE(ci.name_en, '') FROM orgs o LEFT JOIN cities ci ON ci.slug = o.city LEFT JOIN users u ON " \
	"u.id = (SELECT m.user_id FROM org_members m WHERE m.org_id = o.id AND m.role = 'owner' "        \
	"ORDER BY m.created_at, m.user_id LIMIT 1) "

static void org_fill(db_rows *r, struct org_review *o)
{
	o->id = db_int(r, 0);
	o->name = xstrdup(db_text(r, 1));
	o->name_en = xstrdup(db_text(r, 2));
	o->kind = xstrdup(db_text(r, 3));
	o->registration_no = xstrdup(db_text(r, 4));
	o->city = xstrdup(db_text(r, 5));
	o->description = xstrdup(db_text(r, 6));
	o->website = xstrdup(db_text(r, 7));
	o->status = xstrdup(db_text(r, 8));
	o->review_reason = xstrdup(db_text(r, 9));
	o->verified_at = db_int(r, 10);
	o->created_at = db_int(r, 11);
	o->owner_id = db_int(r, 12);
	o->owner_name = xstrdup(db_text(r, 13));
	o->city_ar = xstrdup(db_text(r, 14));
	o->city_en = xstrdup(db_text(r, 15));
}

int store_org_review_by_id(db_conn *c, int64_t id, struct org_review *out)
{
	memset(out, 0, sizeof *out);
	int st;
	db_rows *r = db_query(c, "SELECT " ORG_COLUMNS "WHERE o.id = ?", DB_PARAMS(DB_INT(id)), &st);
	if (!r)
		return st;
	if (!db_next(r)) {
		st = db_rows_status(r);
		db_rows_free(r);
		return st != DB_OK ? st : STORE_NOT_FOUND;
	}
	org_fill(r, out);
	db_rows_free(r);
	return DB_OK;
}

int store_orgs_by_status(db_conn *c, const char *status, int64_t cursor, int limit, struct org_review **out,
			 int *count, bool *more)
{
	*out = NULL;
	*count = 0;
	*more = false;
	int st;
	db_rows *r = db_query(c, "SELECT " ORG_COLUMNS "WHERE o.status = ? AND o.id > ? ORDER BY o.id LIMIT ?",
			      DB_PARAMS(DB_TEXT(status), DB_INT(cursor), DB_INT(limit + 1)), &st);
	if (!r)
		return st;
	int n = 0;
	struct org_review *list = NULL;
	while (db_next(r)) {
		if (n == limit) {
			*more = true;
			break;
		}
		list = xreallocarray(list, (size_t)n + 1, sizeof *list);
		memset(&list[n], 0, sizeof list[n]);
		org_fill(r, &list[n++]);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK) {
		org_reviews_free(list, n);
		return st;
	}
	*out = list;
	*count = n;
	return DB_OK;
}

int store_org_decide(db_conn *c, int64_t id, bool approved, const char *reason, int64_t moderator_id, int64_t now)
{
	int64_t changes = 0;
	int st;
	if (approved)
		st = db_exec(c, "UPDATE orgs SET status = 'verified', verified_at = ?, review_reason = ?, "
				"reviewed_by = ? WHERE id = ?",
			     DB_PARAMS(DB_INT(now), DB_TEXT(reason ? reason : ""), DB_INT(moderator_id), DB_INT(id)),
			     &changes);
	else
		st = db_exec(c, "UPDATE orgs SET status = 'rejected', verified_at = NULL, review_reason = ?, "
				"reviewed_by = ? WHERE id = ?",
			     DB_PARAMS(DB_TEXT(reason ? reason : ""), DB_INT(moderator_id), DB_INT(id)), &changes);
	if (st != DB_OK)
		return st;
	return changes ? DB_OK : STORE_NOT_FOUND;
}

int store_org_owners(db_conn *c, int64_t org_id, int64_t **ids, int *count)
{
	*ids = NULL;
	*count = 0;
	int st;
	db_rows *r = db_query(c, "SELECT user_id FROM org_members WHERE org_id = ? AND role = 'owner' ORDER BY user_id",
			      DB_PARAMS(DB_INT(org_id)), &st);
	if (!r)
		return st;
	int n = 0;
	int64_t *list = NULL;
	while (db_next(r)) {
		list = xreallocarray(list, (size_t)n + 1, sizeof *list);
		list[n++] = db_int(r, 0);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK) {
		free(list);
		return st;
	}
	*ids = list;
	*count = n;
	return DB_OK;
}

int store_org_count(db_conn *c, const char *status, int64_t *count)
{
	int st = db_query_int(c, "SELECT count(*) FROM orgs WHERE status = ?", DB_PARAMS(DB_TEXT(status)), count);
	return st == STORE_NOT_FOUND ? DB_ERROR : st;
}

/* lock_status: the first row of a one-row "status …" query into status;
 * the second column, if asked, into *second.  Frees nothing: r is freed. */
static int lock_status(db_rows *r, char *status, size_t size, int64_t *second)
{
	if (!db_next(r)) {
		int st = db_rows_status(r);
		db_rows_free(r);
		return st != DB_OK ? st : STORE_NOT_FOUND;
	}
	snprintf(status, size, "%s", db_text(r, 0));
	if (second)
		*second = db_int(r, 1);
	db_rows_free(r);
	return DB_OK;
}

int store_credential_lock(db_conn *c, int64_t id, int64_t *owner_id, char *status, size_t size)
{
	int st;
	db_rows *r = db_query(c, "SELECT status, user_id FROM credentials WHERE id = ? FOR UPDATE",
			      DB_PARAMS(DB_INT(id)), &st);
	return r ? lock_status(r, status, size, owner_id) : st;
}

int store_org_lock(db_conn *c, int64_t id, char *status, size_t size)
{
	int st;
	db_rows *r = db_query(c, "SELECT status FROM orgs WHERE id = ? FOR UPDATE", DB_PARAMS(DB_INT(id)), &st);
	return r ? lock_status(r, status, size, NULL) : st;
}

void audit_entries_free(struct audit_entry *list, int count)
{
	for (int i = 0; i < count; i++) {
		free(list[i].actor_name);
		free(list[i].action);
		free(list[i].target);
		free(list[i].detail);
	}
	free(list);
}

/* audit_rows: the rows of an audit query into a new array; frees r. */
static int audit_rows(db_rows *r, int limit, struct audit_entry **out, int *count, bool *more)
{
	int n = 0;
	struct audit_entry *list = NULL;
	while (db_next(r)) {
		if (n == limit) {
			*more = true;
			break;
		}
		list = xreallocarray(list, (size_t)n + 1, sizeof *list);
		struct audit_entry *e = &list[n++];
		e->id = db_int(r, 0);
		e->actor_id = db_int(r, 1);
		e->actor_name = xstrdup(db_text(r, 2));
		e->action = xstrdup(db_text(r, 3));
		e->target = xstrdup(db_text(r, 4));
		e->detail = xstrdup(db_text(r, 5));
		e->at = db_int(r, 6);
		e->latest = db_int(r, 7) != 0;
	}
	int st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK) {
		audit_entries_free(list, n);
		return st;
	}
	*out = list;
	*count = n;
	return DB_OK;
}

/* An audit query: the columns audit_rows reads, then its own 8th column. */
#define AUDIT_COLUMNS "SELECT a.id, a.actor_id, u.name, a.action, a.target, a.detail, a.at, "
#define AUDIT_FROM " FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id "
/* The action filter of store_audit_list: every entry (""), a prefix, or one name. */
#define AUDIT_FILTER "(? = '' OR a.action = ? OR (? = 1 AND substr(a.action, 1, ?) = ?))"
#define DECISIONS "('credential.approve', 'credential.reject', 'org.approve', 'org.reject')"

/* audit_page: entries with ids below `edge` (newest first) or above it
 * (oldest first) that pass the action filter. */
static int audit_page(db_conn *c, const char *action, bool older, int64_t edge, int limit, struct audit_entry **out,
		      int *count, bool *more)
{
	*out = NULL;
	*count = 0;
	*more = false;
	const char *f = action ? action : "";
	size_t len = strlen(f);
	bool prefix = len > 0 && f[len - 1] == '.';
	int st;
	db_rows *r = db_query(c,
			      older ? AUDIT_COLUMNS "0" AUDIT_FROM "WHERE a.id < ? AND " AUDIT_FILTER " ORDER BY a.id DESC LIMIT ?"
				    : AUDIT_COLUMNS "0" AUDIT_FROM "WHERE a.id > ? AND " AUDIT_FILTER " ORDER BY a.id LIMIT ?",
			      DB_PARAMS(DB_INT(edge), DB_TEXT(f), DB_TEXT(f), DB_INT(prefix ? 1 : 0), DB_INT((int64_t)len),
					DB_TEXT(f), DB_INT(limit + 1)),
			      &st);
	return r ? audit_rows(r, limit, out, count, more) : st;
}

int store_audit_list(db_conn *c, const char *action, int64_t cursor, int limit, struct audit_entry **out,
		     int *count, bool *more)
{
	/* cursor 0 means "from the newest": any id is below the largest BIGINT. */
	return audit_page(c, action, true, cursor > 0 ? cursor : INT64_MAX, limit, out, count, more);
}

int store_audit_newer(db_conn *c, const char *action, int64_t after, int limit, struct audit_entry **out,
		      int *count, bool *more)
{
	int st = audit_page(c, action, false, after, limit, out, count, more);
	for (int i = 0, j = *count - 1; st == DB_OK && i < j; i++, j--) {
		struct audit_entry t = (*out)[i];
		(*out)[i] = (*out)[j];
		(*out)[j] = t;
	}
	return st;
}

int store_decisions_list(db_conn *c, int64_t cursor, int limit, struct audit_entry **out, int *count, bool *more)
{
	*out = NULL;
	*count = 0;
	*more = false;
	int st;
	/* Only newer rows are searched for a later decision: cheap for recent ones. */
	db_rows *r = db_query(c, AUDIT_COLUMNS "CASE WHEN EXISTS (SELECT 1 FROM audit_log b WHERE b.id > a.id AND b.target = a.target "
				 "AND b.action IN " DECISIONS ") THEN 0 ELSE 1 END" AUDIT_FROM "WHERE a.id < ? AND a.action IN " DECISIONS " ORDER BY a.id DESC LIMIT ?",
			      DB_PARAMS(DB_INT(cursor > 0 ? cursor : INT64_MAX), DB_INT(limit + 1)), &st);
	return r ? audit_rows(r, limit, out, count, more) : st;
}
