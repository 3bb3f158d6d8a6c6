/*
 * jobs.c — the durable job queue: enqueue, claim with a lease, complete,
 * fail with back-off (jobs.h).
 */
#include "store/jobs.h"
#include "core/xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLAIM_TRIES 5 /* other workers may win the first candidates */

void job_free(struct job *j)
{
	free(j->payload);
	free(j->last_error);
	free(j->locked_by);
	free(j->dedupe_key);
	memset(j, 0, sizeof *j);
}

void jobs_free(struct job *list, int count)
{
	for (int i = 0; i < count; i++)
		job_free(&list[i]);
	free(list);
}

int64_t job_backoff_seconds(int attempts)
{
	if (attempts < 1)
		attempts = 1;
	int64_t wait = JOB_BACKOFF_BASE_SECONDS;
	for (int i = 1; i < attempts && wait < JOB_BACKOFF_MAX_SECONDS; i++)
		wait *= 2;
	return wait < JOB_BACKOFF_MAX_SECONDS ? wait : JOB_BACKOFF_MAX_SECONDS;
}

int store_job_enqueue(db_conn *c, const char *kind, const char *payload, int64_t run_at, int max_attempts,
		      const char *dedupe_key, int64_t now, int64_t *id)
{
	int64_t new_id = 0;
	int st = db_query_int(c, "INSERT INTO jobs (kind, payload, run_at, max_attempts, dedupe_key, created_at) "
				 "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
			      DB_PARAMS(DB_TEXT(kind), DB_TEXT(payload ? payload : "{}"), DB_INT(run_at),
					DB_INT(max_attempts > 0 ? max_attempts : JOB_DEFAULT_MAX_ATTEMPTS),
					DB_TEXT(dedupe_key), DB_INT(now)),
			      &new_id);
	if (st == STORE_NOT_FOUND) /* the key was taken: nothing to do */
		st = DB_OK;
	if (id)
		*id = st == DB_OK ? new_id : 0;
	return st;
}

int store_job_enqueue_mail(db_conn *c, int64_t user_id, const char *kind, const char *params_json,
			   const char *link, int64_t now)
{
	json_t *params = json_loads(params_json ? params_json : "{}", 0, NULL);
	json_t *payload = json_pack("{s:I, s:s, s:o, s:s}", "user_id", (json_int_t)user_id, "kind", kind,
				    "params", params ? params : json_object(), "link", link ? link : "");
	char *text = payload ? json_dumps(payload, JSON_COMPACT) : NULL;
	json_decref(payload);
	int st = text ? store_job_enqueue(c, "mail", text, now, 0, NULL, now, NULL) : DB_ERROR;
	free(text);
	return st;
}

#define JOB_COLUMNS                                                                                    \
	"SELECT id, kind, payload, run_at, attempts, max_attempts, last_error, COALESCE(locked_by, ''), " \
	"COALESCE(locked_until, 0), COALESCE(done_at, 0), COALESCE(dedupe_key, ''), created_at FROM jobs "

static void job_read(db_rows *r, struct job *j)
{
	j->id = db_int(r, 0);
	snprintf(j->kind, sizeof j->kind, "%s", db_text(r, 1));
	j->payload = xstrdup(db_text(r, 2));
	j->run_at = db_int(r, 3);
	j->attempts = (int)db_int(r, 4);
	j->max_attempts = (int)db_int(r, 5);
	j->last_error = xstrdup(db_text(r, 6));
	j->locked_by = xstrdup(db_text(r, 7));
	j->locked_until = db_int(r, 8);
	j->done_at = db_int(r, 9);
	j->dedupe_key = xstrdup(db_text(r, 10));
	j->created_at = db_int(r, 11);
}

/* job_get: one job by id. */
static int job_get(db_conn *c, int64_t id, struct job *out)
{
	int st;
	memset(out, 0, sizeof *out);
	db_rows *r = db_query(c, JOB_COLUMNS "WHERE id = ?", DB_PARAMS(DB_INT(id)), &st);
	if (!r)
		return st;
	st = STORE_NOT_FOUND;
	if (db_next(r)) {
		job_read(r, out);
		st = DB_OK;
	} else if (db_rows_status(r) != DB_OK) {
		st = db_rows_status(r);
	}
	db_rows_free(r);
	return st;
}

int store_job_claim(db_conn *c, const char *worker, int64_t now, int64_t lease_seconds, struct job *out)
{
	memset(out, 0, sizeof *out);
	/* A job whose worker died during its last attempt will not be tried
	 * again: it is dead. */
	int st = db_exec(c, "UPDATE jobs SET done_at = ?, locked_by = NULL, locked_until = NULL, "
			    "last_error = CASE WHEN last_error = '' THEN 'the worker stopped during the last attempt' "
			    "ELSE last_error END "
			    "WHERE done_at IS NULL AND attempts >= max_attempts AND locked_until < ?",
			 DB_PARAMS(DB_INT(now), DB_INT(now)), NULL);
	for (int tries = 0; st == DB_OK && tries < CLAIM_TRIES; tries++) {
		int64_t id = 0;
		st = db_query_int(c, "SELECT id FROM jobs WHERE done_at IS NULL AND run_at <= ? "
				     "AND (locked_until IS NULL OR locked_until < ?) AND attempts < max_attempts "
				     "ORDER BY run_at, id LIMIT 1",
				  DB_PARAMS(DB_INT(now), DB_INT(now)), &id);
		if (st != DB_OK)
			return st;
		/* Only one worker's UPDATE can match: the others see the lease. */
		int64_t changes = 0;
		st = db_exec(c, "UPDATE jobs SET locked_by = ?, locked_until = ?, attempts = attempts + 1 "
				"WHERE id = ? AND done_at IS NULL AND (locked_until IS NULL OR locked_until < ?) "
				"AND attempts < max_attempts",
			     DB_PARAMS(DB_TEXT(worker), DB_INT(now + lease_seconds), DB_INT(id), DB_INT(now)), &changes);
		if (st == DB_OK && changes == 1)
			return job_get(c, id, out);
	}
	return st == DB_OK ? STORE_NOT_FOUND : st;
}

int store_job_complete(db_conn *c, int64_t id, const char *worker, int64_t now)
{
	int64_t changes = 0;
	int st = db_exec(c, "UPDATE jobs SET done_at = ?, locked_by = NULL, locked_until = NULL, last_error = '' "
			    "WHERE id = ? AND locked_by = ? AND done_at IS NULL",
			 DB_PARAMS(DB_INT(now), DB_INT(id), DB_TEXT(worker)), &changes);
	return st == DB_OK && changes == 0 ? STORE_NOT_FOUND : st;
}

int store_job_fail(db_conn *c, int64_t id, const char *worker, const char *error, int64_t now, bool *dead)
{
	int64_t attempts = 0, max_attempts = 0;
	int st = db_query_int(c, "SELECT attempts FROM jobs WHERE id = ? AND locked_by = ? AND done_at IS NULL",
			      DB_PARAMS(DB_INT(id), DB_TEXT(worker)), &attempts);
	if (st == DB_OK)
		st = db_query_int(c, "SELECT max_attempts FROM jobs WHERE id = ?", DB_PARAMS(DB_INT(id)), &max_attempts);
	if (st != DB_OK)
		return st;
	bool gives_up = attempts >= max_attempts;
	if (dead)
		*dead = gives_up;
	int64_t changes = 0;
	st = db_exec(c, "UPDATE jobs SET locked_by = NULL, locked_until = NULL, last_error = ?, "
			"run_at = ?, done_at = ? WHERE id = ? AND locked_by = ? AND done_at IS NULL",
		     DB_PARAMS(DB_TEXT(error && *error ? error : "failed"),
			       DB_INT(gives_up ? now : now + job_backoff_seconds((int)attempts)),
			       gives_up ? DB_INT(now) : DB_NULL, DB_INT(id), DB_TEXT(worker)),
		     &changes);
	return st == DB_OK && changes == 0 ? STORE_NOT_FOUND : st;
}

int store_jobs_list(db_conn *c, enum jobs_filter filter, int limit, struct job **out, int *count)
{
	int st;
	*out = NULL;
	*count = 0;
	db_rows *r = filter == JOBS_DEAD
		? db_query(c, JOB_COLUMNS "WHERE done_at IS NOT NULL AND last_error <> '' ORDER BY done_at DESC, id DESC "
				       "LIMIT ?", DB_PARAMS(DB_INT(limit)), &st)
		: db_query(c, JOB_COLUMNS "WHERE done_at IS NULL ORDER BY run_at, id LIMIT ?",
			   DB_PARAMS(DB_INT(limit)), &st);
	if (!r)
		return st;
	int cap = 0;
	while (db_next(r)) {
		if (*count == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xreallocarray(*out, (size_t)cap, sizeof **out);
		}
		job_read(r, &(*out)[(*count)++]);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK) {
		jobs_free(*out, *count);
		*out = NULL;
		*count = 0;
	}
	return st;
}

int store_jobs_prune(db_conn *c, int64_t before)
{
	return db_exec(c, "DELETE FROM jobs WHERE done_at IS NOT NULL AND done_at < ? AND last_error = ''",
		       DB_PARAMS(DB_INT(before)), NULL);
}
