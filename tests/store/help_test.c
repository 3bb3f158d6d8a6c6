/*
 * help_test.c — help requests in the store (store/help.c, help_actions.c) on
 * the database named by KHIBRA_TEST_DB: sealed details, the circle rule, the
 * access log, assigning with licences, booking inside availability.
 */
#include "auth/sealed.h"
#include "store/help.h"

#include "store_fixture.h"

#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct store_fixture fixture;
static db_conn *hc;

static void setup(void)
{
	store_fixture_open(&fixture, true);
	hc = fixture.c;
}

static void teardown(void)
{
	store_fixture_close(&fixture);
}

TestSuite(help, .init = setup, .fini = teardown);

static int64_t person(const char *role)
{
	char email[64];
	snprintf(email, sizeof email, "h-%08x%08x@example.org", randombytes_random(), randombytes_random());
	int64_t id = 0;
	cr_assert_eq(store_user_create(hc, email, "مستخدم", "hash", "ar", role, time(NULL), &id), DB_OK);
	return id;
}

static int64_t verified_org(int64_t member)
{
	int64_t id = 0;
	char name[64];
	snprintf(name, sizeof name, "جمعية %08x", randombytes_random());
	cr_assert_eq(store_org_create(hc, name, "", "charity", "", "", "", time(NULL), &id), DB_OK);
	cr_assert_eq(store_org_set_verified(hc, id, time(NULL)), DB_OK);
	if (member)
		cr_assert_eq(store_org_add_member(hc, id, member, "coordinator", time(NULL)), DB_OK);
	return id;
}

static void approve_licence(int64_t user)
{
	cr_assert_eq(db_exec(hc, "INSERT INTO credentials (user_id, kind, file_hash, file_type, file_size, status, "
				 "created_at) VALUES (?, 'licence', 'abc', 'application/pdf', 1, 'approved', ?)",
			     DB_PARAMS(DB_INT(user), DB_INT(time(NULL))), NULL), DB_OK);
}

static void add_availability(int64_t user, int weekday, int start_minute, int end_minute)
{
	cr_assert_eq(db_exec(hc, "INSERT INTO availability (user_id, weekday, start_minute, end_minute) VALUES (?, ?, ?, ?)",
			     DB_PARAMS(DB_INT(user), DB_INT(weekday), DB_INT(start_minute), DB_INT(end_minute)), NULL),
		     DB_OK);
}

static int64_t new_request(int64_t requester, int64_t org, const char *domain, const char *details)
{
	int64_t id = 0;
	cr_assert_eq(store_help_create(hc, requester, org, domain, "استشارة", details, "الرياض", "normal", time(NULL), &id),
		     DB_OK);
	return id;
}

static int64_t log_rows(int64_t id)
{
	int64_t n = -1;
	cr_assert_eq(db_query_int(hc, "SELECT count(*) FROM request_access_log WHERE request_id = ?",
				  DB_PARAMS(DB_INT(id)), &n), DB_OK);
	return n;
}

Test(help, details_are_sealed_at_rest)
{
	int64_t me = person("specialist");
	const char *secret = "المالك يرفض إعادة مبلغ التأمين 4711";
	int64_t id = new_request(me, 0, "law", secret);
	int st;
	db_rows *r = db_query(hc, "SELECT details_box FROM help_requests WHERE id = ?", DB_PARAMS(DB_INT(id)), &st);
	cr_assert_not_null(r);
	cr_assert(db_next(r));
	size_t len = 0;
	const void *box = db_blob(r, 0, &len);
	cr_assert_eq(len, strlen(secret) + SEALED_OVERHEAD);
	cr_assert_null(memmem(box, len, secret, strlen(secret)), "details stored in plain text");
	cr_assert_null(memmem(box, len, "4711", 4), "part of the details stored in plain text");
	db_rows_free(r);
	/* Asking for help made the person a beneficiary too. */
	struct user_record u;
	cr_assert_eq(store_user_by_id(hc, me, &u), DB_OK);
	cr_assert(u.roles & ROLE_BENEFICIARY);
	cr_assert(u.roles & ROLE_SPECIALIST);
	user_record_free(&u);
	/* The requester reads them back. */
	struct help_request h;
	cr_assert_eq(store_help_get(hc, id, me, ROLE_BENEFICIARY, NULL, "127.0.0.9", time(NULL), &h), DB_OK);
	cr_assert_str_eq(h.details, secret);
	cr_assert_str_eq(h.status, "new");
	help_request_free(&h);
}

Test(help, unverified_org_refused)
{
	int64_t me = person("beneficiary");
	int64_t org = 0;
	cr_assert_eq(store_org_create(hc, "جهة غير موثقة", "", "charity", "", "", "", time(NULL), &org), DB_OK);
	int64_t id = 0;
	cr_assert_eq(store_help_create(hc, me, org, "health", "t", "d", "", "low", time(NULL), &id), HELP_BAD_ORG);
}

Test(help, circle_rule_and_access_log)
{
	int64_t requester = person("beneficiary"), member = person("organisation"), stranger = person("specialist");
	int64_t other_member = person("organisation"), moderator = person("moderator");
	int64_t org = verified_org(member);
	verified_org(other_member);
	int64_t id = new_request(requester, org, "education", "دروس رياضيات لطالب في قرية بعيدة");
	struct help_request h;
	int64_t now = time(NULL);

	cr_assert_eq(store_help_get(hc, id, stranger, ROLE_SPECIALIST, NULL, "a", now, &h), STORE_NOT_FOUND);
	cr_assert_eq(store_help_get(hc, id, other_member, ROLE_ORGANISATION, NULL, "a", now, &h), STORE_NOT_FOUND);
	cr_assert_eq(store_help_get(hc, 0x7fffffff, requester, 0, NULL, "a", now, &h), STORE_NOT_FOUND);
	cr_assert_eq(log_rows(id), 0, "a refused read was logged as a read");

	cr_assert_eq(store_help_get(hc, id, requester, ROLE_BENEFICIARY, NULL, "10.0.0.1", now, &h), DB_OK);
	cr_assert_eq(h.circle, HELP_REQUESTER);
	help_request_free(&h);
	cr_assert_eq(store_help_get(hc, id, member, ROLE_ORGANISATION, NULL, "10.0.0.2", now, &h), DB_OK);
	cr_assert_eq(h.circle, HELP_ORG_MEMBER);
	cr_assert_str_eq(h.details, "دروس رياضيات لطالب في قرية بعيدة");
	help_request_free(&h);
	cr_assert_eq(store_help_get(hc, id, moderator, ROLE_MODERATOR, NULL, "10.0.0.3", now, &h), DB_OK);
	help_request_free(&h);
	cr_assert_eq(log_rows(id), 3);

	struct help_access *log = NULL;
	int n = 0;
	cr_assert_eq(store_help_access_log(hc, id, &log, &n), DB_OK);
	cr_assert_eq(n, 3);
	cr_assert_eq(log[0].reader_id, requester);
	cr_assert_str_eq(log[0].reason, "requester");
	cr_assert_str_eq(log[0].address, "10.0.0.1");
	cr_assert_str_eq(log[1].reason, "organisation");
	cr_assert_str_eq(log[2].reason, "moderation");
	help_access_free(log, n);

	/* Lists: mine for the requester, the queue for the organisation. */
	struct help_request *list = NULL;
	cr_assert_eq(store_help_list_mine(hc, requester, 0, 10, &list, &n), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert_null(list[0].details);
	help_requests_free(list, n);
	cr_assert_eq(store_help_list_org(hc, org, 0, 10, &list, &n), DB_OK);
	cr_assert_eq(n, 1);
	help_requests_free(list, n);
	cr_assert_eq(store_help_list_mine(hc, stranger, 0, 10, &list, &n), DB_OK);
	cr_assert_eq(n, 0);
	help_requests_free(list, n);
}

Test(help, assign_needs_a_licensed_specialist_for_law)
{
	int64_t requester = person("beneficiary"), member = person("organisation");
	int64_t lawyer = person("specialist"), not_specialist = person("beneficiary"), stranger = person("organisation");
	int64_t org = verified_org(member);
	int64_t id = new_request(requester, org, "law", "عقد إيجار");
	int64_t now = time(NULL);

	cr_assert_eq(store_help_assign(hc, id, stranger, ROLE_ORGANISATION, lawyer, now), STORE_NOT_FOUND);
	cr_assert_eq(store_help_assign(hc, id, requester, ROLE_BENEFICIARY, lawyer, now), HELP_FORBIDDEN);
	cr_assert_eq(store_help_assign(hc, id, member, ROLE_ORGANISATION, not_specialist, now), HELP_NOT_SPECIALIST);
	cr_assert_eq(store_help_assign(hc, id, member, ROLE_ORGANISATION, lawyer, now), HELP_LICENCE_REQUIRED);
	approve_licence(lawyer);
	cr_assert_eq(store_help_assign(hc, id, member, ROLE_ORGANISATION, lawyer, now), DB_OK);

	struct help_request h;
	cr_assert_eq(store_help_get(hc, id, lawyer, ROLE_SPECIALIST, NULL, "", now, &h), DB_OK);
	cr_assert_eq(h.circle, HELP_SPECIALIST);
	cr_assert_str_eq(h.status, "assigned");
	cr_assert_eq(h.specialist_id, lawyer);
	help_request_free(&h);

	/* Education needs no licence; a moderator may assign without an organisation. */
	int64_t teacher = person("specialist"), moderator = person("moderator");
	int64_t open_id = new_request(requester, 0, "education", "درس");
	cr_assert_eq(store_help_assign(hc, open_id, member, ROLE_ORGANISATION, teacher, now), STORE_NOT_FOUND);
	cr_assert_eq(store_help_assign(hc, open_id, moderator, ROLE_MODERATOR, teacher, now), DB_OK);
}

/* Sunday 2026-11-22 00:00 in Riyadh = Saturday 21:00 UTC. */
#define SUNDAY 1795294800LL

Test(help, booking_inside_riyadh_availability)
{
	int64_t requester = person("beneficiary"), member = person("organisation"), teacher = person("specialist");
	int64_t org = verified_org(member);
	int64_t id = new_request(requester, org, "education", "درس");
	int64_t now = time(NULL);
	add_availability(teacher, 0, 0, 180);         /* Sunday 00:00–03:00 Riyadh */
	add_availability(teacher, 2, 17 * 60, 19 * 60); /* Tuesday 17:00–19:00 */

	cr_assert_eq(store_help_book(hc, id, member, ROLE_ORGANISATION, SUNDAY + 3600, SUNDAY + 7200, "video", now),
		     HELP_WRONG_STATE, "booked before a specialist was assigned");
	cr_assert_eq(store_help_assign(hc, id, member, ROLE_ORGANISATION, teacher, now), DB_OK);
	cr_assert_eq(store_help_book(hc, id, requester, ROLE_BENEFICIARY, SUNDAY + 3600, SUNDAY + 7200, "video", now),
		     HELP_FORBIDDEN);
	/* Saturday 23:00 Riyadh (20:00 UTC): Saturday, not Sunday. */
	cr_assert_eq(store_help_book(hc, id, teacher, ROLE_SPECIALIST, SUNDAY - 3600, SUNDAY, "phone", now),
		     HELP_OUTSIDE_AVAILABILITY);
	/* Sunday 02:00–03:30 Riyadh passes the range's end. */
	cr_assert_eq(store_help_book(hc, id, teacher, ROLE_SPECIALIST, SUNDAY + 7200, SUNDAY + 12600, "phone", now),
		     HELP_OUTSIDE_AVAILABILITY);
	/* Tuesday 17:00 UTC is 20:00 in Riyadh: outside; 14:00 UTC = 17:00 inside. */
	int64_t tuesday = SUNDAY + 2 * 86400;
	cr_assert_eq(store_help_book(hc, id, teacher, ROLE_SPECIALIST, tuesday + 20 * 3600, tuesday + 21 * 3600,
				     "in_person", now), HELP_OUTSIDE_AVAILABILITY);
	cr_assert_eq(store_help_book(hc, id, teacher, ROLE_SPECIALIST, tuesday + 17 * 3600, tuesday + 18 * 3600,
				     "in_person", now), DB_OK);
	/* Sunday 01:00–02:00 Riyadh is Saturday 22:00–23:00 UTC: inside Sunday's range. */
	cr_assert_eq(store_help_book(hc, id, member, ROLE_ORGANISATION, SUNDAY + 3600, SUNDAY + 7200, "video", now), DB_OK);

	struct help_request h;
	cr_assert_eq(store_help_get(hc, id, requester, ROLE_BENEFICIARY, NULL, "", now, &h), DB_OK);
	cr_assert_str_eq(h.status, "booked");
	cr_assert_eq(h.session_starts_at, SUNDAY + 3600);
	cr_assert_eq(h.session_ends_at, SUNDAY + 7200);
	cr_assert_str_eq(h.session_mode, "video");
	help_request_free(&h);
}

Test(help, resolve_then_rate_once)
{
	int64_t requester = person("beneficiary"), member = person("organisation"), teacher = person("specialist");
	int64_t org = verified_org(member);
	int64_t id = new_request(requester, org, "technology", "موقع للجمعية");
	int64_t now = time(NULL);
	cr_assert_eq(store_help_assign(hc, id, member, ROLE_ORGANISATION, teacher, now), DB_OK);
	cr_assert_eq(store_help_rate(hc, id, requester, 0, 5, "", now), HELP_WRONG_STATE, "rated before resolved");
	cr_assert_eq(store_help_resolve(hc, id, requester, ROLE_BENEFICIARY, now), HELP_FORBIDDEN);
	cr_assert_eq(store_help_resolve(hc, id, teacher, ROLE_SPECIALIST, now), DB_OK);
	cr_assert_eq(store_help_resolve(hc, id, teacher, ROLE_SPECIALIST, now), HELP_WRONG_STATE);
	cr_assert_eq(store_help_rate(hc, id, teacher, ROLE_SPECIALIST, 5, "", now), HELP_FORBIDDEN);
	cr_assert_eq(store_help_rate(hc, id, requester, 0, 4, "شكراً جزيلاً", now), DB_OK);
	cr_assert_eq(store_help_rate(hc, id, requester, 0, 5, "", now), HELP_WRONG_STATE, "rated twice");
	struct help_request h;
	cr_assert_eq(store_help_summary(hc, id, requester, 0, &h), DB_OK);
	cr_assert_eq(h.rating, 4);
	cr_assert_str_eq(h.rating_comment, "شكراً جزيلاً");
	cr_assert_str_eq(h.status, "resolved");
	cr_assert_gt(h.resolved_at, 0);
	help_request_free(&h);
}
