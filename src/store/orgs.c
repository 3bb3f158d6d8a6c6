/*
 * orgs.c — organisations and their members.
 */
#include "store/store.h"

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
