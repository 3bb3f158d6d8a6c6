/*
 * db_sqlite.c — the SQLite driver under db.c (contract in db.h).
 *
 * One sqlite3 handle per pooled connection, opened NOMUTEX because db.c lends
 * a connection to one thread at a time.  The journal is WAL so readers never
 * block the writer, and synchronous=FULL so a commit that returned survives a
 * power cut.  Writers are serialised by BEGIN IMMEDIATE, waiting up to the
 * busy timeout before DB_BUSY.
 *
 * Statements are prepared once per connection and kept in a small hash table
 * keyed by the SQL text.  A cached statement held by an unfinished db_rows is
 * "busy": running the same SQL again meanwhile (a nested loop) prepares a
 * private statement that is finalised after use.
 */
#include "store/db_driver.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
	SQ_CACHE_MAX = 512,       /* statements kept per connection */
	SQ_BUSY_TIMEOUT_MS = 10000,
};

struct sq_stmt {
	char *sql;      /* cache key: the SQL as the caller wrote it */
	uint64_t hash;
	sqlite3_stmt *stmt;
	bool busy;      /* held by an unfinished db_rows */
};

struct sq_conn {
	struct db_conn base;    /* first, so db.c can treat this as a db_conn */
	sqlite3 *db;
	struct sq_stmt **slots; /* open addressing; nslots is a power of two */
	size_t nslots;
	size_t count;
};

enum sq_row_state { SQ_PENDING, SQ_CURRENT, SQ_DONE };

struct sq_rows {
	struct db_rows base;
	struct sq_conn *conn;
	sqlite3_stmt *stmt;
	struct sq_stmt *cached; /* NULL: a private statement, finalised on free */
	enum sq_row_state state;
	int ncols;
};

/* ---- errors ------------------------------------------------------------- */

/* sq_status: map an SQLite result code to a db_status.  Constraint and lock
 * failures are the caller's to handle; anything else is logged here, with the
 * SQL (never the parameters). */
static int sq_status(struct sq_conn *c, int rc, const char *sql)
{
	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
		return DB_CONSTRAINT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_BUSY;
	default:
		log_error("db", "sqlite: %s (code %d) in: %.200s", sqlite3_errmsg(c->db), rc, sql);
		return DB_ERROR;
	}
}

/* ---- statement cache ---------------------------------------------------- */

/* sql_hash: FNV-1a of the SQL text. */
static uint64_t sql_hash(const char *s)
{
	uint64_t h = 14695981039346656037u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* cache_slot: the slot holding `sql`, or the empty slot where it would go.
 * Assumes the table has at least one empty slot. */
static struct sq_stmt **cache_slot(struct sq_conn *c, const char *sql, uint64_t h)
{
	size_t mask = c->nslots - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct sq_stmt *e = c->slots[i];
		if (!e || (e->hash == h && strcmp(e->sql, sql) == 0))
			return &c->slots[i];
	}
}

/* cache_grow: double the table (or create it) and rehash. */
static void cache_grow(struct sq_conn *c)
{
	struct sq_stmt **old = c->slots;
	size_t oldn = c->nslots;
	c->nslots = oldn ? oldn * 2 : 64;
	c->slots = xcalloc(c->nslots, sizeof *c->slots);
	for (size_t i = 0; i < oldn; i++)
		if (old[i])
			*cache_slot(c, old[i]->sql, old[i]->hash) = old[i];
	free(old);
}

/* ends_with_word: when s[0..*n) ends with `word` (any case) preceded by a
 * blank, drop the word and the blanks before it from *n; else false. */
static bool ends_with_word(const char *s, size_t *n, const char *word)
{
	size_t w = strlen(word), m = *n;
	if (m <= w || strncasecmp(s + m - w, word, w) != 0 || !isspace((unsigned char)s[m - w - 1]))
		return false;
	m -= w;
	while (m > 0 && isspace((unsigned char)s[m - 1]))
		m--;
	*n = m;
	return true;
}

/* strip_for_update: a copy of `sql` without a trailing "FOR UPDATE" (any case,
 * possibly followed by blanks or ';'), or NULL when there is none. */
static char *strip_for_update(const char *sql)
{
	size_t n = strlen(sql);
	while (n > 0 && (isspace((unsigned char)sql[n - 1]) || sql[n - 1] == ';'))
		n--;
	if (!ends_with_word(sql, &n, "update") || !ends_with_word(sql, &n, "for"))
		return NULL;
	return xstrndup(sql, n);
}

/* get_stmt: a ready statement for `sql`: the cached one when it is free,
 * else a new one (cached when there is room, else private: *cached = NULL and
 * the caller finalises it through put_stmt).  NULL with *status on error. */
static sqlite3_stmt *get_stmt(struct sq_conn *c, const char *sql, struct sq_stmt **cached, int *status)
{
	uint64_t h = sql_hash(sql);
	struct sq_stmt **slot = c->nslots ? cache_slot(c, sql, h) : NULL;
	*cached = NULL;
	if (slot && *slot && !(*slot)->busy) {
		*cached = *slot;
		return (*slot)->stmt;
	}
	bool keep = !(slot && *slot) && c->count < SQ_CACHE_MAX;
	char *stripped = strip_for_update(sql);
	sqlite3_stmt *st = NULL;
	const char *rest = NULL;
	int rc = sqlite3_prepare_v3(c->db, stripped ? stripped : sql, -1,
				    keep ? SQLITE_PREPARE_PERSISTENT : 0, &st, &rest);
	bool extra = rc == SQLITE_OK && rest && rest[strspn(rest, " \t\r\n;")] != '\0';
	free(stripped);
	if (rc != SQLITE_OK) {
		*status = sq_status(c, rc, sql);
		return NULL;
	}
	if (!st || extra) {
		log_error("db", "sqlite: expected exactly one statement in: %.200s", sql);
		sqlite3_finalize(st);
		*status = DB_ERROR;
		return NULL;
	}
	if (keep) {
		if ((c->count + 1) * 2 > c->nslots)
			cache_grow(c);
		struct sq_stmt *e = xmalloc(sizeof *e);
		*e = (struct sq_stmt){ .sql = xstrdup(sql), .hash = h, .stmt = st };
		*cache_slot(c, sql, h) = e;
		c->count++;
		*cached = e;
	}
	return st;
}

/* put_stmt: give back a statement from get_stmt: reset into the cache, or
 * finalise a private one. */
static void put_stmt(sqlite3_stmt *st, struct sq_stmt *cached)
{
	if (cached) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		cached->busy = false;
	} else {
		sqlite3_finalize(st);
	}
}

/* bind_params: bind p[0..n-1] to the statement's `?`s (text and blobs are
 * copied, since rows may outlive the caller's parameter array). */
static int bind_params(struct sq_conn *c, sqlite3_stmt *st, const char *sql, const db_value *p, int n)
{
	int want = sqlite3_bind_parameter_count(st);
	if (want != n) {
		log_error("db", "sqlite: statement takes %d parameters, got %d: %.200s", want, n, sql);
		return DB_ERROR;
	}
	for (int i = 0; i < n; i++) {
		int rc, col = i + 1;
		switch (p[i].type) {
		case DB_T_INT:
		case DB_T_BOOL:
			rc = sqlite3_bind_int64(st, col, p[i].type == DB_T_BOOL ? p[i].i != 0 : p[i].i);
			break;
		case DB_T_DOUBLE:
			rc = sqlite3_bind_double(st, col, p[i].d);
			break;
		case DB_T_TEXT:
			rc = sqlite3_bind_text(st, col, p[i].s, -1, SQLITE_TRANSIENT);
			break;
		case DB_T_BLOB: /* an empty blob is not NULL: bind_blob(NULL, 0) would be */
			rc = p[i].n ? sqlite3_bind_blob64(st, col, p[i].s, p[i].n, SQLITE_TRANSIENT)
				    : sqlite3_bind_zeroblob(st, col, 0);
			break;
		case DB_T_NULL:
		default:
			rc = sqlite3_bind_null(st, col);
			break;
		}
		if (rc != SQLITE_OK)
			return sq_status(c, rc, sql);
	}
	return DB_OK;
}

/* ---- rows --------------------------------------------------------------- */

/* The first row is stepped in sq_query (so errors surface there); next()
 * hands it out, then steps on. */
static bool sq_next(db_rows *rows)
{
	struct sq_rows *r = (struct sq_rows *)rows;
	if (r->state == SQ_PENDING) {
		r->state = SQ_CURRENT;
		return true;
	}
	if (r->state == SQ_DONE)
		return false;
	int rc = sqlite3_step(r->stmt);
	if (rc == SQLITE_ROW)
		return true;
	if (rc != SQLITE_DONE)
		r->base.status = sq_status(r->conn, rc, sqlite3_sql(r->stmt));
	r->state = SQ_DONE;
	sqlite3_reset(r->stmt); /* end the read transaction early */
	return false;
}

/* on_row: true when `col` names a column of a current row. */
static bool on_row(struct sq_rows *r, int col)
{
	return r->state == SQ_CURRENT && col >= 0 && col < r->ncols;
}

static bool sq_is_null(db_rows *rows, int col)
{
	struct sq_rows *r = (struct sq_rows *)rows;
	return !on_row(r, col) || sqlite3_column_type(r->stmt, col) == SQLITE_NULL;
}

static int64_t sq_get_int(db_rows *rows, int col)
{
	struct sq_rows *r = (struct sq_rows *)rows;
	return on_row(r, col) ? sqlite3_column_int64(r->stmt, col) : 0;
}

static double sq_get_double(db_rows *rows, int col)
{
	struct sq_rows *r = (struct sq_rows *)rows;
	return on_row(r, col) ? sqlite3_column_double(r->stmt, col) : 0.0;
}

static bool sq_get_bool(db_rows *rows, int col)
{
	return sq_get_int(rows, col) != 0;
}

static const char *sq_get_text(db_rows *rows, int col)
{
	struct sq_rows *r = (struct sq_rows *)rows;
	const unsigned char *s = on_row(r, col) ? sqlite3_column_text(r->stmt, col) : NULL;
	return s ? (const char *)s : "";
}

/* sq_get_blob: NULL (len 0) for SQL NULL; an empty blob is "" with len 0. */
static const void *sq_get_blob(db_rows *rows, int col, size_t *len)
{
	struct sq_rows *r = (struct sq_rows *)rows;
	*len = 0;
	if (sq_is_null(rows, col))
		return NULL;
	const void *p = sqlite3_column_blob(r->stmt, col);
	*len = (size_t)sqlite3_column_bytes(r->stmt, col);
	return p ? p : "";
}

static void sq_rows_free(db_rows *rows)
{
	struct sq_rows *r = (struct sq_rows *)rows;
	put_stmt(r->stmt, r->cached);
	free(r);
}

static const struct db_rows_ops sq_rows_ops = {
	.next = sq_next,
	.is_null = sq_is_null,
	.get_int = sq_get_int,
	.get_double = sq_get_double,
	.get_bool = sq_get_bool,
	.get_text = sq_get_text,
	.get_blob = sq_get_blob,
	.free = sq_rows_free,
};

/* ---- statements --------------------------------------------------------- */

/* sq_exec: run one statement to completion (any rows are skipped). */
static int sq_exec(db_conn *conn, const char *sql, const db_value *p, int n, int64_t *changes)
{
	struct sq_conn *c = (struct sq_conn *)conn;
	struct sq_stmt *cached;
	int status = DB_OK;
	if (changes)
		*changes = 0;
	sqlite3_stmt *st = get_stmt(c, sql, &cached, &status);
	if (!st)
		return status;
	status = bind_params(c, st, sql, p, n);
	if (status == DB_OK) {
		/* sqlite3_changes() keeps the count of the last DML statement, so a
		 * statement that changed nothing (DDL, an UPDATE of no rows) is
		 * recognised by the total not moving. */
		sqlite3_int64 before = sqlite3_total_changes64(c->db);
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
		if (rc != SQLITE_DONE)
			status = sq_status(c, rc, sql);
		else if (changes && sqlite3_total_changes64(c->db) != before)
			*changes = sqlite3_changes64(c->db);
	}
	put_stmt(st, cached);
	return status;
}

/* sq_query: prepare, bind and step to the first row; the statement stays with
 * the rows until db_rows_free. */
static db_rows *sq_query(db_conn *conn, const char *sql, const db_value *p, int n, int *status)
{
	struct sq_conn *c = (struct sq_conn *)conn;
	struct sq_stmt *cached;
	sqlite3_stmt *st = get_stmt(c, sql, &cached, status);
	if (!st)
		return NULL;
	*status = bind_params(c, st, sql, p, n);
	int rc = SQLITE_ERROR;
	if (*status == DB_OK) {
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			*status = sq_status(c, rc, sql);
	}
	if (*status != DB_OK) {
		put_stmt(st, cached);
		return NULL;
	}
	if (cached)
		cached->busy = true;
	struct sq_rows *r = xcalloc(1, sizeof *r);
	r->base.ops = &sq_rows_ops;
	r->base.status = DB_OK;
	r->conn = c;
	r->stmt = st;
	r->cached = cached;
	r->ncols = sqlite3_column_count(st);
	r->state = rc == SQLITE_ROW ? SQ_PENDING : SQ_DONE;
	if (rc == SQLITE_DONE)
		sqlite3_reset(st);
	return &r->base;
}

/* sq_exec_script: several statements, no parameters (migrations). */
static int sq_exec_script(db_conn *conn, const char *sql)
{
	struct sq_conn *c = (struct sq_conn *)conn;
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? DB_OK : sq_status(c, rc, sql);
}

static int sq_begin(db_conn *c, bool write)
{
	return sq_exec(c, write ? "BEGIN IMMEDIATE" : "BEGIN", NULL, 0, NULL);
}

static int sq_commit(db_conn *c)
{
	return sq_exec(c, "COMMIT", NULL, 0, NULL);
}

/* sq_rollback: roll back if a transaction is open (SQLite may already have
 * rolled back itself after some errors). */
static int sq_rollback(db_conn *conn)
{
	struct sq_conn *c = (struct sq_conn *)conn;
	if (sqlite3_get_autocommit(c->db))
		return DB_OK;
	return sq_exec(conn, "ROLLBACK", NULL, 0, NULL);
}

/* ---- connections -------------------------------------------------------- */

/* make_parent_dirs: mkdir -p of the directory part of `path` (mode 0700: the
 * database holds private data).  0 or -1 with errno. */
static int make_parent_dirs(const char *path)
{
	char *dir = xstrdup(path);
	int rc = 0;
	for (char *s = strchr(dir + 1, '/'); s && rc == 0; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	free(dir);
	return rc;
}

static void sq_disconnect(db_conn *conn)
{
	struct sq_conn *c = (struct sq_conn *)conn;
	for (size_t i = 0; i < c->nslots; i++) {
		if (c->slots[i]) {
			sqlite3_finalize(c->slots[i]->stmt);
			free(c->slots[i]->sql);
			free(c->slots[i]);
		}
	}
	free(c->slots);
	if (sqlite3_close(c->db) != SQLITE_OK) {
		log_error("db", "sqlite: closing with unfinished statements (a db_rows was not freed)");
		sqlite3_close_v2(c->db);
	}
	free(c);
}

/* sq_connect: open (creating if needed) the database file at `path` and set
 * the connection up.  NULL with one line in err on failure. */
static db_conn *sq_connect(const char *path, char *err, size_t errlen)
{
	if (make_parent_dirs(path) != 0) {
		snprintf(err, errlen, "cannot create the directory for %s: %s", path, strerror(errno));
		return NULL;
	}
	sqlite3 *handle = NULL;
	int rc = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_extended_result_codes(handle, 1);
		sqlite3_busy_timeout(handle, SQ_BUSY_TIMEOUT_MS);
		rc = sqlite3_exec(handle, "PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
				  NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open SQLite database %s: %s", path,
			 handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc));
		sqlite3_close(handle);
		return NULL;
	}
	struct sq_conn *c = xcalloc(1, sizeof *c);
	c->db = handle;
	return &c->base;
}

/* remove_db_files: delete a database file and its journals, if present. */
static void remove_db_files(const char *path)
{
	static const char *const suffixes[] = { "", "-journal", "-wal", "-shm" };
	for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
		char *f = xasprintf("%s%s", path, suffixes[i]);
		unlink(f);
		free(f);
	}
}

/* sync_parent_dir: fsync the directory holding `path`, so that a rename
 * into it survives a crash.  Best effort. */
static void sync_parent_dir(const char *path)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	int fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/* sq_backup: consistent online copy into `path`.  The copy is written to
 * PATH.tmp in one read transaction (writers go on meanwhile: WAL), switched to
 * a rollback journal so it is one standalone file, then renamed over `path`,
 * so `path` is always either the old backup or a complete new one. */
static int sq_backup(db_conn *conn, const char *path, char *err, size_t errlen)
{
	struct sq_conn *c = (struct sq_conn *)conn;
	char *tmp = xasprintf("%s.tmp", path);
	remove_db_files(tmp);
	sqlite3 *dst = NULL;
	int rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_backup *b = sqlite3_backup_init(dst, "main", c->db, "main");
		if (!b) {
			rc = sqlite3_errcode(dst);
		} else {
			for (int tries = 0; tries < 100; tries++) {
				rc = sqlite3_backup_step(b, -1);
				if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
					break;
				sqlite3_sleep(100);
			}
			int fin = sqlite3_backup_finish(b);
			rc = rc == SQLITE_DONE ? fin : rc;
		}
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		snprintf(err, errlen, "backup to %s failed: %s", path, dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
	if (sqlite3_close(dst) != SQLITE_OK && rc == SQLITE_OK) {
		snprintf(err, errlen, "backup to %s failed: cannot close the copy", path);
		rc = SQLITE_ERROR;
	}
	if (rc == SQLITE_OK && rename(tmp, path) != 0) {
		snprintf(err, errlen, "backup: cannot rename %s to %s: %s", tmp, path, strerror(errno));
		rc = SQLITE_ERROR;
	}
	if (rc == SQLITE_OK)
		sync_parent_dir(path);
	else
		remove_db_files(tmp);
	free(tmp);
	return rc == SQLITE_OK ? DB_OK : DB_ERROR;
}

const struct db_driver db_sqlite_driver = {
	.name = "sqlite",
	.kind = DB_SQLITE,
	.connect = sq_connect,
	.disconnect = sq_disconnect,
	.exec = sq_exec,
	.query = sq_query,
	.exec_script = sq_exec_script,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.backup = sq_backup,
};
