/*
 * waitlist_test.c — waiting-list offers that hold their place and expire
 * (store/applications.c), on the database named by KHIBRA_TEST_DB (SQLite
 * and PostgreSQL).  After every step: shifts.taken = accepted + offered on
 * the shift, and never above its capacity.
 *
 * Times are in 2030 (T0): the offer_expiry jobs these tests queue are far
 * from the 1970 claims of tests/store/jobs_test.c.
 */
#include "store/applications.h"
#include "store/jobs.h"

#include "store_fixture.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define POOL 24
#define H 3600
#define T0 ((int64_t)1893456000) /* 2030-01-01 00:00 UTC */
#define SHIFT_AT (T0 + 30 * 24 * H)

static struct store_fixture fixture;
static db *wdb;
static db_conn *wc;

static void setup(void)
{
	store_fixture_open_pool(&fixture, false, POOL);
	wdb = fixture.db;
	wc = fixture.c;
}

static void teardown(void)
{
	store_fixture_close(&fixture);
}

TestSuite(waitlist, .init = setup, .fini = teardown, .timeout = 120);

/* ---- fixtures ---- */

static int64_t make_user(void)
{
	char email[64];
	snprintf(email, sizeof email, "w-%08x%08x@example.org", randombytes_random(), randombytes_random());
	int64_t id = 0;
	cr_assert_eq(store_user_create(wc, email, "متطوعة", "hash", "ar", "specialist", time(NULL), &id), DB_OK);
	return id;
}

struct scene { int64_t member, opportunity, shift; };

/* make_scene: a verified organisation with one owner, an open campaign and
 * one shift of `capacity` places a month after T0. */
static struct scene make_scene(int capacity)
{
	struct scene s = { 0 };
	int64_t org = 0;
	s.member = make_user();
	cr_assert_eq(db_query_int(wc, "INSERT INTO orgs (name, kind, created_at, verified_at, status) "
				      "VALUES ('جمعية البر', 'charity', ?, ?, 'verified') RETURNING id",
				  DB_PARAMS(DB_INT(T0), DB_INT(T0)), &org), DB_OK);
	cr_assert_eq(db_exec(wc, "INSERT INTO org_members (org_id, user_id, role, created_at) VALUES (?, ?, 'owner', ?)",
			     DB_PARAMS(DB_INT(org), DB_INT(s.member), DB_INT(T0)), NULL), DB_OK);
	cr_assert_eq(db_query_int(wc, "INSERT INTO opportunities (org_id, kind, domain, title, status, starts_at, ends_at, "
				      "created_at, updated_at) VALUES (?, 'campaign', 'health', 'قافلة الأسنان', 'open', ?, ?, ?, ?) "
				      "RETURNING id",
				  DB_PARAMS(DB_INT(org), DB_INT(SHIFT_AT), DB_INT(SHIFT_AT + 6 * H), DB_INT(T0), DB_INT(T0)),
				  &s.opportunity), DB_OK);
	cr_assert_eq(db_query_int(wc, "INSERT INTO shifts (opportunity_id, starts_at, ends_at, capacity) VALUES (?, ?, ?, ?) "
				      "RETURNING id",
				  DB_PARAMS(DB_INT(s.opportunity), DB_INT(SHIFT_AT), DB_INT(SHIFT_AT + 2 * H), DB_INT(capacity)),
				  &s.shift), DB_OK);
	return s;
}

static int64_t apply(const struct scene *s, int64_t user)
{
	int64_t id = 0;
	cr_assert_eq(store_application_apply(wc, s->opportunity, user, s->shift, "", T0, &id), DB_OK);
	return id;
}

/* accepted: a new applicant accepted by the organisation. */
static int64_t accepted(const struct scene *s, int64_t at)
{
	int64_t id = apply(s, make_user());
	cr_assert_eq(store_application_act(wc, id, s->member, ACT_ACCEPT, NULL, at), DB_OK);
	return id;
}

/* waitlisted: a new applicant put on the waiting list at `at`. */
static int64_t waitlisted(const struct scene *s, int64_t at)
{
	int64_t id = apply(s, make_user());
	cr_assert_eq(store_application_act(wc, id, s->member, ACT_WAITLIST, NULL, at), DB_OK);
	return id;
}

static struct application get(int64_t id)
{
	struct application a;
	cr_assert_eq(store_application_get(wc, id, &a), DB_OK);
	return a;
}

static void assert_status(int64_t id, const char *status)
{
	struct application a = get(id);
	cr_assert_str_eq(a.status, status, "application %lld", (long long)id);
	application_free(&a);
}

static int64_t count_q(const char *sql, int64_t arg)
{
	int64_t n = -1;
	cr_assert_eq(db_query_int(wc, sql, DB_PARAMS(DB_INT(arg)), &n), DB_OK, "%s", sql);
	return n;
}

/* assert_places: taken = accepted + offered = `expected`, within capacity. */
static void assert_places(const struct scene *s, int64_t expected)
{
	int64_t taken = count_q("SELECT taken FROM shifts WHERE id = ?", s->shift);
	int64_t capacity = count_q("SELECT capacity FROM shifts WHERE id = ?", s->shift);
	int64_t holding = count_q("SELECT count(*) FROM applications WHERE shift_id = ? AND status IN ('accepted', 'offered')",
				  s->shift);
	cr_assert_eq(taken, holding, "taken %lld, accepted + offered %lld", (long long)taken, (long long)holding);
	cr_assert_leq(taken, capacity);
	cr_assert_eq(taken, expected, "taken %lld, expected %lld", (long long)taken, (long long)expected);
}

/* notice_params: the params of the person's one notification of `kind`. */
static json_t *notice_params(int64_t application, const char *kind)
{
	int st;
	db_rows *r = db_query(wc, "SELECT n.params FROM notifications n JOIN applications a ON a.user_id = n.user_id "
				  "WHERE a.id = ? AND n.kind = ?",
			      DB_PARAMS(DB_INT(application), DB_TEXT(kind)), &st);
	cr_assert_not_null(r);
	cr_assert(db_next(r), "no %s notification for application %lld", kind, (long long)application);
	json_t *p = json_loads(db_text(r, 0), 0, NULL);
	cr_assert(!db_next(r), "two %s notifications", kind);
	db_rows_free(r);
	cr_assert_not_null(p);
	return p;
}

/* ---- the tests ---- */

Test(waitlist, offer_holds_the_place_and_is_confirmed)
{
	struct scene s = make_scene(1);
	int64_t first = accepted(&s, T0);
	int64_t b = waitlisted(&s, T0 + 1), c = waitlisted(&s, T0 + 2);
	assert_places(&s, 1);
	/* The accepted person withdraws: B, first in line, is offered the place,
	 * which the offer holds for 48 hours. */
	struct application a = get(first);
	cr_assert_eq(store_application_act(wc, first, a.user_id, ACT_WITHDRAW, NULL, T0 + 10), DB_OK);
	application_free(&a);
	assert_status(b, "offered");
	assert_status(c, "waitlisted");
	assert_places(&s, 1);
	struct application offer = get(b);
	cr_assert_eq(offer.offered_at, T0 + 10);
	cr_assert_eq(offer.offer_expires_at, T0 + 10 + BOOKING_OFFER_HOLD_SECONDS);
	/* Its expiry is a durable job due when the hold ends. */
	char key[80];
	snprintf(key, sizeof key, "offer_expiry:app:%lld:%lld", (long long)b, (long long)(T0 + 10));
	int64_t run_at = 0;
	cr_assert_eq(db_query_int(wc, "SELECT run_at FROM jobs WHERE kind = 'offer_expiry' AND dedupe_key = ?",
				  DB_PARAMS(DB_TEXT(key)), &run_at), DB_OK);
	cr_assert_eq(run_at, offer.offer_expires_at);
	/* The notification says until when: 2 January 2030, 03:00 in Riyadh. */
	json_t *p = notice_params(b, "application_offered");
	cr_assert_str_eq(json_string_value(json_object_get(p, "date")), "2030-01-03");
	cr_assert_str_eq(json_string_value(json_object_get(p, "time")), "03:00");
	cr_assert_str_eq(json_string_value(json_object_get(p, "title")), "قافلة الأسنان");
	json_decref(p);

	/* Meanwhile the organisation cannot give the held place to someone else. */
	int64_t d = apply(&s, make_user());
	cr_assert_eq(store_application_act(wc, d, s.member, ACT_ACCEPT, NULL, T0 + 20), BOOK_FULL);
	assert_status(d, "applied");
	assert_places(&s, 1);
	/* B confirms: no second capacity check fails, the place is B's. */
	cr_assert_eq(store_application_act(wc, b, offer.user_id, ACT_ACCEPT, NULL, T0 + 30), DB_OK);
	assert_status(b, "accepted");
	assert_status(c, "waitlisted");
	assert_places(&s, 1);
	/* A later expiry job finds nothing to do. */
	bool expired = true;
	cr_assert_eq(store_application_expire_offer(wc, b, T0 + 60 * H, &expired), DB_OK);
	cr_assert_not(expired);
	assert_status(b, "accepted");
	assert_places(&s, 1);
	application_free(&offer);
}

Test(waitlist, declining_an_offer_passes_it_on)
{
	struct scene s = make_scene(1);
	int64_t first = accepted(&s, T0);
	int64_t b = waitlisted(&s, T0 + 1), c = waitlisted(&s, T0 + 2), d = waitlisted(&s, T0 + 3);
	struct application a = get(first);
	cr_assert_eq(store_application_act(wc, first, a.user_id, ACT_WITHDRAW, NULL, T0 + 10), DB_OK);
	application_free(&a);
	assert_status(b, "offered");
	/* Only the offered person may decline it: for the organisation it is the wrong state. */
	cr_assert_eq(store_application_act(wc, b, s.member, ACT_DECLINE, NULL, T0 + 11), BOOK_WRONG_STATE);
	struct application offer = get(b);
	cr_assert_eq(store_application_act(wc, b, offer.user_id, ACT_DECLINE, NULL, T0 + 12), DB_OK);
	application_free(&offer);
	/* The place goes to C, next in waitlisted_at order, in the same step. */
	assert_status(b, "declined");
	assert_status(c, "offered");
	assert_status(d, "waitlisted");
	assert_places(&s, 1);
	json_t *p = notice_params(c, "application_offered");
	json_decref(p);
	struct application next = get(c);
	cr_assert_eq(next.offer_expires_at, T0 + 12 + BOOKING_OFFER_HOLD_SECONDS);
	application_free(&next);
}

Test(waitlist, an_offer_expires_and_moves_on)
{
	struct scene s = make_scene(2);
	int64_t first = accepted(&s, T0);
	accepted(&s, T0);
	int64_t b = waitlisted(&s, T0 + 1), c = waitlisted(&s, T0 + 2);
	struct application a = get(first);
	cr_assert_eq(store_application_act(wc, first, a.user_id, ACT_WITHDRAW, NULL, T0 + 10), DB_OK);
	application_free(&a);
	assert_status(b, "offered");
	assert_places(&s, 2);
	/* 47 hours later the offer still holds. */
	bool expired = true;
	cr_assert_eq(store_application_expire_offer(wc, b, T0 + 10 + 47 * H, &expired), DB_OK);
	cr_assert_not(expired);
	assert_status(b, "offered");
	/* 49 hours later it has expired: B is declined with the reason, C is offered. */
	int64_t later = T0 + 10 + 49 * H;
	cr_assert_eq(store_application_expire_offer(wc, b, later, &expired), DB_OK);
	cr_assert(expired);
	struct application gone = get(b);
	cr_assert_str_eq(gone.status, "declined");
	cr_assert_str_eq(gone.decline_reason, "The offer expired"); /* no catalogue loaded: the msgid */
	application_free(&gone);
	json_t *p = notice_params(b, "application_offer_expired");
	cr_assert_str_eq(json_string_value(json_object_get(p, "date")), "2030-01-03");
	cr_assert_str_eq(json_string_value(json_object_get(p, "time")), "03:00");
	json_decref(p);
	assert_status(c, "offered");
	assert_places(&s, 2);
	struct application next = get(c);
	cr_assert_eq(next.offer_expires_at, later + BOOKING_OFFER_HOLD_SECONDS);
	/* C's offer expires too, with nobody waiting: the place is freed. */
	cr_assert_eq(store_application_expire_offer(wc, c, later + 49 * H, &expired), DB_OK);
	cr_assert(expired);
	assert_status(c, "declined");
	assert_places(&s, 1);
	/* Expiring it again does nothing. */
	cr_assert_eq(store_application_expire_offer(wc, c, later + 99 * H, &expired), DB_OK);
	cr_assert_not(expired);
	assert_places(&s, 1);
	/* The freed place can be taken by an ordinary accept. */
	accepted(&s, later + 100 * H);
	assert_places(&s, 2);
	/* An expired offer can no longer be confirmed. */
	cr_assert_eq(store_application_act(wc, c, next.user_id, ACT_ACCEPT, NULL, later + 101 * H), BOOK_WRONG_STATE);
	application_free(&next);
	/* Unknown applications expire quietly (the job is done). */
	cr_assert_eq(store_application_expire_offer(wc, 999999999, later, &expired), DB_OK);
	cr_assert_not(expired);
}

Test(waitlist, freed_places_are_offered_one_each_in_order)
{
	struct scene s = make_scene(3);
	int64_t a1 = accepted(&s, T0), a2 = accepted(&s, T0);
	accepted(&s, T0);
	int64_t w[4];
	for (int i = 0; i < 4; i++)
		w[i] = waitlisted(&s, T0 + 1 + i);
	/* Two withdrawals: the first two in line are offered, one place each. */
	struct application a = get(a1);
	cr_assert_eq(store_application_act(wc, a1, a.user_id, ACT_WITHDRAW, NULL, T0 + 10), DB_OK);
	application_free(&a);
	a = get(a2);
	cr_assert_eq(store_application_act(wc, a2, a.user_id, ACT_WITHDRAW, NULL, T0 + 11), DB_OK);
	application_free(&a);
	assert_status(w[0], "offered");
	assert_status(w[1], "offered");
	assert_status(w[2], "waitlisted");
	assert_places(&s, 3);
	/* An organisation decline of a waitlisted one changes no places. */
	cr_assert_eq(store_application_act(wc, w[2], s.member, ACT_DECLINE, "", T0 + 12), DB_OK);
	assert_places(&s, 3);
	/* The first offer expires: the place goes to w[3] (w[2] is no longer waiting). */
	cr_assert_eq(store_application_expire_offer(wc, w[0], T0 + 10 + BOOKING_OFFER_HOLD_SECONDS, NULL), DB_OK);
	assert_status(w[0], "declined");
	assert_status(w[3], "offered");
	assert_places(&s, 3);
}

/* ---- racing: one offered place, its confirmation and 20 accepts ---- */

struct racer {
	pthread_barrier_t *barrier;
	int64_t application, by;
	int result;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	pthread_barrier_wait(r->barrier);
	db_conn *c = db_acquire(wdb);
	r->result = store_application_act(c, r->application, r->by, ACT_ACCEPT, NULL, T0 + 100);
	db_release(c);
	return NULL;
}

Test(waitlist, a_held_place_is_never_given_twice_under_concurrent_accepts)
{
	enum { RACERS = 20 };
	struct scene s = make_scene(1);
	int64_t first = accepted(&s, T0);
	int64_t b = waitlisted(&s, T0 + 1);
	struct racer racers[RACERS + 1];
	for (int i = 0; i < RACERS; i++)
		racers[i] = (struct racer){ .application = apply(&s, make_user()), .by = s.member };
	struct application a = get(first);
	cr_assert_eq(store_application_act(wc, first, a.user_id, ACT_WITHDRAW, NULL, T0 + 10), DB_OK);
	application_free(&a);
	a = get(b);
	racers[RACERS] = (struct racer){ .application = b, .by = a.user_id };
	application_free(&a);
	pthread_barrier_t barrier;
	pthread_barrier_init(&barrier, NULL, RACERS + 1);
	pthread_t threads[RACERS + 1];
	for (int i = 0; i <= RACERS; i++) {
		racers[i].barrier = &barrier;
		cr_assert_eq(pthread_create(&threads[i], NULL, race, &racers[i]), 0);
	}
	for (int i = 0; i <= RACERS; i++)
		pthread_join(threads[i], NULL);
	pthread_barrier_destroy(&barrier);
	for (int i = 0; i < RACERS; i++)
		cr_assert_eq(racers[i].result, BOOK_FULL, "accept %d gave %d", i, racers[i].result);
	cr_assert_eq(racers[RACERS].result, DB_OK, "the confirmation gave %d", racers[RACERS].result);
	assert_status(b, "accepted");
	assert_places(&s, 1);
}
