/*
 * scan.c — finding the reminders and nudges that are due and queueing each
 * once (worker.h).  Every worker scans; the dedupe keys make a second scan,
 * by this process or another, a no-op.
 *
 * Also the daily "housekeeping" job {} (run.c): at HOUSEKEEPING_HOUR in
 * Riyadh, when the site is quiet, it deletes rate-limit events older than
 * the longest window, sessions that can no longer be used and e-mailed
 * tokens that are used or expired.  One job per day by its key.
 */
#include "jobs/worker.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "store/jobs.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>

/* One thing to enqueue, read from a scan query. */
struct due { int64_t a, b, c; };

/* read_due: up to three integer columns per row into a new array. */
static int read_due(db_rows *r, struct due **out, int *n)
{
	int cap = 0;
	*out = NULL;
	*n = 0;
	while (db_next(r)) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xreallocarray(*out, (size_t)cap, sizeof **out);
		}
		(*out)[(*n)++] = (struct due){ db_int(r, 0), db_int(r, 1), db_int(r, 2) };
	}
	int st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

/* scan_shift_reminders: accepted applications whose shift starts within the
 * next 24 hours.  The key holds the start, so a moved shift reminds again. */
static int scan_shift_reminders(db_conn *c, int64_t now)
{
	int st;
	db_rows *r = db_query(c, "SELECT a.id, s.starts_at, 0 FROM applications a JOIN shifts s ON s.id = a.shift_id "
				 "JOIN opportunities o ON o.id = a.opportunity_id WHERE a.status = 'accepted' "
				 "AND o.status IN ('open', 'closed') AND s.starts_at > ? AND s.starts_at <= ?",
			      DB_PARAMS(DB_INT(now), DB_INT(now + JOBS_REMINDER_AHEAD)), &st);
	if (!r)
		return st;
	struct due *list;
	int n;
	st = read_due(r, &list, &n);
	for (int i = 0; st == DB_OK && i < n; i++) {
		char key[96], payload[96];
		snprintf(key, sizeof key, "reminder:app:%lld:%lld", (long long)list[i].a, (long long)list[i].b);
		snprintf(payload, sizeof payload, "{\"application_id\":%lld,\"starts_at\":%lld}", (long long)list[i].a,
			 (long long)list[i].b);
		st = store_job_enqueue(c, "reminder", payload, now, 0, key, now, NULL);
	}
	free(list);
	return st;
}

/* scan_session_reminders: booked help sessions within the next 24 hours, one
 * reminder for the requester and one for the specialist, unless erased (an
 * erased person's id stays in the request; see auth/erase.c). */
static int scan_session_reminders(db_conn *c, int64_t now)
{
	int st;
	db_rows *r = db_query(c, "SELECT h.id, h.session_starts_at, h.requester_id FROM help_requests h "
				 "JOIN users u ON u.id = h.requester_id AND u.deleted_at IS NULL "
				 "WHERE h.status = 'booked' AND h.session_starts_at > ? AND h.session_starts_at <= ? "
				 "UNION ALL SELECT h.id, h.session_starts_at, h.assigned_specialist_id FROM help_requests h "
				 "JOIN users u ON u.id = h.assigned_specialist_id AND u.deleted_at IS NULL "
				 "WHERE h.status = 'booked' AND h.session_starts_at > ? AND h.session_starts_at <= ?",
			      DB_PARAMS(DB_INT(now), DB_INT(now + JOBS_REMINDER_AHEAD), DB_INT(now),
					DB_INT(now + JOBS_REMINDER_AHEAD)),
			      &st);
	if (!r)
		return st;
	struct due *list;
	int n;
	st = read_due(r, &list, &n);
	for (int i = 0; st == DB_OK && i < n; i++) {
		if (!list[i].c)
			continue;
		char key[128], payload[128];
		snprintf(key, sizeof key, "reminder:help:%lld:%lld:%lld", (long long)list[i].a, (long long)list[i].c,
			 (long long)list[i].b);
		snprintf(payload, sizeof payload, "{\"request_id\":%lld,\"user_id\":%lld,\"starts_at\":%lld}",
			 (long long)list[i].a, (long long)list[i].c, (long long)list[i].b);
		st = store_job_enqueue(c, "reminder", payload, now, 0, key, now, NULL);
	}
	free(list);
	return st;
}

/* scan_nudges: open opportunities with applications left "applied" for
 * three days; at most one nudge per opportunity per (Riyadh) day. */
static int scan_nudges(db_conn *c, int64_t now)
{
	int st;
	db_rows *r = db_query(c, "SELECT a.opportunity_id, count(*), 0 FROM applications a "
				 "JOIN opportunities o ON o.id = a.opportunity_id WHERE a.status = 'applied' "
				 "AND a.created_at <= ? AND o.status = 'open' GROUP BY a.opportunity_id",
			      DB_PARAMS(DB_INT(now - JOBS_NUDGE_AFTER)), &st);
	if (!r)
		return st;
	struct due *list;
	int n;
	st = read_due(r, &list, &n);
	int64_t day = (now + RIYADH_UTC_OFFSET) / 86400;
	for (int i = 0; st == DB_OK && i < n; i++) {
		char key[96], payload[64];
		snprintf(key, sizeof key, "nudge:opp:%lld:%lld", (long long)list[i].a, (long long)day);
		snprintf(payload, sizeof payload, "{\"opportunity_id\":%lld}", (long long)list[i].a);
		st = store_job_enqueue(c, "nudge", payload, now, 0, key, now, NULL);
	}
	free(list);
	return st;
}

/* scan_offer_expiries: offers whose hold ran out with no offer_expiry job
 * (offers older than that job kind); the key is the one the offer's own job
 * has, so an offer is never expired twice. */
static int scan_offer_expiries(db_conn *c, int64_t now)
{
	int st;
	db_rows *r = db_query(c, "SELECT id, COALESCE(offered_at, 0), 0 FROM applications "
				 "WHERE status = 'offered' AND offer_expires_at <= ?",
			      DB_PARAMS(DB_INT(now)), &st);
	if (!r)
		return st;
	struct due *list;
	int n;
	st = read_due(r, &list, &n);
	for (int i = 0; st == DB_OK && i < n; i++) {
		char key[80], payload[64];
		snprintf(key, sizeof key, "offer_expiry:app:%lld:%lld", (long long)list[i].a, (long long)list[i].b);
		snprintf(payload, sizeof payload, "{\"application_id\":%lld}", (long long)list[i].a);
		st = store_job_enqueue(c, "offer_expiry", payload, now, 0, key, now, NULL);
	}
	free(list);
	return st;
}

/* The hour (Riyadh time) of the daily housekeeping. */
#define HOUSEKEEPING_HOUR 3

/* scan_housekeeping: the next housekeeping job, due at the next
 * HOUSEKEEPING_HOUR:00 in Riyadh, keyed by that day. */
static int scan_housekeeping(db_conn *c, int64_t now)
{
	int64_t offset = RIYADH_UTC_OFFSET - HOUSEKEEPING_HOUR * 3600;
	/* Days that begin at HOUSEKEEPING_HOUR in Riyadh: the next one begins
	 * at the next run. */
	int64_t day = (now + offset) / 86400 + 1;
	int64_t run_at = day * 86400 - offset;
	char key[48];
	snprintf(key, sizeof key, "housekeeping:%lld", (long long)day);
	return store_job_enqueue(c, "housekeeping", "{}", run_at, 0, key, now, NULL);
}

int jobs_scan(db_conn *c, int64_t now)
{
	int st = scan_shift_reminders(c, now);
	if (st == DB_OK)
		st = scan_session_reminders(c, now);
	if (st == DB_OK)
		st = scan_nudges(c, now);
	if (st == DB_OK)
		st = scan_offer_expiries(c, now);
	if (st == DB_OK)
		st = scan_housekeeping(c, now);
	if (st == DB_OK)
		st = store_jobs_prune(c, now - JOBS_KEEP_DONE);
	return st;
}
