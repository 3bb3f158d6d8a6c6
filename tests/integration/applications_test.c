/*
 * applications_test.c — applications and booking over HTTP: the life cycle,
 * the refusals (full, overlap, hour_cap, licence_required) in Arabic by
 * default, who may do what, concurrent accepts, and the pages.
 * Organisations, opportunities and shifts are inserted directly into the
 * server's database (KHIBRA_TEST_DB_URL).
 */
#include "client.h"
#include "store/applications.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define H 3600

TestSuite(applications, .timeout = 120);

/* A day far enough ahead, at midnight Riyadh, unique per call so that tests'
 * shifts never share a month with each other's hours. */
static int64_t day(int n)
{
	int64_t t = time(NULL) + 86400 * 30;
	return t - t % 86400 - 3 * H + (int64_t)n * 86400;
}

struct scene {
	struct client *org, *person;
	struct account org_account, person_account;
	int64_t org_id, opportunity;
};

/* scene_new: an organisation member and a specialist, both logged in, and an
 * open opportunity of the organisation. */
static struct scene scene_new(const char *kind, const char *domain)
{
	struct scene s = { .org = client_new(), .person = client_new() };
	s.org_account = client_register(s.org, "organisation");
	client_login(s.org, &s.org_account);
	s.person_account = client_register(s.person, "specialist");
	client_login(s.person, &s.person_account);
	s.org_id = test_booking_org(s.org_account.id);
	s.opportunity = test_booking_opportunity(s.org_id, kind, domain, "open", "قافلة طبية في القرية");
	return s;
}

static void scene_free(struct scene *s)
{
	client_free(s->org);
	client_free(s->person);
}

/* post: POST a JSON body (given as text, may be NULL) to PREFIX ID SUFFIX. */
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

static int64_t apply_json(struct client *c, int64_t opportunity, int64_t shift)
{
	char body[96];
	snprintf(body, sizeof body, "{\"shift_id\": %lld, \"message\": \"أستطيع المساعدة\"}", (long long)shift);
	struct response *r = post(c, body, "/api/v1/opportunities/", opportunity, "/applications");
	assert_status(r, 201);
	json_t *a = json_object_get(r->json, "application");
	cr_assert_str_eq(json_string_value(json_object_get(a, "status")), "applied");
	int64_t id = json_integer_value(json_object_get(a, "id"));
	response_free(r);
	return id;
}

static const char *status_in(const struct response *r)
{
	return json_string_value(json_object_get(json_object_get(r->json, "application"), "status"));
}

Test(applications, life_cycle_apply_accept_complete)
{
	struct scene s = scene_new("campaign", "health");
	int64_t shift = test_booking_shift(s.opportunity, day(1) + 8 * H, day(1) + 12 * H, 2);
	int64_t id = apply_json(s.person, s.opportunity, shift);

	/* The organisation sees it with the applicant's name; others may not look. */
	char path[128];
	snprintf(path, sizeof path, "/api/v1/opportunities/%lld/applications", (long long)s.opportunity);
	struct response *r = client_get(s.org, path);
	assert_status(r, 200);
	json_t *items = json_object_get(r->json, "items");
	cr_assert_eq(json_array_size(items), 1);
	json_t *item = json_array_get(items, 0);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(item, "applicant"), "name")), s.person_account.name);
	cr_assert_str_eq(json_string_value(json_object_get(item, "status")), "applied");
	response_free(r);
	r = client_get(s.person, path);
	assert_error(r, 403, "forbidden");
	response_free(r);

	r = post(s.org, NULL, "/api/v1/applications/", id, "/accept");
	assert_status(r, 200);
	cr_assert_str_eq(status_in(r), "accepted");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(json_object_get(r->json, "application"), "shift"), "taken")), 1);
	response_free(r);

	r = client_get(s.person, "/api/v1/me/applications");
	assert_status(r, 200);
	item = json_array_get(json_object_get(r->json, "items"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(item, "opportunity"), "title")), "قافلة طبية في القرية");
	const char *starts = json_string_value(json_object_get(json_object_get(item, "shift"), "starts_at"));
	cr_assert(starts && strstr(starts, "T08:00:00+03:00"), "starts_at %s", starts ? starts : "(none)");
	cr_assert(json_is_null(json_object_get(r->json, "next_cursor")));
	response_free(r);

	r = post(s.person, NULL, "/api/v1/applications/", id, "/complete");
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = post(s.org, NULL, "/api/v1/applications/", id, "/checkin");
	assert_status(r, 200);
	cr_assert(json_is_string(json_object_get(json_object_get(r->json, "application"), "checked_in_at")));
	response_free(r);
	r = post(s.org, NULL, "/api/v1/applications/", id, "/complete");
	assert_status(r, 200);
	cr_assert_str_eq(status_in(r), "completed");
	response_free(r);
	r = post(s.person, NULL, "/api/v1/applications/", id, "/withdraw");
	assert_error(r, 409, "wrong_state");
	response_free(r);
	scene_free(&s);
}

Test(applications, decline_reason_reaches_the_specialist)
{
	struct scene s = scene_new("workshop", "education");
	int64_t shift = test_booking_shift(s.opportunity, day(2) + 8 * H, day(2) + 10 * H, 2);
	int64_t id = apply_json(s.person, s.opportunity, shift);
	struct response *r = post(s.org, "{\"reason\": \"اكتمل عدد المدربين\"}", "/api/v1/applications/", id, "/decline");
	assert_status(r, 200);
	cr_assert_str_eq(status_in(r), "declined");
	response_free(r);
	r = client_get(s.person, "/api/v1/me/applications");
	json_t *item = json_array_get(json_object_get(r->json, "items"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(item, "decline_reason")), "اكتمل عدد المدربين");
	response_free(r);
	r = client_get(s.person, "/me/applications");
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "اكتمل عدد المدربين"));
	response_free(r);
	scene_free(&s);
}

Test(applications, withdraw_frees_the_place_and_full_is_409)
{
	struct scene s = scene_new("campaign", "engineering");
	int64_t shift = test_booking_shift(s.opportunity, day(3) + 8 * H, day(3) + 10 * H, 1);
	int64_t first = apply_json(s.person, s.opportunity, shift);
	struct client *other = client_new();
	struct account oa = client_register(other, "specialist");
	client_login(other, &oa);
	int64_t second = apply_json(other, s.opportunity, shift);

	struct response *r = post(s.org, NULL, "/api/v1/applications/", first, "/accept");
	assert_status(r, 200);
	response_free(r);
	r = post(s.org, NULL, "/api/v1/applications/", second, "/accept");
	assert_error(r, 409, "full");
	cr_assert(has_arabic_letters(response_error_message(r)), "%s", response_error_message(r));
	response_free(r);
	r = post(s.org, NULL, "/api/v1/applications/", second, "/accept?lang=en");
	assert_error(r, 409, "full");
	cr_assert(!has_arabic_letters(response_error_message(r)), "%s", response_error_message(r));
	response_free(r);

	r = post(s.person, NULL, "/api/v1/applications/", first, "/withdraw");
	assert_status(r, 200);
	cr_assert_str_eq(status_in(r), "withdrawn");
	response_free(r);
	r = post(s.org, NULL, "/api/v1/applications/", second, "/accept");
	assert_status(r, 200);
	response_free(r);
	client_free(other);
	scene_free(&s);
}

Test(applications, overlap_hour_cap_and_licence_refusals)
{
	struct scene s = scene_new("campaign", "technology");
	int64_t a = test_booking_shift(s.opportunity, day(4) + 8 * H, day(4) + 14 * H, 3);
	int64_t b = test_booking_shift(s.opportunity, day(4) + 13 * H, day(4) + 15 * H, 3);
	int64_t c = test_booking_shift(s.opportunity, day(5) + 8 * H, day(5) + 13 * H, 3);
	int64_t back = test_booking_shift(s.opportunity, day(4) + 14 * H, day(4) + 15 * H, 3);
	int64_t ia = apply_json(s.person, s.opportunity, a), ib = apply_json(s.person, s.opportunity, b);
	int64_t ic = apply_json(s.person, s.opportunity, c), iback = apply_json(s.person, s.opportunity, back);
	struct response *r = post(s.org, NULL, "/api/v1/applications/", ia, "/accept");
	assert_status(r, 200);
	response_free(r);
	r = post(s.org, NULL, "/api/v1/applications/", ib, "/accept");
	assert_error(r, 409, "overlap");
	cr_assert(has_arabic_letters(response_error_message(r)));
	response_free(r);
	r = post(s.org, NULL, "/api/v1/applications/", iback, "/accept"); /* back to back: fine, 7 h */
	assert_status(r, 200);
	response_free(r);
	r = post(s.org, NULL, "/api/v1/applications/", ic, "/accept");    /* 7 + 5 > 10 h */
	assert_error(r, 409, "hour_cap");
	cr_assert(has_arabic_letters(response_error_message(r)));
	response_free(r);

	int64_t consult = test_booking_opportunity(s.org_id, "consultation", "law", "open", "استشارة قانونية");
	int64_t cs = test_booking_shift(consult, day(6) + 8 * H, day(6) + 9 * H, 1);
	int64_t ilaw = apply_json(s.person, consult, cs);
	r = post(s.org, NULL, "/api/v1/applications/", ilaw, "/accept");
	assert_error(r, 409, "licence_required");
	cr_assert(has_arabic_letters(response_error_message(r)));
	response_free(r);
	scene_free(&s);
}

Test(applications, others_get_404_visitors_401_and_bad_input_422)
{
	struct scene s = scene_new("campaign", "arts_media");
	int64_t shift = test_booking_shift(s.opportunity, day(7) + 8 * H, day(7) + 10 * H, 2);
	int64_t id = apply_json(s.person, s.opportunity, shift);
	struct client *stranger = client_new();
	struct account sa = client_register(stranger, "specialist");
	client_login(stranger, &sa);
	const char *actions[] = { "accept", "decline", "withdraw", "waitlist", "complete", "no-show", "checkin" };
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
		char suffix[32];
		snprintf(suffix, sizeof suffix, "/%s", actions[i]);
		struct response *r = post(stranger, NULL, "/api/v1/applications/", id, suffix);
		assert_error(r, 404, "not_found");
		response_free(r);
	}
	struct response *r = post(stranger, NULL, "/api/v1/applications/", 987654321, "/accept");
	assert_error(r, 404, "not_found");
	response_free(r);
	struct client *visitor = client_new();
	r = post(visitor, NULL, "/api/v1/applications/", id, "/accept");
	assert_status(r, 401);
	response_free(r);
	r = client_get(visitor, "/api/v1/me/applications");
	assert_status(r, 401);
	response_free(r);

	/* Invitations are the organisation's. */
	char body[96];
	snprintf(body, sizeof body, "{\"specialist_id\": %lld}", (long long)sa.id);
	r = post(stranger, body, "/api/v1/opportunities/", s.opportunity, "/invitations");
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = post(s.org, body, "/api/v1/opportunities/", s.opportunity, "/invitations");
	assert_status(r, 201);
	cr_assert_str_eq(status_in(r), "invited");
	int64_t inv = json_integer_value(json_object_get(json_object_get(r->json, "application"), "id"));
	response_free(r);
	r = post(s.org, NULL, "/api/v1/applications/", inv, "/accept");
	assert_error(r, 409, "wrong_state");
	response_free(r);
	r = post(stranger, NULL, "/api/v1/applications/", inv, "/accept");
	assert_status(r, 200);
	cr_assert_str_eq(status_in(r), "accepted");
	response_free(r);

	/* Bad input: 422 naming the field; a duplicate: 409. */
	r = post(s.person, "{\"shift_id\": \"abc\"}", "/api/v1/opportunities/", s.opportunity, "/applications");
	assert_error_field(r, "shift_id");
	response_free(r);
	r = post(s.person, "{\"shift_id\": 999999999}", "/api/v1/opportunities/", s.opportunity, "/applications");
	assert_error_field(r, "shift_id");
	response_free(r);
	snprintf(body, sizeof body, "{\"shift_id\": %lld}", (long long)shift);
	r = post(s.person, body, "/api/v1/opportunities/", s.opportunity, "/applications");
	assert_error(r, 409, "duplicate");
	response_free(r);
	r = post(s.person, "{}", "/api/v1/opportunities/", 987654321, "/applications");
	assert_error(r, 404, "not_found");
	response_free(r);
	r = post(s.person, "{\"text\": \"\"}", "/api/v1/applications/", id, "/contest");
	assert_error_field(r, "text");
	response_free(r);
	client_free(visitor);
	client_free(stranger);
	scene_free(&s);
}

/* ---- twenty accepts at once ---- */

struct racer { const char *token; int64_t application; long status; const char *code; pthread_barrier_t *barrier; };

static void *race(void *arg)
{
	struct racer *x = arg;
	struct client *c = client_new();
	client_set_bearer(c, x->token);
	pthread_barrier_wait(x->barrier);
	struct response *r = post(c, NULL, "/api/v1/applications/", x->application, "/accept");
	x->status = r->status;
	x->code = response_error_code(r) && !strcmp(response_error_code(r), "full") ? "full" : NULL;
	response_free(r);
	client_free(c);
	return NULL;
}

Test(applications, twenty_concurrent_http_accepts_on_two_places)
{
	struct scene s = scene_new("campaign", "health");
	int64_t shift = test_booking_shift(s.opportunity, day(8) + 8 * H, day(8) + 10 * H, 2);
	json_t *name = json_pack("{s:s}", "name", "race");
	struct response *r = client_post_json(s.org, "/api/v1/tokens", name);
	json_decref(name);
	assert_status(r, 201);
	char *token = strdup(json_string_value(json_object_get(r->json, "token")));
	response_free(r);

	enum { N = 20 };
	struct racer racers[N];
	pthread_t threads[N];
	pthread_barrier_t barrier;
	pthread_barrier_init(&barrier, NULL, N);
	db_conn *c = db_acquire(test_db());
	for (int i = 0; i < N; i++) {
		int64_t id = 0;
		cr_assert_eq(store_application_apply(c, s.opportunity, test_booking_user("متطوع"), shift, "", time(NULL), &id), DB_OK);
		racers[i] = (struct racer){ .token = token, .application = id, .barrier = &barrier };
	}
	for (int i = 0; i < N; i++)
		pthread_create(&threads[i], NULL, race, &racers[i]);
	for (int i = 0; i < N; i++)
		pthread_join(threads[i], NULL);
	pthread_barrier_destroy(&barrier);
	int ok = 0, full = 0;
	for (int i = 0; i < N; i++) {
		ok += racers[i].status == 200;
		full += racers[i].status == 409 && racers[i].code;
	}
	cr_assert_eq(ok, 2, "%d accepts succeeded", ok);
	cr_assert_eq(full, N - 2);
	int64_t taken = -1;
	cr_assert_eq(db_query_int(c, "SELECT taken FROM shifts WHERE id = ?", DB_PARAMS(DB_INT(shift)), &taken), DB_OK);
	cr_assert_eq(taken, 2);
	db_release(c);
	free(token);
	scene_free(&s);
}

/* ---- pages ---- */

Test(applications, pages_apply_list_and_act)
{
	struct scene s = scene_new("campaign", "education");
	int64_t shift = test_booking_shift(s.opportunity, day(9) + 8 * H, day(9) + 10 * H, 1);
	char path[128];
	snprintf(path, sizeof path, "/opportunities/%lld/apply", (long long)s.opportunity);
	struct response *r = client_get(s.person, path);
	assert_status(r, 200);
	char *csrf = html_find_csrf(r->body.data);
	cr_assert_not_null(csrf);
	cr_assert(strstr(r->body.data, "قافلة طبية في القرية"));
	response_free(r);
	char shift_text[24];
	snprintf(shift_text, sizeof shift_text, "%lld", (long long)shift);
	r = client_post_form(s.person, path, "csrf", csrf, "shift_id", shift_text, "message", "مرحبا", NULL);
	assert_status(r, 303);
	char *loc = response_location(r);
	cr_assert(loc && !strncmp(loc, "/me/applications", 16), "Location %s", loc ? loc : "(none)");
	free(loc);
	response_free(r);
	r = client_get(s.person, "/me/applications");
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "قافلة طبية في القرية"));
	response_free(r);

	/* The applicants page: the organisation only. */
	snprintf(path, sizeof path, "/opportunities/%lld/applicants", (long long)s.opportunity);
	r = client_get(s.person, path);
	assert_status(r, 403);
	response_free(r);
	r = client_get(s.org, path);
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, s.person_account.name));
	cr_assert(strstr(r->body.data, "/accept"));
	char *org_csrf = html_find_csrf(r->body.data);
	response_free(r);

	/* Accept through the form; a second applicant then meets a full shift, shown in Arabic. */
	db_conn *c = db_acquire(test_db());
	int64_t mine = 0, other = 0;
	cr_assert_eq(db_query_int(c, "SELECT id FROM applications WHERE user_id = ?", DB_PARAMS(DB_INT(s.person_account.id)), &mine), DB_OK);
	cr_assert_eq(store_application_apply(c, s.opportunity, test_booking_user("آخر"), shift, "", time(NULL), &other), DB_OK);
	db_release(c);
	char act[96];
	snprintf(act, sizeof act, "/applications/%lld/accept", (long long)mine);
	r = client_post_form(s.org, act, "csrf", org_csrf, "next", path, NULL);
	assert_status(r, 303);
	loc = response_location(r);
	cr_assert(loc && strstr(loc, "done=accept"), "Location %s", loc ? loc : "(none)");
	free(loc);
	response_free(r);
	snprintf(act, sizeof act, "/applications/%lld/accept", (long long)other);
	r = client_post_form(s.org, act, "csrf", org_csrf, "next", path, NULL);
	assert_status(r, 303);
	loc = response_location(r);
	cr_assert(loc && strstr(loc, "refused=full"), "Location %s", loc ? loc : "(none)");
	response_free(r);
	r = client_get(s.org, loc);
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "alert-error"));
	cr_assert(has_arabic_letters(r->body.data));
	free(loc);
	response_free(r);

	/* Someone else's application through the form: 404. */
	snprintf(act, sizeof act, "/applications/%lld/withdraw", (long long)other);
	r = client_post_form(s.person, act, "csrf", csrf, NULL);
	assert_status(r, 404);
	response_free(r);
	free(csrf);
	free(org_csrf);
	scene_free(&s);
}
