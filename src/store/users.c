/*
 * users.c — people, their roles and their organisations.
 */
#include "store/store.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const struct { unsigned bit; const char *name; } role_names[] = {
	{ ROLE_SPECIALIST, "specialist" },
	{ ROLE_BENEFICIARY, "beneficiary" },
	{ ROLE_ORGANISATION, "organisation" },
	{ ROLE_MODERATOR, "moderator" },
	{ ROLE_ADMIN, "admin" },
};

unsigned role_bit(const char *name)
{
	for (size_t i = 0; i < sizeof role_names / sizeof role_names[0]; i++)
		if (strcmp(role_names[i].name, name) == 0)
			return role_names[i].bit;
	return 0;
}

const char *role_name(unsigned bit)
{
	for (size_t i = 0; i < sizeof role_names / sizeof role_names[0]; i++)
		if (role_names[i].bit == bit)
			return role_names[i].name;
	return NULL;
}

void user_record_free(struct user_record *u)
{
	free(u->email);
	free(u->name);
	free(u->locale);
	free(u->password_hash);
	memset(u, 0, sizeof *u);
}

/* user_roles: OR together the person's granted roles and, if they belong to
 * any organisation, ROLE_ORGANISATION. */
static int user_roles(db_conn *c, int64_t user_id, unsigned *roles)
{
	int st;
	*roles = 0;
	db_rows *r = db_query(c, "SELECT role FROM user_roles WHERE user_id = ?",
			      DB_PARAMS(DB_INT(user_id)), &st);
	if (!r)
		return st;
	while (db_next(r))
		*roles |= role_bit(db_text(r, 0));
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK)
		return st;
	int64_t n = 0;
	st = db_query_int(c, "SELECT count(*) FROM org_members WHERE user_id = ?",
			  DB_PARAMS(DB_INT(user_id)), &n);
	if (st < 0)
		return st;
	if (n > 0)
		*roles |= ROLE_ORGANISATION;
	return DB_OK;
}

/* user_fetch: fill *out from the first row of a SELECT of the user columns. */
static int user_fetch(db_conn *c, db_rows *r, struct user_record *out)
{
	memset(out, 0, sizeof *out);
	if (!db_next(r)) {
		int st = db_rows_status(r);
		db_rows_free(r);
		return st != DB_OK ? st : STORE_NOT_FOUND;
	}
	out->id = db_int(r, 0);
	out->email = xstrdup(db_text(r, 1));
	out->name = xstrdup(db_text(r, 2));
	out->locale = xstrdup(db_text(r, 3));
	out->password_hash = xstrdup(db_text(r, 4));
	out->email_verified_at = db_int(r, 5);
	out->created_at = db_int(r, 6);
	db_rows_free(r);
	int st = user_roles(c, out->id, &out->roles);
	if (st != DB_OK)
		user_record_free(out);
	return st;
}

#define USER_COLUMNS "id, email, name, locale, password_hash, email_verified_at, created_at"

int store_user_by_email(db_conn *c, const char *email, struct user_record *out)
{
	int st;
	db_rows *r = db_query(c, "SELECT " USER_COLUMNS " FROM users WHERE email = ? AND deleted_at IS NULL",
			      DB_PARAMS(DB_TEXT(email)), &st);
	if (!r) {
		memset(out, 0, sizeof *out);
		return st;
	}
	return user_fetch(c, r, out);
}

int store_user_by_id(db_conn *c, int64_t id, struct user_record *out)
{
	int st;
	db_rows *r = db_query(c, "SELECT " USER_COLUMNS " FROM users WHERE id = ? AND deleted_at IS NULL",
			      DB_PARAMS(DB_INT(id)), &st);
	if (!r) {
		memset(out, 0, sizeof *out);
		return st;
	}
	return user_fetch(c, r, out);
}

int store_user_create(db_conn *c, const char *email, const char *name, const char *password_hash,
		      const char *locale, const char *role, int64_t now, int64_t *id)
{
	int st = db_begin(c, true);
	if (st != DB_OK)
		return st;
	int64_t new_id = 0;
	st = db_query_int(c, "INSERT INTO users (email, name, password_hash, locale, created_at) "
			     "VALUES (?, ?, ?, ?, ?) RETURNING id",
			  DB_PARAMS(DB_TEXT(email), DB_TEXT(name), DB_TEXT(password_hash), DB_TEXT(locale),
				    DB_INT(now)),
			  &new_id);
	if (st == DB_OK)
		st = store_user_add_role(c, new_id, role, now);
	if (st != DB_OK) {
		db_rollback(c);
		return st == STORE_NOT_FOUND ? DB_ERROR : st;
	}
	st = db_commit(c);
	if (st == DB_OK && id)
		*id = new_id;
	return st;
}

int store_user_add_role(db_conn *c, int64_t user_id, const char *role, int64_t now)
{
	/* ON CONFLICT (an upsert, in both dialects) skips only the duplicate;
	 * SQLite's INSERT OR IGNORE would also swallow the CHECK on the role. */
	return db_exec(c, "INSERT INTO user_roles (user_id, role, granted_at) VALUES (?, ?, ?) "
			  "ON CONFLICT (user_id, role) DO NOTHING",
		       DB_PARAMS(DB_INT(user_id), DB_TEXT(role), DB_INT(now)), NULL);
}

/* update_one: run an UPDATE that should touch exactly one row. */
static int update_one(db_conn *c, const char *sql, const db_value *p, int n)
{
	int64_t changes = 0;
	int st = db_exec(c, sql, p, n, &changes);
	if (st != DB_OK)
		return st;
	return changes > 0 ? DB_OK : STORE_NOT_FOUND;
}

int store_user_set_password(db_conn *c, int64_t user_id, const char *password_hash)
{
	return update_one(c, "UPDATE users SET password_hash = ? WHERE id = ? AND deleted_at IS NULL",
			  DB_PARAMS(DB_TEXT(password_hash), DB_INT(user_id)));
}

int store_user_set_verified(db_conn *c, int64_t user_id, int64_t now)
{
	return update_one(c, "UPDATE users SET email_verified_at = COALESCE(email_verified_at, ?) WHERE id = ?",
			  DB_PARAMS(DB_INT(now), DB_INT(user_id)));
}

int store_user_set_locale(db_conn *c, int64_t user_id, const char *locale)
{
	return update_one(c, "UPDATE users SET locale = ? WHERE id = ?",
			  DB_PARAMS(DB_TEXT(locale), DB_INT(user_id)));
}

int store_user_count(db_conn *c, const char *role, int64_t *count)
{
	*count = 0;
	if (!role)
		return db_query_int(c, "SELECT count(*) FROM users WHERE deleted_at IS NULL", DB_NO_PARAMS, count);
	return db_query_int(c, "SELECT count(*) FROM user_roles r JOIN users u ON u.id = r.user_id "
			       "WHERE r.role = ? AND u.deleted_at IS NULL",
			    DB_PARAMS(DB_TEXT(role)), count);
}

int store_user_orgs(db_conn *c, int64_t user_id, struct org_membership **out, int *count)
{
	int st;
	*out = NULL;
	*count = 0;
	db_rows *r = db_query(c, "SELECT o.id, o.name, m.role FROM org_members m JOIN orgs o ON o.id = m.org_id "
				 "WHERE m.user_id = ? ORDER BY o.id",
			      DB_PARAMS(DB_INT(user_id)), &st);
	if (!r)
		return st;
	int cap = 0;
	while (db_next(r)) {
		if (*count == cap) {
			cap = cap ? cap * 2 : 4;
			*out = xreallocarray(*out, (size_t)cap, sizeof **out);
		}
		struct org_membership *m = &(*out)[(*count)++];
		m->id = db_int(r, 0);
		m->name = xstrdup(db_text(r, 1));
		m->role = xstrdup(db_text(r, 2));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK) {
		org_memberships_free(*out, *count);
		*out = NULL;
		*count = 0;
	}
	return st;
}

void org_memberships_free(struct org_membership *m, int count)
{
	for (int i = 0; i < count; i++) {
		free(m[i].name);
		free(m[i].role);
	}
	free(m);
}

int store_audit(db_conn *c, int64_t actor_id, const char *action, const char *target,
		const char *detail, const char *address, int64_t now)
{
	return db_exec(c, "INSERT INTO audit_log (actor_id, action, target, detail, address, at) VALUES (?, ?, ?, ?, ?, ?)",
		       DB_PARAMS(actor_id ? DB_INT(actor_id) : DB_NULL, DB_TEXT(action), DB_TEXT(target ? target : ""),
				 DB_TEXT(detail ? detail : ""), DB_TEXT(address ? address : ""), DB_INT(now)),
		       NULL);
}
