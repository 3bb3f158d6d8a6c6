/*
 * jobs_test.c — the durable job queue (store/jobs.c) on the database named by
 * KHIBRA_TEST_DB (run on SQLite and on PostgreSQL).
 *
 * Other store tests enqueue e-mail jobs at real or future times, so these
 * tests live in 1970 (T below): a claim at such a "now" only sees this
 * file's jobs.  The scenarios run one after another in one test, because a
 * claim takes any due job and two scenarios side by side would take each
 * other's.
 */
#include "store/jobs.h"

#include "store_fixture.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL 8
#define T ((int64_t)1000000) /* 1970-01-12: before every other test's jobs */

static struct store_fixture fixture;
static db *jdb;
static db_conn *jc;

static void setup(void)
{
	store_fixture_open_pool(&fixture, false, POOL);
	jdb = fixture.db;
	jc = fixture.c;
}

static void teardown(void)
{
	store_fixture_close(&fixture);
}

TestSuite(jobs, .init = setup, .fini = teardown, .timeout = 120);

/* clear: forget this file's jobs (a rerun on the same database starts clean). */
static void clear(void)
{
	cr_assert_eq(db_exec(jc, "DELETE FROM jobs WHERE run_at < 100000000", DB_NO_PARAMS, NULL), DB_OK);
}

static int64_t enqueue(const char *kind, int64_t run_at, int max_attempts, const char *key)
{
	int64_t id = -1;
	cr_assert_eq(store_job_enqueue(jc, kind, "{\"n\":1}", run_at, max_attempts, key, T, &id), DB_OK);
	return id;
}

/* a second enqueue with the same key is a no-op, even after the first ran. */
static void dedupe(void)
{
	clear();
	int64_t first = enqueue("test", T, 0, "test:dedupe:1");
	cr_assert_gt(first, 0);
	cr_assert_eq(enqueue("test", T, 0, "test:dedupe:1"), 0, "the same key enqueued twice");
	int64_t n = 0;
	cr_assert_eq(db_query_int(jc, "SELECT count(*) FROM jobs WHERE dedupe_key = 'test:dedupe:1'", DB_NO_PARAMS, &n),
		     DB_OK);
	cr_assert_eq(n, 1);
	struct job j;
	cr_assert_eq(store_job_claim(jc, "w1", T, 300, &j), DB_OK);
	cr_assert_eq(j.id, first);
	cr_assert_eq(store_job_complete(jc, j.id, "w1", T), DB_OK);
	job_free(&j);
	cr_assert_eq(enqueue("test", T + 10, 0, "test:dedupe:1"), 0, "a done job's key still counts");
	/* Jobs without a key never collide. */
	cr_assert_gt(enqueue("test", T, 0, NULL), 0);
	cr_assert_gt(enqueue("test", T, 0, NULL), 0);
}

/* a job is not claimed before its run_at; the soonest comes first. */
static void respects_run_at(void)
{
	clear();
	int64_t later = enqueue("test", T + 100, 0, NULL);
	int64_t sooner = enqueue("test", T + 50, 0, NULL);
	struct job j;
	cr_assert_eq(store_job_claim(jc, "w1", T + 49, 300, &j), STORE_NOT_FOUND, "claimed before run_at");
	cr_assert_eq(store_job_claim(jc, "w1", T + 100, 300, &j), DB_OK);
	cr_assert_eq(j.id, sooner);
	cr_assert_eq(j.attempts, 1);
	cr_assert_str_eq(j.locked_by, "w1");
	cr_assert_eq(j.locked_until, T + 400);
	cr_assert_str_eq(j.payload, "{\"n\":1}");
	job_free(&j);
	cr_assert_eq(store_job_claim(jc, "w2", T + 100, 300, &j), DB_OK);
	cr_assert_eq(j.id, later);
	job_free(&j);
	/* Both are leased now: nothing more to claim. */
	cr_assert_eq(store_job_claim(jc, "w3", T + 100, 300, &j), STORE_NOT_FOUND);
	/* Only the holder may complete it. */
	cr_assert_eq(store_job_complete(jc, later, "w1", T + 101), STORE_NOT_FOUND);
	cr_assert_eq(store_job_complete(jc, later, "w2", T + 101), DB_OK);
}

/* a failed job comes back after its back-off and not before. */
static void backoff(void)
{
	clear();
	int64_t id = enqueue("test", T, 3, NULL);
	struct job j;
	bool dead = true;
	cr_assert_eq(store_job_claim(jc, "w1", T, 300, &j), DB_OK);
	job_free(&j);
	cr_assert_eq(store_job_fail(jc, id, "w1", "smtp refused", T, &dead), DB_OK);
	cr_assert_not(dead);
	cr_assert_eq(store_job_claim(jc, "w1", T + 59, 300, &j), STORE_NOT_FOUND, "came back before 60 s");
	cr_assert_eq(store_job_claim(jc, "w1", T + 60, 300, &j), DB_OK);
	cr_assert_eq(j.id, id);
	cr_assert_eq(j.attempts, 2);
	cr_assert_str_eq(j.last_error, "smtp refused");
	job_free(&j);
	cr_assert_eq(store_job_fail(jc, id, "w1", "smtp refused again", T + 60, &dead), DB_OK);
	cr_assert_not(dead);
	cr_assert_eq(store_job_claim(jc, "w1", T + 60 + 119, 300, &j), STORE_NOT_FOUND, "came back before 120 s");
	cr_assert_eq(store_job_claim(jc, "w1", T + 60 + 120, 300, &j), DB_OK);
	job_free(&j);
	/* The third failure is the last of max_attempts = 3: dead. */
	cr_assert_eq(store_job_fail(jc, id, "w1", "gave up", T + 200, &dead), DB_OK);
	cr_assert(dead);
	cr_assert_eq(store_job_claim(jc, "w1", T + 100000, 300, &j), STORE_NOT_FOUND, "a dead job was claimed");
	struct job *list;
	int n;
	cr_assert_eq(store_jobs_list(jc, JOBS_DEAD, 1000, &list, &n), DB_OK);
	bool seen = false;
	for (int i = 0; i < n; i++)
		if (list[i].id == id) {
			seen = true;
			cr_assert_str_eq(list[i].last_error, "gave up");
			cr_assert_eq(list[i].attempts, 3);
			cr_assert_eq(list[i].done_at, T + 200);
		}
	jobs_free(list, n);
	cr_assert(seen, "the dead job is not listed");
	cr_assert_eq(store_jobs_list(jc, JOBS_PENDING, 1000, &list, &n), DB_OK);
	for (int i = 0; i < n; i++)
		cr_assert_neq(list[i].id, id, "a dead job is listed as pending");
	jobs_free(list, n);
}

/* a worker killed mid-job: after its lease another worker claims the job;
 * killed during the last attempt, the job is dead. */
static void expired_lease(void)
{
	clear();
	int64_t id = enqueue("test", T, 2, NULL);
	struct job j;
	cr_assert_eq(store_job_claim(jc, "killed", T, 300, &j), DB_OK);
	job_free(&j);
	cr_assert_eq(store_job_claim(jc, "w2", T + 299, 300, &j), STORE_NOT_FOUND, "claimed during the lease");
	cr_assert_eq(store_job_claim(jc, "w2", T + 301, 300, &j), DB_OK);
	cr_assert_eq(j.id, id);
	cr_assert_eq(j.attempts, 2);
	cr_assert_str_eq(j.locked_by, "w2");
	job_free(&j);
	/* The killed worker wakes up: the job is no longer its own. */
	cr_assert_eq(store_job_complete(jc, id, "killed", T + 302), STORE_NOT_FOUND);
	cr_assert_eq(store_job_fail(jc, id, "killed", "late", T + 302, NULL), STORE_NOT_FOUND);
	/* w2 dies too, on the last attempt: the next claim buries the job. */
	cr_assert_eq(store_job_claim(jc, "w3", T + 700, 300, &j), STORE_NOT_FOUND);
	int64_t done = 0;
	cr_assert_eq(db_query_int(jc, "SELECT COALESCE(done_at, 0) FROM jobs WHERE id = ?", DB_PARAMS(DB_INT(id)), &done),
		     DB_OK);
	cr_assert_eq(done, T + 700);
}

/* many workers on separate connections never get the same job. */
#define RACE_JOBS 60
#define RACE_WORKERS 6
static int64_t claimed[RACE_WORKERS][RACE_JOBS];
static int nclaimed[RACE_WORKERS];

static void *race_worker(void *arg)
{
	int w = (int)(intptr_t)arg;
	char name[16];
	snprintf(name, sizeof name, "race%d", w);
	db_conn *c = db_acquire(jdb);
	for (;;) {
		struct job j;
		int st = store_job_claim(c, name, T + 10, 300, &j);
		if (st == DB_BUSY)
			continue;
		if (st != DB_OK)
			break;
		claimed[w][nclaimed[w]++] = j.id;
		store_job_complete(c, j.id, name, T + 10);
		job_free(&j);
		if (nclaimed[w] == RACE_JOBS)
			break;
	}
	db_release(c);
	return NULL;
}

static void race(void)
{
	clear();
	for (int i = 0; i < RACE_JOBS; i++)
		enqueue("test", T, 0, NULL);
	pthread_t t[RACE_WORKERS];
	for (int w = 0; w < RACE_WORKERS; w++)
		pthread_create(&t[w], NULL, race_worker, (void *)(intptr_t)w);
	for (int w = 0; w < RACE_WORKERS; w++)
		pthread_join(t[w], NULL);
	int total = 0;
	for (int w = 0; w < RACE_WORKERS; w++)
		for (int i = 0; i < nclaimed[w]; i++) {
			total++;
			for (int v = 0; v < RACE_WORKERS; v++)
				for (int k = 0; k < nclaimed[v]; k++)
					cr_assert(v == w && k == i ? true : claimed[v][k] != claimed[w][i],
						  "job %lld claimed twice", (long long)claimed[w][i]);
		}
	cr_assert_eq(total, RACE_JOBS, "claimed %d of %d jobs", total, RACE_JOBS);
	int64_t pending = 0;
	cr_assert_eq(db_query_int(jc, "SELECT count(*) FROM jobs WHERE run_at < 100000000 AND done_at IS NULL",
				  DB_NO_PARAMS, &pending), DB_OK);
	cr_assert_eq(pending, 0);
}

Test(jobs, queue)
{
	dedupe();
	respects_run_at();
	backoff();
	expired_lease();
	race();
	clear();
}

/* store_job_enqueue_mail: the payload the mail job reads. */
Test(jobs, mail_payload)
{
	const int64_t far = 4000000000; /* as "now": no claim in this file sees it */
	cr_assert_eq(store_job_enqueue_mail(jc, 42, "reminder_shift", "{\"title\":\"قافلة\"}", "/me/applications", far),
		     DB_OK);
	int st;
	db_rows *r = db_query(jc, "SELECT kind, payload, run_at, max_attempts FROM jobs WHERE kind = 'mail' "
				  "AND created_at = ? ORDER BY id DESC LIMIT 1", DB_PARAMS(DB_INT(far)), &st);
	cr_assert_not_null(r);
	cr_assert(db_next(r));
	cr_assert_str_eq(db_text(r, 0), "mail");
	json_t *p = json_loads(db_text(r, 1), 0, NULL);
	cr_assert_not_null(p);
	cr_assert_eq(json_integer_value(json_object_get(p, "user_id")), 42);
	cr_assert_str_eq(json_string_value(json_object_get(p, "kind")), "reminder_shift");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(p, "params"), "title")), "قافلة");
	cr_assert_str_eq(json_string_value(json_object_get(p, "link")), "/me/applications");
	cr_assert_eq(db_int(r, 2), far);
	cr_assert_eq(db_int(r, 3), JOB_DEFAULT_MAX_ATTEMPTS);
	json_decref(p);
	db_rows_free(r);
	db_exec(jc, "DELETE FROM jobs WHERE kind = 'mail' AND created_at = ?", DB_PARAMS(DB_INT(far)), NULL);
}
