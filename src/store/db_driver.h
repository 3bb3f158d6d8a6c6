/*
 * db_driver.h — what a database driver provides to db.c.  Private to store/.
 *
 * db.c owns the pool, the timing for /metrics and the dispatch; a driver only
 * knows how to talk to one connection.  Each driver's connection struct starts
 * with `struct db_conn` so db.c can keep its bookkeeping there.
 */
#ifndef KHIBRA_DB_DRIVER_H
#define KHIBRA_DB_DRIVER_H

#include "store/db.h"

struct db_conn {
	const struct db_driver *driver;
	struct db *pool;
	struct db_conn *next_free; /* pool free list */
	bool in_transaction;
};

struct db_rows_ops {
	bool (*next)(db_rows *r);
	bool (*is_null)(db_rows *r, int col);
	int64_t (*get_int)(db_rows *r, int col);
	double (*get_double)(db_rows *r, int col);
	bool (*get_bool)(db_rows *r, int col);
	const char *(*get_text)(db_rows *r, int col);
	const void *(*get_blob)(db_rows *r, int col, size_t *len);
	void (*free)(db_rows *r);
};

struct db_rows {
	const struct db_rows_ops *ops;
	int status;
};

struct db_driver {
	const char *name;
	enum db_kind kind;
	/* connect: `target` is what follows "sqlite:" or the whole postgres URL. */
	db_conn *(*connect)(const char *target, char *err, size_t errlen);
	void (*disconnect)(db_conn *c);
	int (*exec)(db_conn *c, const char *sql, const db_value *p, int n, int64_t *changes);
	db_rows *(*query)(db_conn *c, const char *sql, const db_value *p, int n, int *status);
	int (*exec_script)(db_conn *c, const char *sql);
	int (*begin)(db_conn *c, bool write);
	int (*commit)(db_conn *c);
	int (*rollback)(db_conn *c);
	int (*backup)(db_conn *c, const char *path, char *err, size_t errlen);
};

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver;

#endif
