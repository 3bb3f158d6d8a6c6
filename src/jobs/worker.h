/*
 * worker.h — the background worker of `khibra serve`: each tick it scans
 * for reminders and nudges to enqueue, then runs the jobs that are due
 * (store/jobs.h).  Every app process runs one; they share the queue safely.
 *
 * Job kinds:
 *   mail      {user_id, kind, params, link} — one notification e-mail,
 *             rendered in the person's locale when it runs; retried with
 *             back-off when sending fails.
 *   reminder  {application_id, starts_at} — 24 hours before an accepted
 *             shift: a notification and an e-mail to the specialist;
 *             {request_id, user_id, starts_at} — the same for a booked help
 *             session, to the requester and to the specialist.
 *   nudge     {opportunity_id} — applications left "applied" for three days:
 *             a notification and an e-mail to the organisation's owners and
 *             coordinators, at most once a day per opportunity.
 *   offer_expiry {application_id} — a waiting-list offer not confirmed within
 *             48 hours: declined ("The offer expired"), the place offered to
 *             the next person waiting or freed.
 *   account_mail {user_id, purpose} — the verification or password-reset
 *             e-mail; its single-use token is made when it is sent.
 *   housekeeping {} — once a day at 03:00 Riyadh: old rate events, dead
 *             sessions and spent e-mail tokens are deleted.
 */
#ifndef KHIBRA_JOBS_WORKER_H
#define KHIBRA_JOBS_WORKER_H

#include "mail/mail.h"
#include "store/db.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JOBS_DEFAULT_INTERVAL_MS 5000
#define JOBS_REMINDER_AHEAD (24 * 3600)  /* remind this long before the start */
#define JOBS_NUDGE_AFTER (3 * 24 * 3600) /* nudge when an application waits this long */
#define JOBS_KEEP_DONE (30 * 24 * 3600)  /* forget succeeded jobs after this */

/* What the jobs need from the running application (borrowed). */
struct jobs_env {
	db *db;
	const struct mail_config *mail;
	const char *public_url;   /* base of links in e-mails */
	const char *worker_id;    /* this worker's name in jobs.locked_by */
};

/* jobs_scan: enqueue the reminders and nudges that are due at `now` (each
 * once, by its dedupe key).  Returns a db_status. */
int jobs_scan(db_conn *c, int64_t now);
/* jobs_run_one: claim one due job and run it.  1 when a job ran (whatever
 * its outcome), 0 when none was due, negative on a database error. */
int jobs_run_one(const struct jobs_env *env, db_conn *c, int64_t now);
/* jobs_tick: one scan, then the due jobs (at most `max_jobs`); returns how
 * many ran.  `stop` (may be NULL) is polled between jobs. */
int jobs_tick(const struct jobs_env *env, int max_jobs, const atomic_bool *stop);

/* jobs_worker_name: this process's worker name, "HOST:PID", into out. */
void jobs_worker_name(char *out, size_t size);
/* jobs_worker_start: a thread that ticks every interval_ms (and at once when
 * kicked) until jobs_worker_stop().  It blocks the termination signals, which
 * belong to the main thread.  False if the thread could not start. */
bool jobs_worker_start(const struct jobs_env *env, int interval_ms);
/* jobs_worker_kick: wake this process's worker now (new work was queued);
 * nothing when no worker runs. */
void jobs_worker_kick(void);
/* jobs_worker_stop: finish the current job, stop the thread and join it. */
void jobs_worker_stop(void);

#endif
