/*
 * jobs.h — the durable job queue in the database (jobs.c).
 *
 * Work that must happen even if this process dies (an e-mail, a reminder, a
 * nudge) is a row in `jobs`.  Several app processes may share one database,
 * so every worker claims a job with one conditional UPDATE that only one of
 * them can win, and holds it for a lease (JOB_LEASE_SECONDS): a worker that
 * is killed leaves the lease to expire and another worker claims the job
 * again.  A job that fails comes back after an exponential back-off
 * (job_backoff_seconds); after max_attempts it is "dead": done, with its
 * last error kept for the operators.
 *
 * Delivery is at least once: a job whose side effect happened but whose
 * completion was not recorded (a crash in between) runs again.  Jobs whose
 * effect is in the database do it in the same transaction as
 * store_job_complete_tx, which makes them exactly once.
 *
 * Conventions as in store.h.
 */
#ifndef KHIBRA_STORE_JOBS_H
#define KHIBRA_STORE_JOBS_H

#include "store/store.h"

#define JOB_LEASE_SECONDS 300          /* how long a claim lasts */
#define JOB_DEFAULT_MAX_ATTEMPTS 8
#define JOB_BACKOFF_BASE_SECONDS 60    /* the first retry waits a minute */
#define JOB_BACKOFF_MAX_SECONDS (6 * 3600)

struct job {
	int64_t id;
	char kind[32];
	char *payload;        /* JSON object text */
	int64_t run_at;
	int attempts;         /* claims so far, this one included */
	int max_attempts;
	char *last_error;     /* "" when none */
	char *locked_by;      /* "" when not claimed */
	int64_t locked_until; /* 0 when not claimed */
	int64_t done_at;      /* 0 while pending */
	char *dedupe_key;     /* "" when none */
	int64_t created_at;
};
void job_free(struct job *j);
void jobs_free(struct job *list, int count);

/* job_backoff_seconds: the wait before the next try after `attempts` failed
 * tries (1 → 60 s, 2 → 120 s, 3 → 240 s …), never more than 6 hours. */
int64_t job_backoff_seconds(int attempts);

/* store_job_enqueue: a new job of `kind` with a JSON payload, due at run_at.
 * max_attempts <= 0 means JOB_DEFAULT_MAX_ATTEMPTS.  With a dedupe_key, a
 * second enqueue with the same key does nothing (even after the first job
 * ran): *id (may be NULL) is then 0, else the new job's id. */
int store_job_enqueue(db_conn *c, const char *kind, const char *payload, int64_t run_at, int max_attempts,
		      const char *dedupe_key, int64_t now, int64_t *id);

/* store_job_enqueue_mail: a "mail" job that e-mails notification `kind`
 * (params: a JSON object's text) to the user, rendered in their locale when
 * it runs.  Call it inside the transaction that makes the notification. */
int store_job_enqueue_mail(db_conn *c, int64_t user_id, const char *kind, const char *params_json,
			   const char *link, int64_t now);

/* store_job_claim: lease the next due job (run_at <= now, not done, no live
 * lease) to `worker` until now + lease_seconds, counting the attempt.  Two
 * workers never get the same job while the lease lasts.  STORE_NOT_FOUND when
 * nothing is due.  Jobs whose lease ran out on their last attempt are marked
 * dead on the way. */
int store_job_claim(db_conn *c, const char *worker, int64_t now, int64_t lease_seconds, struct job *out);

/* store_job_complete: the job succeeded.  STORE_NOT_FOUND when `worker` no
 * longer holds it (its lease ran out and another worker took it). */
int store_job_complete(db_conn *c, int64_t id, const char *worker, int64_t now);

/* store_job_fail: the try failed with `error`: the job comes back after
 * job_backoff_seconds(attempts), or is dead (*dead = true, may be NULL) when
 * it has had max_attempts tries.  STORE_NOT_FOUND as for complete. */
int store_job_fail(db_conn *c, int64_t id, const char *worker, const char *error, int64_t now, bool *dead);

enum jobs_filter { JOBS_PENDING, JOBS_DEAD };
/* store_jobs_list: pending jobs (soonest first) or dead ones (latest first),
 * at most `limit` (array owned by the caller). */
int store_jobs_list(db_conn *c, enum jobs_filter filter, int limit, struct job **out, int *count);

/* store_jobs_prune: forget jobs that succeeded before `before` (dead ones stay). */
int store_jobs_prune(db_conn *c, int64_t before);

#endif
