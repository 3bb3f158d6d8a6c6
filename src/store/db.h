/*
 * db.h — the database driver interface under the store.
 *
 * Khibra's store (store.h) is written once, in SQL that both SQLite 3.40+ and
 * PostgreSQL 15 accept, on top of this small driver interface.  There are two
 * drivers: db_sqlite.c and db_pg.c.  Everything dialect-specific (placeholders,
 * prepared-statement caching, transactions, error classes, pooling) lives in
 * the drivers; the store never sees sqlite3_* or PQ* types.
 *
 * Rules for SQL passed to the driver:
 *  - parameters are written `?` and are always bound, never printed into SQL;
 *    the PostgreSQL driver rewrites them to $1, $2 … (outside quotes);
 *  - the SQL text must be a string literal (it is the cache key);
 *  - integers are 64-bit, times are Unix seconds in BIGINT columns, booleans
 *    are read with db_bool() (SQLite 0/1, PostgreSQL t/f);
 *  - a statement may end in " FOR UPDATE" (row locks on PostgreSQL); the
 *    SQLite driver drops it, since BEGIN IMMEDIATE already serialises writers.
 *
 * Ownership: a db_conn is borrowed from the pool with db_acquire() and given
 * back with db_release(); one thread uses a connection at a time.  db_rows
 * belongs to the caller until db_rows_free().  Strings returned by db_text()
 * live until the next db_next() or db_rows_free() on those rows.
 */
#ifndef KHIBRA_DB_H
#define KHIBRA_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct db db;           /* a pool of connections to one database */
typedef struct db_conn db_conn; /* one connection, borrowed from the pool */
typedef struct db_rows db_rows; /* the result of one query */

enum db_kind { DB_SQLITE, DB_POSTGRES };

/* Results of db_exec / db_query / transaction calls. */
enum db_status {
	DB_OK = 0,
	DB_ERROR = -1,      /* anything unexpected; the driver has logged it */
	DB_CONSTRAINT = -2, /* unique / foreign-key / check violation */
	DB_BUSY = -3,       /* lock could not be taken in time; retry is safe */
};

enum db_type { DB_T_NULL, DB_T_INT, DB_T_DOUBLE, DB_T_TEXT, DB_T_BLOB, DB_T_BOOL };

typedef struct db_value {
	enum db_type type;
	int64_t i;      /* DB_T_INT, DB_T_BOOL */
	double d;       /* DB_T_DOUBLE */
	const char *s;  /* DB_T_TEXT (NUL-terminated), DB_T_BLOB */
	size_t n;       /* DB_T_BLOB length */
} db_value;

#define DB_NULL          ((db_value){ .type = DB_T_NULL })
#define DB_INT(x)        ((db_value){ .type = DB_T_INT, .i = (int64_t)(x) })
#define DB_DOUBLE(x)     ((db_value){ .type = DB_T_DOUBLE, .d = (double)(x) })
#define DB_TEXT(x)       db_text_value(x)
#define DB_BLOB(p, len)  ((db_value){ .type = DB_T_BLOB, .s = (const char *)(p), .n = (len) })
#define DB_BOOL(x)       ((db_value){ .type = DB_T_BOOL, .i = (x) ? 1 : 0 })

/* db_text_value: a text parameter, or NULL for a NULL pointer. */
static inline db_value db_text_value(const char *s)
{
	return (db_value){ .type = s ? DB_T_TEXT : DB_T_NULL, .s = s };
}

/* Parameter list literal: DB_PARAMS(DB_INT(id), DB_TEXT(email)) */
#define DB_PARAMS(...) ((const db_value[]){ __VA_ARGS__ }), \
	(int)(sizeof((const db_value[]){ __VA_ARGS__ }) / sizeof(db_value))
#define DB_NO_PARAMS NULL, 0

/*
 * db_open: parse `url` ("sqlite:PATH" or "postgres://…"/"postgresql://…"),
 * connect `pool_size` connections lazily, and check the first one works.
 * On failure returns NULL and writes one line into err.
 */
db *db_open(const char *url, int pool_size, char *err, size_t errlen);
void db_close(db *d);
enum db_kind db_kind_of(const db *d);
const char *db_kind_name(const db *d); /* "sqlite" or "postgres" */

/* Borrow a connection (waits while all are in use); give it back. A connection
 * released inside an open transaction is rolled back first. */
db_conn *db_acquire(db *d);
void db_release(db_conn *c);
enum db_kind db_conn_kind(const db_conn *c);

/* Run a statement that returns no rows; *changes (may be NULL) gets the
 * number of rows changed. */
int db_exec(db_conn *c, const char *sql, const db_value *params, int nparams, int64_t *changes);

/* Run a query; returns NULL on error and sets *status (may be NULL). */
db_rows *db_query(db_conn *c, const char *sql, const db_value *params, int nparams, int *status);
bool db_next(db_rows *r);                 /* advance; false at the end or on error */
int db_rows_status(const db_rows *r);     /* DB_OK unless stepping failed */
bool db_is_null(db_rows *r, int col);
int64_t db_int(db_rows *r, int col);      /* 0 for NULL */
double db_double(db_rows *r, int col);    /* 0 for NULL */
bool db_bool(db_rows *r, int col);        /* false for NULL */
const char *db_text(db_rows *r, int col); /* "" for NULL; never NULL */
const void *db_blob(db_rows *r, int col, size_t *len);
void db_rows_free(db_rows *r);

/*
 * Convenience: run a query expected to give at most one row, one column.
 * Returns DB_OK and sets *out when a row came back, 1 when none did, or a
 * negative db_status.
 */
int db_query_int(db_conn *c, const char *sql, const db_value *params, int nparams, int64_t *out);
/* db_query_ids: the first column of every row as integers, in a malloc'd
 * array the caller frees (NULL and 0 when none, or on an error, which is
 * returned). */
int db_query_ids(db_conn *c, const char *sql, const db_value *params, int nparams, int64_t **ids, int *count);

/* Execute several ;-separated statements with no parameters (migrations). */
int db_exec_script(db_conn *c, const char *sql);

/*
 * Transactions.  db_begin(c, true) starts a write transaction that takes the
 * write lock at once (SQLite BEGIN IMMEDIATE; PostgreSQL BEGIN — row locks are
 * the store's job with SELECT … FOR UPDATE, which SQLite ignores because its
 * write lock already serialises writers).
 */
int db_begin(db_conn *c, bool write);
int db_commit(db_conn *c);
int db_rollback(db_conn *c);

/* Time spent in the database by the whole process since start, in microseconds
 * (for /metrics). */
uint64_t db_time_total_us(void);
uint64_t db_queries_total(void);

/* Consistent online copy of the database into a file (SQLite backup API). */
int db_backup(db *d, const char *path, char *err, size_t errlen);

#endif
