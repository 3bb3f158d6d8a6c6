/*
 * calendar_test.c — the personal calendar over HTTP: a specialist accepted on
 * a shift sees it in GET /me/calendar, on the /calendar page and in the
 * private iCalendar feed (fetched without cookies and parsed with libical:
 * DTSTART is the shift's start in UTC, the UID is stable); stopping and
 * replacing the link; one person's link gives their events only; a help
 * session carries no private text; visitors and bad input.
 * Organisations, opportunities, shifts and help requests are inserted
 * directly into the server's database (KHIBRA_TEST_DB_URL).
 */
#include "client.h"
#include "store/db.h"

#include <criterion/criterion.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define H 3600
#define DAY 86400

TestSuite(calendar, .timeout = 120);

/* day: midnight in Riyadh, n days after a day 20 days ahead. */
static int64_t day(int n)
{
	int64_t t = time(NULL) + DAY * 20;
	return t - (t + 3 * H) % DAY + (int64_t)n * DAY;
}

struct scene {
	struct client *org, *person;
	struct account org_account, person_account;
	int64_t opportunity, shift, application;
	int64_t starts_at, ends_at;
};

/* scene_new: a specialist accepted on a shift 08:00-12:00 Riyadh of an open
 * campaign, through the API (apply, then the organisation accepts). */
static struct scene scene_new(int n)
{
	struct scene s = { .org = client_new(), .person = client_new() };
	s.org_account = client_register(s.org, "organisation");
	client_login(s.org, &s.org_account);
	s.person_account = client_register(s.person, "specialist");
	client_login(s.person, &s.person_account);
	int64_t org = test_booking_org(s.org_account.id);
	s.opportunity = test_booking_opportunity(org, "campaign", "health", "open", "قافلة طبية، في القرية; يوم الجمعة");
	s.starts_at = day(n) + 8 * H;
	s.ends_at = day(n) + 12 * H;
	s.shift = test_booking_shift(s.opportunity, s.starts_at, s.ends_at, 3);

	char path[128], body[96];
	snprintf(path, sizeof path, "/api/v1/opportunities/%lld/applications", (long long)s.opportunity);
	snprintf(body, sizeof body, "{\"shift_id\": %lld}", (long long)s.shift);
	json_t *j = json_loads(body, 0, NULL);
	struct response *r = client_post_json(s.person, path, j);
	json_decref(j);
	assert_status(r, 201);
	s.application = json_integer_value(json_object_get(json_object_get(r->json, "application"), "id"));
	response_free(r);
	snprintf(path, sizeof path, "/api/v1/applications/%lld/accept", (long long)s.application);
	r = client_post_json(s.org, path, NULL);
	assert_status(r, 200);
	response_free(r);
	return s;
}

static void scene_free(struct scene *s)
{
	client_free(s->org);
	client_free(s->person);
}

/* feed_create: POST /me/calendar/feed; the feed's path ("/calendar/T.ics"), caller frees. */
static char *feed_create(struct client *c)
{
	struct response *r = client_post_json(c, "/api/v1/me/calendar/feed", NULL);
	assert_status(r, 201);
	const char *url = json_string_value(json_object_get(r->json, "url"));
	const char *token = json_string_value(json_object_get(r->json, "token"));
	cr_assert(url && token && strlen(token) == 43, "feed answer %s", r->body.data);
	const char *base = test_base_url();
	cr_assert(strncmp(url, base, strlen(base)) == 0, "feed url %s is not under %s", url, base);
	char expect[96];
	snprintf(expect, sizeof expect, "/calendar/%s.ics", token);
	cr_assert_str_eq(url + strlen(base), expect);
	char *path = strdup(expect);
	response_free(r);
	return path;
}

/* feed_fetch: GET the feed with a fresh client (no cookies), asserting 200
 * and a calendar libical parses; caller frees with icalcomponent_free. */
static icalcomponent *feed_fetch(const char *path)
{
	struct client *anon = client_new();
	struct response *r = client_get(anon, path);
	assert_status(r, 200);
	cr_assert(response_content_type_is(r, "text/calendar"), "Content-Type %s", response_header(r, "Content-Type"));
	cr_assert(str_contains_ci(response_header(r, "Content-Type"), "charset=utf-8"));
	cr_assert_str_eq(response_header(r, "Cache-Control"), "private, max-age=300");
	cr_assert_null(response_header(r, "Set-Cookie"), "the feed sets no cookie");
	icalcomponent *root = icalparser_parse_string(r->body.data);
	cr_assert_not_null(root, "libical could not parse %s", r->body.data);
	cr_assert_eq(icalcomponent_isa(root), ICAL_VCALENDAR_COMPONENT);
	response_free(r);
	client_free(anon);
	return root;
}

static void assert_feed_status(const char *path, long status)
{
	struct client *anon = client_new();
	struct response *r = client_get(anon, path);
	assert_status(r, status);
	response_free(r);
	client_free(anon);
}

Test(calendar, an_accepted_shift_is_in_the_api_and_the_feed)
{
	struct scene s = scene_new(1);
	struct response *r = client_get(s.person, "/api/v1/me/calendar");
	assert_status(r, 200);
	json_t *items = json_object_get(r->json, "items");
	cr_assert_eq(json_array_size(items), 1, "%s", r->body.data);
	cr_assert(json_is_null(json_object_get(r->json, "next_cursor")));
	json_t *item = json_array_get(items, 0);
	cr_assert_str_eq(json_string_value(json_object_get(item, "kind")), "shift");
	cr_assert_str_eq(json_string_value(json_object_get(item, "title")), "قافلة طبية، في القرية; يوم الجمعة");
	cr_assert_str_eq(json_string_value(json_object_get(item, "status")), "confirmed");
	const char *starts = json_string_value(json_object_get(item, "starts_at"));
	cr_assert(starts && strstr(starts, "T08:00:00+03:00"), "starts_at %s", starts);
	char link[64], uid_prefix[64];
	snprintf(link, sizeof link, "/opportunities/%lld", (long long)s.opportunity);
	cr_assert_str_eq(json_string_value(json_object_get(item, "link")), link);
	snprintf(uid_prefix, sizeof uid_prefix, "shift-%lld@", (long long)s.application);
	char *uid = strdup(json_string_value(json_object_get(item, "uid")));
	cr_assert(strncmp(uid, uid_prefix, strlen(uid_prefix)) == 0, "uid %s", uid);
	response_free(r);

	char *path = feed_create(s.person);
	for (int round = 0; round < 2; round++) {
		icalcomponent *root = feed_fetch(path);
		cr_assert_eq(icalcomponent_count_components(root, ICAL_VEVENT_COMPONENT), 1);
		icalcomponent *ev = icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT);
		cr_assert_str_eq(icalcomponent_get_uid(ev), uid, "the same UID on every fetch and in the API");
		icaltimetype start = icalcomponent_get_dtstart(ev);
		cr_assert(icaltime_is_utc(start), "DTSTART in UTC");
		cr_assert_eq((int64_t)icaltime_as_timet(start), s.starts_at);
		cr_assert_eq((int64_t)icaltime_as_timet(icalcomponent_get_dtend(ev)), s.ends_at);
		cr_assert(strstr(icalcomponent_get_summary(ev), "قافلة طبية، في القرية; يوم الجمعة"), "summary %s",
			  icalcomponent_get_summary(ev));
		cr_assert_eq(icalcomponent_get_status(ev), ICAL_STATUS_CONFIRMED);
		icalcomponent_free(root);
	}
	free(path);
	free(uid);
	scene_free(&s);
}

Test(calendar, stopping_and_replacing_the_link)
{
	struct scene s = scene_new(2);
	char *first = feed_create(s.person);
	assert_feed_status(first, 200);
	char *second = feed_create(s.person);
	assert_feed_status(first, 404);
	icalcomponent *root = feed_fetch(second);
	cr_assert_eq(icalcomponent_count_components(root, ICAL_VEVENT_COMPONENT), 1);
	icalcomponent_free(root);

	struct response *r = client_delete(s.person, "/api/v1/me/calendar/feed");
	assert_status(r, 204);
	response_free(r);
	assert_feed_status(second, 404);
	r = client_delete(s.person, "/api/v1/me/calendar/feed");
	assert_status(r, 204);
	response_free(r);
	assert_feed_status("/calendar/not-a-token.ics", 404);
	assert_feed_status("/calendar/feed", 404);
	free(first);
	free(second);
	scene_free(&s);
}

Test(calendar, a_link_shows_its_owners_events_only)
{
	struct scene s = scene_new(3);
	struct client *other = client_new();
	struct account other_account = client_register(other, "specialist");
	client_login(other, &other_account);
	char *mine = feed_create(s.person), *theirs = feed_create(other);
	icalcomponent *root = feed_fetch(theirs);
	cr_assert_eq(icalcomponent_count_components(root, ICAL_VEVENT_COMPONENT), 0);
	icalcomponent_free(root);
	root = feed_fetch(mine);
	cr_assert_eq(icalcomponent_count_components(root, ICAL_VEVENT_COMPONENT), 1);
	icalcomponent_free(root);
	struct response *r = client_get(other, "/api/v1/me/calendar");
	assert_status(r, 200);
	cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0);
	response_free(r);
	free(mine);
	free(theirs);
	client_free(other);
	scene_free(&s);
}

Test(calendar, a_help_session_carries_no_private_text)
{
	struct scene s = scene_new(4);
	int64_t starts = day(5) + 18 * H;
	db_conn *c = db_acquire(test_db());
	int64_t id = 0;
	int st = db_query_int(c, "INSERT INTO help_requests (requester_id, domain, title, details_box, status, "
				 "session_starts_at, session_ends_at, session_mode, created_at, updated_at) "
				 "VALUES (?, 'law', 'مشكلة عائلية سرية', ?, 'booked', ?, ?, 'phone', ?, ?) RETURNING id",
			      DB_PARAMS(DB_INT(s.person_account.id), DB_BLOB("sealed", 6), DB_INT(starts),
					DB_INT(starts + H), DB_INT(time(NULL)), DB_INT(time(NULL))),
			      &id);
	db_release(c);
	cr_assert_eq(st, DB_OK);

	struct response *r = client_get(s.person, "/api/v1/me/calendar");
	assert_status(r, 200);
	cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 2);
	json_t *item = json_array_get(json_object_get(r->json, "items"), 1);
	cr_assert_str_eq(json_string_value(json_object_get(item, "kind")), "session");
	char link[64];
	snprintf(link, sizeof link, "/requests/%lld", (long long)id);
	cr_assert_str_eq(json_string_value(json_object_get(item, "link")), link);
	cr_assert(json_is_true(json_object_get(item, "remote")));
	cr_assert_null(strstr(r->body.data, "سرية"), "the request's title stays private: %s", r->body.data);
	response_free(r);

	char *path = feed_create(s.person);
	struct client *anon = client_new();
	r = client_get(anon, path);
	assert_status(r, 200);
	cr_assert_null(strstr(r->body.data, "سرية"), "the request's title stays private");
	char uid[64];
	snprintf(uid, sizeof uid, "UID:session-%lld@", (long long)id);
	cr_assert(strstr(r->body.data, uid), "no %s in %s", uid, r->body.data);
	response_free(r);
	client_free(anon);
	free(path);
	scene_free(&s);
}

Test(calendar, visitors_and_bad_input)
{
	struct client *v = client_new();
	struct response *r = client_get(v, "/api/v1/me/calendar");
	assert_error(r, 401, "unauthenticated");
	response_free(r);
	r = client_get(v, "/calendar");
	assert_status(r, 303);
	char *where = response_location(r);
	cr_assert(where && strncmp(where, "/login", 6) == 0, "redirected to %s", where ? where : "(none)");
	free(where);
	response_free(r);
	r = client_post_json(v, "/api/v1/me/calendar/feed", NULL);
	assert_status(r, 401);
	response_free(r);

	struct account a = client_register(v, "specialist");
	client_login(v, &a);
	r = client_get(v, "/api/v1/me/calendar?from=tomorrow");
	assert_error_field(r, "from");
	cr_assert(has_arabic_letters(response_error_field(r, "from")), "the reason is in Arabic by default");
	response_free(r);
	r = client_get(v, "/api/v1/me/calendar?from=2026-13-01");
	assert_error_field(r, "from");
	response_free(r);
	r = client_get(v, "/api/v1/me/calendar?from=2026-12-10&to=2026-12-01");
	assert_error_field(r, "to");
	response_free(r);
	r = client_get(v, "/api/v1/me/calendar?from=2026-01-01&to=2028-01-01");
	assert_error_field(r, "to");
	response_free(r);
	r = client_get(v, "/api/v1/me/calendar?from=2026-12-01&to=2026-12-31");
	assert_status(r, 200);
	response_free(r);
	r = client_get(v, "/api/v1/me/calendar?from=2026-12-01T00:00:00Z");
	assert_status(r, 200);
	response_free(r);
	r = client_get(v, "/calendar?month=2026-13");
	assert_status(r, 422);
	response_free(r);
	client_free(v);
}

Test(calendar, the_page_shows_the_month_and_makes_the_link)
{
	struct scene s = scene_new(6);
	char month[48];
	time_t local = (time_t)(s.starts_at + 3 * H);
	struct tm t;
	gmtime_r(&local, &t);
	snprintf(month, sizeof month, "/calendar?month=%04d-%02d", t.tm_year + 1900, t.tm_mon + 1);
	struct response *r = client_get(s.person, month);
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "قافلة طبية، في القرية"), "the shift is on the page");
	cr_assert(strstr(r->body.data, "هـ"), "the Hijri date is beside the Gregorian one");
	cr_assert(strstr(r->body.data, "٠٨:٠٠"), "the time in Riyadh, in Arabic digits");
	char link[64];
	snprintf(link, sizeof link, "/opportunities/%lld", (long long)s.opportunity);
	cr_assert(html_has_href_containing(r->body.data, link));
	cr_assert(html_has_href_containing(r->body.data, "/calendar?month="), "previous and next months");
	char *csrf = html_find_csrf(r->body.data);
	cr_assert_not_null(csrf);
	response_free(r);

	r = client_post_form(s.person, "/calendar/feed", "csrf", csrf, NULL);
	assert_status(r, 201);
	const char *dot = strstr(r->body.data, ".ics\"");
	cr_assert_not_null(dot, "the new link is shown");
	const char *at = dot - 43 - (int)strlen("/calendar/");
	cr_assert(at > r->body.data && strncmp(at, "/calendar/", 10) == 0, "the link ends in /calendar/TOKEN.ics");
	cr_assert(strstr(r->body.data, "webcal://"), "a webcal link too");
	char path[96];
	snprintf(path, sizeof path, "%.*s", (int)(dot - at + 4), at);
	response_free(r);
	assert_feed_status(path, 200);

	r = client_get(s.person, "/calendar?lang=en");
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "Stop the link"), "an existing link can be stopped");
	response_free(r);
	r = client_post_form(s.person, "/calendar/feed/revoke", "csrf", csrf, NULL);
	assert_status(r, 303);
	char *where = response_location(r);
	cr_assert_str_eq(where, "/calendar");
	free(where);
	response_free(r);
	assert_feed_status(path, 404);
	client_set_csrf(s.person, NULL); /* no token in the header nor in the form */
	r = client_post_form(s.person, "/calendar/feed", "x", "1", NULL);
	assert_status(r, 403);
	response_free(r);
	free(csrf);
	scene_free(&s);
}
