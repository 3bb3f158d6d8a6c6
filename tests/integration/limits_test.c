/*
 * limits_test.c — rate limits, body limits and the shape of API errors,
 * plus the API's self-description (OpenAPI) and the skills list.
 */
#include "client.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* assert_retry_after: a 429 JSON error whose Retry-After is a positive number of seconds
 * no longer than the 15-minute window. */
static void assert_retry_after(const struct response *r)
{
	assert_status(r, 429);
	cr_assert(response_error_code(r) && response_error_message(r),
		  "429 without a JSON error: %.300s", r->body.data);
	const char *ra = response_header(r, "Retry-After");
	cr_assert_not_null(ra, "429 without Retry-After");
	char *end;
	long seconds = strtol(ra, &end, 10);
	cr_assert(end != ra && *end == '\0', "Retry-After is not delay-seconds: %s", ra);
	cr_assert(seconds > 0 && seconds <= 15 * 60, "Retry-After %ld out of (0, 900]", seconds);
}

/* ================================================================ rate limits */

Test(rate_limit, ten_failed_logins_lock_the_account, .timeout = 120)
{
	struct client *c = client_new();
	struct account a = client_register(c, "specialist");
	for (int i = 1; i <= 10; i++) {
		/* A new address each time: the limit is the account's, not the address's. */
		char addr[16];
		random_address(addr, sizeof addr);
		client_set_forwarded_for(c, addr);
		struct response *r = client_try_login(c, a.email, "wrong password!");
		cr_assert_eq(r->status, 401, "failed login %d answered %ld: %s", i, r->status, r->body.data);
		response_free(r);
	}
	char addr[16];
	random_address(addr, sizeof addr);
	client_set_forwarded_for(c, addr);
	struct response *r = client_try_login(c, a.email, a.password);
	assert_retry_after(r);
	cr_assert_null(response_set_cookie(r, "khibra_session"), "a locked account got a session");
	response_free(r);

	/* Another account is not affected. */
	struct client *other = client_new();
	struct account b = client_register(other, "specialist");
	client_login(other, &b);
	client_free(other);
	client_free(c);
}

Test(rate_limit, fifty_failed_logins_lock_the_address, .timeout = 180)
{
	struct client *c = client_new();
	for (int i = 1; i <= 50; i++) {
		char email[128];
		random_email(email, sizeof email);
		struct response *r = client_try_login(c, email, "wrong password!");
		cr_assert_eq(r->status, 401, "failed login %d answered %ld: %s", i, r->status, r->body.data);
		response_free(r);
	}
	char email[128];
	random_email(email, sizeof email);
	struct response *r = client_try_login(c, email, "wrong password!");
	assert_retry_after(r);
	response_free(r);

	/* Another address is not affected. */
	struct client *other = client_new();
	r = client_try_login(other, email, "wrong password!");
	assert_error(r, 401, "bad_credentials");
	response_free(r);
	client_free(other);
	client_free(c);
}

/* ================================================================ body limits */

Test(limits, json_body_over_1_mib_is_413)
{
	const size_t total = 1048577; /* 1 MiB + 1 */
	char email[128];
	random_email(email, sizeof email);
	char *head = NULL;
	int n = asprintf(&head, "{\"email\":\"%s\",\"password\":\"0123456789ab\",\"role\":\"specialist\","
				"\"name\":\"", email);
	cr_assert(n > 0);
	const char *tail = "\"}";
	char *body = malloc(total);
	cr_assert_not_null(body);
	memcpy(body, head, (size_t)n);
	memset(body + n, 'x', total - (size_t)n - strlen(tail));
	memcpy(body + total - strlen(tail), tail, strlen(tail));

	struct client *c = client_new();
	struct response *r = client_request(c, "POST", "/api/v1/auth/register", "application/json",
					    body, total);
	assert_error(r, 413, "too_large");
	response_free(r);

	/* Nothing was created: the same address is still free. */
	r = client_register_raw(c, email, "0123456789ab", "Small", "specialist", "ar");
	assert_status(r, 201);
	response_free(r);
	client_free(c);
	free(body);
	free(head);
}

Test(limits, json_body_of_exactly_1_mib_is_not_413)
{
	const size_t total = 1048576;
	char *body = malloc(total);
	cr_assert_not_null(body);
	const char *head = "{\"pad\":\"", *tail = "\"}";
	memcpy(body, head, strlen(head));
	memset(body + strlen(head), 'x', total - strlen(head) - strlen(tail));
	memcpy(body + total - strlen(tail), tail, strlen(tail));
	struct client *c = client_new();
	struct response *r = client_request(c, "POST", "/api/v1/auth/login", "application/json",
					    body, total);
	cr_assert(r->status != 413 && r->status >= 400 && r->status < 500,
		  "a 1 MiB login body answered %ld: %.300s", r->status, r->body.data);
	response_free(r);
	client_free(c);
	free(body);
}

Test(limits, form_body_over_1_mib_is_413)
{
	const size_t total = 1048577;
	char *body = malloc(total);
	cr_assert_not_null(body);
	const char *head = "email=a%40example.org&password=";
	memcpy(body, head, strlen(head));
	memset(body + strlen(head), 'x', total - strlen(head));
	struct client *c = client_new();
	struct response *r = client_get(c, "/login"); /* the visitor's CSRF cookie */
	assert_status(r, 200);
	response_free(r);
	r = client_request(c, "POST", "/login", "application/x-www-form-urlencoded", body, total);
	assert_status(r, 413);
	response_free(r);
	client_free(c);
	free(body);
}

Test(limits, malformed_json_is_400)
{
	static const char *const bodies[] = { "{\"email\": ", "{email: 1}", "[1,2", "\xff\xfe{}" };
	struct client *c = client_new();
	for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
		struct response *r = client_request(c, "POST", "/api/v1/auth/register",
						    "application/json", bodies[i], strlen(bodies[i]));
		cr_assert_eq(r->status, 400, "body \"%s\": %ld %s", bodies[i], r->status, r->body.data);
		assert_error(r, 400, "malformed");
		response_free(r);
	}
	client_free(c);
}

Test(limits, wrong_media_type_is_415)
{
	struct client *c = client_new();
	const char *body = "{\"email\":\"a@example.org\",\"password\":\"0123456789ab\"}";
	struct response *r = client_request(c, "POST", "/api/v1/auth/register", "text/plain",
					    body, strlen(body));
	assert_error(r, 415, "unsupported_media_type");
	response_free(r);
	r = client_request(c, "POST", "/api/v1/auth/login", "application/xml", "<x/>", 4);
	assert_error(r, 415, "unsupported_media_type");
	response_free(r);
	client_free(c);
}

/* ================================================================ routing */

Test(routing, unknown_api_route_is_json_404)
{
	struct client *c = client_new();
	struct response *r = client_get(c, "/api/v1/nope");
	assert_error(r, 404, "not_found");
	response_free(r);
	r = client_get(c, "/api/v1/opportunities/999999999999");
	assert_status(r, 404);
	cr_assert(response_content_type_is(r, "application/json"));
	response_free(r);
	client_free(c);
}

/* Every list reads ?cursor= the same way: a cursor that is not one of ours
 * is 400 bad_cursor in the caller's language, not the first page again. */
Test(routing, bad_cursor_or_limit_is_400_on_every_list)
{
	struct client *c = client_new();
	struct account a = client_register(c, "specialist");
	client_login(c, &a);
	client_set_lang(c, "en");
	const char *lists[] = { "/api/v1/me/applications?cursor=abc", "/api/v1/me/requests?cursor=-4",
				"/api/v1/me/applications?cursor=99999999999999999999" };
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		struct response *r = client_get(c, lists[i]);
		assert_error(r, 400, "bad_cursor");
		cr_assert(strstr(response_error_message(r), "next_cursor"), "%s", lists[i]);
		response_free(r);
	}
	struct response *r = client_get(c, "/api/v1/me/applications?cursor=1");
	assert_status(r, 200);
	response_free(r);
	const char *limits[] = { "abc", "0", "-3", "2.5", "99999999999999999999" };
	for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
		char path[96];
		snprintf(path, sizeof path, "/api/v1/opportunities?limit=%s", limits[i]);
		r = client_get(c, path);
		assert_error(r, 400, "bad_limit");
		cr_assert(strstr(response_error_message(r), "limit"), "%s", limits[i]);
		response_free(r);
	}
	r = client_get(c, "/api/v1/skills?limit=1000");
	assert_status(r, 200); /* more than 100 is 100 */
	response_free(r);
	client_free(c);
}

Test(routing, wrong_method_is_405)
{
	struct client *c = client_new();
	struct response *r = client_get(c, "/api/v1/auth/login");
	assert_error(r, 405, "method_not_allowed");
	const char *allow = response_header(r, "Allow");
	cr_assert(allow && strstr(allow, "POST"), "405 without Allow: POST (RFC 9110 §15.5.6): %s",
		  allow ? allow : "(none)");
	response_free(r);
	client_free(c);
}

/* ================================================================ self-description */

Test(api, openapi_document)
{
	struct client *c = client_new();
	struct response *r = client_get(c, "/api/v1/openapi.json");
	assert_status(r, 200);
	cr_assert(response_content_type_is(r, "application/json"), "Content-Type %s",
		  response_header(r, "Content-Type"));
	cr_assert_not_null(r->json, "openapi.json does not parse");
	const char *version = json_string_value(json_object_get(r->json, "openapi"));
	cr_assert(version && !strncmp(version, "3.1", 3), "openapi: %s", version ? version : "(none)");
	const json_t *paths = json_object_get(r->json, "paths");
	cr_assert(json_is_object(paths), "no paths object");
	cr_assert_not_null(json_object_get(paths, "/auth/register"), "paths lacks /auth/register");
	cr_assert_not_null(json_object_get(paths, "/me"), "paths lacks /me");
	cr_assert(json_is_object(json_object_get(json_object_get(paths, "/auth/register"), "post")),
		  "/auth/register has no post operation");
	response_free(r);
	client_free(c);
}

Test(api, skills_list)
{
	struct client *c = client_new();
	struct response *r = client_get(c, "/api/v1/skills");
	assert_status(r, 200);
	cr_assert(json_is_array(json_object_get(r->json, "items")), "items: %.300s", r->body.data);
	const json_t *next = json_object_get(r->json, "next_cursor");
	cr_assert(next && json_is_null(next), "next_cursor is not null: %.300s", r->body.data);
	response_free(r);
	client_free(c);
}

/* A multipart part whose name is not quoted (name=bio) can reach the form
 * callback with no name (found by tests/fuzz/multipart), which used to be a
 * NULL dereference.  Whatever libmicrohttpd makes of it, the answer is a
 * clear 4xx and the server keeps serving. */
Test(limits, multipart_part_without_a_quoted_name_is_400)
{
	struct client *c = client_new();
	struct account a = client_register(c, "specialist");
	client_login(c, &a);
	static const char body[] = "--B\r\nContent-Disposition: form-data; name=bio\r\n\r\nx\r\n--B--\r\n";
	struct response *r = client_request(c, "POST", "/api/v1/me/credentials", "multipart/form-data; boundary=B",
					    body, sizeof body - 1);
	cr_assert(r->status == 400 || r->status == 422, "expected 400 or 422, got %ld: %s", r->status, r->body.data);
	response_free(r);
	r = client_get(c, "/healthz");
	assert_status(r, 200);
	response_free(r);
	client_free(c);
}

/* ================================================================ header limits */

/* filler_header: "X-Filler: aaa…" whose line is `bytes` long with its CRLF. */
static char *filler_header(size_t bytes)
{
	char *line = malloc(bytes);
	cr_assert_not_null(line);
	memcpy(line, "X-Filler: ", 10);
	memset(line + 10, 'a', bytes - 10 - 2 - 1);
	line[bytes - 3] = '\0';
	return line;
}

/* get_with_filler: GET path with a filler header of `bytes` and Accept-Language. */
static struct response *get_with_filler(const char *path, size_t bytes, const char *lang)
{
	struct client *c = client_new();
	client_set_lang(c, lang);
	char *line = filler_header(bytes);
	client_add_header(c, line);
	free(line);
	struct response *r = client_get(c, path);
	client_free(c);
	return r;
}

Test(limits, headers_over_16_kib_are_our_431)
{
	struct response *r = get_with_filler("/api/v1/me", 17 * 1024, "en");
	assert_status(r, 431);
	assert_security_headers(r, "431 of the API");
	cr_assert(response_content_type_is(r, "application/json"), "Content-Type %s",
		  response_header(r, "Content-Type"));
	cr_assert_str_eq(response_error_code(r), "too_large");
	cr_assert_str_eq(response_error_message(r), "The request headers are too large.");
	response_free(r);

	/* Far past the limit (up to MHD's ceiling) too. */
	r = get_with_filler("/api/v1/me", 60 * 1024, "en");
	assert_status(r, 431);
	assert_security_headers(r, "60 KiB 431 of the API");
	cr_assert_str_eq(response_error_code(r), "too_large");
	response_free(r);

	/* In the caller's language: an Arabic page for an Arabic reader. */
	r = get_with_filler("/", 17 * 1024, "ar");
	assert_status(r, 431);
	cr_assert_not_null(strstr(r->body.data, "lang=\"ar\" dir=\"rtl\""), "%.300s", r->body.data);
	response_free(r);

	/* A page gets the error page. */
	r = get_with_filler("/", 17 * 1024, "en");
	assert_status(r, 431);
	assert_security_headers(r, "431 of a page");
	cr_assert(response_content_type_is(r, "text/html"), "Content-Type %s", response_header(r, "Content-Type"));
	cr_assert_not_null(strstr(r->body.data, "The request headers are too large."), "%.300s", r->body.data);
	response_free(r);
}

Test(limits, headers_under_16_kib_are_served)
{
	struct response *r = get_with_filler("/healthz", 12 * 1024, "en");
	assert_status(r, 200);
	response_free(r);
	r = get_with_filler("/api/v1/openapi.json", 16 * 1024 - 200, "en");
	assert_status(r, 200);
	response_free(r);
}

Test(limits, a_post_with_huge_headers_is_431_not_413)
{
	struct client *c = client_new();
	client_set_lang(c, "en");
	char *line = filler_header(20 * 1024);
	client_add_header(c, line);
	free(line);
	json_t *body = json_pack("{s:s, s:s}", "email", "x@example.org", "password", "whatever-it-is");
	struct response *r = client_post_json(c, "/api/v1/auth/login", body);
	json_decref(body);
	assert_status(r, 431);
	assert_security_headers(r, "431 of a POST");
	response_free(r);
	/* The connection, or a new one, still serves. */
	r = client_get(c, "/healthz");
	assert_status(r, 200);
	response_free(r);
	client_free(c);
}

/* ================================================================ passwords */

Test(limits, password_must_be_valid_utf8)
{
	struct client *c = client_new();
	client_set_lang(c, "en");
	char email[128];
	random_email(email, sizeof email);
	/* Eleven bytes, but not UTF-8: a form can carry it (JSON cannot). */
	struct response *r = client_get(c, "/register");
	char *csrf = html_find_csrf(r->body.data);
	cr_assert_not_null(csrf);
	response_free(r);
	r = client_post_form(c, "/register", "name", "Rana", "email", email, "password", "abcdefghij\xff", "role",
			     "specialist", "csrf", csrf, NULL);
	free(csrf);
	assert_status(r, 422);
	cr_assert_not_null(strstr(r->body.data, "The password must be 10 to 256 characters long."), "%.500s",
			   r->body.data);
	response_free(r);

	/* A control character in JSON: the same 422 on the password field. */
	r = client_register_raw(c, email, "abcdefghij\x01", "Rana", "specialist", "en");
	assert_status(r, 422);
	cr_assert_not_null(response_error_field(r, "password"), "%s", r->body.data);
	response_free(r);
	client_free(c);
}
