/*
 * orgs.c — organisations, their members and invitations (store.h, orgs.h).
 */
#include "store/orgs.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_org_create(db_conn *c, const char *name, const char *name_en, const char *kind,
		     const char *registration_no, const char *city, const char *description, int64_t now, int64_t *id)
{
	int st = db_query_int(c, "INSERT INTO orgs (name, name_en, kind, registration_no, city, description, created_at) "
				 "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
			      DB_PARAMS(DB_TEXT(name), DB_TEXT(name_en), DB_TEXT(kind), DB_TEXT(registration_no),
					DB_TEXT(city), DB_TEXT(description), DB_INT(now)),
			      id);
	return st == STORE_NOT_FOUND ? DB_ERROR : st;
}

int store_org_by_name(db_conn *c, const char *name, int64_t *id)
{
	return db_query_int(c, "SELECT id FROM orgs WHERE name = ? ORDER BY id LIMIT 1", DB_PARAMS(DB_TEXT(name)), id);
}

int store_org_add_member(db_conn *c, int64_t org_id, int64_t user_id, const char *role, int64_t now)
{
	return db_exec(c, "INSERT INTO org_members (org_id, user_id, role, created_at) VALUES (?, ?, ?, ?)",
		       DB_PARAMS(DB_INT(org_id), DB_INT(user_id), DB_TEXT(role), DB_INT(now)), NULL);
}

int store_org_set_verified(db_conn *c, int64_t org_id, int64_t now)
{
	return db_exec(c, "UPDATE orgs SET verified_at = ?, status = 'verified' WHERE id = ?",
		       DB_PARAMS(DB_INT(now), DB_INT(org_id)), NULL);
}

/* ================================================================
 * Everything below is declared in store/orgs.h.
 * ================================================================ */
void org_record_free(struct org_record *o)
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
	free(o->role);
	free(o->logo_hash);
	memset(o, 0, sizeof *o);
}

void org_records_free(struct org_record *o, int count)
{
	for (int i = 0; i < count; i++)
		org_record_free(&o[i]);
	free(o);
}

#define ORG_COLUMNS "o.id, o.name, o.name_en, o.kind, o.registration_no, o.city, o.description, o.website, " \
		    "COALESCE(ci.name_ar, ''), COALESCE(ci.name_en, ''), o.status, o.verified_at, o.created_at, " \
		    "o.created_by, COALESCE(o.logo_hash, ''), o.review_reason"
#define ORG_FROM " FROM orgs o LEFT JOIN cities ci ON ci.slug = o.city "

/* org_fill: one row of ORG_COLUMNS (then, at column 16, the role if any). */
static void org_fill(db_rows *r, struct org_record *o, bool with_role)
{
	o->id = db_int(r, 0);
	o->name = xstrdup(db_text(r, 1));
	o->name_en = xstrdup(db_text(r, 2));
	o->kind = xstrdup(db_text(r, 3));
	o->registration_no = xstrdup(db_text(r, 4));
	o->city = xstrdup(db_text(r, 5));
	o->description = xstrdup(db_text(r, 6));
	o->website = xstrdup(db_text(r, 7));
	o->city_ar = xstrdup(db_text(r, 8));
	o->city_en = xstrdup(db_text(r, 9));
	o->status = xstrdup(db_text(r, 10));
	o->verified_at = db_int(r, 11);
	o->created_at = db_int(r, 12);
	o->created_by = db_int(r, 13);
	o->logo_hash = xstrdup(db_text(r, 14));
	o->review_reason = xstrdup(db_text(r, 15));
	o->role = with_role ? xstrdup(db_text(r, 16)) : NULL;
}

int store_org_create_owned(db_conn *c, const struct org_fields *f, int64_t owner_id, int64_t now, int64_t *id)
{
	int st = db_begin(c, true);
	if (st != DB_OK)
		return st;
	int64_t new_id = 0;
	st = db_query_int(c, "INSERT INTO orgs (name, name_en, kind, registration_no, city, description, website, "
			     "status, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) RETURNING id",
			  DB_PARAMS(DB_TEXT(f->name), DB_TEXT(f->name_en ? f->name_en : ""), DB_TEXT(f->kind),
				    DB_TEXT(f->registration_no), DB_TEXT(f->city ? f->city : ""),
				    DB_TEXT(f->description ? f->description : ""), DB_TEXT(f->website ? f->website : ""),
				    DB_INT(owner_id), DB_INT(now)),
			  &new_id);
	if (st == DB_OK)
		st = store_org_add_member(c, new_id, owner_id, "owner", now);
	if (st != DB_OK) {
		db_rollback(c);
		return st == STORE_NOT_FOUND ? DB_ERROR : st;
	}
	st = db_commit(c);
	if (st == DB_OK && id)
		*id = new_id;
	return st;
}

int store_org_get(db_conn *c, int64_t id, struct org_record *out)
{
	int st;
	memset(out, 0, sizeof *out);
	db_rows *r = db_query(c, "SELECT " ORG_COLUMNS ORG_FROM "WHERE o.id = ?", DB_PARAMS(DB_INT(id)), &st);
	if (!r)
		return st;
	if (db_next(r)) {
		org_fill(r, out, false);
		st = DB_OK;
	} else {
		st = db_rows_status(r) != DB_OK ? db_rows_status(r) : STORE_NOT_FOUND;
	}
	db_rows_free(r);
	return st;
}

/* RESUBMIT: true when the edit (the ? are name, name_en, kind,
 * registration_no) sends the organisation back to the moderators.  Column
 * names in an UPDATE's SET read the row as it was, on both databases. */
#define RESUBMIT "(status = 'rejected' OR (status = 'verified' AND (name <> ? OR name_en <> ? OR kind <> ? " \
		 "OR registration_no <> ?)))"

int store_org_update(db_conn *c, int64_t id, const struct org_fields *f, bool *resubmitted)
{
	const char *name_en = f->name_en ? f->name_en : "";
	/* The flag for the caller's audit line; the UPDATE decides on its own,
	 * in one statement, so the status is right even under a concurrent
	 * verification.  No transaction here: callers may hold one. */
	int64_t back = 0;
	int st = db_query_int(c, "SELECT CASE WHEN " RESUBMIT " THEN 1 ELSE 0 END FROM orgs WHERE id = ?",
			      DB_PARAMS(DB_TEXT(f->name), DB_TEXT(name_en), DB_TEXT(f->kind),
					DB_TEXT(f->registration_no), DB_INT(id)),
			      &back);
	if (st != DB_OK)
		return st;
	st = db_exec(c, "UPDATE orgs SET status = CASE WHEN " RESUBMIT " THEN 'pending' ELSE status END, "
			"verified_at = CASE WHEN " RESUBMIT " THEN NULL ELSE verified_at END, "
			"name = ?, name_en = ?, kind = ?, registration_no = ?, city = ?, description = ?, website = ? "
			"WHERE id = ?",
		     DB_PARAMS(DB_TEXT(f->name), DB_TEXT(name_en), DB_TEXT(f->kind), DB_TEXT(f->registration_no),
			       DB_TEXT(f->name), DB_TEXT(name_en), DB_TEXT(f->kind), DB_TEXT(f->registration_no),
			       DB_TEXT(f->name), DB_TEXT(name_en), DB_TEXT(f->kind), DB_TEXT(f->registration_no),
			       DB_TEXT(f->city ? f->city : ""), DB_TEXT(f->description ? f->description : ""),
			       DB_TEXT(f->website ? f->website : ""), DB_INT(id)),
		     NULL);
	if (st == DB_OK && resubmitted)
		*resubmitted = back == 1;
	return st;
}

int store_org_set_logo(db_conn *c, int64_t id, const char *logo_hash)
{
	int64_t changes = 0;
	int st = db_exec(c, "UPDATE orgs SET logo_hash = ? WHERE id = ?", DB_PARAMS(DB_TEXT(logo_hash), DB_INT(id)),
			 &changes);
	if (st == DB_OK && changes == 0)
		return STORE_NOT_FOUND;
	return st;
}

int store_org_city_slug(db_conn *c, const char *text, char *out, size_t outlen)
{
	int st;
	db_rows *r = db_query(c, "SELECT slug FROM cities WHERE lower(slug) = lower(?) OR lower(name_en) = lower(?) "
				 "OR name_ar = ? ORDER BY position, slug LIMIT 1",
			      DB_PARAMS(DB_TEXT(text), DB_TEXT(text), DB_TEXT(text)), &st);
	if (!r)
		return st;
	st = STORE_NOT_FOUND;
	if (db_next(r)) {
		snprintf(out, outlen, "%s", db_text(r, 0));
		st = DB_OK;
	} else if (db_rows_status(r) != DB_OK) {
		st = db_rows_status(r);
	}
	db_rows_free(r);
	return st;
}

int store_orgs_of_user(db_conn *c, int64_t user_id, struct org_record **out, int *count)
{
	int st;
	*out = NULL;
	*count = 0;
	db_rows *r = db_query(c, "SELECT " ORG_COLUMNS ", m.role" ORG_FROM
				 "JOIN org_members m ON m.org_id = o.id WHERE m.user_id = ? ORDER BY o.name, o.id",
			      DB_PARAMS(DB_INT(user_id)), &st);
	if (!r)
		return st;
	int cap = 0;
	while (db_next(r)) {
		if (*count == cap) {
			cap = cap ? cap * 2 : 4;
			*out = xrealloc(*out, (size_t)cap * sizeof **out);
		}
		memset(&(*out)[*count], 0, sizeof **out);
		org_fill(r, &(*out)[(*count)++], true);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK) {
		org_records_free(*out, *count);
		*out = NULL;
		*count = 0;
	}
	return st;
}

/* ---- members ---- */

void org_members_free(struct org_member *m, int count)
{
	for (int i = 0; i < count; i++) {
		free(m[i].name);
		free(m[i].email);
		free(m[i].role);
	}
	free(m);
}

int store_org_members(db_conn *c, int64_t org_id, struct org_member **out, int *count)
{
	int st;
	*out = NULL;
	*count = 0;
	db_rows *r = db_query(c, "SELECT u.id, u.name, COALESCE(u.email, ''), m.role, m.created_at "
				 "FROM org_members m JOIN users u ON u.id = m.user_id "
				 "WHERE m.org_id = ? AND u.deleted_at IS NULL "
				 "ORDER BY CASE m.role WHEN 'owner' THEN 0 ELSE 1 END, u.name, u.id",
			      DB_PARAMS(DB_INT(org_id)), &st);
	if (!r)
		return st;
	int cap = 0;
	while (db_next(r)) {
		if (*count == cap) {
			cap = cap ? cap * 2 : 4;
			*out = xrealloc(*out, (size_t)cap * sizeof **out);
		}
		struct org_member *m = &(*out)[(*count)++];
		m->user_id = db_int(r, 0);
		m->name = xstrdup(db_text(r, 1));
		m->email = xstrdup(db_text(r, 2));
		m->role = xstrdup(db_text(r, 3));
		m->created_at = db_int(r, 4);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK) {
		org_members_free(*out, *count);
		*out = NULL;
		*count = 0;
	}
	return st;
}

int store_org_member_role(db_conn *c, int64_t org_id, int64_t user_id, char *role, size_t rolelen)
{
	int st;
	db_rows *r = db_query(c, "SELECT role FROM org_members WHERE org_id = ? AND user_id = ?",
			      DB_PARAMS(DB_INT(org_id), DB_INT(user_id)), &st);
	if (!r)
		return st;
	st = STORE_NOT_FOUND;
	if (db_next(r)) {
		snprintf(role, rolelen, "%s", db_text(r, 0));
		st = DB_OK;
	} else if (db_rows_status(r) != DB_OK) {
		st = db_rows_status(r);
	}
	db_rows_free(r);
	return st;
}

/* member_change: remove the member (new_role NULL) or give them new_role,
 * never leaving the organisation without an owner.  The organisation's row
 * is locked first so that two owners removing or demoting each other at the
 * same moment cannot both pass the last-owner check. */
static int member_change(db_conn *c, int64_t org_id, int64_t user_id, const char *new_role)
{
	int st = db_begin(c, true);
	if (st != DB_OK)
		return st;
	int64_t found = 0, owners = 0;
	char role[16] = "";
	st = db_query_int(c, "SELECT id FROM orgs WHERE id = ? FOR UPDATE", DB_PARAMS(DB_INT(org_id)), &found);
	if (st == DB_OK)
		st = store_org_member_role(c, org_id, user_id, role, sizeof role);
	if (st == DB_OK && strcmp(role, "owner") == 0 && (!new_role || strcmp(new_role, "owner") != 0)) {
		st = db_query_int(c, "SELECT count(*) FROM org_members WHERE org_id = ? AND role = 'owner'",
				  DB_PARAMS(DB_INT(org_id)), &owners);
		if (st == DB_OK && owners <= 1)
			st = STORE_LAST_OWNER;
	}
	if (st == DB_OK && new_role)
		st = db_exec(c, "UPDATE org_members SET role = ? WHERE org_id = ? AND user_id = ?",
			     DB_PARAMS(DB_TEXT(new_role), DB_INT(org_id), DB_INT(user_id)), NULL);
	else if (st == DB_OK)
		st = db_exec(c, "DELETE FROM org_members WHERE org_id = ? AND user_id = ?",
			     DB_PARAMS(DB_INT(org_id), DB_INT(user_id)), NULL);
	if (st != DB_OK) {
		db_rollback(c);
		return st;
	}
	return db_commit(c);
}

int store_org_remove_member(db_conn *c, int64_t org_id, int64_t user_id)
{
	return member_change(c, org_id, user_id, NULL);
}

int store_org_set_member_role(db_conn *c, int64_t org_id, int64_t user_id, const char *role)
{
	return member_change(c, org_id, user_id, role);
}

/* ---- invitations ---- */

void org_invitation_free(struct org_invitation *inv)
{
	free(inv->email);
	free(inv->role);
	free(inv->org_name);
	free(inv->org_name_en);
	memset(inv, 0, sizeof *inv);
}

void org_invitations_free(struct org_invitation *list, int count)
{
	for (int i = 0; i < count; i++)
		org_invitation_free(&list[i]);
	free(list);
}

#define INVITATION_COLUMNS "i.id, i.org_id, i.email, i.role, COALESCE(i.invited_by, 0), i.created_at, i.expires_at, " \
			   "o.name, o.name_en"
#define INVITATION_OPEN " FROM org_invitations i JOIN orgs o ON o.id = i.org_id " \
			"WHERE i.accepted_at IS NULL AND i.expires_at > ? "

/* invitation_fill: one row of INVITATION_COLUMNS. */
static void invitation_fill(db_rows *r, struct org_invitation *out)
{
	out->id = db_int(r, 0);
	out->org_id = db_int(r, 1);
	out->email = xstrdup(db_text(r, 2));
	out->role = xstrdup(db_text(r, 3));
	out->invited_by = db_int(r, 4);
	out->created_at = db_int(r, 5);
	out->expires_at = db_int(r, 6);
	out->org_name = xstrdup(db_text(r, 7));
	out->org_name_en = xstrdup(db_text(r, 8));
}

/* invitation_one: the single row of an INVITATION_COLUMNS query (`r`, or
 * its error `st` when NULL) into out; STORE_NOT_FOUND when there is none. */
static int invitation_one(db_rows *r, int st, struct org_invitation *out)
{
	if (!r)
		return st;
	st = STORE_NOT_FOUND;
	if (db_next(r)) {
		invitation_fill(r, out);
		st = DB_OK;
	} else if (db_rows_status(r) != DB_OK) {
		st = db_rows_status(r);
	}
	db_rows_free(r);
	return st;
}

int store_org_invitation_find(db_conn *c, const char *token_hash, int64_t now, struct org_invitation *out)
{
	int st;
	memset(out, 0, sizeof *out);
	db_rows *r = db_query(c, "SELECT " INVITATION_COLUMNS INVITATION_OPEN "AND i.token_hash = ?",
			      DB_PARAMS(DB_INT(now), DB_TEXT(token_hash)), &st);
	return invitation_one(r, st, out);
}

int store_org_invitation_get(db_conn *c, int64_t id, int64_t now, struct org_invitation *out)
{
	int st;
	memset(out, 0, sizeof *out);
	db_rows *r = db_query(c, "SELECT " INVITATION_COLUMNS INVITATION_OPEN "AND i.id = ?",
			      DB_PARAMS(DB_INT(now), DB_INT(id)), &st);
	return invitation_one(r, st, out);
}

int store_org_invitations_open(db_conn *c, int64_t org_id, const char *email, int64_t now,
			       struct org_invitation **out, int *count)
{
	int st;
	*out = NULL;
	*count = 0;
	db_rows *r = org_id > 0
		? db_query(c, "SELECT " INVITATION_COLUMNS INVITATION_OPEN "AND i.org_id = ? ORDER BY i.id DESC LIMIT 200",
			   DB_PARAMS(DB_INT(now), DB_INT(org_id)), &st)
		: db_query(c, "SELECT " INVITATION_COLUMNS INVITATION_OPEN "AND lower(i.email) = lower(?) "
			      "ORDER BY i.id DESC LIMIT 200",
			   DB_PARAMS(DB_INT(now), DB_TEXT(email ? email : "")), &st);
	if (!r)
		return st;
	int cap = 0;
	while (db_next(r)) {
		if (*count == cap) {
			cap = cap ? cap * 2 : 4;
			*out = xrealloc(*out, (size_t)cap * sizeof **out);
		}
		invitation_fill(r, &(*out)[(*count)++]);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK) {
		org_invitations_free(*out, *count);
		*out = NULL;
		*count = 0;
	}
	return st;
}

int store_org_invitation_delete(db_conn *c, int64_t org_id, int64_t id)
{
	int64_t changes = 0;
	int st = db_exec(c, "DELETE FROM org_invitations WHERE id = ? AND org_id = ? AND accepted_at IS NULL",
			 DB_PARAMS(DB_INT(id), DB_INT(org_id)), &changes);
	if (st == DB_OK && changes == 0)
		return STORE_NOT_FOUND;
	return st;
}

int store_org_invitation_create(db_conn *c, int64_t org_id, const char *email, const char *role,
				const char *token_hash, int64_t invited_by, int64_t now, int64_t expires_at,
				int64_t *id)
{
	int64_t new_id = 0;
	int st = db_query_int(c, "INSERT INTO org_invitations (org_id, email, role, token_hash, invited_by, created_at, "
				 "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
			      DB_PARAMS(DB_INT(org_id), DB_TEXT(email), DB_TEXT(role), DB_TEXT(token_hash),
					invited_by ? DB_INT(invited_by) : DB_NULL, DB_INT(now), DB_INT(expires_at)),
			      &new_id);
	if (st == DB_OK && id)
		*id = new_id;
	return st == STORE_NOT_FOUND ? DB_ERROR : st;
}

int store_org_invitation_accept(db_conn *c, int64_t invitation_id, int64_t user_id, int64_t now)
{
	int st = db_begin(c, true);
	if (st != DB_OK)
		return st;
	/* The UPDATE's WHERE is the single-use check: of two concurrent accepts
	 * only one changes the row (the other waits for the lock, then sees
	 * accepted_at set). */
	int64_t changes = 0;
	st = db_exec(c, "UPDATE org_invitations SET accepted_at = ?, accepted_by = ? "
			"WHERE id = ? AND accepted_at IS NULL AND expires_at > ?",
		     DB_PARAMS(DB_INT(now), DB_INT(user_id), DB_INT(invitation_id), DB_INT(now)), &changes);
	if (st == DB_OK && changes != 1)
		st = STORE_NOT_FOUND;
	if (st == DB_OK)
		st = db_exec(c, "INSERT INTO org_members (org_id, user_id, role, created_at) "
				"SELECT org_id, ?, role, ? FROM org_invitations WHERE id = ? "
				"ON CONFLICT (org_id, user_id) DO UPDATE SET role = CASE WHEN excluded.role = 'owner' "
				"THEN 'owner' ELSE org_members.role END",
			     DB_PARAMS(DB_INT(user_id), DB_INT(now), DB_INT(invitation_id)), NULL);
	if (st != DB_OK) {
		db_rollback(c);
		return st;
	}
	return db_commit(c);
}
