/*
 * run.c — running one claimed job: mail, reminder, nudge (worker.h), and
 * "account_mail" {user_id, purpose} (a verification or reset link,
 * auth/accounts.h) and "housekeeping" {} (the daily clean-up, scan.c).
 *
 * A reminder or nudge writes its notifications, queues their e-mails and
 * completes itself in one transaction: it happens exactly once.  A mail job
 * sends and then completes: at least once (a crash between the two sends
 * it again after the lease).
 */
#include "jobs/worker.h"
#include "auth/accounts.h"
#include "auth/notify.h"
#include "core/log.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "store/applications.h"
#include "store/jobs.h"
#include "store/notifications.h"
#include "store/store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Outcomes of a job's work. */
enum job_outcome { JOB_DONE, JOB_RETRY };

/* tell: a notification and its e-mail job, inside the caller's transaction. */
static int tell(db_conn *c, int64_t user_id, const char *kind, json_t *params, const char *link, int64_t now)
{
	char *text = json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS);
	int st = store_notification_create(c, user_id, kind, text ? text : "{}", link, now, NULL);
	if (st == DB_OK)
		st = store_job_enqueue_mail(c, user_id, kind, text ? text : "{}", link, now);
	free(text);
	return st;
}

/* remind_shift: the specialist of a still-accepted application whose shift
 * still starts at the time the reminder was made for. */
static int remind_shift(db_conn *c, int64_t application_id, int64_t starts_at, int64_t now)
{
	int st;
	db_rows *r = db_query(c, "SELECT a.user_id, o.title FROM applications a JOIN shifts s ON s.id = a.shift_id "
				 "JOIN opportunities o ON o.id = a.opportunity_id WHERE a.id = ? AND a.status = 'accepted' "
				 "AND o.status IN ('open', 'closed') AND s.starts_at = ? AND s.starts_at > ?",
			      DB_PARAMS(DB_INT(application_id), DB_INT(starts_at), DB_INT(now)), &st);
	if (!r)
		return st;
	int64_t user_id = 0;
	char *title = NULL;
	if (db_next(r)) {
		user_id = db_int(r, 0);
		title = xstrdup(db_text(r, 1));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st == DB_OK && user_id) {
		char date[16], clock[8];
		time_riyadh_date_clock(starts_at, date, clock);
		json_t *params = json_pack("{s:s, s:s, s:s, s:I}", "title", title, "date", date, "time", clock,
					   "application_id", (json_int_t)application_id);
		st = tell(c, user_id, "reminder_shift", params, "/me/applications", now);
		json_decref(params);
	}
	free(title);
	return st; /* nothing to say when it changed: done */
}

/* remind_session: the requester or specialist (not erased since) of a
 * still-booked help session.  No private detail (not even the request's
 * title) goes out. */
static int remind_session(db_conn *c, int64_t request_id, int64_t user_id, int64_t starts_at, int64_t now)
{
	int64_t n = 0;
	int st = db_query_int(c, "SELECT count(*) FROM help_requests h JOIN users u ON u.id = ? AND u.deleted_at IS NULL "
				 "WHERE h.id = ? AND h.status = 'booked' AND h.session_starts_at = ? AND h.session_starts_at > ? "
				 "AND (h.requester_id = u.id OR h.assigned_specialist_id = u.id)",
			      DB_PARAMS(DB_INT(user_id), DB_INT(request_id), DB_INT(starts_at), DB_INT(now)), &n);
	if (st != DB_OK || n == 0)
		return st < 0 ? st : DB_OK;
	char date[16], clock[8], link[48];
	time_riyadh_date_clock(starts_at, date, clock);
	snprintf(link, sizeof link, "/requests/%lld", (long long)request_id);
	json_t *params = json_pack("{s:s, s:s, s:I}", "date", date, "time", clock, "request_id", (json_int_t)request_id);
	st = tell(c, user_id, "reminder_session", params, link, now);
	json_decref(params);
	return st;
}

/* nudge: the owners and coordinators of an open opportunity with
 * applications waiting three days or more. */
static int nudge(db_conn *c, int64_t opportunity_id, int64_t now)
{
	int64_t waiting = 0;
	int st = db_query_int(c, "SELECT count(*) FROM applications a JOIN opportunities o ON o.id = a.opportunity_id "
				 "WHERE a.opportunity_id = ? AND a.status = 'applied' AND a.created_at <= ? AND o.status = 'open'",
			      DB_PARAMS(DB_INT(opportunity_id), DB_INT(now - JOBS_NUDGE_AFTER)), &waiting);
	if (st != DB_OK || waiting == 0)
		return st < 0 ? st : DB_OK;
	db_rows *r = db_query(c, "SELECT m.user_id, o.title FROM opportunities o JOIN org_members m ON m.org_id = o.org_id "
				 "WHERE o.id = ? AND m.role IN ('owner', 'coordinator') ORDER BY m.user_id",
			      DB_PARAMS(DB_INT(opportunity_id)), &st);
	if (!r)
		return st;
	int64_t *members = NULL;
	int n = 0;
	char *title = NULL;
	while (db_next(r)) {
		members = xreallocarray(members, (size_t)n + 1, sizeof *members);
		members[n++] = db_int(r, 0);
		if (!title)
			title = xstrdup(db_text(r, 1));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	char count[24], link[64];
	snprintf(count, sizeof count, "%lld", (long long)waiting);
	snprintf(link, sizeof link, "/opportunities/%lld/applicants", (long long)opportunity_id);
	json_t *params = json_pack("{s:s, s:s, s:I}", "title", title ? title : "", "count", count, "opportunity_id",
				   (json_int_t)opportunity_id);
	for (int i = 0; st == DB_OK && i < n; i++)
		st = tell(c, members[i], "nudge_applications", params, link, now);
	json_decref(params);
	free(title);
	free(members);
	return st;
}

/* payload_int: an integer member of the payload, 0 when missing. */
static int64_t payload_int(json_t *p, const char *name)
{
	return (int64_t)json_integer_value(json_object_get(p, name));
}

/* run_in_tx: a reminder or nudge, completed in the same transaction. */
static int run_in_tx(const struct jobs_env *env, db_conn *c, const struct job *j, json_t *p, int64_t now)
{
	int st = db_begin(c, true);
	if (st != DB_OK)
		return st;
	if (strcmp(j->kind, "nudge") == 0)
		st = nudge(c, payload_int(p, "opportunity_id"), now);
	else if (payload_int(p, "application_id"))
		st = remind_shift(c, payload_int(p, "application_id"), payload_int(p, "starts_at"), now);
	else
		st = remind_session(c, payload_int(p, "request_id"), payload_int(p, "user_id"), payload_int(p, "starts_at"),
				    now);
	if (st == DB_OK)
		st = store_job_complete(c, j->id, env->worker_id, now);
	if (st == DB_OK)
		st = db_commit(c);
	if (st != DB_OK)
		db_rollback(c);
	return st;
}

/* run_offer_expiry: the "offer_expiry" job {application_id}: the offer, if
 * still pending and due, expires (store_application_expire_offer_tx) and the
 * job completes in the same transaction, retried a few times when busy. */
static int run_offer_expiry(const struct jobs_env *env, db_conn *c, const struct job *j, json_t *p, int64_t now)
{
	int st = DB_BUSY;
	for (int attempt = 0; attempt < 4 && st == DB_BUSY; attempt++) {
		st = db_begin(c, true);
		if (st != DB_OK)
			continue;
		st = store_application_expire_offer_tx(c, payload_int(p, "application_id"), now, NULL);
		if (st == DB_OK)
			st = store_job_complete(c, j->id, env->worker_id, now);
		if (st == DB_OK)
			st = db_commit(c);
		if (st != DB_OK)
			db_rollback(c);
	}
	return st;
}

/* send_mail: the "mail" job; 1 sent or nobody to send to, -1 retry. */
static int send_mail(const struct jobs_env *env, db_conn *c, json_t *p)
{
	json_t *params = json_object_get(p, "params");
	char *params_json = params ? json_dumps(params, JSON_COMPACT) : NULL;
	int rc = notify_mail_deliver(env->mail, env->public_url, c, payload_int(p, "user_id"),
				     json_string_value(json_object_get(p, "kind")) ? json_string_value(json_object_get(p, "kind")) : "", params_json ? params_json : "{}",
				     json_string_value(json_object_get(p, "link")));
	free(params_json);
	return rc < 0 ? -1 : 1;
}

/* send_account_mail: the "account_mail" job; 1 sent or nothing to send, -1 retry. */
static int send_account_mail(const struct jobs_env *env, db_conn *c, json_t *p, int64_t now)
{
	int rc = account_mail_deliver(env->mail, env->public_url, c, payload_int(p, "user_id"),
				      json_string_value(json_object_get(p, "purpose")), now);
	return rc < 0 ? -1 : 1;
}

/* run_housekeeping: the daily "housekeeping" job: forget rate-limit events
 * older than the longest window, sessions that can no longer be used and
 * used or expired e-mailed tokens, and complete, in one transaction. */
static int run_housekeeping(const struct jobs_env *env, db_conn *c, const struct job *j, int64_t now)
{
	int64_t events = 0, sessions = 0, tokens = 0;
	int st = db_begin(c, true);
	if (st != DB_OK)
		return st;
	st = store_rate_prune(c, now - RATE_LONGEST_WINDOW, &events);
	if (st == DB_OK)
		st = store_sessions_prune(c, now, SESSION_IDLE_SECONDS, &sessions);
	if (st == DB_OK)
		st = store_email_tokens_prune(c, now, &tokens);
	if (st == DB_OK)
		st = store_job_complete(c, j->id, env->worker_id, now);
	if (st == DB_OK)
		st = db_commit(c);
	if (st != DB_OK) {
		db_rollback(c);
		return st;
	}
	log_info("jobs", "housekeeping: %lld rate events, %lld sessions, %lld e-mailed tokens deleted",
		 (long long)events, (long long)sessions, (long long)tokens);
	return DB_OK;
}

int jobs_run_one(const struct jobs_env *env, db_conn *c, int64_t now)
{
	struct job j;
	int st = store_job_claim(c, env->worker_id, now, JOB_LEASE_SECONDS, &j);
	if (st == STORE_NOT_FOUND)
		return 0;
	if (st != DB_OK)
		return st;
	json_t *p = json_loads(j.payload, 0, NULL);
	const char *error = NULL;
	if (!json_is_object(p)) {
		error = "the payload is not a JSON object";
	} else if (strcmp(j.kind, "mail") == 0 || strcmp(j.kind, "account_mail") == 0) {
		int sent = strcmp(j.kind, "mail") == 0 ? send_mail(env, c, p) : send_account_mail(env, c, p, now);
		if (sent < 0)
			error = "the e-mail could not be sent";
		else
			st = store_job_complete(c, j.id, env->worker_id, now);
	} else if (strcmp(j.kind, "housekeeping") == 0) {
		if (run_housekeeping(env, c, &j, now) != DB_OK)
			error = "the database refused the job's changes";
	} else if (strcmp(j.kind, "offer_expiry") == 0) {
		if (run_offer_expiry(env, c, &j, p, now) != DB_OK)
			error = "the database refused the job's changes";
	} else if (strcmp(j.kind, "reminder") == 0 || strcmp(j.kind, "nudge") == 0) {
		if (run_in_tx(env, c, &j, p, now) != DB_OK)
			error = "the database refused the job's changes";
	} else {
		error = "unknown job kind";
	}
	if (error) {
		bool dead = false;
		store_job_fail(c, j.id, env->worker_id, error, now, &dead);
		log_error("jobs", "job %lld (%s) attempt %d: %s%s", (long long)j.id, j.kind, j.attempts, error,
			  dead ? "; giving up" : "");
	} else if (st == DB_OK) {
		log_info("jobs", "job %lld (%s) done", (long long)j.id, j.kind);
	}
	json_decref(p);
	job_free(&j);
	return 1;
}
