/*
 * help_test.c — help requests through the JSON API and the pages: privacy of
 * the details (the circle rule), validation, assigning with licences,
 * booking inside availability, resolving, rating, the moderators' access log.
 */
#include "client.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* logged_in: a fresh account of `role`, logged in on a new client. */
static struct client *logged_in(const char *role, struct account *a)
{
	struct client *c = client_new();
	*a = client_register(c, role);
	client_login(c, a);
	return c;
}

/* create: POST /api/v1/requests, asserting 201; the new id. */
static int64_t create(struct client *c, const char *domain, const char *details, int64_t org_id)
{
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s}", "domain", domain, "title", "استشارة بخصوص عقد",
				 "details", details, "city", "حائل", "urgency", "urgent");
	if (org_id)
		json_object_set_new(body, "org_id", json_integer(org_id));
	struct response *r = client_post_json(c, "/api/v1/requests", body);
	json_decref(body);
	assert_status(r, 201);
	json_t *req = json_object_get(r->json, "request");
	cr_assert_str_eq(json_string_value(json_object_get(req, "status")), "new");
	cr_assert_str_eq(json_string_value(json_object_get(req, "urgency")), "urgent");
	cr_assert_null(strstr(r->body.data, details), "details echoed back on creation");
	int64_t id = json_integer_value(json_object_get(req, "id"));
	cr_assert_gt(id, 0);
	response_free(r);
	return id;
}

static struct response *get_request(struct client *c, int64_t id)
{
	char path[64];
	snprintf(path, sizeof path, "/api/v1/requests/%lld", (long long)id);
	return client_get(c, path);
}

static struct response *action(struct client *c, int64_t id, const char *verb, json_t *body)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/requests/%lld/%s", (long long)id, verb);
	if (!body)
		body = json_object();
	struct response *r = client_post_json(c, path, body);
	json_decref(body);
	return r;
}

/* unique_secret: details text with a random marker. */
static void unique_secret(char *out, size_t n)
{
	char hex[17];
	random_hex(hex, 8);
	snprintf(out, n, "المالك يرفض إعادة التأمين %s", hex);
}

Test(help, only_the_circle_reads_the_details)
{
	struct account ben, member, other;
	struct client *cb = logged_in("beneficiary", &ben);
	struct client *cm = logged_in("organisation", &member);
	struct client *co = logged_in("specialist", &other);
	int64_t org = test_help_org(member.id);
	char secret[128];
	unique_secret(secret, sizeof secret);
	int64_t id = create(cb, "law", secret, org);

	struct client *visitor = client_new();
	struct response *r = get_request(visitor, id);
	assert_error(r, 401, "unauthenticated");
	response_free(r);

	r = get_request(co, id);
	assert_error(r, 404, "not_found");
	cr_assert_null(strstr(r->body.data, secret));
	response_free(r);

	r = get_request(cb, id);
	assert_status(r, 200);
	json_t *req = json_object_get(r->json, "request");
	cr_assert_str_eq(json_string_value(json_object_get(req, "details")), secret);
	cr_assert(json_is_null(json_object_get(req, "assigned_specialist")));
	cr_assert(json_is_null(json_object_get(req, "session")));
	response_free(r);

	r = get_request(cm, id);
	assert_status(r, 200);
	cr_assert_not_null(strstr(r->body.data, secret), "the organisation's member cannot read it");
	response_free(r);

	/* Lists never carry details; others' lists do not carry the request. */
	r = client_get(cb, "/api/v1/me/requests");
	assert_status(r, 200);
	cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 1);
	cr_assert_null(strstr(r->body.data, secret), "details in a list");
	response_free(r);
	r = client_get(co, "/api/v1/me/requests");
	assert_status(r, 200);
	cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0);
	response_free(r);
	char path[128];
	snprintf(path, sizeof path, "/api/v1/orgs/%lld/requests", (long long)org);
	r = client_get(cm, path);
	assert_status(r, 200);
	cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 1);
	cr_assert_null(strstr(r->body.data, secret));
	response_free(r);
	r = client_get(co, path);
	assert_error(r, 403, "forbidden");
	response_free(r);

	/* Public search does not find it. */
	char hex[17];
	memcpy(hex, secret + strlen(secret) - 16, 17);
	snprintf(path, sizeof path, "/api/v1/opportunities?q=%s", hex);
	r = client_get(visitor, path);
	cr_assert_null(strstr(r->body.data, secret));
	cr_assert_null(strstr(r->body.data, hex), "the request leaked into public search");
	response_free(r);

	client_free(visitor);
	client_free(cb);
	client_free(cm);
	client_free(co);
}

Test(help, invalid_fields_are_named)
{
	struct account ben;
	struct client *c = logged_in("beneficiary", &ben);
	json_t *body = json_pack("{s:s, s:s, s:s, s:I}", "domain", "astrology", "title", "", "urgency", "tomorrow",
				 "org_id", (json_int_t)999999999);
	struct response *r = client_post_json(c, "/api/v1/requests", body);
	json_decref(body);
	assert_error_field(r, "domain");
	assert_error_field(r, "title");
	assert_error_field(r, "details");
	assert_error_field(r, "urgency");
	response_free(r);
	/* A well-formed request to an organisation that is not verified. */
	body = json_pack("{s:s, s:s, s:s, s:I}", "domain", "health", "title", "t", "details", "d", "org_id",
			 (json_int_t)999999999);
	r = client_post_json(c, "/api/v1/requests", body);
	json_decref(body);
	assert_error_field(r, "org_id");
	response_free(r);
	client_free(c);
}

Test(help, assign_book_resolve_rate_and_access_log)
{
	struct account ben, member, lawyer, stranger;
	struct client *cb = logged_in("beneficiary", &ben);
	struct client *cm = logged_in("organisation", &member);
	struct client *cl = logged_in("specialist", &lawyer);
	struct client *cs = logged_in("organisation", &stranger);
	int64_t org = test_help_org(member.id);
	char secret[128];
	unique_secret(secret, sizeof secret);
	int64_t id = create(cb, "law", secret, org);

	/* A lawyer without a verified licence may not take a law request. */
	struct response *r = action(cm, id, "assign", json_pack("{s:I}", "specialist_id", (json_int_t)lawyer.id));
	assert_error(r, 409, "licence_required");
	response_free(r);
	r = action(cs, id, "assign", json_pack("{s:I}", "specialist_id", (json_int_t)lawyer.id));
	assert_error(r, 404, "not_found");
	response_free(r);
	r = action(cb, id, "assign", json_pack("{s:I}", "specialist_id", (json_int_t)lawyer.id));
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = action(cm, id, "assign", json_pack("{s:I}", "specialist_id", (json_int_t)ben.id));
	assert_error_field(r, "specialist_id");
	response_free(r);
	test_help_approve_licence(lawyer.id);
	r = action(cm, id, "assign", json_pack("{s:I}", "specialist_id", (json_int_t)lawyer.id));
	assert_status(r, 200);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "request"), "status")), "assigned");
	cr_assert_null(strstr(r->body.data, secret));
	response_free(r);

	/* Sunday 09:00–12:00 in Riyadh. */
	test_help_availability(lawyer.id, 0, 9 * 60, 12 * 60);
	r = action(cl, id, "book", json_pack("{s:s, s:s, s:s}", "starts_at", "2026-11-22T08:00:00+03:00", "ends_at",
					     "2026-11-22T09:00:00+03:00", "mode", "video"));
	assert_error(r, 409, "outside_availability");
	response_free(r);
	r = action(cl, id, "book", json_pack("{s:s, s:s, s:s}", "starts_at", "2026-11-22T10:00:00+03:00", "ends_at",
					     "2026-11-22T09:00:00+03:00", "mode", "fax"));
	assert_error_field(r, "ends_at");
	assert_error_field(r, "mode");
	response_free(r);
	/* 07:00Z is 10:00 in Riyadh. */
	r = action(cl, id, "book", json_pack("{s:s, s:s, s:s}", "starts_at", "2026-11-22T07:00:00Z", "ends_at",
					     "2026-11-22T08:00:00Z", "mode", "video"));
	assert_status(r, 200);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "request"), "status")), "booked");
	response_free(r);

	r = get_request(cl, id);
	assert_status(r, 200);
	json_t *req = json_object_get(r->json, "request");
	cr_assert_str_eq(json_string_value(json_object_get(req, "details")), secret);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(req, "assigned_specialist"), "id")), lawyer.id);
	json_t *session = json_object_get(req, "session");
	cr_assert_str_eq(json_string_value(json_object_get(session, "starts_at")), "2026-11-22T10:00:00+03:00");
	cr_assert_str_eq(json_string_value(json_object_get(session, "mode")), "video");
	response_free(r);

	r = action(cb, id, "rate", json_pack("{s:i}", "rating", 5));
	assert_error(r, 409, "wrong_state");
	response_free(r);
	r = action(cb, id, "resolve", NULL);
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = action(cl, id, "resolve", NULL);
	assert_status(r, 200);
	response_free(r);
	r = action(cb, id, "rate", json_pack("{s:i, s:s}", "rating", 9, "comment", ""));
	assert_error_field(r, "rating");
	response_free(r);
	r = action(cb, id, "rate", json_pack("{s:i, s:s}", "rating", 5, "comment", "جزاكم الله خيراً"));
	assert_status(r, 200);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "request"), "status")), "resolved");
	response_free(r);
	r = action(cb, id, "rate", json_pack("{s:i}", "rating", 4));
	assert_error(r, 409, "wrong_state");
	response_free(r);

	/* The access log: moderators only; it names each reader. */
	char path[96];
	snprintf(path, sizeof path, "/api/v1/admin/requests/%lld/access-log", (long long)id);
	r = client_get(cm, path);
	assert_status(r, 403);
	response_free(r);
	struct account mod = client_make_moderator();
	struct client *cmod = client_new();
	client_login(cmod, &mod);
	r = client_get(cmod, path);
	assert_status(r, 200);
	json_t *items = json_object_get(r->json, "items");
	cr_assert_eq(json_array_size(items), 1, "one read so far (the specialist's): %s", r->body.data);
	json_t *first = json_array_get(items, 0);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(first, "reader"), "id")), lawyer.id);
	cr_assert_str_eq(json_string_value(json_object_get(first, "reason")), "specialist");
	cr_assert_not_null(json_object_get(first, "at"));
	response_free(r);
	r = get_request(cmod, id);
	assert_status(r, 200);
	response_free(r);
	r = client_get(cmod, path);
	cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 2, "the moderator's read is logged too");
	response_free(r);

	client_free(cmod);
	client_free(cb);
	client_free(cm);
	client_free(cl);
	client_free(cs);
}

Test(help, pages_form_request_and_lists)
{
	struct account ben, other;
	struct client *cb = logged_in("beneficiary", &ben);
	struct client *co = logged_in("specialist", &other);
	struct response *r = client_get(cb, "/help");
	assert_status(r, 200);
	cr_assert_not_null(strstr(r->body.data, "name=\"details\""));
	char *csrf = html_find_csrf(r->body.data);
	cr_assert_not_null(csrf);
	response_free(r);

	char secret[128];
	unique_secret(secret, sizeof secret);
	r = client_post_form(cb, "/help", "csrf", csrf, "domain", "education", "title", "دروس رياضيات",
			     "details", "", "urgency", "normal", NULL);
	assert_status(r, 422);
	cr_assert_not_null(strstr(r->body.data, "field-error"));
	response_free(r);
	r = client_post_form(cb, "/help", "csrf", csrf, "domain", "education", "title", "دروس رياضيات",
			     "details", secret, "city", "قرية الشعبة", "urgency", "normal", "org_id", "", NULL);
	assert_status(r, 303);
	char *location = response_location(r);
	cr_assert_not_null(location);
	cr_assert(strncmp(location, "/requests/", 10) == 0, "Location %s", location);
	response_free(r);

	r = client_get(cb, location);
	assert_status(r, 200);
	cr_assert_not_null(strstr(r->body.data, secret), "the requester does not see the details");
	cr_assert(has_arabic_letters(r->body.data));
	response_free(r);
	r = client_get(co, location);
	assert_status(r, 404);
	cr_assert_null(strstr(r->body.data, secret));
	response_free(r);

	r = client_get(cb, "/me/requests");
	assert_status(r, 200);
	cr_assert_not_null(strstr(r->body.data, "دروس رياضيات"));
	cr_assert_null(strstr(r->body.data, secret), "details in the list page");
	response_free(r);

	struct client *visitor = client_new();
	r = client_get(visitor, location);
	assert_status(r, 303);
	response_free(r);
	r = client_get(visitor, "/help");
	assert_status(r, 200);
	cr_assert_null(strstr(r->body.data, "name=\"details\""), "a visitor gets the form");
	response_free(r);

	client_free(visitor);
	free(location);
	free(csrf);
	client_free(cb);
	client_free(co);
}
