/*
 * applications_test.c — applications and booking in the store, on the
 * database named by KHIBRA_TEST_DB (run on SQLite and on PostgreSQL).
 * Opportunities and shifts are inserted directly: this file does not depend
 * on the opportunities code.  The heart of it: capacity is never exceeded,
 * even with 50 accepts racing on separate connections.
 */
#include "store/applications.h"

#include "store_fixture.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define POOL 16

static struct store_fixture fixture;
static db *adb;
static db_conn *ac;

static void setup(void)
{
	store_fixture_open_pool(&fixture, false, POOL);
	adb = fixture.db;
	ac = fixture.c;
}

static void teardown(void)
{
	store_fixture_close(&fixture);
}

TestSuite(applications, .init = setup, .fini = teardown, .timeout = 120);

#define H 3600
#define BASE ((int64_t)1893456000) /* 2030-01-01 00:00 UTC: far from month ends in Riyadh */

static int64_t make_user(const char *role)
{
	char email[64];
	snprintf(email, sizeof email, "b-%08x%08x@example.org", randombytes_random(), randombytes_random());
	int64_t id = 0;
	cr_assert_eq(store_user_create(ac, email, "متطوع", "hash", "ar", role, time(NULL), &id), DB_OK);
	return id;
}

struct fixture { int64_t org, member, opportunity; };

/* make_opportunity: a verified organisation with one member and an
 * opportunity of this kind and domain in `status`. */
static struct fixture make_opportunity(const char *kind, const char *domain, const char *status)
{
	struct fixture f = { 0 };
	int64_t now = time(NULL);
	f.member = make_user("organisation");
	cr_assert_eq(db_query_int(ac, "INSERT INTO orgs (name, kind, created_at, verified_at, status) "
				      "VALUES ('جمعية', 'charity', ?, ?, 'verified') RETURNING id",
				  DB_PARAMS(DB_INT(now), DB_INT(now)), &f.org), DB_OK);
	cr_assert_eq(db_exec(ac, "INSERT INTO org_members (org_id, user_id, role, created_at) VALUES (?, ?, 'owner', ?)",
			     DB_PARAMS(DB_INT(f.org), DB_INT(f.member), DB_INT(now)), NULL), DB_OK);
	cr_assert_eq(db_query_int(ac, "INSERT INTO opportunities (org_id, kind, domain, title, status, starts_at, ends_at, "
				      "created_at, updated_at) VALUES (?, ?, ?, 'قافلة طبية', ?, ?, ?, ?, ?) RETURNING id",
				  DB_PARAMS(DB_INT(f.org), DB_TEXT(kind), DB_TEXT(domain), DB_TEXT(status), DB_INT(BASE),
					    DB_INT(BASE + 365 * 24 * H), DB_INT(now), DB_INT(now)), &f.opportunity), DB_OK);
	return f;
}

static int64_t make_shift(int64_t opportunity, int64_t starts, int64_t ends, int capacity)
{
	int64_t id = 0;
	cr_assert_eq(db_query_int(ac, "INSERT INTO shifts (opportunity_id, starts_at, ends_at, capacity) "
				      "VALUES (?, ?, ?, ?) RETURNING id",
				  DB_PARAMS(DB_INT(opportunity), DB_INT(starts), DB_INT(ends), DB_INT(capacity)), &id), DB_OK);
	return id;
}

static int64_t apply(int64_t opportunity, int64_t user, int64_t shift)
{
	int64_t id = 0;
	int st = store_application_apply(ac, opportunity, user, shift, "أرغب في المشاركة", time(NULL), &id);
	cr_assert_eq(st, DB_OK, "apply gave %d", st);
	return id;
}

static int64_t count_of(const char *sql_status, int64_t shift)
{
	int64_t n = -1;
	cr_assert_eq(db_query_int(ac, "SELECT count(*) FROM applications WHERE shift_id = ? AND status = ?",
				  DB_PARAMS(DB_INT(shift), DB_TEXT(sql_status)), &n), DB_OK);
	return n;
}

static int64_t taken_of(int64_t shift)
{
	int64_t n = -1;
	cr_assert_eq(db_query_int(ac, "SELECT taken FROM shifts WHERE id = ?", DB_PARAMS(DB_INT(shift)), &n), DB_OK);
	return n;
}

static const char *status_of(int64_t id)
{
	static char status[16];
	struct application a;
	cr_assert_eq(store_application_get(ac, id, &a), DB_OK);
	snprintf(status, sizeof status, "%s", a.status);
	application_free(&a);
	return status;
}

/* ---- racing accepts ---- */

struct racer {
	pthread_barrier_t *barrier;
	int64_t application, by;
	int result;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	pthread_barrier_wait(r->barrier);
	db_conn *c = db_acquire(adb);
	r->result = store_application_act(c, r->application, r->by, ACT_ACCEPT, NULL, time(NULL));
	db_release(c);
	return NULL;
}

/* run_race: accept every application at once, each on its own thread. */
static void run_race(struct racer *racers, int n)
{
	pthread_t threads[64];
	pthread_barrier_t barrier;
	pthread_barrier_init(&barrier, NULL, (unsigned)n);
	for (int i = 0; i < n; i++) {
		racers[i].barrier = &barrier;
		cr_assert_eq(pthread_create(&threads[i], NULL, race, &racers[i]), 0);
	}
	for (int i = 0; i < n; i++)
		pthread_join(threads[i], NULL);
	pthread_barrier_destroy(&barrier);
}

Test(applications, fifty_concurrent_accepts_on_three_places)
{
	struct fixture f = make_opportunity("campaign", "health", "open");
	int64_t shift = make_shift(f.opportunity, BASE + 8 * H, BASE + 14 * H, 3);
	struct racer racers[50];
	for (int i = 0; i < 50; i++)
		racers[i] = (struct racer){ .application = apply(f.opportunity, make_user("specialist"), shift), .by = f.member };
	run_race(racers, 50);
	int ok = 0, full = 0;
	for (int i = 0; i < 50; i++) {
		if (racers[i].result == DB_OK)
			ok++;
		else if (racers[i].result == BOOK_FULL)
			full++;
		else
			cr_assert_fail("accept %d gave %d", i, racers[i].result);
	}
	cr_assert_eq(ok, 3);
	cr_assert_eq(full, 47);
	cr_assert_eq(taken_of(shift), 3);
	cr_assert_eq(count_of("accepted", shift), 3);
	cr_assert_eq(count_of("applied", shift), 47);
}

Test(applications, one_person_on_two_overlapping_shifts_concurrently)
{
	for (int round = 0; round < 5; round++) {
		struct fixture f = make_opportunity("campaign", "health", "open");
		int64_t a = make_shift(f.opportunity, BASE + 8 * H, BASE + 12 * H, 5);
		int64_t b = make_shift(f.opportunity, BASE + 10 * H, BASE + 14 * H, 5);
		int64_t person = make_user("specialist");
		struct racer racers[2] = {
			{ .application = apply(f.opportunity, person, a), .by = f.member },
			{ .application = apply(f.opportunity, person, b), .by = f.member },
		};
		run_race(racers, 2);
		int ok = (racers[0].result == DB_OK) + (racers[1].result == DB_OK);
		int overlap = (racers[0].result == BOOK_OVERLAP) + (racers[1].result == BOOK_OVERLAP);
		cr_assert_eq(ok, 1, "round %d: %d %d", round, racers[0].result, racers[1].result);
		cr_assert_eq(overlap, 1);
		cr_assert_eq(taken_of(a) + taken_of(b), 1);
	}
}

/* ---- the checks one by one ---- */

Test(applications, overlap_refused_back_to_back_allowed)
{
	struct fixture f = make_opportunity("campaign", "education", "open");
	int64_t morning = make_shift(f.opportunity, BASE + 8 * H, BASE + 10 * H, 2);
	int64_t noon = make_shift(f.opportunity, BASE + 10 * H, BASE + 12 * H, 2);   /* back to back */
	int64_t late = make_shift(f.opportunity, BASE + 11 * H, BASE + 13 * H, 2);   /* overlaps noon */
	int64_t person = make_user("specialist");
	int64_t x = apply(f.opportunity, person, morning), y = apply(f.opportunity, person, noon);
	int64_t z = apply(f.opportunity, person, late);
	cr_assert_eq(store_application_act(ac, x, f.member, ACT_ACCEPT, NULL, time(NULL)), DB_OK);
	cr_assert_eq(store_application_act(ac, y, f.member, ACT_ACCEPT, NULL, time(NULL)), DB_OK);
	cr_assert_eq(store_application_act(ac, z, f.member, ACT_ACCEPT, NULL, time(NULL)), BOOK_OVERLAP);
	cr_assert_str_eq(status_of(z), "applied");
	cr_assert_eq(taken_of(late), 0);
}

Test(applications, hour_cap_default_and_profile)
{
	struct fixture f = make_opportunity("campaign", "technology", "open");
	int64_t six = make_shift(f.opportunity, BASE + 8 * H, BASE + 14 * H, 2);
	int64_t five = make_shift(f.opportunity, BASE + 48 * H, BASE + 53 * H, 2);
	int64_t person = make_user("specialist");
	int64_t a = apply(f.opportunity, person, six), b = apply(f.opportunity, person, five);
	cr_assert_eq(store_application_act(ac, a, f.member, ACT_ACCEPT, NULL, time(NULL)), DB_OK);
	/* No profile: 10 hours a month; 6 + 5 is too many. */
	cr_assert_eq(store_application_act(ac, b, f.member, ACT_ACCEPT, NULL, time(NULL)), BOOK_HOUR_CAP);
	cr_assert_eq(taken_of(five), 0);
	cr_assert_eq(db_exec(ac, "INSERT INTO specialist_profiles (user_id, max_hours_month, created_at, updated_at) "
				 "VALUES (?, 11, 0, 0)", DB_PARAMS(DB_INT(person)), NULL), DB_OK);
	cr_assert_eq(store_application_act(ac, b, f.member, ACT_ACCEPT, NULL, time(NULL)), DB_OK);
	cr_assert_eq(taken_of(five), 1);
}

Test(applications, licence_gate_for_health_consultations)
{
	struct fixture f = make_opportunity("consultation", "health", "open");
	int64_t shift = make_shift(f.opportunity, BASE + 8 * H, BASE + 9 * H, 1);
	int64_t doctor = make_user("specialist");
	int64_t a = apply(f.opportunity, doctor, 0); /* the only shift is chosen */
	struct application got;
	cr_assert_eq(store_application_get(ac, a, &got), DB_OK);
	cr_assert_eq(got.shift_id, shift);
	application_free(&got);
	cr_assert_eq(store_application_act(ac, a, f.member, ACT_ACCEPT, NULL, time(NULL)), BOOK_LICENCE);
	/* A pending licence is not enough; an approved one is. */
	cr_assert_eq(db_exec(ac, "INSERT INTO credentials (user_id, kind, file_hash, file_type, file_size, status, created_at) "
				 "VALUES (?, 'licence', 'ab', 'application/pdf', 1, 'pending', 0)",
			     DB_PARAMS(DB_INT(doctor)), NULL), DB_OK);
	cr_assert_eq(store_application_act(ac, a, f.member, ACT_ACCEPT, NULL, time(NULL)), BOOK_LICENCE);
	cr_assert_eq(db_exec(ac, "UPDATE credentials SET status = 'approved' WHERE user_id = ?",
			     DB_PARAMS(DB_INT(doctor)), NULL), DB_OK);
	cr_assert_eq(store_application_act(ac, a, f.member, ACT_ACCEPT, NULL, time(NULL)), DB_OK);
	/* Campaigns in health need no licence. */
	struct fixture g = make_opportunity("campaign", "health", "open");
	make_shift(g.opportunity, BASE + 30 * H, BASE + 31 * H, 1);
	int64_t b = apply(g.opportunity, make_user("specialist"), 0);
	cr_assert_eq(store_application_act(ac, b, g.member, ACT_ACCEPT, NULL, time(NULL)), DB_OK);
}

Test(applications, waitlist_promotion_on_withdraw)
{
	struct fixture f = make_opportunity("campaign", "arts_media", "open");
	int64_t shift = make_shift(f.opportunity, BASE + 8 * H, BASE + 10 * H, 1);
	int64_t pa = make_user("specialist"), pb = make_user("specialist"), pc = make_user("specialist");
	int64_t pd = make_user("specialist");
	int64_t a = apply(f.opportunity, pa, shift), b = apply(f.opportunity, pb, shift);
	int64_t c = apply(f.opportunity, pc, shift);
	cr_assert_eq(store_application_act(ac, a, f.member, ACT_ACCEPT, NULL, 1000), DB_OK);
	cr_assert_eq(store_application_act(ac, b, f.member, ACT_ACCEPT, NULL, 1001), BOOK_FULL);
	cr_assert_eq(store_application_act(ac, b, f.member, ACT_WAITLIST, NULL, 1002), DB_OK);
	cr_assert_eq(store_application_act(ac, c, f.member, ACT_WAITLIST, NULL, 1003), DB_OK);
	/* A withdraws: the place goes to B, first on the list, as an offer. */
	cr_assert_eq(store_application_act(ac, a, pa, ACT_WITHDRAW, NULL, 1004), DB_OK);
	cr_assert_eq(taken_of(shift), 1); /* the offer holds the place (tests/store/waitlist_test.c) */
	cr_assert_str_eq(status_of(b), "offered");
	cr_assert_str_eq(status_of(c), "waitlisted");
	int64_t n = 0;
	cr_assert_eq(db_query_int(ac, "SELECT count(*) FROM notifications WHERE user_id = ? AND kind = 'application_offered'",
				  DB_PARAMS(DB_INT(pb)), &n), DB_OK);
	cr_assert_eq(n, 1);
	/* Meanwhile the organisation cannot give B's held place to D. */
	int64_t d = apply(f.opportunity, pd, shift);
	cr_assert_eq(store_application_act(ac, d, f.member, ACT_ACCEPT, NULL, 1005), BOOK_FULL);
	cr_assert_eq(taken_of(shift), 1);
	cr_assert_str_eq(status_of(c), "waitlisted");
	cr_assert_eq(store_application_act(ac, b, pb, ACT_ACCEPT, NULL, 1008), DB_OK);
	cr_assert_str_eq(status_of(b), "accepted");
	cr_assert_eq(taken_of(shift), 1);
	/* B declining instead would have passed the offer on: try with C after B withdraws. */
	cr_assert_eq(store_application_act(ac, b, pb, ACT_WITHDRAW, NULL, 1009), DB_OK);
	cr_assert_str_eq(status_of(c), "offered");
	cr_assert_eq(store_application_act(ac, c, pc, ACT_DECLINE, NULL, 1010), DB_OK);
	cr_assert_str_eq(status_of(c), "declined");
	cr_assert_eq(taken_of(shift), 0);
}

Test(applications, life_cycle_rights_and_notifications)
{
	struct fixture f = make_opportunity("workshop", "education", "open");
	int64_t shift = make_shift(f.opportunity, BASE + 8 * H, BASE + 10 * H, 3);
	int64_t person = make_user("specialist"), stranger = make_user("specialist");
	int64_t a = apply(f.opportunity, person, shift);
	int64_t dup = 0;
	cr_assert_eq(store_application_apply(ac, f.opportunity, person, shift, "", 0, &dup), BOOK_DUPLICATE);
	/* Someone else's application is not found; the applicant may not accept it. */
	cr_assert_eq(store_application_act(ac, a, stranger, ACT_ACCEPT, NULL, 0), STORE_NOT_FOUND);
	cr_assert_eq(store_application_act(ac, a, person, ACT_ACCEPT, NULL, 0), BOOK_WRONG_STATE);
	cr_assert_eq(store_application_act(ac, a, person, ACT_COMPLETE, NULL, 0), BOOK_FORBIDDEN);
	cr_assert_eq(store_application_act(ac, a, f.member, ACT_WITHDRAW, NULL, 0), BOOK_FORBIDDEN);
	cr_assert_eq(store_application_act(ac, a, f.member, ACT_COMPLETE, NULL, 0), BOOK_WRONG_STATE);
	cr_assert_eq(store_application_act(ac, a, f.member, ACT_ACCEPT, NULL, 0), DB_OK);
	cr_assert_eq(store_application_act(ac, a, f.member, ACT_ACCEPT, NULL, 0), BOOK_WRONG_STATE);
	cr_assert_eq(store_application_act(ac, a, f.member, ACT_CHECKIN, NULL, 5), DB_OK);
	cr_assert_eq(store_application_act(ac, a, f.member, ACT_NO_SHOW, NULL, 6), DB_OK);
	cr_assert_eq(store_application_act(ac, a, person, ACT_CONTEST, "كنت حاضرًا", 7), DB_OK);
	cr_assert_eq(store_application_act(ac, a, person, ACT_CONTEST, "مرة أخرى", 8), BOOK_WRONG_STATE);
	struct application got;
	cr_assert_eq(store_application_get(ac, a, &got), DB_OK);
	cr_assert_str_eq(got.status, "no_show");
	cr_assert_str_eq(got.no_show_contest, "كنت حاضرًا");
	cr_assert_eq(got.checked_in_at, 5);
	application_free(&got);
	int64_t n = 0;
	cr_assert_eq(db_query_int(ac, "SELECT count(*) FROM notifications WHERE user_id = ? AND kind IN "
				      "('application_accepted', 'application_no_show')", DB_PARAMS(DB_INT(person)), &n), DB_OK);
	cr_assert_eq(n, 2);

	/* A decline carries its reason to the specialist. */
	int64_t other = make_user("specialist");
	int64_t b = apply(f.opportunity, other, shift);
	cr_assert_eq(store_application_act(ac, b, f.member, ACT_DECLINE, "اكتمل العدد", 9), DB_OK);
	db_rows *r = db_query(ac, "SELECT params FROM notifications WHERE user_id = ? AND kind = 'application_declined'",
			      DB_PARAMS(DB_INT(other)), NULL);
	cr_assert(r && db_next(r));
	cr_assert(strstr(db_text(r, 0), "اكتمل العدد"), "%s", db_text(r, 0));
	db_rows_free(r);
	/* Declined, it may apply again. */
	cr_assert_eq(store_application_apply(ac, f.opportunity, other, shift, "", 0, &dup), DB_OK);
}

Test(applications, apply_checks_the_opportunity)
{
	struct fixture draft = make_opportunity("campaign", "law", "draft");
	struct fixture closed = make_opportunity("campaign", "law", "closed");
	struct fixture open = make_opportunity("campaign", "law", "open");
	make_shift(open.opportunity, BASE, BASE + H, 1);
	make_shift(open.opportunity, BASE + 2 * H, BASE + 3 * H, 1);
	struct fixture other = make_opportunity("campaign", "law", "open");
	int64_t foreign = make_shift(other.opportunity, BASE, BASE + H, 1);
	int64_t person = make_user("specialist"), id = 0;
	cr_assert_eq(store_application_apply(ac, draft.opportunity, person, 0, "", 0, &id), STORE_NOT_FOUND);
	cr_assert_eq(store_application_apply(ac, 999999999, person, 0, "", 0, &id), STORE_NOT_FOUND);
	cr_assert_eq(store_application_apply(ac, closed.opportunity, person, 0, "", 0, &id), BOOK_NOT_OPEN);
	cr_assert_eq(store_application_apply(ac, open.opportunity, person, foreign, "", 0, &id), BOOK_BAD_SHIFT);
	cr_assert_eq(store_application_apply(ac, open.opportunity, person, 0, "", 0, &id), BOOK_SHIFT_NEEDED);
	/* Invitations: the invited person accepts, under the same checks. */
	int64_t inv = 0;
	cr_assert_eq(store_application_invite(ac, other.opportunity, other.member, 999999999, foreign, "", 0, &inv),
		     BOOK_NO_PERSON);
	cr_assert_eq(store_application_invite(ac, other.opportunity, other.member, person, foreign, "تعال", 0, &inv), DB_OK);
	cr_assert_str_eq(status_of(inv), "invited");
	cr_assert_eq(store_application_act(ac, inv, other.member, ACT_ACCEPT, NULL, 0), BOOK_WRONG_STATE);
	cr_assert_eq(store_application_act(ac, inv, person, ACT_ACCEPT, NULL, 0), DB_OK);
	cr_assert_eq(taken_of(foreign), 1);
}
