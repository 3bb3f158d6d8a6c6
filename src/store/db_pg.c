/*
 * db_pg.c — the PostgreSQL driver under db.c (contract in db.h), on libpq.
 *
 * The store writes `?` placeholders; they are rewritten to $1, $2 … here
 * (outside quotes and comments).  Each SQL text is prepared once per
 * connection under the name "k<N>" and then run with PQexecPrepared.
 * Parameters go as text, blobs as binary; results come back as text and are
 * parsed by the getters.  Results are fetched whole, so nested queries on one
 * connection need nothing special.
 *
 * A PostgreSQL transaction is aborted by any failed statement in it: after a
 * non-OK status inside a transaction the caller must roll back (and may retry
 * the whole transaction on DB_BUSY).
 */
#include "store/db_driver.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	PG_CACHE_MAX = 512, /* statements prepared per connection; beyond, unnamed */
};

/* Run once per session: times are UTC, only warnings reach the client, and a
 * row lock waits at most as long as SQLite's busy timeout before DB_BUSY. */
static const char pg_session_setup[] =
	"SET TimeZone = 'UTC'; SET client_min_messages = warning; SET lock_timeout = '10s'";

struct pg_stmt {
	char *sql;      /* cache key: the SQL as the caller wrote it */
	uint64_t hash;
	int nparams;
	char name[24];  /* "k<N>", unique within the session */
};

struct pg_conn {
	struct db_conn base;    /* first, so db.c can treat this as a db_conn */
	PGconn *pg;
	struct pg_stmt **slots; /* open addressing; nslots is a power of two */
	size_t nslots;
	size_t count;
	unsigned next_id;
};

struct pg_rows {
	struct db_rows base;
	PGresult *res;
	int row;                /* -1 before the first db_next */
	int nrows, ncols;
	struct pg_blob {        /* per column, bytea decoded for the current row */
		unsigned char *p;
		size_t n;
	} *blobs;
};

/* ---- messages and errors ------------------------------------------------ */

/* one_line: `msg` with runs of blanks and newlines squeezed to one space and
 * the ends trimmed, into out[outlen]. */
static const char *one_line(const char *msg, char *out, size_t outlen)
{
	size_t j = 0;
	bool space = false;
	for (const char *s = msg ? msg : ""; *s && j + 1 < outlen; s++) {
		if (isspace((unsigned char)*s)) {
			space = j > 0;
			continue;
		}
		if (space && j + 2 < outlen)
			out[j++] = ' ';
		space = false;
		out[j++] = *s;
	}
	out[j] = '\0';
	return out;
}

/* pg_notice: route server notices and warnings to the log, not stderr. */
static void pg_notice(void *arg, const char *message)
{
	(void)arg;
	char line[512];
	log_info("db", "postgres: %s", one_line(message, line, sizeof line));
}

/* pg_status: map a result to a db_status.  Constraint violations (class 23)
 * and lock failures are the caller's to handle; anything else is logged with
 * the server's primary message and the SQL (never the parameters: the DETAIL
 * of an error can quote them). */
static int pg_status(struct pg_conn *c, PGresult *res, const char *sql)
{
	char line[512];
	if (!res) {
		log_error("db", "postgres: %s in: %.200s", one_line(PQerrorMessage(c->pg), line, sizeof line), sql);
		return DB_ERROR;
	}
	ExecStatusType st = PQresultStatus(res);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY)
		return DB_OK;
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (!state)
		state = "";
	if (strncmp(state, "23", 2) == 0)
		return DB_CONSTRAINT;
	if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03"))
		return DB_BUSY;
	const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	log_error("db", "postgres: %s%s%s%s in: %.200s",
		  one_line(primary ? primary : PQerrorMessage(c->pg), line, sizeof line),
		  *state ? " (SQLSTATE " : "", state, *state ? ")" : "", sql);
	return DB_ERROR;
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
static struct pg_stmt **cache_slot(struct pg_conn *c, const char *sql, uint64_t h)
{
	size_t mask = c->nslots - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct pg_stmt *e = c->slots[i];
		if (!e || (e->hash == h && strcmp(e->sql, sql) == 0))
			return &c->slots[i];
	}
}

/* cache_grow: double the table (or create it) and rehash. */
static void cache_grow(struct pg_conn *c)
{
	struct pg_stmt **old = c->slots;
	size_t oldn = c->nslots;
	c->nslots = oldn ? oldn * 2 : 64;
	c->slots = xcalloc(c->nslots, sizeof *c->slots);
	for (size_t i = 0; i < oldn; i++)
		if (old[i])
			*cache_slot(c, old[i]->sql, old[i]->hash) = old[i];
	free(old);
}

/* cache_clear: forget every statement (after a reconnect the server has none). */
static void cache_clear(struct pg_conn *c)
{
	for (size_t i = 0; i < c->nslots; i++) {
		if (c->slots[i]) {
			free(c->slots[i]->sql);
			free(c->slots[i]);
		}
	}
	free(c->slots);
	c->slots = NULL;
	c->nslots = c->count = 0;
}

/* ---- placeholders ------------------------------------------------------- */

static bool ident_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_' || ch == '$';
}

/* skip_quoted: p is at an opening ' or "; return the byte after the closing
 * one (or the end).  A doubled quote closes and reopens, which reads the same.
 * E'…' strings also take backslash escapes. */
static const char *skip_quoted(const char *start, const char *p)
{
	char q = *p;
	bool backslash = q == '\'' && p > start && (p[-1] == 'E' || p[-1] == 'e') &&
			 (p - 1 == start || !ident_char(p[-2]));
	for (p++; *p && *p != q; p++)
		if (backslash && *p == '\\' && p[1])
			p++;
	return *p ? p + 1 : p;
}

/* skip_dollar_quoted: p is at '$'; when it opens a $tag$ … $tag$ string,
 * return the byte after its end, else NULL. */
static const char *skip_dollar_quoted(const char *start, const char *p)
{
	if (p > start && ident_char(p[-1]))
		return NULL;
	size_t t = 1;
	while (isalpha((unsigned char)p[t]) || p[t] == '_' || (t > 1 && isdigit((unsigned char)p[t])))
		t++;
	if (p[t] != '$')
		return NULL;
	t++; /* the tag, both dollars included */
	for (const char *e = p + t; (e = strchr(e, '$')); e++)
		if (strncmp(e, p, t) == 0)
			return e + t;
	return p + strlen(p);
}

/* rewrite_placeholders: copy of `sql` with each `?` outside quotes, comments
 * and dollar-quoted strings replaced by $1, $2 …; *count gets how many.  The
 * caller frees the copy. */
static char *rewrite_placeholders(const char *sql, int *count)
{
	buf out = BUF_INIT;
	int n = 0;
	const char *p = sql;
	while (*p) {
		const char *end = NULL;
		if (*p == '\'' || *p == '"')
			end = skip_quoted(sql, p);
		else if (*p == '$')
			end = skip_dollar_quoted(sql, p);
		else if (p[0] == '-' && p[1] == '-')
			end = p + strcspn(p, "\n");
		else if (p[0] == '/' && p[1] == '*')
			end = (end = strstr(p + 2, "*/")) ? end + 2 : p + strlen(p);
		if (end) {
			buf_append(&out, p, (size_t)(end - p));
			p = end;
		} else if (*p == '?') {
			buf_printf(&out, "$%d", ++n);
			p++;
		} else {
			buf_putc(&out, *p++);
		}
	}
	*count = n;
	return buf_detach(&out, NULL);
}

/* ---- running statements ------------------------------------------------- */

/* pg_alive: make sure the connection is usable.  A broken one is reset once,
 * but only outside a transaction (inside, the transaction is lost anyway and
 * the caller must see the failure). */
static bool pg_alive(struct pg_conn *c)
{
	if (PQstatus(c->pg) == CONNECTION_OK)
		return true;
	char line[512];
	if (c->base.in_transaction) {
		log_error("db", "postgres: connection lost inside a transaction");
		return false;
	}
	PQreset(c->pg);
	if (PQstatus(c->pg) != CONNECTION_OK) {
		log_error("db", "postgres: reconnect failed: %s", one_line(PQerrorMessage(c->pg), line, sizeof line));
		return false;
	}
	cache_clear(c);
	PGresult *res = PQexec(c->pg, pg_session_setup);
	int st = pg_status(c, res, pg_session_setup);
	PQclear(res);
	log_info("db", "postgres: reconnected");
	return st == DB_OK;
}

/* pg_run: run `sql` with parameters; the result (rows or not) on success,
 * else NULL with *status set. */
static PGresult *pg_run(struct pg_conn *c, const char *sql, const db_value *p, int n, int *status)
{
	*status = DB_ERROR;
	if (!pg_alive(c))
		return NULL;
	uint64_t h = sql_hash(sql);
	struct pg_stmt *st = c->nslots ? *cache_slot(c, sql, h) : NULL;
	char *text = NULL;
	int want = st ? st->nparams : 0;
	if (!st)
		text = rewrite_placeholders(sql, &want);
	if (want != n) {
		log_error("db", "postgres: statement takes %d parameters, got %d: %.200s", want, n, sql);
		free(text);
		return NULL;
	}
	for (int i = 0; i < n; i++) {
		if (p[i].type == DB_T_BLOB && p[i].n > INT_MAX) {
			log_error("db", "postgres: blob parameter %d is too large: %.200s", i + 1, sql);
			free(text);
			return NULL;
		}
	}
	if (!st && c->count < PG_CACHE_MAX) {
		char name[24];
		snprintf(name, sizeof name, "k%u", c->next_id++);
		PGresult *res = PQprepare(c->pg, name, text, n, NULL);
		*status = pg_status(c, res, sql);
		PQclear(res);
		if (*status != DB_OK) {
			free(text);
			return NULL;
		}
		if ((c->count + 1) * 2 > c->nslots)
			cache_grow(c);
		st = xcalloc(1, sizeof *st);
		st->sql = xstrdup(sql);
		st->hash = h;
		st->nparams = n;
		memcpy(st->name, name, sizeof name);
		*cache_slot(c, sql, h) = st;
		c->count++;
	}

	const char **values = xcalloc((size_t)n, sizeof *values);
	int *lengths = xcalloc((size_t)n, sizeof *lengths);
	int *formats = xcalloc((size_t)n, sizeof *formats);
	char (*num)[32] = xcalloc((size_t)n, sizeof *num);
	for (int i = 0; i < n; i++) {
		switch (p[i].type) {
		case DB_T_INT:
			snprintf(num[i], sizeof num[i], "%" PRId64, p[i].i);
			values[i] = num[i];
			break;
		case DB_T_BOOL:
			values[i] = p[i].i ? "t" : "f";
			break;
		case DB_T_DOUBLE:
			snprintf(num[i], sizeof num[i], "%.17g", p[i].d);
			values[i] = num[i];
			break;
		case DB_T_TEXT:
			values[i] = p[i].s;
			break;
		case DB_T_BLOB: /* binary; a non-NULL pointer even when empty */
			values[i] = p[i].s ? p[i].s : "";
			lengths[i] = (int)p[i].n;
			formats[i] = 1;
			break;
		case DB_T_NULL:
		default:
			values[i] = NULL;
			break;
		}
	}
	PGresult *res = st ? PQexecPrepared(c->pg, st->name, n, values, lengths, formats, 0)
			   : PQexecParams(c->pg, text, n, NULL, values, lengths, formats, 0);
	free(values);
	free(lengths);
	free(formats);
	free(num);
	free(text);
	*status = pg_status(c, res, sql);
	if (*status != DB_OK) {
		PQclear(res);
		return NULL;
	}
	return res;
}

/* pg_simple: a command without parameters or rows, by the simple protocol
 * (transaction control, scripts).  Fills *tag with the command tag if asked. */
static int pg_simple(struct pg_conn *c, const char *sql, char *tag, size_t taglen)
{
	if (!pg_alive(c))
		return DB_ERROR;
	PGresult *res = PQexec(c->pg, sql);
	int st = pg_status(c, res, sql);
	if (tag)
		snprintf(tag, taglen, "%s", res ? PQcmdStatus(res) : "");
	PQclear(res);
	return st;
}

/* ---- rows --------------------------------------------------------------- */

/* drop_blobs: free the bytea values decoded for the current row. */
static void drop_blobs(struct pg_rows *r)
{
	if (!r->blobs)
		return;
	for (int i = 0; i < r->ncols; i++) {
		PQfreemem(r->blobs[i].p);
		r->blobs[i] = (struct pg_blob){ NULL, 0 };
	}
}

static bool pg_next(db_rows *rows)
{
	struct pg_rows *r = (struct pg_rows *)rows;
	drop_blobs(r);
	if (r->row < r->nrows)
		r->row++;
	return r->row < r->nrows;
}

/* value: the text of a column in the current row, NULL for SQL NULL or when
 * there is no such column or row. */
static const char *value(struct pg_rows *r, int col)
{
	if (r->row < 0 || r->row >= r->nrows || col < 0 || col >= r->ncols ||
	    PQgetisnull(r->res, r->row, col))
		return NULL;
	return PQgetvalue(r->res, r->row, col);
}

static bool pg_is_null(db_rows *rows, int col)
{
	return value((struct pg_rows *)rows, col) == NULL;
}

static int64_t pg_get_int(db_rows *rows, int col)
{
	const char *v = value((struct pg_rows *)rows, col);
	return v ? (int64_t)strtoll(v, NULL, 10) : 0;
}

static double pg_get_double(db_rows *rows, int col)
{
	const char *v = value((struct pg_rows *)rows, col);
	return v ? strtod(v, NULL) : 0.0;
}

static bool pg_get_bool(db_rows *rows, int col)
{
	const char *v = value((struct pg_rows *)rows, col);
	return v && (!strcmp(v, "t") || !strcmp(v, "true") || !strcmp(v, "1"));
}

static const char *pg_get_text(db_rows *rows, int col)
{
	const char *v = value((struct pg_rows *)rows, col);
	return v ? v : "";
}

/* pg_get_blob: decode a bytea column; the bytes live until the next db_next
 * or db_rows_free.  NULL (len 0) for SQL NULL; an empty bytea gives a
 * non-NULL pointer with len 0. */
static const void *pg_get_blob(db_rows *rows, int col, size_t *len)
{
	struct pg_rows *r = (struct pg_rows *)rows;
	const char *v = value(r, col);
	*len = 0;
	if (!v)
		return NULL;
	if (!r->blobs)
		r->blobs = xcalloc((size_t)r->ncols, sizeof *r->blobs);
	struct pg_blob *b = &r->blobs[col];
	if (!b->p && !(b->p = PQunescapeBytea((const unsigned char *)v, &b->n)))
		return NULL;
	*len = b->n;
	return b->p;
}

static void pg_rows_free(db_rows *rows)
{
	struct pg_rows *r = (struct pg_rows *)rows;
	drop_blobs(r);
	free(r->blobs);
	PQclear(r->res);
	free(r);
}

static const struct db_rows_ops pg_rows_ops = {
	.next = pg_next,
	.is_null = pg_is_null,
	.get_int = pg_get_int,
	.get_double = pg_get_double,
	.get_bool = pg_get_bool,
	.get_text = pg_get_text,
	.get_blob = pg_get_blob,
	.free = pg_rows_free,
};

/* ---- driver entry points ------------------------------------------------ */

static int pg_exec(db_conn *conn, const char *sql, const db_value *p, int n, int64_t *changes)
{
	int status;
	PGresult *res = pg_run((struct pg_conn *)conn, sql, p, n, &status);
	if (changes)
		*changes = res ? (int64_t)strtoll(PQcmdTuples(res), NULL, 10) : 0;
	PQclear(res);
	return status;
}

static db_rows *pg_query(db_conn *conn, const char *sql, const db_value *p, int n, int *status)
{
	PGresult *res = pg_run((struct pg_conn *)conn, sql, p, n, status);
	if (!res)
		return NULL;
	struct pg_rows *r = xcalloc(1, sizeof *r);
	r->base.ops = &pg_rows_ops;
	r->base.status = DB_OK;
	r->res = res;
	r->row = -1;
	r->nrows = PQntuples(res);
	r->ncols = PQnfields(res);
	return &r->base;
}

/* pg_exec_script: several statements in one simple-protocol message; the
 * server runs them as one implicit transaction unless the script has its own. */
static int pg_exec_script(db_conn *conn, const char *sql)
{
	return pg_simple((struct pg_conn *)conn, sql, NULL, 0);
}

static int pg_begin(db_conn *conn, bool write)
{
	(void)write; /* row locks come from SELECT … FOR UPDATE */
	return pg_simple((struct pg_conn *)conn, "BEGIN", NULL, 0);
}

/* pg_commit: COMMIT of a transaction that had failed "succeeds" with the tag
 * ROLLBACK; that is reported as an error, since nothing was kept. */
static int pg_commit(db_conn *conn)
{
	char tag[32];
	int st = pg_simple((struct pg_conn *)conn, "COMMIT", tag, sizeof tag);
	if (st == DB_OK && strcmp(tag, "COMMIT") != 0) {
		log_error("db", "postgres: COMMIT rolled back (an earlier statement in the transaction failed)");
		return DB_ERROR;
	}
	return st;
}

static int pg_rollback(db_conn *conn)
{
	return pg_simple((struct pg_conn *)conn, "ROLLBACK", NULL, 0);
}

static void pg_disconnect(db_conn *conn)
{
	struct pg_conn *c = (struct pg_conn *)conn;
	cache_clear(c);
	PQfinish(c->pg);
	free(c);
}

/* pg_connect: connect to the URL and set the session up.  NULL with one line
 * in err on failure (the URL is not repeated: it may hold a password). */
static db_conn *pg_connect(const char *url, char *err, size_t errlen)
{
	/* Defaults first: anything the URL says overrides them. */
	const char *const keys[] = { "fallback_application_name", "connect_timeout", "dbname", NULL };
	const char *const vals[] = { "khibra", "10", url, NULL };
	PGconn *pg = PQconnectdbParams(keys, vals, 1);
	char line[512];
	if (!pg) {
		snprintf(err, errlen, "cannot connect to PostgreSQL: out of memory");
		return NULL;
	}
	if (PQstatus(pg) != CONNECTION_OK) {
		snprintf(err, errlen, "cannot connect to PostgreSQL: %s", one_line(PQerrorMessage(pg), line, sizeof line));
		PQfinish(pg);
		return NULL;
	}
	PQsetNoticeProcessor(pg, pg_notice, NULL);
	struct pg_conn *c = xcalloc(1, sizeof *c);
	c->pg = pg;
	PGresult *res = PQexec(pg, pg_session_setup);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		snprintf(err, errlen, "PostgreSQL session setup failed: %s",
			 one_line(PQresultErrorMessage(res), line, sizeof line));
		PQclear(res);
		pg_disconnect(&c->base);
		return NULL;
	}
	PQclear(res);
	return &c->base;
}

const struct db_driver db_pg_driver = {
	.name = "postgres",
	.kind = DB_POSTGRES,
	.connect = pg_connect,
	.disconnect = pg_disconnect,
	.exec = pg_exec,
	.query = pg_query,
	.exec_script = pg_exec_script,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.backup = NULL, /* db_backup says: use pg_dump */
};
