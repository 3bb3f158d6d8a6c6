/*
 * db_test.c — tests of the database driver layer (db.h) against a real
 * database: the one named by KHIBRA_TEST_DB ("sqlite:PATH" or a postgres://
 * URL, e.g. from scripts/pg-test.sh), else a SQLite file under /tmp.  The same
 * tests run on both backends.
 *
 * Criterion runs each test in its own process; every table a test makes is
 * named after the pid and a counter, and dropped when the test ends.
 */
#include <criterion/criterion.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "store/db.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_TABLES 8
#define MAX_SQL 64

static db *tdb;            /* the pool under test */
static db_conn *tc;        /* a connection held for the whole test */
static char tables[MAX_TABLES][48];
static int ntables;
static char *sqls[MAX_SQL]; /* SQL built with a table name, freed at the end */
static int nsqls;

/* test_url: the database under test. */
static const char *test_url(void)
{
	const char *url = getenv("KHIBRA_TEST_DB");
	return url && *url ? url : "sqlite:/tmp/khibra-db-test/test.db";
}

static bool on_pg(void) { return db_kind_of(tdb) == DB_POSTGRES; }

/* pick: the SQLite or the PostgreSQL spelling of a piece of schema. */
static const char *pick(const char *sqlite, const char *pg) { return on_pg() ? pg : sqlite; }

/* sql: printf into a string that lives until the end of the test. */
__attribute__((format(printf, 1, 2)))
static const char *sql(const char *fmt, ...)
{
	cr_assert_lt(nsqls, MAX_SQL);
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&sqls[nsqls], fmt, ap);
	va_end(ap);
	cr_assert_geq(n, 0);
	return sqls[nsqls++];
}

/* new_table: create a scratch table `name (id <autoincrement>, <columns>)`
 * and return its unique name. */
static const char *new_table(const char *columns)
{
	cr_assert_lt(ntables, MAX_TABLES);
	char *name = tables[ntables];
	snprintf(name, sizeof tables[0], "kt_%ld_%d", (long)getpid(), ntables);
	ntables++;
	const char *id = pick("INTEGER PRIMARY KEY", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY");
	cr_assert_eq(db_exec(tc, sql("CREATE TABLE %s (id %s, %s)", name, id, columns), DB_NO_PARAMS, NULL), DB_OK);
	return name;
}

static void setup(void)
{
	log_set_quiet(1);
	char err[256];
	tdb = db_open(test_url(), 8, err, sizeof err);
	cr_assert_not_null(tdb, "db_open(%s): %s", test_url(), err);
	tc = db_acquire(tdb);
	cr_assert_not_null(tc);
}

static void teardown(void)
{
	if (!tdb)
		return;
	if (!tc)
		tc = db_acquire(tdb);
	db_rollback(tc); /* in case a failed test left one open */
	for (int i = ntables - 1; i >= 0; i--)
		db_exec(tc, sql("DROP TABLE IF EXISTS %s", tables[i]), DB_NO_PARAMS, NULL);
	db_release(tc);
	db_close(tdb);
	for (int i = 0; i < nsqls; i++)
		free(sqls[i]);
}

TestSuite(db, .init = setup, .fini = teardown, .timeout = 120);

/* count_rows: SELECT count(*) FROM table, on connection c. */
static int64_t count_rows(db_conn *c, const char *table)
{
	int64_t n = -1;
	cr_assert_eq(db_query_int(c, sql("SELECT count(*) FROM %s", table), DB_NO_PARAMS, &n), DB_OK);
	return n;
}

Test(db, round_trip_of_every_type)
{
	const char *t = new_table(sql("i BIGINT, d DOUBLE PRECISION, s TEXT, b %s, e %s, f %s",
				      pick("BLOB", "BYTEA"), pick("BLOB", "BYTEA"), pick("INTEGER", "BOOLEAN")));
	unsigned char bytes[300];
	for (size_t i = 0; i < sizeof bytes; i++)
		bytes[i] = (unsigned char)(i * 7); /* includes NUL bytes and 0xff */
	const char *arabic = "خبرة: تطوّع في «المدينة» — ١٢٣";
	const char *ins = sql("INSERT INTO %s (i, d, s, b, e, f) VALUES (?, ?, ?, ?, ?, ?) RETURNING id", t);
	int64_t id1 = 0, id2 = 0, id3 = 0;
	cr_assert_eq(db_query_int(tc, ins, DB_PARAMS(DB_INT(INT64_MAX), DB_DOUBLE(0.1 + 0.2), DB_TEXT(arabic),
						   DB_BLOB(bytes, sizeof bytes), DB_BLOB("", 0), DB_BOOL(true)), &id1), DB_OK);
	cr_assert_eq(db_query_int(tc, ins, DB_PARAMS(DB_NULL, DB_NULL, DB_TEXT(NULL), DB_NULL, DB_NULL, DB_NULL), &id2),
		     DB_OK);
	cr_assert_eq(db_query_int(tc, ins, DB_PARAMS(DB_INT(INT64_MIN), DB_DOUBLE(-1e300), DB_TEXT(""),
						   DB_BLOB("\0", 1), DB_BLOB("x", 1), DB_BOOL(false)), &id3), DB_OK);
	cr_assert(id1 > 0 && id2 > id1 && id3 > id2);

	int st;
	db_rows *r = db_query(tc, sql("SELECT i, d, s, b, e, f FROM %s ORDER BY id", t), DB_NO_PARAMS, &st);
	cr_assert_not_null(r);
	size_t len;
	const void *p;

	cr_assert(db_next(r));
	cr_assert_eq(db_int(r, 0), INT64_MAX);
	cr_assert_eq(db_double(r, 1), 0.1 + 0.2);
	cr_assert_str_eq(db_text(r, 2), arabic);
	p = db_blob(r, 3, &len);
	cr_assert_eq(len, sizeof bytes);
	cr_assert_eq(memcmp(p, bytes, len), 0);
	p = db_blob(r, 4, &len); /* a second blob column in the same row */
	cr_assert_not_null(p);
	cr_assert_eq(len, 0);
	p = db_blob(r, 3, &len); /* the first is still there */
	cr_assert_eq(len, sizeof bytes);
	cr_assert_eq(memcmp(p, bytes, len), 0);
	cr_assert(db_bool(r, 5));
	for (int col = 0; col < 6; col++)
		cr_assert_not(db_is_null(r, col), "column %d", col);

	cr_assert(db_next(r));
	for (int col = 0; col < 6; col++)
		cr_assert(db_is_null(r, col), "column %d", col);
	cr_assert_eq(db_int(r, 0), 0);
	cr_assert_eq(db_double(r, 1), 0.0);
	cr_assert_str_eq(db_text(r, 2), "");
	cr_assert_null(db_blob(r, 3, &len));
	cr_assert_eq(len, 0);
	cr_assert_not(db_bool(r, 5));

	cr_assert(db_next(r));
	cr_assert_eq(db_int(r, 0), INT64_MIN);
	cr_assert_eq(db_double(r, 1), -1e300);
	cr_assert_not(db_is_null(r, 2));
	cr_assert_str_eq(db_text(r, 2), "");
	p = db_blob(r, 3, &len);
	cr_assert_eq(len, 1);
	cr_assert_eq(((const char *)p)[0], '\0');
	cr_assert_not(db_bool(r, 5));
	cr_assert_eq(db_int(r, 99), 0, "a column that does not exist reads as NULL");

	cr_assert_not(db_next(r));
	cr_assert_not(db_next(r), "stays at the end");
	cr_assert_eq(db_rows_status(r), DB_OK);
	db_rows_free(r);

	/* Parameters are compared with the right types. */
	int64_t n = 0;
	cr_assert_eq(db_query_int(tc, sql("SELECT count(*) FROM %s WHERE s = ? AND f = ?", t),
				  DB_PARAMS(DB_TEXT(arabic), DB_BOOL(true)), &n), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert_eq(db_query_int(tc, sql("SELECT id FROM %s WHERE b = ?", t), DB_PARAMS(DB_BLOB("\0", 1)), &n), DB_OK);
	cr_assert_eq(n, id3);
}

Test(db, long_text_round_trip)
{
	const char *t = new_table("s TEXT");
	size_t len = 1 << 20;
	char *big = xmalloc(len + 1);
	for (size_t i = 0; i < len; i++)
		big[i] = (char)('a' + i % 26);
	big[len] = '\0';
	cr_assert_eq(db_exec(tc, sql("INSERT INTO %s (s) VALUES (?)", t), DB_PARAMS(DB_TEXT(big)), NULL), DB_OK);
	db_rows *r = db_query(tc, sql("SELECT s FROM %s", t), DB_NO_PARAMS, NULL);
	cr_assert(r && db_next(r));
	cr_assert_eq(strlen(db_text(r, 0)), len);
	cr_assert_str_eq(db_text(r, 0), big);
	db_rows_free(r);
	free(big);
}

Test(db, question_mark_in_quotes_and_comments_is_not_a_placeholder)
{
	db_rows *r = db_query(tc, "SELECT '?' AS \"what?\", ? /* or ? */, 'it''s ?', ? -- really?\n",
			      DB_PARAMS(DB_TEXT("one"), DB_TEXT("two")), NULL);
	cr_assert_not_null(r);
	cr_assert(db_next(r));
	cr_assert_str_eq(db_text(r, 0), "?");
	cr_assert_str_eq(db_text(r, 1), "one");
	cr_assert_str_eq(db_text(r, 2), "it's ?");
	cr_assert_str_eq(db_text(r, 3), "two");
	db_rows_free(r);
	if (on_pg()) { /* PostgreSQL-only quoting */
		r = db_query(tc, "SELECT E'\\'?', $$ ? $$, ?", DB_PARAMS(DB_TEXT("three")), NULL);
		cr_assert(r && db_next(r));
		cr_assert_str_eq(db_text(r, 0), "'?");
		cr_assert_str_eq(db_text(r, 1), " ? ");
		cr_assert_str_eq(db_text(r, 2), "three");
		db_rows_free(r);
	}
}

Test(db, wrong_parameter_count_is_an_error)
{
	cr_assert_eq(db_exec(tc, "SELECT ?, ?", DB_PARAMS(DB_INT(1)), NULL), DB_ERROR);
	int st = DB_OK;
	cr_assert_null(db_query(tc, "SELECT 1", DB_PARAMS(DB_INT(1)), &st));
	cr_assert_eq(st, DB_ERROR);
	int64_t n;
	cr_assert_eq(db_query_int(tc, "SELECT no_such_column FROM no_such_table", DB_NO_PARAMS, &n), DB_ERROR);
	cr_assert_eq(db_query_int(tc, "SELECT 42", DB_NO_PARAMS, &n), DB_OK, "the connection still works");
	cr_assert_eq(n, 42);
}

Test(db, constraint_violations)
{
	const char *parent = new_table("email TEXT NOT NULL UNIQUE, age BIGINT CHECK (age >= 0)");
	const char *child = new_table(sql("parent BIGINT REFERENCES %s (id)", parent));
	const char *ins = sql("INSERT INTO %s (email, age) VALUES (?, ?) RETURNING id", parent);
	int64_t id = 0;
	cr_assert_eq(db_query_int(tc, ins, DB_PARAMS(DB_TEXT("a@example.org"), DB_INT(30)), &id), DB_OK);
	int st = DB_OK;
	cr_assert_null(db_query(tc, ins, DB_PARAMS(DB_TEXT("a@example.org"), DB_INT(31)), &st));
	cr_assert_eq(st, DB_CONSTRAINT, "unique");
	const char *plain = sql("INSERT INTO %s (email, age) VALUES (?, ?)", parent);
	cr_assert_eq(db_exec(tc, plain, DB_PARAMS(DB_TEXT("a@example.org"), DB_INT(1)), NULL), DB_CONSTRAINT);
	cr_assert_eq(db_exec(tc, plain, DB_PARAMS(DB_TEXT(NULL), DB_INT(1)), NULL), DB_CONSTRAINT, "not null");
	cr_assert_eq(db_exec(tc, plain, DB_PARAMS(DB_TEXT("b@example.org"), DB_INT(-1)), NULL), DB_CONSTRAINT, "check");
	const char *ref = sql("INSERT INTO %s (parent) VALUES (?)", child);
	cr_assert_eq(db_exec(tc, ref, DB_PARAMS(DB_INT(id + 1000)), NULL), DB_CONSTRAINT, "foreign key");
	cr_assert_eq(db_exec(tc, ref, DB_PARAMS(DB_INT(id)), NULL), DB_OK);
	cr_assert_eq(count_rows(tc, parent), 1);
}

Test(db, rollback_discards_and_commit_keeps)
{
	const char *t = new_table("v TEXT");
	const char *ins = sql("INSERT INTO %s (v) VALUES (?)", t);
	cr_assert_eq(db_begin(tc, true), DB_OK);
	cr_assert_eq(db_exec(tc, ins, DB_PARAMS(DB_TEXT("gone")), NULL), DB_OK);
	cr_assert_eq(count_rows(tc, t), 1, "visible inside the transaction");
	cr_assert_eq(db_rollback(tc), DB_OK);
	cr_assert_eq(count_rows(tc, t), 0);

	cr_assert_eq(db_begin(tc, true), DB_OK);
	cr_assert_eq(db_exec(tc, ins, DB_PARAMS(DB_TEXT("kept")), NULL), DB_OK);
	cr_assert_eq(db_commit(tc), DB_OK);
	db_conn *other = db_acquire(tdb);
	cr_assert_eq(count_rows(other, t), 1, "visible to another connection");
	db_release(other);

	/* A failed statement: roll back, and the connection is fine after. */
	const char *uniq = new_table("k BIGINT UNIQUE");
	const char *put = sql("INSERT INTO %s (k) VALUES (?)", uniq);
	cr_assert_eq(db_begin(tc, true), DB_OK);
	cr_assert_eq(db_exec(tc, put, DB_PARAMS(DB_INT(1)), NULL), DB_OK);
	cr_assert_eq(db_exec(tc, put, DB_PARAMS(DB_INT(1)), NULL), DB_CONSTRAINT);
	cr_assert_eq(db_rollback(tc), DB_OK);
	cr_assert_eq(count_rows(tc, uniq), 0);
	cr_assert_eq(db_rollback(tc), DB_OK, "rolling back with no transaction is harmless");

	/* A read transaction sees committed data. */
	cr_assert_eq(db_begin(tc, false), DB_OK);
	cr_assert_eq(count_rows(tc, t), 1);
	cr_assert_eq(db_commit(tc), DB_OK);
}

Test(db, for_update_works_on_both)
{
	const char *t = new_table("n BIGINT NOT NULL");
	int64_t id = 0, n = -1;
	cr_assert_eq(db_query_int(tc, sql("INSERT INTO %s (n) VALUES (?) RETURNING id", t), DB_PARAMS(DB_INT(5)), &id),
		     DB_OK);
	cr_assert_eq(db_begin(tc, true), DB_OK);
	cr_assert_eq(db_query_int(tc, sql("SELECT n FROM %s WHERE id = ? FOR UPDATE", t), DB_PARAMS(DB_INT(id)), &n),
		     DB_OK);
	cr_assert_eq(n, 5);
	cr_assert_eq(db_query_int(tc, sql("select n from %s where id = ? for  update ;\n", t), DB_PARAMS(DB_INT(id)), &n),
		     DB_OK);
	cr_assert_eq(db_exec(tc, sql("UPDATE %s SET n = ? WHERE id = ?", t), DB_PARAMS(DB_INT(n + 1), DB_INT(id)), NULL),
		     DB_OK);
	cr_assert_eq(db_commit(tc), DB_OK);
	cr_assert_eq(db_query_int(tc, sql("SELECT n FROM %s", t), DB_NO_PARAMS, &n), DB_OK);
	cr_assert_eq(n, 6);
}

Test(db, lock_wait_gives_busy)
{
	const char *t = new_table("n BIGINT NOT NULL");
	int64_t id = 0, n = 0;
	cr_assert_eq(db_query_int(tc, sql("INSERT INTO %s (n) VALUES (1) RETURNING id", t), DB_NO_PARAMS, &id), DB_OK);
	const char *lock = sql("SELECT n FROM %s WHERE id = ? FOR UPDATE", t);
	cr_assert_eq(db_begin(tc, true), DB_OK);
	cr_assert_eq(db_query_int(tc, lock, DB_PARAMS(DB_INT(id)), &n), DB_OK);

	/* A second connection gives up after 100 ms instead of the usual 10 s. */
	db_conn *other = db_acquire(tdb);
	cr_assert_eq(db_exec(other, pick("PRAGMA busy_timeout = 100", "SET lock_timeout = '100ms'"), DB_NO_PARAMS, NULL),
		     DB_OK);
	int rc = db_begin(other, true); /* SQLite: the write lock is taken here */
	if (rc == DB_OK)
		rc = db_query_int(other, lock, DB_PARAMS(DB_INT(id)), &n); /* PostgreSQL: here */
	cr_assert_eq(rc, DB_BUSY);
	cr_assert_eq(db_rollback(other), DB_OK);
	cr_assert_eq(db_exec(other, pick("PRAGMA busy_timeout = 10000", "SET lock_timeout = '10s'"), DB_NO_PARAMS, NULL),
		     DB_OK);
	db_release(other);
	cr_assert_eq(db_commit(tc), DB_OK);
}

Test(db, postgres_reconnects_after_losing_the_connection)
{
	if (!on_pg())
		cr_skip_test("PostgreSQL only");
	int64_t pid = 0, killed = 0, n = 0;
	cr_assert_eq(db_query_int(tc, "SELECT pg_backend_pid()", DB_NO_PARAMS, &pid), DB_OK);
	db_conn *other = db_acquire(tdb);
	cr_assert_eq(db_query_int(other, "SELECT count(*) FROM pg_terminate_backend(CAST(? AS INTEGER))",
				  DB_PARAMS(DB_INT(pid)), &killed), DB_OK);
	db_release(other);
	usleep(100 * 1000);
	/* The first statement may fail (it finds the connection gone); the next
	 * one reconnects, and statements prepared before must be prepared anew. */
	int rc = db_query_int(tc, "SELECT pg_backend_pid()", DB_NO_PARAMS, &n);
	if (rc != DB_OK)
		rc = db_query_int(tc, "SELECT pg_backend_pid()", DB_NO_PARAMS, &n);
	cr_assert_eq(rc, DB_OK);
	cr_assert_neq(n, pid, "a new backend");
}

Test(db, query_int_none_and_one)
{
	const char *t = new_table("v BIGINT");
	int64_t out = 77;
	const char *get = sql("SELECT v FROM %s WHERE id = ?", t);
	cr_assert_eq(db_query_int(tc, get, DB_PARAMS(DB_INT(1)), &out), 1, "no row");
	cr_assert_eq(out, 77, "untouched when no row came back");
	int64_t id = 0;
	cr_assert_eq(db_query_int(tc, sql("INSERT INTO %s (v) VALUES (-9) RETURNING id", t), DB_NO_PARAMS, &id), DB_OK);
	cr_assert_eq(db_query_int(tc, get, DB_PARAMS(DB_INT(id)), &out), DB_OK);
	cr_assert_eq(out, -9);
}

Test(db, nested_queries_with_the_same_sql)
{
	const char *t = new_table("v BIGINT");
	const char *ins = sql("INSERT INTO %s (v) VALUES (?)", t);
	for (int i = 1; i <= 3; i++)
		cr_assert_eq(db_exec(tc, ins, DB_PARAMS(DB_INT(i)), NULL), DB_OK);
	const char *all = sql("SELECT v FROM %s ORDER BY v", t);
	int64_t sum = 0, outer_rows = 0;
	for (int round = 0; round < 2; round++) { /* the second round reuses the cache */
		db_rows *a = db_query(tc, all, DB_NO_PARAMS, NULL);
		cr_assert_not_null(a);
		while (db_next(a)) {
			outer_rows++;
			db_rows *b = db_query(tc, all, DB_NO_PARAMS, NULL);
			cr_assert_not_null(b);
			while (db_next(b)) {
				db_rows *c = db_query(tc, all, DB_NO_PARAMS, NULL);
				cr_assert_not_null(c);
				while (db_next(c))
					sum += db_int(a, 0) * 100 + db_int(b, 0) * 10 + db_int(c, 0);
				db_rows_free(c);
			}
			db_rows_free(b);
		}
		cr_assert_eq(db_rows_status(a), DB_OK);
		db_rows_free(a);
	}
	cr_assert_eq(outer_rows, 6);
	cr_assert_eq(sum, 2 * 9 * (100 + 10 + 1) * 6); /* 27 triples; each digit sums to 6 nine times */
	int64_t n = 0;
	cr_assert_eq(db_query_int(tc, all, DB_NO_PARAMS, &n), DB_OK);
	cr_assert_eq(n, 1);
}

Test(db, many_distinct_statements)
{
	/* More SQL texts than the drivers cache: the rest run uncached. */
	for (int i = 0; i < 600; i++) {
		char text[64];
		snprintf(text, sizeof text, "SELECT %d + ?", i);
		int64_t n = -1;
		cr_assert_eq(db_query_int(tc, text, DB_PARAMS(DB_INT(1)), &n), DB_OK);
		cr_assert_eq(n, i + 1);
	}
	int64_t n = -1;
	cr_assert_eq(db_query_int(tc, "SELECT 3 + ?", DB_PARAMS(DB_INT(1)), &n), DB_OK);
	cr_assert_eq(n, 4);
}

Test(db, changes_count)
{
	const char *t = new_table("v BIGINT");
	int64_t changes = -1;
	cr_assert_eq(db_exec(tc, sql("INSERT INTO %s (v) VALUES (1), (2), (3)", t), DB_NO_PARAMS, &changes), DB_OK);
	cr_assert_eq(changes, 3);
	cr_assert_eq(db_exec(tc, sql("UPDATE %s SET v = v + 10 WHERE v >= ?", t), DB_PARAMS(DB_INT(2)), &changes), DB_OK);
	cr_assert_eq(changes, 2);
	cr_assert_eq(db_exec(tc, sql("UPDATE %s SET v = 0 WHERE v < 0", t), DB_NO_PARAMS, &changes), DB_OK);
	cr_assert_eq(changes, 0);
	cr_assert_eq(db_exec(tc, sql("DELETE FROM %s WHERE v > 10", t), DB_NO_PARAMS, &changes), DB_OK);
	cr_assert_eq(changes, 2);
	const char *other = new_table("w BIGINT");
	cr_assert_eq(db_exec(tc, sql("DROP TABLE %s", other), DB_NO_PARAMS, &changes), DB_OK);
	cr_assert_eq(changes, 0, "DDL changes no rows");
	cr_assert_eq(db_exec(tc, sql("DELETE FROM %s", t), DB_NO_PARAMS, NULL), DB_OK, "changes may be NULL");
}

Test(db, exec_script_runs_every_statement)
{
	const char *t = new_table("v TEXT");
	const char *script = sql("INSERT INTO %s (v) VALUES ('a; b');\n"
				 "-- a comment; with a semicolon\n"
				 "INSERT INTO %s (v) VALUES ('c');\n"
				 "UPDATE %s SET v = v || '!' WHERE v = 'c';",
				 t, t, t);
	cr_assert_eq(db_exec_script(tc, script), DB_OK);
	cr_assert_eq(count_rows(tc, t), 2);
	int64_t n = 0;
	cr_assert_eq(db_query_int(tc, sql("SELECT count(*) FROM %s WHERE v IN ('a; b', 'c!')", t), DB_NO_PARAMS, &n),
		     DB_OK);
	cr_assert_eq(n, 2);
	cr_assert_eq(db_exec_script(tc, "SELECT 1; THIS IS NOT SQL;"), DB_ERROR);
}

struct counter_job {
	db *pool;
	const char *select, *update;
	int64_t id;
	int done, errors, retries;
};

/* increment_many: 200 read-modify-write transactions on one counter row,
 * each retried whole on DB_BUSY. */
static void *increment_many(void *arg)
{
	struct counter_job *job = arg;
	for (int i = 0; i < 200; i++) {
		for (int attempt = 0;; attempt++) {
			db_conn *c = db_acquire(job->pool);
			int64_t n = 0;
			int rc = db_begin(c, true);
			if (rc == DB_OK)
				rc = db_query_int(c, job->select, DB_PARAMS(DB_INT(job->id)), &n);
			if (rc == DB_OK)
				rc = db_exec(c, job->update, DB_PARAMS(DB_INT(n + 1), DB_INT(job->id)), NULL);
			if (rc == DB_OK)
				rc = db_commit(c);
			if (rc != DB_OK)
				db_rollback(c);
			db_release(c);
			if (rc == DB_OK) {
				__atomic_fetch_add(&job->done, 1, __ATOMIC_SEQ_CST);
				break;
			}
			if (rc != DB_BUSY || attempt > 50) {
				__atomic_fetch_add(&job->errors, 1, __ATOMIC_SEQ_CST);
				break;
			}
			__atomic_fetch_add(&job->retries, 1, __ATOMIC_SEQ_CST);
		}
	}
	return NULL;
}

Test(db, pool_of_eight_threads_counts_exactly)
{
	const char *t = new_table("n BIGINT NOT NULL");
	struct counter_job job = { .pool = tdb };
	cr_assert_eq(db_query_int(tc, sql("INSERT INTO %s (n) VALUES (0) RETURNING id", t), DB_NO_PARAMS, &job.id), DB_OK);
	job.select = sql("SELECT n FROM %s WHERE id = ? FOR UPDATE", t);
	job.update = sql("UPDATE %s SET n = ? WHERE id = ?", t);
	db_release(tc); /* all eight pool connections for the threads */
	tc = NULL;
	uint64_t queries = db_queries_total();
	pthread_t threads[8];
	for (int i = 0; i < 8; i++)
		cr_assert_eq(pthread_create(&threads[i], NULL, increment_many, &job), 0);
	for (int i = 0; i < 8; i++)
		pthread_join(threads[i], NULL);
	tc = db_acquire(tdb);
	cr_assert_eq(job.errors, 0);
	cr_assert_eq(job.done, 1600);
	int64_t n = 0;
	cr_assert_eq(db_query_int(tc, sql("SELECT n FROM %s", t), DB_NO_PARAMS, &n), DB_OK);
	cr_assert_eq(n, 1600, "lost updates: %lld (retries %d)", (long long)(1600 - n), job.retries);
	cr_assert_geq(db_queries_total() - queries, 4 * 1600);
	cr_assert_gt(db_time_total_us(), 0);
}

Test(db, backup_copies_a_consistent_database)
{
	char path[128], err[256];
	snprintf(path, sizeof path, "/tmp/khibra-db-test-backup-%ld.db", (long)getpid());
	if (on_pg()) {
		cr_assert_eq(db_backup(tdb, path, err, sizeof err), DB_ERROR);
		cr_assert(strstr(err, "postgres") != NULL, "%s", err);
		return;
	}
	const char *t = new_table("v TEXT");
	for (int i = 0; i < 50; i++)
		cr_assert_eq(db_exec(tc, sql("INSERT INTO %s (v) VALUES (?)", t), DB_PARAMS(DB_TEXT("نسخة")), NULL), DB_OK);
	cr_assert_eq(db_backup(tdb, path, err, sizeof err), DB_OK, "%s", err);
	cr_assert_eq(db_backup(tdb, path, err, sizeof err), DB_OK, "a second backup replaces the first: %s", err);
	struct stat sb;
	char side[160];
	snprintf(side, sizeof side, "%s-wal", path);
	cr_assert_neq(stat(side, &sb), 0, "the copy is one standalone file");
	snprintf(side, sizeof side, "%s.tmp", path);
	cr_assert_neq(stat(side, &sb), 0, "no temporary left behind");

	char url[160];
	snprintf(url, sizeof url, "sqlite:%s", path);
	db *copy = db_open(url, 1, err, sizeof err);
	cr_assert_not_null(copy, "%s", err);
	db_conn *c = db_acquire(copy);
	cr_assert_eq(count_rows(c, t), 50);
	int64_t n = 0;
	cr_assert_eq(db_query_int(c, sql("SELECT count(*) FROM %s WHERE v = ?", t), DB_PARAMS(DB_TEXT("نسخة")), &n), DB_OK);
	cr_assert_eq(n, 50);
	db_release(c);
	db_close(copy);
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

Test(db, open_failures_give_one_line)
{
	char err[256] = "";
	cr_assert_null(db_open("mysql://x", 1, err, sizeof err));
	cr_assert(strstr(err, "sqlite:") != NULL, "%s", err);
	cr_assert_null(db_open("sqlite:", 1, err, sizeof err));
	cr_assert_null(db_open("sqlite:/proc/khibra/no/t.db", 1, err, sizeof err));
	cr_assert(*err && !strchr(err, '\n'), "%s", err);
	/* Port 1 on loopback: nothing listens there. */
	cr_assert_null(db_open("postgres://nobody:secret@127.0.0.1:1/none?connect_timeout=2", 1, err, sizeof err));
	cr_assert(strstr(err, "PostgreSQL") != NULL, "%s", err);
	cr_assert(!strchr(err, '\n') && !strstr(err, "secret"), "%s", err);
}
