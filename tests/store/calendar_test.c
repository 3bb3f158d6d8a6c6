/*
 * calendar_test.c — a person's calendar in the store (store/calendar.c) on
 * the database named by KHIBRA_TEST_DB: which applications and help sessions
 * become events, cancelled ones, the time range, other people's events, and
 * the feed token (set, replace, find, delete).
 */
#include "store/calendar.h"

#include "store_fixture.h"

#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define H 3600
#define DAY 86400

static struct store_fixture fixture;
static db *cdb;
static db_conn *cc;

static void setup(void)
{
	store_fixture_open_pool(&fixture, false, 2);
	cdb = fixture.db;
	cc = fixture.c;
}

static void teardown(void)
{
	store_fixture_close(&fixture);
}

TestSuite(calendar, .init = setup, .fini = teardown);

static int64_t insert(const char *sql, const db_value *params, int nparams)
{
	int64_t id = 0;
	cr_assert_eq(db_query_int(cc, sql, params, nparams, &id), DB_OK, "could not run %s", sql);
	return id;
}

static int64_t person(void)
{
	char email[64];
	snprintf(email, sizeof email, "c-%08x%08x@example.org", randombytes_random(), randombytes_random());
	int64_t id = 0;
	cr_assert_eq(store_user_create(cc, email, "مختص", "hash", "en", "specialist", time(NULL), &id), DB_OK);
	return id;
}

/* opportunity: an on-site one in Riyadh of a new organisation, in `status`,
 * last changed at `updated`. */
static int64_t opportunity(const char *title, const char *status, int64_t t0, int64_t updated)
{
	int64_t now = time(NULL);
	int64_t org = insert("INSERT INTO orgs (name, name_en, kind, created_at) VALUES ('جمعية البر', 'Al-Birr Society', "
			     "'charity', ?) RETURNING id", DB_PARAMS(DB_INT(now)));
	return insert("INSERT INTO opportunities (org_id, kind, domain, title, status, city, address, starts_at, ends_at, "
		      "created_at, updated_at) VALUES (?, 'campaign', 'health', ?, ?, 'riyadh', 'حي النخيل', ?, ?, ?, ?) "
		      "RETURNING id",
		      DB_PARAMS(DB_INT(org), DB_TEXT(title), DB_TEXT(status), DB_INT(t0), DB_INT(t0 + 30 * DAY),
				DB_INT(updated), DB_INT(updated)));
}

static int64_t shift(int64_t opp, int64_t starts, int64_t ends, const char *role)
{
	return insert("INSERT INTO shifts (opportunity_id, role, starts_at, ends_at, capacity) VALUES (?, ?, ?, ?, 5) "
		      "RETURNING id", DB_PARAMS(DB_INT(opp), DB_TEXT(role), DB_INT(starts), DB_INT(ends)));
}

static int64_t application(int64_t opp, int64_t shift_id, int64_t user, const char *status, int64_t created,
			   int64_t updated)
{
	return insert("INSERT INTO applications (opportunity_id, shift_id, user_id, status, created_at, updated_at) "
		      "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
		      DB_PARAMS(DB_INT(opp), DB_INT(shift_id), DB_INT(user), DB_TEXT(status), DB_INT(created),
				DB_INT(updated)));
}

static int64_t help_session(int64_t requester, int64_t specialist, int64_t starts, const char *mode)
{
	int64_t now = time(NULL);
	return insert("INSERT INTO help_requests (requester_id, assigned_specialist_id, domain, title, details_box, status, "
		      "session_starts_at, session_ends_at, session_mode, created_at, updated_at) "
		      "VALUES (?, ?, 'law', 'سر خاص', ?, 'booked', ?, ?, ?, ?, ?) RETURNING id",
		      DB_PARAMS(DB_INT(requester), DB_INT(specialist), DB_BLOB("sealed", 6),
				starts ? DB_INT(starts) : DB_NULL, starts ? DB_INT(starts + H) : DB_NULL,
				starts ? DB_TEXT(mode) : DB_NULL, DB_INT(now - 100), DB_INT(now)));
}

Test(calendar, accepted_shifts_and_booked_sessions_are_events)
{
	int64_t now = time(NULL), t0 = now + 10 * DAY;
	int64_t me = person(), other = person();
	int64_t opp = opportunity("قافلة طبية", "open", t0, now - 50 * DAY);
	int64_t morning = shift(opp, t0 + 8 * H, t0 + 12 * H, "طبيب أسنان");
	int64_t evening = shift(opp, t0 + 16 * H, t0 + 18 * H, "");
	int64_t later = shift(opp, t0 + 5 * DAY, t0 + 5 * DAY + H, "");
	int64_t a1 = application(opp, morning, me, "accepted", now - 20, now - 5);
	application(opp, evening, me, "applied", now, now);            /* not (yet) an event */
	application(opp, later, me, "completed", now, now);
	application(opp, morning, other, "accepted", now, now);        /* someone else's */
	int64_t h1 = help_session(other, me, t0 + 2 * DAY, "video");   /* me as the specialist */
	int64_t h2 = help_session(me, other, t0 + 3 * DAY, "in_person"); /* me as the requester */
	help_session(me, other, 0, NULL);                              /* no session booked */

	struct calendar_event *list = NULL;
	int n = 0;
	cr_assert_eq(store_calendar_events(cc, me, now, now + 60 * DAY, now - 30 * DAY, &list, &n), DB_OK);
	cr_assert_eq(n, 4);
	cr_assert_eq(list[0].kind, CAL_SHIFT);
	cr_assert_eq(list[0].id, a1);
	cr_assert_eq(list[0].link_id, opp);
	cr_assert_str_eq(list[0].title, "قافلة طبية");
	cr_assert_str_eq(list[0].role, "طبيب أسنان");
	cr_assert_str_eq(list[0].org_name, "جمعية البر");
	cr_assert_str_eq(list[0].org_name_en, "Al-Birr Society");
	cr_assert_str_eq(list[0].city_ar, "الرياض");
	cr_assert_str_eq(list[0].city_en, "Riyadh");
	cr_assert_str_eq(list[0].address, "حي النخيل");
	cr_assert_not(list[0].remote);
	cr_assert_eq(list[0].starts_at, t0 + 8 * H);
	cr_assert_eq(list[0].ends_at, t0 + 12 * H);
	cr_assert_eq(list[0].sequence, 15);
	cr_assert_not(list[0].cancelled);

	cr_assert_eq(list[1].kind, CAL_SESSION);
	cr_assert_eq(list[1].id, h1);
	cr_assert_str_eq(list[1].mode, "video");
	cr_assert(list[1].remote);
	cr_assert_str_eq(list[1].title, "", "a session carries no text of the request");
	cr_assert_eq(list[1].starts_at, t0 + 2 * DAY);
	cr_assert_eq(list[2].kind, CAL_SESSION);
	cr_assert_eq(list[2].id, h2);
	cr_assert_not(list[2].remote);
	cr_assert_eq(list[3].kind, CAL_SHIFT);
	cr_assert_eq(list[3].starts_at, t0 + 5 * DAY);
	calendar_events_free(list, n);

	/* The range: only what meets [from, to). */
	cr_assert_eq(store_calendar_events(cc, me, t0 + 12 * H, t0 + 3 * DAY, now - 30 * DAY, &list, &n), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert_eq(list[0].id, h1);
	calendar_events_free(list, n);
	cr_assert_eq(store_calendar_events(cc, me, t0 + 11 * H, t0 + 2 * DAY, now - 30 * DAY, &list, &n), DB_OK);
	cr_assert_eq(n, 1, "an event under way at `from` is in");
	cr_assert_eq(list[0].id, a1);
	calendar_events_free(list, n);
}

Test(calendar, recently_cancelled_shifts_come_marked)
{
	int64_t now = time(NULL), t0 = now + 5 * DAY;
	int64_t me = person();
	int64_t cancelled_opp = opportunity("ورشة ملغاة", "cancelled", t0, now - H);
	int64_t a1 = application(cancelled_opp, shift(cancelled_opp, t0, t0 + H, ""), me, "accepted", now - 10, now - 10);
	int64_t open_opp = opportunity("قافلة", "open", t0, now - 90 * DAY);
	int64_t a2 = application(open_opp, shift(open_opp, t0 + 2 * H, t0 + 3 * H, ""), me, "cancelled", now - DAY, now - H);
	application(open_opp, shift(open_opp, t0 + 4 * H, t0 + 5 * H, ""), me, "cancelled", now - 90 * DAY,
		    now - 60 * DAY); /* cancelled long ago: gone */
	application(open_opp, shift(open_opp, t0 + 6 * H, t0 + 7 * H, ""), me, "withdrawn", now, now);

	struct calendar_event *list = NULL;
	int n = 0;
	cr_assert_eq(store_calendar_events(cc, me, now, now + 30 * DAY, now - 30 * DAY, &list, &n), DB_OK);
	cr_assert_eq(n, 2);
	cr_assert_eq(list[0].id, a1);
	cr_assert(list[0].cancelled);
	cr_assert_eq(list[1].id, a2);
	cr_assert(list[1].cancelled);
	calendar_events_free(list, n);
}

Test(calendar, the_feed_token_is_set_replaced_found_and_deleted)
{
	int64_t me = person(), created = 0, owner = 0;
	char locale[8], hash1[65], hash2[65];
	snprintf(hash1, sizeof hash1, "%08x%08x-one", randombytes_random(), randombytes_random());
	snprintf(hash2, sizeof hash2, "%08x%08x-two", randombytes_random(), randombytes_random());
	cr_assert_eq(store_calendar_feed_get(cc, me, &created), STORE_NOT_FOUND);
	cr_assert_eq(store_calendar_feed_delete(cc, me), STORE_NOT_FOUND);

	cr_assert_eq(store_calendar_feed_set(cc, me, hash1, 1000), DB_OK);
	cr_assert_eq(store_calendar_feed_get(cc, me, &created), DB_OK);
	cr_assert_eq(created, 1000);
	cr_assert_eq(store_calendar_feed_find(cc, hash1, &owner, locale, sizeof locale), DB_OK);
	cr_assert_eq(owner, me);
	cr_assert_str_eq(locale, "en");

	cr_assert_eq(store_calendar_feed_set(cc, me, hash2, 2000), DB_OK);
	cr_assert_eq(store_calendar_feed_find(cc, hash1, &owner, locale, sizeof locale), STORE_NOT_FOUND,
		     "the old token stops working");
	cr_assert_eq(store_calendar_feed_find(cc, hash2, &owner, locale, sizeof locale), DB_OK);
	cr_assert_eq(store_calendar_feed_get(cc, me, &created), DB_OK);
	cr_assert_eq(created, 2000);

	/* An erased person's feed answers nothing. */
	cr_assert_eq(db_exec(cc, "UPDATE users SET deleted_at = 1 WHERE id = ?", DB_PARAMS(DB_INT(me)), NULL), DB_OK);
	cr_assert_eq(store_calendar_feed_find(cc, hash2, &owner, locale, sizeof locale), STORE_NOT_FOUND);
	cr_assert_eq(db_exec(cc, "UPDATE users SET deleted_at = NULL WHERE id = ?", DB_PARAMS(DB_INT(me)), NULL), DB_OK);

	cr_assert_eq(store_calendar_feed_delete(cc, me), DB_OK);
	cr_assert_eq(store_calendar_feed_find(cc, hash2, &owner, locale, sizeof locale), STORE_NOT_FOUND);
	cr_assert_eq(store_calendar_feed_delete(cc, me), STORE_NOT_FOUND);
}
