/*
 * ratelimit.c — counted events in sliding windows (failed logins per account
 * and per address, registrations per address, reset e-mails).  Kept in the
 * database, not in memory, so that several app servers behind a load
 * balancer share one count.
 */
#include "store/store.h"

int store_rate_count(db_conn *c, const char *kind, const char *key, int64_t since, int64_t *count)
{
	*count = 0;
	return db_query_int(c, "SELECT count(*) FROM rate_events WHERE kind = ? AND key = ? AND at > ?",
			    DB_PARAMS(DB_TEXT(kind), DB_TEXT(key), DB_INT(since)), count);
}

int store_rate_oldest(db_conn *c, const char *kind, const char *key, int64_t since, int64_t *at)
{
	*at = 0;
	int st = db_query_int(c, "SELECT min(at) FROM rate_events WHERE kind = ? AND key = ? AND at > ?",
			      DB_PARAMS(DB_TEXT(kind), DB_TEXT(key), DB_INT(since)), at);
	return st == STORE_NOT_FOUND ? DB_OK : st;
}

int store_rate_add(db_conn *c, const char *kind, const char *key, int64_t now)
{
	return db_exec(c, "INSERT INTO rate_events (kind, key, at) VALUES (?, ?, ?)",
		       DB_PARAMS(DB_TEXT(kind), DB_TEXT(key), DB_INT(now)), NULL);
}

int store_rate_prune(db_conn *c, int64_t before, int64_t *deleted)
{
	return db_exec(c, "DELETE FROM rate_events WHERE at < ?", DB_PARAMS(DB_INT(before)), deleted);
}
