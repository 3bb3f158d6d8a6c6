/*
 * jobs_test.c — the durable job queue over HTTP and across restarts, and the
 * booking loop's notifications to the organisation.
 *
 * reminder_survives_restart starts its OWN `khibra serve` ($KHIBRA_TEST_BIN)
 * on a fresh SQLite database in a temporary folder (on either backend run;
 * the queue itself is tested on both backends by tests/store/jobs_test.c),
 * kills it with SIGKILL and starts it again.  The other tests use the
 * harness's server, whose worker ticks every 5 seconds.
 */
#include "client.h"
#include "store/store.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define H 3600

TestSuite(jobs, .timeout = 150);

/* ---- a server of our own ---- */

/* own_server_new, own_server_start, own_server_stop: client.h. */

/* cli_output: what `khibra jobs --db URL` prints. Caller frees. */
static char *jobs_listing(const char *db_url)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "'%s' jobs --db '%s' 2>&1", getenv("KHIBRA_TEST_BIN"), db_url);
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p);
	buf out = BUF_INIT;
	char chunk[512];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_append(&out, chunk, n);
	cr_assert_eq(pclose(p), 0, "khibra jobs failed: %s", out.data ? out.data : "");
	return buf_detach(&out, NULL);
}

/* ---- the booking scene ---- */

static struct response *post(struct client *c, const char *body, const char *prefix, long long id, const char *suffix)
{
	char path[160];
	snprintf(path, sizeof path, "%s%lld%s", prefix, id, suffix);
	json_t *j = body ? json_loads(body, 0, NULL) : json_object();
	cr_assert_not_null(j, "bad test JSON %s", body);
	struct response *r = client_post_json(c, path, j);
	json_decref(j);
	return r;
}

/* apply: the client applies to the shift; the application's id. */
static int64_t apply(struct client *c, int64_t opportunity, int64_t shift)
{
	char body[64];
	snprintf(body, sizeof body, "{\"shift_id\": %lld}", (long long)shift);
	struct response *r = post(c, body, "/api/v1/opportunities/", opportunity, "/applications");
	assert_status(r, 201);
	int64_t id = json_integer_value(json_object_get(json_object_get(r->json, "application"), "id"));
	response_free(r);
	return id;
}

/* act: POST /api/v1/applications/ID/ACTION, asserting 200. */
static void act(struct client *c, int64_t id, const char *action, const char *body)
{
	char suffix[32];
	snprintf(suffix, sizeof suffix, "/%s", action);
	struct response *r = post(c, body, "/api/v1/applications/", id, suffix);
	assert_status(r, 200);
	response_free(r);
}

/* notification_text: the text of the caller's newest notification of `kind`
 * about `title`, or NULL; *count gets how many such there are.  Caller frees. */
static char *notification_text(struct client *c, const char *kind, const char *title, int *count)
{
	struct response *r = client_get(c, "/api/v1/me/notifications");
	assert_status(r, 200);
	char *text = NULL;
	*count = 0;
	json_t *items = json_object_get(r->json, "items");
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *it = json_array_get(items, i);
		const char *t = json_string_value(json_object_get(it, "text"));
		if (strcmp(json_string_value(json_object_get(it, "kind")), kind) == 0 && t && strstr(t, title)) {
			if (!text)
				text = strdup(t);
			(*count)++;
		}
	}
	response_free(r);
	return text;
}

static void set_locale(int64_t user_id, const char *locale)
{
	db_conn *c = db_acquire(test_db());
	cr_assert_eq(store_user_set_locale(c, user_id, locale), DB_OK);
	db_release(c);
}

/* ---- reminders survive a restart ---- */

Test(jobs, reminder_survives_restart)
{
	struct own_server s;
	own_server_new(&s);
	own_server_start(&s, false);

	struct client *org = client_new(), *person = client_new();
	struct account owner = client_register(org, "organisation");
	client_login(org, &owner);
	struct account spec = client_register(person, "specialist");
	client_login(person, &spec);
	set_locale(spec.id, "en"); /* the reminder must come in English */
	char title[64];
	random_hex(title + snprintf(title, sizeof title, "Village caravan "), 4);
	int64_t org_id = test_booking_org(owner.id);
	int64_t opportunity = test_booking_opportunity(org_id, "campaign", "health", "open", title);
	int64_t starts = time(NULL) + 20 * H;
	starts -= starts % 60;
	int64_t shift = test_booking_shift(opportunity, starts, starts + 4 * H, 2);
	int64_t id = apply(person, opportunity, shift);
	act(org, id, "accept", NULL);

	/* The worker is off: the acceptance e-mail waits in the queue. */
	usleep(500 * 1000);
	cr_assert_eq(outbox_count_messages(spec.email, title), 0, "mail sent with KHIBRA_JOBS=0");
	char *listing = jobs_listing(s.db);
	cr_assert(strstr(listing, "pending") && strstr(listing, "mail"), "khibra jobs: %s", listing);
	free(listing);

	/* Killed without a chance to clean up, then started with the worker. */
	own_server_stop(&s, SIGKILL);
	own_server_start(&s, true);
	char when[8];
	time_t local = (time_t)(starts + 3 * H);
	struct tm tm;
	gmtime_r(&local, &tm);
	strftime(when, sizeof when, "%H:%M", &tm);
	char marker[160];
	snprintf(marker, sizeof marker, "Reminder: %s starts on", title);
	char *mail = outbox_find_message(spec.email, marker, 20000);
	cr_assert_not_null(mail, "no reminder e-mail");
	cr_assert(strstr(mail, when) && strstr(mail, "/me/applications"), "reminder: %s", mail);
	free(mail);
	mail = outbox_find_message(spec.email, "has been accepted", 10000);
	cr_assert_not_null(mail, "the queued acceptance e-mail did not survive the kill");
	free(mail);
	usleep(1000 * 1000); /* several more ticks */
	cr_assert_eq(outbox_count_messages(spec.email, marker), 1);

	/* A clean stop and a second start do not remind again. */
	own_server_stop(&s, SIGTERM);
	own_server_start(&s, true);
	usleep(1500 * 1000);
	cr_assert_eq(outbox_count_messages(spec.email, marker), 1, "reminded again after a restart");
	int count = 0;
	char *text = notification_text(person, "reminder_shift", title, &count);
	cr_assert_eq(count, 1, "reminder notifications: %d", count);
	free(text);
	listing = jobs_listing(s.db);
	/* Only the next daily housekeeping waits (for 03:00 in Riyadh). */
	cr_assert(strstr(listing, "1 pending, 0 dead") && strstr(listing, "housekeeping"), "khibra jobs: %s", listing);
	free(listing);
	own_server_stop(&s, SIGTERM);

	client_free(org);
	client_free(person);
	char rm[128];
	snprintf(rm, sizeof rm, "rm -rf '%s'", s.dir);
	cr_assert_eq(system(rm), 0);
}

/* ---- the organisation hears of withdrawals and contests ---- */

struct scene {
	struct client *owner, *coordinator, *person;
	struct account owner_account, coordinator_account, person_account;
	int64_t org_id, opportunity, shift;
	char title[64];
};

/* scene_new: an organisation with an owner and a coordinator, a specialist,
 * and an open opportunity with one shift in ten days. */
static struct scene scene_new(void)
{
	struct scene s = { .owner = client_new(), .coordinator = client_new(), .person = client_new() };
	s.owner_account = client_register(s.owner, "organisation");
	client_login(s.owner, &s.owner_account);
	s.coordinator_account = client_register(s.coordinator, "organisation");
	client_login(s.coordinator, &s.coordinator_account);
	s.person_account = client_register(s.person, "specialist");
	client_login(s.person, &s.person_account);
	s.org_id = test_booking_org(s.owner_account.id);
	db_conn *c = db_acquire(test_db());
	cr_assert_eq(store_org_add_member(c, s.org_id, s.coordinator_account.id, "coordinator", time(NULL)), DB_OK);
	db_release(c);
	random_hex(s.title + snprintf(s.title, sizeof s.title, "قافلة طبية "), 4);
	s.opportunity = test_booking_opportunity(s.org_id, "campaign", "health", "open", s.title);
	int64_t day = time(NULL) + 10 * 86400;
	s.shift = test_booking_shift(s.opportunity, day, day + 4 * H, 5);
	return s;
}

static void scene_free(struct scene *s)
{
	client_free(s->owner);
	client_free(s->coordinator);
	client_free(s->person);
}

Test(jobs, withdraw_notifies_the_organisation)
{
	struct scene s = scene_new();
	int64_t id = apply(s.person, s.opportunity, s.shift);
	act(s.owner, id, "accept", NULL);
	act(s.person, id, "withdraw", NULL);
	int count = 0;
	struct client *members[] = { s.owner, s.coordinator };
	for (int i = 0; i < 2; i++) {
		char *text = notification_text(members[i], "application_withdrawn", s.title, &count);
		cr_assert_eq(count, 1, "member %d: %d withdrawal notifications", i, count);
		cr_assert(strstr(text, s.person_account.name), "no name in: %s", text);
		cr_assert(has_arabic_letters(text));
		free(text);
	}
	/* The specialist is not told of their own move. */
	free(notification_text(s.person, "application_withdrawn", s.title, &count));
	cr_assert_eq(count, 0);
	/* And the owner gets it by e-mail too, through the queue. */
	char *mail = outbox_find_message(s.owner_account.email, s.title, 15000);
	cr_assert_not_null(mail, "no withdrawal e-mail to the owner");
	cr_assert(strstr(mail, s.person_account.name), "%s", mail);
	free(mail);
	scene_free(&s);
}

Test(jobs, contest_notifies_the_organisation)
{
	struct scene s = scene_new();
	int64_t id = apply(s.person, s.opportunity, s.shift);
	act(s.owner, id, "accept", NULL);
	act(s.owner, id, "no-show", NULL);
	act(s.person, id, "contest", "{\"text\": \"كنت حاضرًا في الموقع\"}");
	int count = 0;
	struct client *members[] = { s.owner, s.coordinator };
	for (int i = 0; i < 2; i++) {
		char *text = notification_text(members[i], "no_show_contested", s.title, &count);
		cr_assert_eq(count, 1, "member %d: %d contest notifications", i, count);
		cr_assert(strstr(text, "كنت حاضرًا في الموقع") && strstr(text, s.person_account.name), "%s", text);
		free(text);
	}
	scene_free(&s);
}

Test(jobs, cancel_moves_open_applications)
{
	struct scene s = scene_new();
	struct client *others[3];
	struct account people[3];
	for (int i = 0; i < 3; i++) {
		others[i] = client_new();
		people[i] = client_register(others[i], "specialist");
		client_login(others[i], &people[i]);
	}
	int64_t accepted = apply(s.person, s.opportunity, s.shift);
	act(s.owner, accepted, "accept", NULL);
	int64_t applied = apply(others[0], s.opportunity, s.shift);
	int64_t withdrawn = apply(others[1], s.opportunity, s.shift);
	act(others[1], withdrawn, "withdraw", NULL);
	char body[96];
	snprintf(body, sizeof body, "{\"specialist_id\": %lld, \"shift_id\": %lld}", (long long)people[2].id,
		 (long long)s.shift);
	struct response *r = post(s.owner, body, "/api/v1/opportunities/", s.opportunity, "/invitations");
	assert_status(r, 201);
	int64_t invited = json_integer_value(json_object_get(json_object_get(r->json, "application"), "id"));
	response_free(r);

	r = post(s.owner, "{\"reason\": \"الطقس\"}", "/api/v1/opportunities/", s.opportunity, "/cancel");
	assert_status(r, 200);
	response_free(r);

	struct { int64_t id; const char *status; } want[] = {
		{ accepted, "cancelled" }, { applied, "cancelled" }, { invited, "cancelled" }, { withdrawn, "withdrawn" },
	};
	db_conn *c = db_acquire(test_db());
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		int st;
		db_rows *rows = db_query(c, "SELECT status FROM applications WHERE id = ?", DB_PARAMS(DB_INT(want[i].id)), &st);
		cr_assert(rows && db_next(rows));
		cr_assert_str_eq(db_text(rows, 0), want[i].status, "application %zu", i);
		db_rows_free(rows);
	}
	int64_t taken = -1;
	cr_assert_eq(db_query_int(c, "SELECT taken FROM shifts WHERE id = ?", DB_PARAMS(DB_INT(s.shift)), &taken), DB_OK);
	cr_assert_eq(taken, 1, "taken %lld", (long long)taken);
	db_release(c);

	/* Everyone who had applied, been invited or accepted is told; not the one who left. */
	struct client *told[] = { s.person, others[0], others[2] };
	int count = 0;
	for (int i = 0; i < 3; i++) {
		free(notification_text(told[i], "opportunity_cancelled", s.title, &count));
		cr_assert_eq(count, 1, "person %d: %d cancel notifications", i, count);
	}
	free(notification_text(others[1], "opportunity_cancelled", s.title, &count));
	cr_assert_eq(count, 0, "the withdrawn specialist was told");
	/* A cancelled application cannot be accepted again. */
	r = post(s.owner, NULL, "/api/v1/applications/", applied, "/accept");
	assert_status(r, 409);
	response_free(r);
	for (int i = 0; i < 3; i++)
		client_free(others[i]);
	scene_free(&s);
}

/* The confirmation and reset e-mails go through the queue: with the worker
 * off they wait (the request does not), and they survive a kill; once the
 * worker runs they go out and their links work. */
Test(jobs, account_mails_wait_in_the_queue)
{
	struct own_server s;
	own_server_new(&s);
	own_server_start(&s, false);
	struct client *c = client_new();
	struct account a = client_register(c, "specialist");
	json_t *body = json_pack("{s:s}", "email", a.email);
	struct response *r = client_post_json(c, "/api/v1/auth/password-reset", body);
	json_decref(body);
	assert_status(r, 202);
	response_free(r);
	usleep(500 * 1000);
	cr_assert_eq(outbox_count_messages(a.email, "?token="), 0, "mail sent with the worker off");
	char *listing = jobs_listing(s.db);
	cr_assert(strstr(listing, "account_mail"), "khibra jobs: %s", listing);
	cr_assert_null(strstr(listing, "token"), "a secret waits in the queue: %s", listing);
	free(listing);

	own_server_stop(&s, SIGKILL);
	own_server_start(&s, true);
	char *verify = outbox_find_link(a.email, "/verify-email?token=");
	char *reset = outbox_find_link(a.email, "/reset-password?token=");
	cr_assert_not_null(verify, "the confirmation e-mail did not survive the kill");
	cr_assert_not_null(reset, "the reset e-mail did not survive the kill");
	body = json_pack("{s:s}", "token", verify);
	r = client_post_json(c, "/api/v1/auth/verify-email", body);
	json_decref(body);
	assert_status(r, 200);
	response_free(r);
	body = json_pack("{s:s, s:s}", "token", reset, "password", "another-long-password");
	r = client_post_json(c, "/api/v1/auth/password-reset/confirm", body);
	json_decref(body);
	assert_status(r, 200);
	response_free(r);
	free(verify);
	free(reset);
	own_server_stop(&s, SIGTERM);
	own_server_remove(&s);
	client_free(c);
}
