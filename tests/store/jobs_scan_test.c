/*
 * jobs_scan_test.c — the reminders and nudges of the job queue: jobs_scan()
 * at a chosen "now" on fixtures inserted here, then jobs_run_one() and the
 * notifications and e-mails it makes; and the "mail" job's edge cases (an
 * erased recipient, a failing SMTP server).  Runs on the database kind named
 * by KHIBRA_TEST_DB (SQLite and PostgreSQL).
 *
 * A scan sees the whole database and a claim takes any due job, and the
 * other store tests run beside these ones (tests/store/jobs_test.c claims
 * and prunes in 1970), so each test here works in a FRESH database of its
 * own: a new SQLite file next to KHIBRA_TEST_DB's, or a new PostgreSQL
 * database on KHIBRA_TEST_DB's server, dropped at the end.
 */
#include "auth/notify.h"
#include "core/buf.h"
#include "i18n/i18n.h"
#include "jobs/worker.h"
#include "store/jobs.h"
#include "store/store.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define H 3600
#define DAY (24 * H)
/* 2030-01-15 09:00 in Riyadh (06:00 UTC): "now" for every scan here, with
 * hours to spare before the Riyadh day ends. */
#define NOW ((int64_t)1894687200)
#define SECRET_TITLE "ألم مزمن في الظهر"
#define SECRET_DETAILS "تفاصيل خاصة جدا"

static db *sdb;
static db_conn *sc;
static char base_url[512], own_url[600], own_name[64], own_dir[PATH_MAX];
static char outbox[PATH_MAX + 16];

/* ---- a database and an outbox of our own ---- */

static void must_exec(db_conn *c, const char *sql)
{
	cr_assert_eq(db_exec(c, sql, DB_NO_PARAMS, NULL), DB_OK, "%s", sql);
}

/* pg_admin: run one statement on KHIBRA_TEST_DB's own database. */
static void pg_admin(const char *sql)
{
	char err[256];
	db *d = db_open(base_url, 1, err, sizeof err);
	cr_assert_not_null(d, "%s", err);
	db_conn *c = db_acquire(d);
	must_exec(c, sql);
	db_release(c);
	db_close(d);
}

static void setup(void)
{
	const char *url = getenv("KHIBRA_TEST_DB");
	cr_assert_not_null(url, "set KHIBRA_TEST_DB");
	snprintf(base_url, sizeof base_url, "%s", url);
	snprintf(own_name, sizeof own_name, "khibra_scan_%ld", (long)getpid());
	if (strncmp(url, "sqlite:", 7) == 0) {
		snprintf(own_url, sizeof own_url, "%s.%s.db", url, own_name);
	} else {
		/* postgres://user@host:port/NAME[?options] → …/own_name[?options] */
		const char *q = strchr(url, '?');
		const char *slash = strrchr(url, '/');
		cr_assert(slash && (!q || slash < q), "cannot read the database name in %s", url);
		snprintf(own_url, sizeof own_url, "%.*s/%s%s", (int)(slash - url), url, own_name, q ? q : "");
		char sql[128];
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", own_name);
		pg_admin(sql);
	}
	char err[256];
	sdb = db_open(own_url, 2, err, sizeof err);
	cr_assert_not_null(sdb, "%s", err);
	cr_assert_eq(store_migrate(sdb, false, err, sizeof err), DB_OK, "%s", err);
	sc = db_acquire(sdb);
	/* The catalogs: KHIBRA_LOCALEDIR, else the build folder's locale/. */
	char dir[PATH_MAX] = "build/locale";
	const char *env = getenv("KHIBRA_LOCALEDIR");
	ssize_t n;
	if (env && *env)
		snprintf(dir, sizeof dir, "%s", env);
	else if ((n = readlink("/proc/self/exe", dir, sizeof dir - 8)) > 0)
		strcpy(strrchr(dir, '/') ? strrchr(dir, '/') : dir + n, "/locale");
	cr_assert(i18n_init(dir, err, sizeof err), "i18n_init: %s", err);
	snprintf(own_dir, sizeof own_dir, "/tmp/khibra-scan-XXXXXX");
	cr_assert_not_null(mkdtemp(own_dir));
	snprintf(outbox, sizeof outbox, "%s/outbox", own_dir);
}

static void teardown(void)
{
	db_release(sc);
	db_close(sdb);
	i18n_shutdown();
	char cmd[PATH_MAX + 600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", own_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", own_dir);
	if (strncmp(own_url, "sqlite:", 7) == 0) {
		snprintf(cmd, sizeof cmd, "rm -f '%s' '%s-wal' '%s-shm'", own_url + 7, own_url + 7, own_url + 7);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", own_url);
	} else {
		snprintf(cmd, sizeof cmd, "DROP DATABASE IF EXISTS %s", own_name);
		pg_admin(cmd);
	}
}

TestSuite(jobs_scan, .init = setup, .fini = teardown, .timeout = 120);

/* ---- fixtures ---- */

static int64_t insert(const char *sql, const db_value *params, int nparams)
{
	int64_t id = 0;
	int st = db_query_int(sc, sql, params, nparams, &id);
	cr_assert_eq(st, DB_OK, "%s: %d", sql, st);
	return id;
}

static int64_t user(const char *name, const char *locale)
{
	static int n;
	char email[96];
	snprintf(email, sizeof email, "scan-%ld-%d@example.org", (long)getpid(), ++n);
	int64_t id = 0;
	cr_assert_eq(store_user_create(sc, email, name, NULL, locale, "specialist", NOW - 30 * DAY, &id), DB_OK);
	return id;
}

static int64_t org(int64_t owner)
{
	int64_t id = insert("INSERT INTO orgs (name, kind, created_at, verified_at, status) "
			    "VALUES ('جمعية البر', 'charity', ?, ?, 'verified') RETURNING id",
			    DB_PARAMS(DB_INT(NOW - 30 * DAY), DB_INT(NOW - 30 * DAY)));
	cr_assert_eq(store_org_add_member(sc, id, owner, "owner", NOW - 30 * DAY), DB_OK);
	return id;
}

static int64_t opportunity(int64_t org_id, const char *status, const char *title)
{
	return insert("INSERT INTO opportunities (org_id, kind, domain, title, status, starts_at, ends_at, created_at, "
		      "updated_at) VALUES (?, 'campaign', 'health', ?, ?, ?, ?, ?, ?) RETURNING id",
		      DB_PARAMS(DB_INT(org_id), DB_TEXT(title), DB_TEXT(status), DB_INT(NOW), DB_INT(NOW + 60 * DAY),
				DB_INT(NOW - 10 * DAY), DB_INT(NOW - 10 * DAY)));
}

static int64_t shift(int64_t opp, int64_t starts_at)
{
	return insert("INSERT INTO shifts (opportunity_id, starts_at, ends_at, capacity) VALUES (?, ?, ?, 5) RETURNING id",
		      DB_PARAMS(DB_INT(opp), DB_INT(starts_at), DB_INT(starts_at + 4 * H)));
}

static int64_t application(int64_t opp, int64_t shift_id, int64_t who, const char *status, int64_t created_at)
{
	return insert("INSERT INTO applications (opportunity_id, shift_id, user_id, status, created_at, updated_at) "
		      "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
		      DB_PARAMS(DB_INT(opp), DB_INT(shift_id), DB_INT(who), DB_TEXT(status), DB_INT(created_at),
				DB_INT(created_at)));
}

/* help_request: a request of `requester` with `specialist` in `status`,
 * its session at `starts_at` (0: none). */
static int64_t help_request(int64_t requester, int64_t specialist, const char *status, int64_t starts_at)
{
	return insert("INSERT INTO help_requests (requester_id, domain, title, details_box, status, "
		      "assigned_specialist_id, session_starts_at, session_ends_at, session_mode, created_at, updated_at) "
		      "VALUES (?, 'health', ?, ?, ?, ?, ?, ?, 'video', ?, ?) RETURNING id",
		      DB_PARAMS(DB_INT(requester), DB_TEXT(SECRET_TITLE), DB_BLOB(SECRET_DETAILS, strlen(SECRET_DETAILS)),
				DB_TEXT(status), DB_INT(specialist), starts_at ? DB_INT(starts_at) : DB_NULL,
				starts_at ? DB_INT(starts_at + H) : DB_NULL, DB_INT(NOW - 5 * DAY), DB_INT(NOW - 5 * DAY)));
}

/* ---- reading the queue and the notifications ---- */

static int64_t count(const char *sql, const db_value *params, int nparams)
{
	int64_t n = -1;
	cr_assert_eq(db_query_int(sc, sql, params, nparams, &n), DB_OK, "%s", sql);
	return n;
}

/* jobs_like: how many jobs have a dedupe key LIKE the pattern. */
static int64_t jobs_like(const char *pattern)
{
	return count("SELECT count(*) FROM jobs WHERE dedupe_key LIKE ?", DB_PARAMS(DB_TEXT(pattern)));
}

static int64_t notices(int64_t who, const char *kind)
{
	return count("SELECT count(*) FROM notifications WHERE user_id = ? AND kind = ?",
		     DB_PARAMS(DB_INT(who), DB_TEXT(kind)));
}

/* notice_params: the params of the person's newest notification of `kind`. */
static char *notice_params(int64_t who, const char *kind)
{
	int st;
	db_rows *r = db_query(sc, "SELECT params FROM notifications WHERE user_id = ? AND kind = ? ORDER BY id DESC",
			      DB_PARAMS(DB_INT(who), DB_TEXT(kind)), &st);
	cr_assert_not_null(r);
	cr_assert(db_next(r), "user %lld has no %s notification", (long long)who, kind);
	char *p = strdup(db_text(r, 0));
	db_rows_free(r);
	return p;
}

/* has_arabic: a letter of the Arabic block (U+0600…U+06FF: 0xD8–0xDB lead bytes). */
static bool has_arabic(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0xD8 && (unsigned char)*s <= 0xDB)
			return true;
	return false;
}

static char *render(enum lang l, const char *kind, const char *params)
{
	buf out = BUF_INIT;
	notify_text(l, kind, params, &out);
	return buf_detach(&out, NULL);
}

static int outbox_files(void)
{
	DIR *d = opendir(outbox);
	if (!d)
		return 0;
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		if (strstr(e->d_name, ".eml"))
			n++;
	closedir(d);
	return n;
}

static const struct mail_config to_outbox = { NULL, NULL, NULL, NULL, outbox };

/* run_all: run due jobs at `now` until none is left; how many ran. */
static int run_all(const struct mail_config *mail, int64_t now)
{
	struct jobs_env env = { sdb, mail, "https://khibra.test", "scan-test" };
	int ran = 0, r;
	while ((r = jobs_run_one(&env, sc, now)) == 1)
		ran++;
	cr_assert_eq(r, 0, "jobs_run_one: %d", r);
	return ran;
}

static void scan(int64_t now)
{
	cr_assert_eq(jobs_scan(sc, now), DB_OK);
}

/* ---- (a) help-session reminders ---- */

Test(jobs_scan, session_reminders)
{
	int64_t requester = user("سارة", "ar"), specialist = user("Dr Omar", "en"), other = user("خالد", "ar");
	int64_t soon = help_request(requester, specialist, "booked", NOW + 20 * H);
	int64_t started = help_request(other, specialist, "booked", NOW - 10 * 60);
	int64_t far = help_request(other, specialist, "booked", NOW + 30 * H);
	int64_t assigned = help_request(other, specialist, "assigned", NOW + 20 * H);
	char key[96];

	scan(NOW);
	snprintf(key, sizeof key, "reminder:help:%lld:%%", (long long)soon);
	cr_assert_eq(jobs_like(key), 2, "one reminder per person");
	for (int i = 0; i < 2; i++) {
		int64_t who = i ? specialist : requester;
		snprintf(key, sizeof key, "reminder:help:%lld:%lld:%lld", (long long)soon, (long long)who,
			 (long long)(NOW + 20 * H));
		cr_assert_eq(jobs_like(key), 1, "no reminder for user %lld", (long long)who);
	}
	int64_t none[] = { started, far, assigned };
	for (int i = 0; i < 3; i++) {
		snprintf(key, sizeof key, "reminder:help:%lld:%%", (long long)none[i]);
		cr_assert_eq(jobs_like(key), 0, "request %d was reminded", i);
	}
	cr_assert_eq(jobs_like("reminder:%"), 2);

	/* A second scan adds nothing. */
	scan(NOW + 60);
	cr_assert_eq(jobs_like("reminder:%"), 2);

	/* The session moves two hours later: a reminder for the new time. */
	cr_assert_eq(db_exec(sc, "UPDATE help_requests SET session_starts_at = ?, session_ends_at = ? WHERE id = ?",
			     DB_PARAMS(DB_INT(NOW + 22 * H), DB_INT(NOW + 23 * H), DB_INT(soon)), NULL), DB_OK);
	scan(NOW + 120);
	snprintf(key, sizeof key, "reminder:help:%lld:%%:%lld", (long long)soon, (long long)(NOW + 22 * H));
	cr_assert_eq(jobs_like(key), 2, "no reminder for the new time");
	cr_assert_eq(jobs_like("reminder:%"), 4);

	/* Running: the reminders for the old time say nothing; the new ones
	 * notify each person once and queue their e-mails, which go out. */
	cr_assert_eq(run_all(&to_outbox, NOW + 180), 4 + 2);
	cr_assert_eq(notices(requester, "reminder_session"), 1);
	cr_assert_eq(notices(specialist, "reminder_session"), 1);
	cr_assert_eq(notices(other, "reminder_session"), 0);
	cr_assert_eq(outbox_files(), 2);
	/* (the day's housekeeping waits for 03:00) */
	cr_assert_eq(count("SELECT count(*) FROM jobs WHERE kind <> 'housekeeping' AND (done_at IS NULL OR last_error <> '')",
			   DB_NO_PARAMS), 0);

	/* No private detail: neither in the params nor in either language. */
	char *params = notice_params(requester, "reminder_session");
	json_t *p = json_loads(params, 0, NULL);
	cr_assert_not_null(p);
	cr_assert_null(json_object_get(p, "title"), "the title went out: %s", params);
	cr_assert_str_eq(json_string_value(json_object_get(p, "date")), "2030-01-16");
	cr_assert_str_eq(json_string_value(json_object_get(p, "time")), "07:00", "%s", params);
	cr_assert_eq(json_integer_value(json_object_get(p, "request_id")), soon);
	cr_assert_eq(json_object_size(p), 3, "unexpected params: %s", params);
	json_decref(p);
	cr_assert_null(strstr(params, SECRET_TITLE));
	cr_assert_null(strstr(params, SECRET_DETAILS));
	for (int l = 0; l < 2; l++) {
		char *text = render(l ? LANG_EN : LANG_AR, "reminder_session", params);
		cr_assert(strstr(text, "2030-01-16") && strstr(text, "07:00"), "%s", text);
		cr_assert_null(strstr(text, SECRET_TITLE), "%s", text);
		cr_assert_null(strstr(text, SECRET_DETAILS), "%s", text);
		cr_assert(l ? strstr(text, "Reminder") != NULL : has_arabic(text), "%s", text);
		free(text);
	}
	free(params);

	/* After the run, scans still add nothing. */
	scan(NOW + 240);
	cr_assert_eq(jobs_like("reminder:%"), 4);
	cr_assert_eq(run_all(&to_outbox, NOW + 240), 0);
}

/* An erased person keeps their place in the request (its row stays, wiped):
 * no reminder is queued for them, nor written by one queued before. */
Test(jobs_scan, session_reminders_skip_erased_people)
{
	int64_t requester = user("سارة", "ar"), specialist = user("Dr Omar", "en");
	int64_t id = help_request(requester, specialist, "booked", NOW + 20 * H);
	scan(NOW);
	char key[96];
	snprintf(key, sizeof key, "reminder:help:%lld:%%", (long long)id);
	cr_assert_eq(jobs_like(key), 2);
	/* Erased (as src/auth/erase.c leaves the row) with the jobs still queued. */
	cr_assert_eq(db_exec(sc, "UPDATE users SET deleted_at = ?, email = NULL, name = '' WHERE id = ?",
			     DB_PARAMS(DB_INT(NOW + 60), DB_INT(requester)), NULL), DB_OK);
	cr_assert_eq(run_all(&to_outbox, NOW + 120), 2 + 1);
	cr_assert_eq(notices(requester, "reminder_session"), 0, "a notification was written for an erased person");
	cr_assert_eq(notices(specialist, "reminder_session"), 1);
	/* Moved: a new reminder for the specialist only. */
	cr_assert_eq(db_exec(sc, "UPDATE help_requests SET session_starts_at = ?, session_ends_at = ? WHERE id = ?",
			     DB_PARAMS(DB_INT(NOW + 23 * H), DB_INT(NOW + 24 * H), DB_INT(id)), NULL), DB_OK);
	scan(NOW + 180);
	snprintf(key, sizeof key, "reminder:help:%lld:%lld:%%", (long long)id, (long long)requester);
	cr_assert_eq(jobs_like(key), 1, "a reminder was queued for an erased person");
	snprintf(key, sizeof key, "reminder:help:%lld:%lld:%%", (long long)id, (long long)specialist);
	cr_assert_eq(jobs_like(key), 2);
}

/* ---- (b) nudges to the organisation ---- */

Test(jobs_scan, nudges)
{
	int64_t owner = user("هند", "ar"), coordinator = user("Lina", "en"), outsider = user("فهد", "ar");
	int64_t applicant = user("ريم", "ar"), second = user("نورة", "ar");
	int64_t o = org(owner), other_org = org(outsider);
	cr_assert_eq(store_org_add_member(sc, o, coordinator, "coordinator", NOW - 30 * DAY), DB_OK);
	const int64_t waited = NOW - 3 * DAY - 60; /* three days and a minute ago */

	int64_t waiting = opportunity(o, "open", "قافلة الأسنان");
	application(waiting, shift(waiting, NOW + 10 * DAY), applicant, "applied", waited);
	int64_t answered = opportunity(o, "open", "حملة التوعية");
	int64_t s = shift(answered, NOW + 10 * DAY);
	application(answered, s, applicant, "accepted", NOW - 5 * DAY);
	application(answered, s, second, "declined", NOW - 5 * DAY);
	int64_t young = opportunity(o, "open", "ورشة الإسعافات");
	application(young, shift(young, NOW + 10 * DAY), applicant, "applied", NOW - 2 * DAY);
	int64_t cancelled = opportunity(o, "cancelled", "قافلة ملغاة");
	application(cancelled, shift(cancelled, NOW + 10 * DAY), applicant, "applied", NOW - 5 * DAY);
	int64_t withdrawn = opportunity(o, "open", "يوم صحي");
	application(withdrawn, shift(withdrawn, NOW + 10 * DAY), applicant, "withdrawn", NOW - 5 * DAY);
	int64_t elsewhere = opportunity(other_org, "open", "مبادرة أخرى");

	int64_t day = (NOW + 3 * H) / DAY;
	char key[96];
	scan(NOW);
	snprintf(key, sizeof key, "nudge:opp:%lld:%lld", (long long)waiting, (long long)day);
	cr_assert_eq(jobs_like(key), 1, "no nudge for the waiting opportunity");
	cr_assert_eq(jobs_like("nudge:%"), 1, "nudged answered, young, cancelled or withdrawn applications");
	cr_assert_eq(count("SELECT count(*) FROM jobs WHERE kind = 'nudge'", DB_NO_PARAMS), 1);

	/* The same Riyadh day (until 23:59 there): nothing more. */
	scan(NOW + H);
	scan(NOW + 14 * H + 59 * 60);
	cr_assert_eq(jobs_like("nudge:%"), 1);

	/* Running: the owner and the coordinator are told, in the
	 * notifications and by e-mail, and no one else. */
	cr_assert_eq(run_all(&to_outbox, NOW + 2 * H), 1 + 2);
	cr_assert_eq(notices(owner, "nudge_applications"), 1);
	cr_assert_eq(notices(coordinator, "nudge_applications"), 1);
	cr_assert_eq(notices(outsider, "nudge_applications"), 0);
	cr_assert_eq(notices(applicant, "nudge_applications"), 0);
	cr_assert_eq(count("SELECT count(*) FROM notifications", DB_NO_PARAMS), 2);
	cr_assert_eq(outbox_files(), 2);
	char *params = notice_params(coordinator, "nudge_applications");
	char *en = render(LANG_EN, "nudge_applications", params), *ar = render(LANG_AR, "nudge_applications", params);
	cr_assert(strstr(en, "قافلة الأسنان") && strstr(en, "three days") && strstr(en, ": 1."), "%s", en);
	cr_assert(strstr(ar, "قافلة الأسنان") && strstr(ar, "1") && !strstr(ar, "three"), "%s", ar);
	free(en);
	free(ar);
	free(params);

	/* The next Riyadh day, still unanswered: one more nudge. */
	scan(NOW + 15 * H); /* 00:00 the next day in Riyadh */
	snprintf(key, sizeof key, "nudge:opp:%lld:%lld", (long long)waiting, (long long)day + 1);
	cr_assert_eq(jobs_like(key), 1, "no nudge the next day");
	cr_assert_eq(jobs_like("nudge:%"), 2);
	scan(NOW + 20 * H);
	cr_assert_eq(jobs_like("nudge:%"), 2);
	/* 1 nudge, 2 e-mails, and the housekeeping of 03:00 that day. */
	cr_assert_eq(run_all(&to_outbox, NOW + 20 * H), 1 + 2 + 1);
	cr_assert_eq(notices(owner, "nudge_applications"), 2);
	cr_assert_eq(notices(coordinator, "nudge_applications"), 2);

	/* Two days on: the young application has waited long enough too.  The
	 * waiting one is answered before its nudge runs: that nudge says
	 * nothing, the young one's goes out. */
	scan(NOW + 2 * DAY);
	cr_assert_eq(jobs_like("nudge:%"), 4);
	snprintf(key, sizeof key, "nudge:opp:%lld:%lld", (long long)young, (long long)day + 2);
	cr_assert_eq(jobs_like(key), 1, "no nudge for the application now three days old");
	cr_assert_eq(db_exec(sc, "UPDATE applications SET status = 'accepted' WHERE opportunity_id = ?",
			     DB_PARAMS(DB_INT(waiting)), NULL), DB_OK);
	cr_assert_eq(run_all(&to_outbox, NOW + 2 * DAY), 2 + 2 + 1); /* + that day's housekeeping */
	cr_assert_eq(notices(owner, "nudge_applications"), 3);
	params = notice_params(owner, "nudge_applications");
	cr_assert(strstr(params, "ورشة الإسعافات"), "the wrong nudge went out: %s", params);
	free(params);
	/* And once answered, no more nudges for it. */
	scan(NOW + 3 * DAY);
	snprintf(key, sizeof key, "nudge:opp:%lld:%%", (long long)waiting);
	cr_assert_eq(jobs_like(key), 3);
	int64_t never[] = { answered, cancelled, withdrawn, elsewhere };
	for (int i = 0; i < 4; i++) {
		snprintf(key, sizeof key, "nudge:opp:%lld:%%", (long long)never[i]);
		cr_assert_eq(jobs_like(key), 0, "opportunity %d was nudged", i);
	}
}

/* ---- (c) shift reminders: cancelled opportunities, withdrawn applications ---- */

Test(jobs_scan, shift_reminders_skip_cancelled_and_withdrawn)
{
	int64_t owner = user("هند", "ar"), kept = user("ريم", "ar"), left = user("نورة", "ar"), dropped = user("سعد", "en");
	int64_t o = org(owner);
	int64_t open = opportunity(o, "open", "قافلة الأسنان");
	int64_t s = shift(open, NOW + 20 * H);
	int64_t accepted = application(open, s, kept, "accepted", NOW - 5 * DAY);
	application(open, s, left, "withdrawn", NOW - 5 * DAY);
	int64_t cancelled = opportunity(o, "cancelled", "قافلة ملغاة");
	application(cancelled, shift(cancelled, NOW + 20 * H), dropped, "accepted", NOW - 5 * DAY);
	/* Cancelled after the scan (cancel also moves applications on;
	 * the opportunity's status alone must be enough). */
	int64_t late = opportunity(o, "open", "قافلة ستلغى");
	application(late, shift(late, NOW + 21 * H), dropped, "accepted", NOW - 5 * DAY);

	scan(NOW);
	char key[96];
	snprintf(key, sizeof key, "reminder:app:%lld:%lld", (long long)accepted, (long long)(NOW + 20 * H));
	cr_assert_eq(jobs_like(key), 1, "no reminder for the accepted application");
	cr_assert_eq(jobs_like("reminder:%"), 2, "reminded a withdrawn application or a cancelled opportunity");
	cr_assert_eq(db_exec(sc, "UPDATE opportunities SET status = 'cancelled' WHERE id = ?", DB_PARAMS(DB_INT(late)),
			     NULL), DB_OK);
	cr_assert_eq(run_all(&to_outbox, NOW + 60), 2 + 1);
	cr_assert_eq(notices(kept, "reminder_shift"), 1);
	cr_assert_eq(notices(left, "reminder_shift"), 0);
	cr_assert_eq(notices(dropped, "reminder_shift"), 0);
	char *params = notice_params(kept, "reminder_shift");
	char *text = render(LANG_AR, "reminder_shift", params);
	cr_assert(strstr(text, "قافلة الأسنان") && strstr(text, "2030-01-16") && strstr(text, "05:00"), "%s", text);
	free(text);
	free(params);
	cr_assert_eq(outbox_files(), 1);
}

/* ---- the "mail" job ---- */

/* job_row: attempts, done_at (0 while pending), run_at and last_error of a job. */
static void job_row(int64_t id, int64_t *attempts, int64_t *done_at, int64_t *run_at, char *error, size_t size)
{
	int st;
	db_rows *r = db_query(sc, "SELECT attempts, COALESCE(done_at, 0), run_at, last_error FROM jobs WHERE id = ?",
			      DB_PARAMS(DB_INT(id)), &st);
	cr_assert_not_null(r);
	cr_assert(db_next(r), "job %lld is gone", (long long)id);
	*attempts = db_int(r, 0);
	*done_at = db_int(r, 1);
	*run_at = db_int(r, 2);
	snprintf(error, size, "%s", db_text(r, 3));
	db_rows_free(r);
}

static int64_t last_job(void)
{
	return count("SELECT max(id) FROM jobs", DB_NO_PARAMS);
}

/* An e-mail for someone erased before it went out: done, nothing sent. */
Test(jobs_scan, mail_to_an_erased_person)
{
	int64_t gone = user("محمد", "ar");
	cr_assert_eq(store_job_enqueue_mail(sc, gone, "reminder_shift", "{\"title\":\"قافلة\"}", "/me/applications", NOW),
		     DB_OK);
	int64_t id = last_job();
	cr_assert_eq(db_exec(sc, "UPDATE users SET deleted_at = ?, email = NULL, name = '' WHERE id = ?",
			     DB_PARAMS(DB_INT(NOW), DB_INT(gone)), NULL), DB_OK);
	cr_assert_eq(run_all(&to_outbox, NOW), 1);
	int64_t attempts, done_at, run_at;
	char error[256];
	job_row(id, &attempts, &done_at, &run_at, error, sizeof error);
	cr_assert_eq(done_at, NOW, "the job is not done");
	cr_assert_eq(attempts, 1);
	cr_assert_str_eq(error, "");
	cr_assert_eq(outbox_files(), 0, "an e-mail went to an erased person");
}

/* SMTP refuses: the mail job comes back after 60 s, then 120 s, and goes
 * out once the server is back. */
Test(jobs_scan, mail_retried_with_backoff)
{
	int64_t who = user("Amal", "en");
	cr_assert_eq(store_job_enqueue_mail(sc, who, "reminder_shift", "{\"title\":\"Caravan\"}", "/me/applications", NOW),
		     DB_OK);
	int64_t id = last_job();
	/* A port nobody listens on: port 1 on the loopback. */
	const struct mail_config down = { "smtp://127.0.0.1:1", NULL, NULL, NULL, outbox };
	int64_t attempts, done_at, run_at;
	char error[256];

	cr_assert_eq(run_all(&down, NOW), 1);
	job_row(id, &attempts, &done_at, &run_at, error, sizeof error);
	cr_assert_eq(attempts, 1);
	cr_assert_eq(done_at, 0, "a failed e-mail is done");
	cr_assert_eq(run_at, NOW + 60);
	cr_assert_str_eq(error, "the e-mail could not be sent");
	cr_assert_eq(run_all(&down, NOW + 59), 0, "retried before its back-off");

	cr_assert_eq(run_all(&down, NOW + 60), 1);
	job_row(id, &attempts, &done_at, &run_at, error, sizeof error);
	cr_assert_eq(attempts, 2);
	cr_assert_eq(done_at, 0);
	cr_assert_eq(run_at, NOW + 60 + 120);
	cr_assert_eq(run_all(&down, NOW + 179), 0);
	cr_assert_eq(outbox_files(), 0);

	/* The server is back (here: the outbox). */
	cr_assert_eq(run_all(&to_outbox, NOW + 180), 1);
	job_row(id, &attempts, &done_at, &run_at, error, sizeof error);
	cr_assert_eq(attempts, 3);
	cr_assert_eq(done_at, NOW + 180);
	cr_assert_str_eq(error, "");
	cr_assert_eq(outbox_files(), 1);
}

/* ---- (d) the daily housekeeping ---- */

static void session_row(int64_t who, const char *hash, int64_t last_seen, int64_t expires, bool revoked)
{
	cr_assert_eq(db_exec(sc, "INSERT INTO sessions (user_id, token_hash, csrf_token, created_at, last_seen_at, "
				 "expires_at, revoked_at) VALUES (?, ?, 'c', ?, ?, ?, ?)",
			     DB_PARAMS(DB_INT(who), DB_TEXT(hash), DB_INT(last_seen - DAY), DB_INT(last_seen), DB_INT(expires),
				       revoked ? DB_INT(last_seen) : DB_NULL), NULL), DB_OK);
}

static void email_token_row(int64_t who, const char *hash, int64_t expires, bool used)
{
	cr_assert_eq(db_exec(sc, "INSERT INTO email_tokens (user_id, kind, token_hash, created_at, expires_at, used_at) "
				 "VALUES (?, 'verify', ?, ?, ?, ?)",
			     DB_PARAMS(DB_INT(who), DB_TEXT(hash), DB_INT(expires - DAY), DB_INT(expires),
				       used ? DB_INT(expires - H) : DB_NULL), NULL), DB_OK);
}

/* One housekeeping job a day, due at 03:00 in Riyadh; it deletes the rate
 * events older than the longest window (an hour), the sessions that can no
 * longer be used and the used or expired e-mailed tokens, and nothing else. */
Test(jobs_scan, housekeeping_daily)
{
	const int64_t at = NOW + 18 * H; /* 03:00 the next day in Riyadh */
	int64_t who = user("سارة", "ar");
	cr_assert_eq(store_rate_add(sc, "login_fail_address", "10.0.0.1", at - H - 60), DB_OK); /* old */
	cr_assert_eq(store_rate_add(sc, "register_address", "10.0.0.1", at - 2 * DAY), DB_OK);  /* old */
	cr_assert_eq(store_rate_add(sc, "register_address", "10.0.0.1", at - 30 * 60), DB_OK);  /* kept */
	session_row(who, "live", at - H, at + DAY, false);
	session_row(who, "revoked", at - H, at + DAY, true);
	session_row(who, "expired", at - H, at - 60, false);
	session_row(who, "idle", at - SESSION_IDLE_SECONDS - 60, at + DAY, false);
	email_token_row(who, "fresh", at + H, false);
	email_token_row(who, "used", at + H, true);
	email_token_row(who, "old", at - 60, false);

	scan(NOW);
	scan(NOW + H);
	cr_assert_eq(jobs_like("housekeeping:%"), 1, "one housekeeping job a day");
	cr_assert_eq(count("SELECT count(*) FROM jobs WHERE kind = 'housekeeping' AND run_at = ?", DB_PARAMS(DB_INT(at))),
		     1, "not due at 03:00 Riyadh");
	cr_assert_eq(run_all(&to_outbox, at - 1), 0, "housekeeping ran before 03:00");

	cr_assert_eq(run_all(&to_outbox, at), 1);
	cr_assert_eq(count("SELECT count(*) FROM rate_events WHERE key = '10.0.0.1'", DB_NO_PARAMS), 1);
	cr_assert_eq(count("SELECT count(*) FROM rate_events WHERE key = '10.0.0.1' AND at = ?",
			   DB_PARAMS(DB_INT(at - 30 * 60))), 1, "a counted event was deleted");
	cr_assert_eq(count("SELECT count(*) FROM sessions", DB_NO_PARAMS), 1);
	cr_assert_eq(count("SELECT count(*) FROM sessions WHERE token_hash = 'live'", DB_NO_PARAMS), 1);
	cr_assert_eq(count("SELECT count(*) FROM email_tokens", DB_NO_PARAMS), 1);
	cr_assert_eq(count("SELECT count(*) FROM email_tokens WHERE token_hash = 'fresh'", DB_NO_PARAMS), 1);
	cr_assert_eq(count("SELECT count(*) FROM jobs WHERE kind = 'housekeeping' AND done_at = ? AND last_error = ''",
			   DB_PARAMS(DB_INT(at))), 1);

	/* The next scan plans the next day's, 24 hours later. */
	scan(at + 60);
	cr_assert_eq(jobs_like("housekeeping:%"), 2);
	cr_assert_eq(count("SELECT count(*) FROM jobs WHERE kind = 'housekeeping' AND done_at IS NULL AND run_at = ?",
			   DB_PARAMS(DB_INT(at + DAY))), 1);
}

/* The verification and reset e-mails: an "account_mail" job makes the
 * token when it runs (only its hash is stored) and mails the link in the
 * person's language; an erased person gets nothing. */
Test(jobs_scan, account_mail_makes_its_token_when_it_runs)
{
	int64_t amal = user("Amal", "en"), gone = user("محمد", "ar");
	cr_assert_eq(store_job_enqueue(sc, "account_mail", "{\"user_id\":0,\"purpose\":\"reset\"}", NOW, 0, NULL, NOW,
				       NULL), DB_OK); /* nobody: done, nothing sent */
	char payload[96];
	snprintf(payload, sizeof payload, "{\"user_id\":%lld,\"purpose\":\"reset\"}", (long long)amal);
	cr_assert_eq(store_job_enqueue(sc, "account_mail", payload, NOW, 0, NULL, NOW, NULL), DB_OK);
	snprintf(payload, sizeof payload, "{\"user_id\":%lld,\"purpose\":\"verify\"}", (long long)gone);
	cr_assert_eq(store_job_enqueue(sc, "account_mail", payload, NOW, 0, NULL, NOW, NULL), DB_OK);
	cr_assert_eq(db_exec(sc, "UPDATE users SET deleted_at = ?, email = NULL, name = '' WHERE id = ?",
			     DB_PARAMS(DB_INT(NOW), DB_INT(gone)), NULL), DB_OK);
	cr_assert_eq(count("SELECT count(*) FROM email_tokens", DB_NO_PARAMS), 0, "a token made before the job ran");

	cr_assert_eq(run_all(&to_outbox, NOW), 3);
	cr_assert_eq(outbox_files(), 1);
	cr_assert_eq(count("SELECT count(*) FROM email_tokens WHERE user_id = ? AND kind = 'reset' AND expires_at = ?",
			   DB_PARAMS(DB_INT(amal), DB_INT(NOW + RESET_TOKEN_SECONDS))), 1);
	cr_assert_eq(count("SELECT count(*) FROM email_tokens", DB_NO_PARAMS), 1);
	cr_assert_eq(count("SELECT count(*) FROM jobs WHERE done_at IS NULL OR last_error <> ''", DB_NO_PARAMS), 0);
	cr_assert_eq(count("SELECT count(*) FROM jobs WHERE payload LIKE '%token%'", DB_NO_PARAMS), 0);
}
