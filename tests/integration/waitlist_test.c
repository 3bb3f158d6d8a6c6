/*
 * waitlist_test.c — a waiting-list offer's whole life through the API, on
 * the harness's server (either backend): the offer holds the place, says
 * until when, is not given to anyone else, expires through the worker's
 * offer_expiry job, passes on when declined, and is confirmed.  The offer's
 * expiry is brought forward in the server's database (KHIBRA_TEST_DB_URL);
 * the server's worker (every 5 seconds) does the rest.
 */
#include "client.h"
#include "store/store.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define H 3600

TestSuite(waitlist, .timeout = 120);

static struct response *act(struct client *c, int64_t id, const char *action)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/applications/%lld/%s", (long long)id, action);
	json_t *body = json_object();
	struct response *r = client_post_json(c, path, body);
	json_decref(body);
	return r;
}

static void act_ok(struct client *c, int64_t id, const char *action)
{
	struct response *r = act(c, id, action);
	assert_status(r, 200);
	response_free(r);
}

static int64_t apply(struct client *c, int64_t opportunity, int64_t shift)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/opportunities/%lld/applications", (long long)opportunity);
	json_t *body = json_pack("{s:I}", "shift_id", (json_int_t)shift);
	struct response *r = client_post_json(c, path, body);
	json_decref(body);
	assert_status(r, 201);
	int64_t id = json_integer_value(json_object_get(json_object_get(r->json, "application"), "id"));
	response_free(r);
	return id;
}

/* mine: the caller's application `id` as the API shows it (a new reference). */
static json_t *mine(struct client *c, int64_t id)
{
	struct response *r = client_get(c, "/api/v1/me/applications");
	assert_status(r, 200);
	json_t *found = NULL;
	json_t *items = json_object_get(r->json, "items");
	for (size_t i = 0; i < json_array_size(items); i++)
		if (json_integer_value(json_object_get(json_array_get(items, i), "id")) == id)
			found = json_incref(json_array_get(items, i));
	response_free(r);
	cr_assert_not_null(found, "application %lld not in my list", (long long)id);
	return found;
}

static void assert_status_of(struct client *c, int64_t id, const char *status)
{
	json_t *a = mine(c, id);
	cr_assert_str_eq(json_string_value(json_object_get(a, "status")), status, "application %lld", (long long)id);
	json_decref(a);
}

/* wait_status: poll until the application has `status` (the worker's tick). */
static void wait_status(struct client *c, int64_t id, const char *status)
{
	for (int i = 0; i < 100; i++) {
		json_t *a = mine(c, id);
		bool there = strcmp(json_string_value(json_object_get(a, "status")), status) == 0;
		json_decref(a);
		if (there)
			return;
		usleep(200 * 1000);
	}
	cr_assert_fail("application %lld never became %s", (long long)id, status);
}

/* notice: the text of the caller's notification of `kind`, or NULL (caller frees). */
static char *notice(struct client *c, const char *kind)
{
	struct response *r = client_get(c, "/api/v1/me/notifications");
	assert_status(r, 200);
	char *text = NULL;
	json_t *items = json_object_get(r->json, "items");
	for (size_t i = 0; i < json_array_size(items) && !text; i++) {
		json_t *it = json_array_get(items, i);
		if (strcmp(json_string_value(json_object_get(it, "kind")), kind) == 0)
			text = strdup(json_string_value(json_object_get(it, "text")));
	}
	response_free(r);
	return text;
}

static int64_t taken_of(struct client *c, int64_t opportunity)
{
	char path[64];
	snprintf(path, sizeof path, "/api/v1/opportunities/%lld", (long long)opportunity);
	struct response *r = client_get(c, path);
	assert_status(r, 200);
	int64_t taken = json_integer_value(json_object_get(json_array_get(json_object_get(r->json, "shifts"), 0), "taken"));
	response_free(r);
	return taken;
}

static void set_locale(int64_t user_id, const char *locale)
{
	db_conn *c = db_acquire(test_db());
	cr_assert_eq(store_user_set_locale(c, user_id, locale), DB_OK);
	db_release(c);
}

/* expire_now: the offer's hold ends now; its own job is removed, so that
 * only the worker's scan can find it (the backstop for older offers). */
static void expire_now(int64_t application)
{
	db_conn *c = db_acquire(test_db());
	int64_t now = time(NULL);
	cr_assert_eq(db_exec(c, "UPDATE applications SET offer_expires_at = ? WHERE id = ? AND status = 'offered'",
			     DB_PARAMS(DB_INT(now - 60), DB_INT(application)), NULL), DB_OK);
	char like[64];
	snprintf(like, sizeof like, "offer_expiry:app:%lld:%%", (long long)application);
	int64_t n = 0;
	cr_assert_eq(db_exec(c, "DELETE FROM jobs WHERE kind = 'offer_expiry' AND dedupe_key LIKE ?",
			     DB_PARAMS(DB_TEXT(like)), &n), DB_OK);
	cr_assert_eq(n, 1, "the offer had no offer_expiry job");
	db_release(c);
}

struct person { struct client *c; struct account a; };

static struct person specialist(const char *locale)
{
	struct person p = { client_new(), { 0 } };
	p.a = client_register(p.c, "specialist");
	client_login(p.c, &p.a);
	set_locale(p.a.id, locale);
	client_set_lang(p.c, locale);
	return p;
}

Test(waitlist, offer_life_cycle_through_the_api)
{
	struct client *org = client_new();
	struct account owner = client_register(org, "organisation");
	client_login(org, &owner);
	char title[64];
	random_hex(title + snprintf(title, sizeof title, "Waitlist workshop "), 4);
	int64_t opportunity = test_booking_opportunity(test_booking_org(owner.id), "workshop", "education", "open", title);
	int64_t starts = time(NULL) + 10 * 24 * H;
	int64_t shift = test_booking_shift(opportunity, starts, starts + 2 * H, 1);

	struct person a = specialist("en"), b = specialist("en"), c = specialist("en"), d = specialist("en"),
		      e = specialist("ar");
	int64_t ia = apply(a.c, opportunity, shift);
	act_ok(org, ia, "accept");
	int64_t ib = apply(b.c, opportunity, shift), ic = apply(c.c, opportunity, shift);
	int64_t ie = apply(e.c, opportunity, shift), id = apply(d.c, opportunity, shift);
	act_ok(org, ib, "waitlist");
	act_ok(org, ic, "waitlist");
	act_ok(org, ie, "waitlist");

	/* A withdraws: B is offered the place, held for 48 hours. */
	int64_t before = time(NULL);
	act_ok(a.c, ia, "withdraw");
	json_t *offer = mine(b.c, ib);
	cr_assert_str_eq(json_string_value(json_object_get(offer, "status")), "offered");
	const char *until = json_string_value(json_object_get(offer, "offer_expires_at"));
	cr_assert_not_null(until, "offer_expires_at is not set");
	cr_assert(strstr(until, "+03:00"), "not in Riyadh time: %s", until);
	json_decref(offer);
	cr_assert_eq(taken_of(org, opportunity), 1, "the offer does not hold the place");
	char *text = notice(b.c, "application_offered");
	cr_assert_not_null(text);
	cr_assert(strstr(text, title) && strstr(text, "is held for you until") && strstr(text, "(Riyadh time)"), "%s", text);
	/* The date in the text is the one 48 hours on, in Riyadh. */
	char date[16];
	time_t held = (time_t)(before + 48 * H + 3 * H);
	struct tm tm;
	gmtime_r(&held, &tm);
	strftime(date, sizeof date, "%Y-%m-%d", &tm);
	cr_assert(strstr(text, date) || tm.tm_hour == 0, "no %s in: %s", date, text);
	free(text);

	/* My applications page shows the hold and the two buttons. */
	struct response *page = client_get(b.c, "/me/applications?lang=en");
	assert_status(page, 200);
	char action[64];
	snprintf(action, sizeof action, "/applications/%lld/accept", (long long)ib);
	cr_assert(strstr(page->body.data, "This place is held for you until"), "no hold on the page");
	cr_assert(strstr(page->body.data, action), "no confirm form");
	snprintf(action, sizeof action, "/applications/%lld/decline", (long long)ib);
	cr_assert(strstr(page->body.data, action), "no decline form");
	response_free(page);

	/* Nobody else gets the held place; nobody else may answer the offer. */
	struct response *r = act(org, id, "accept");
	assert_status(r, 409);
	cr_assert_str_eq(response_error_code(r), "full");
	response_free(r);
	r = act(d.c, ib, "accept");
	assert_status(r, 404);
	response_free(r);
	r = act(org, ib, "accept");
	assert_status(r, 409);
	cr_assert_str_eq(response_error_code(r), "wrong_state");
	response_free(r);

	/* B never answers: the offer expires through the worker; C is offered. */
	expire_now(ib);
	wait_status(b.c, ib, "declined");
	json_t *gone = mine(b.c, ib);
	cr_assert_str_eq(json_string_value(json_object_get(gone, "decline_reason")), "The offer expired");
	json_decref(gone);
	text = notice(b.c, "application_offer_expired");
	cr_assert_not_null(text, "no expiry notification");
	cr_assert(strstr(text, title) && strstr(text, "was not confirmed in time"), "%s", text);
	free(text);
	assert_status_of(c.c, ic, "offered");
	cr_assert_eq(taken_of(org, opportunity), 1);
	r = act(b.c, ib, "accept");
	assert_status(r, 409);
	response_free(r);

	/* C declines: E, next in line, is offered the place and confirms it. */
	act_ok(c.c, ic, "decline");
	assert_status_of(c.c, ic, "declined");
	assert_status_of(e.c, ie, "offered");
	text = notice(e.c, "application_offered");
	cr_assert_not_null(text);
	free(text);
	cr_assert_eq(taken_of(org, opportunity), 1);
	act_ok(e.c, ie, "accept");
	assert_status_of(e.c, ie, "accepted");
	cr_assert_eq(taken_of(org, opportunity), 1);
	r = act(org, id, "accept");
	assert_status(r, 409);
	response_free(r);

	/* E withdraws, nobody waits: the place is free for an ordinary accept. */
	act_ok(e.c, ie, "withdraw");
	cr_assert_eq(taken_of(org, opportunity), 0);
	act_ok(org, id, "accept");
	cr_assert_eq(taken_of(org, opportunity), 1);

	struct person all[] = { a, b, c, d, e };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		client_free(all[i].c);
	client_free(org);
}
