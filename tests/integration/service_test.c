/*
 * service_test.c — what every response carries (security headers), the
 * health and metrics endpoints, static assets and the HTML 404.
 */
#include "client.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* assert_security_headers is in client.c, shared with matrix_test.c. */

Test(service, security_headers_on_every_response)
{
	static const struct {
		const char *method;
		const char *path;
		long status;
	} cases[] = {
		{ "GET", "/", 200 },
		{ "GET", "/login", 200 },
		{ "GET", "/api/v1/me", 401 },
		{ "GET", "/healthz", 200 },
		{ "GET", "/metrics", 200 },
		{ "GET", "/nope", 404 },
		{ "GET", "/api/v1/nope", 404 },
		{ "GET", "/api/v1/auth/login", 405 },
		{ "GET", "/static/style.css", 200 },
		{ "GET", "/account", 303 },
		{ "POST", "/api/v1/auth/logout", 401 },
	};
	struct client *c = client_new();
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct response *r = client_request(c, cases[i].method, cases[i].path, NULL, NULL, 0);
		char what[128];
		snprintf(what, sizeof what, "%s %s", cases[i].method, cases[i].path);
		cr_assert_eq(r->status, cases[i].status, "%s answered %ld, expected %ld", what,
			     r->status, cases[i].status);
		assert_security_headers(r, what);
		response_free(r);
	}
	/* A 304 too. */
	struct response *r = client_get(c, "/static/style.css");
	const char *etag = response_header(r, "ETag");
	cr_assert_not_null(etag);
	char line[256];
	snprintf(line, sizeof line, "If-None-Match: %s", etag);
	response_free(r);
	client_add_header(c, line);
	r = client_get(c, "/static/style.css");
	assert_status(r, 304);
	assert_security_headers(r, "304 of /static/style.css");
	response_free(r);
	client_free(c);
}

Test(service, healthz)
{
	struct client *c = client_new();
	struct response *r = client_get(c, "/healthz");
	assert_status(r, 200);
	char *body = r->body.data;
	size_t n = r->body.len;
	while (n && (body[n - 1] == '\n' || body[n - 1] == '\r'))
		n--;
	cr_assert(n == 2 && !strncmp(body, "ok", 2), "healthz body: \"%s\"", body);
	cr_assert_null(response_set_cookie(r, "khibra_session"));
	response_free(r);
	client_free(c);
}

Test(service, metrics)
{
	struct client *c = client_new();
	/* At least one request has been counted: this one's predecessor. */
	struct response *r = client_get(c, "/healthz");
	response_free(r);
	r = client_get(c, "/metrics");
	assert_status(r, 200);
	const char *ct = response_header(r, "Content-Type");
	cr_assert(ct && !strncasecmp(ct, "text/plain", 10), "metrics Content-Type %s",
		  ct ? ct : "(none)");
	cr_assert_not_null(strstr(r->body.data, "khibra_http_requests_total"), "%.500s", r->body.data);
	cr_assert_not_null(strstr(r->body.data, "khibra_http_request_duration_seconds_bucket"),
			   "%.500s", r->body.data);
	cr_assert_not_null(strstr(r->body.data, "le=\"+Inf\""), "histogram without +Inf bucket");
	response_free(r);
	client_free(c);
}

Test(service, static_asset_is_cacheable)
{
	struct client *c = client_new();
	struct response *r = client_get(c, "/static/style.css");
	assert_status(r, 200);
	cr_assert(response_content_type_is(r, "text/css"), "Content-Type %s",
		  response_header(r, "Content-Type"));
	cr_assert_gt(r->body.len, 0);
	const char *etag = response_header(r, "ETag");
	cr_assert(etag && *etag, "no ETag");
	cr_assert(response_header(r, "Cache-Control"), "no Cache-Control");
	cr_assert_null(response_header(r, "Content-Encoding"), "encoded without being asked");
	char line[256];
	snprintf(line, sizeof line, "If-None-Match: %s", etag);
	response_free(r);

	client_add_header(c, line);
	r = client_get(c, "/static/style.css");
	assert_status(r, 304);
	cr_assert_eq(r->body.len, 0, "304 with a body");
	cr_assert(response_header(r, "ETag"), "304 without ETag");
	response_free(r);

	client_add_header(c, "If-None-Match: \"something-else\"");
	r = client_get(c, "/static/style.css");
	assert_status(r, 200);
	response_free(r);
	client_free(c);
}

Test(service, static_asset_is_gzipped_on_request)
{
	struct client *c = client_new();
	struct response *plain = client_get(c, "/static/style.css");
	assert_status(plain, 200);

	client_add_header(c, "Accept-Encoding: gzip");
	struct response *r = client_get(c, "/static/style.css");
	assert_status(r, 200);
	const char *ce = response_header(r, "Content-Encoding");
	cr_assert(ce && !strcasecmp(ce, "gzip"), "Content-Encoding %s", ce ? ce : "(none)");
	cr_assert(r->body.len > 2 && (unsigned char)r->body.data[0] == 0x1f &&
			  (unsigned char)r->body.data[1] == 0x8b,
		  "the body is not gzip");
	const char *vary = response_header(r, "Vary");
	cr_assert(vary && str_contains_ci(vary, "Accept-Encoding"), "Vary %s", vary ? vary : "(none)");
	response_free(r);

	/* Decoded, it is the same file. */
	c->decode_encoding = true;
	r = client_get(c, "/static/style.css");
	assert_status(r, 200);
	cr_assert_eq(r->body.len, plain->body.len, "gunzipped %zu bytes, plain %zu", r->body.len,
		     plain->body.len);
	cr_assert(!memcmp(r->body.data, plain->body.data, r->body.len), "gunzipped differs");
	response_free(r);
	response_free(plain);
	client_free(c);
}

Test(service, unknown_page_is_html_404)
{
	struct client *c = client_new();
	struct response *r = client_get(c, "/nope");
	assert_status(r, 404);
	const char *ct = response_header(r, "Content-Type");
	cr_assert(ct && str_contains_ci(ct, "text/html"), "Content-Type %s", ct ? ct : "(none)");
	cr_assert_not_null(strstr(r->body.data, "<html"), "404 is not a page");
	response_free(r);
	r = client_get(c, "/static/nope.css");
	assert_status(r, 404);
	response_free(r);
	client_free(c);
}

Test(service, static_paths_cannot_climb_out)
{
	static const char *const paths[] = {
		"/static/..%2f..%2fMakefile",
		"/static/%2e%2e/%2e%2e/Makefile",
		"/static/..%2f..%2fsrc%2fcore%2flimits.h",
		"/static/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
	};
	struct client *c = client_new();
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
		struct response *r = client_get(c, paths[i]);
		cr_assert(r->status == 404 || r->status == 400, "GET %s answered %ld", paths[i],
			  r->status);
		cr_assert_null(strstr(r->body.data, "root:"), "GET %s leaked a file", paths[i]);
		cr_assert_null(strstr(r->body.data, "LIMIT_"), "GET %s leaked a file", paths[i]);
		response_free(r);
	}
	client_free(c);
}

/* get_asset: GET /static/style.css with these extra header lines (NULL-ended). */
static struct response *get_asset(struct client *c, const char *line1, const char *line2)
{
	if (line1)
		client_add_header(c, line1);
	if (line2)
		client_add_header(c, line2);
	return client_get(c, "/static/style.css");
}

Test(service, gzip_and_plain_assets_have_their_own_etags)
{
	struct client *c = client_new();
	struct response *plain = get_asset(c, NULL, NULL);
	struct response *gz = get_asset(c, "Accept-Encoding: gzip", NULL);
	assert_status(plain, 200);
	assert_status(gz, 200);
	cr_assert_not_null(response_header(gz, "Content-Encoding"), "style.css was not gzipped");
	const char *pe = response_header(plain, "ETag"), *ge = response_header(gz, "ETag");
	cr_assert(pe && ge, "no ETag");
	cr_assert_str_neq(pe, ge, "both representations have the ETag %s", pe);
	const char *vary[] = { response_header(plain, "Vary"), response_header(gz, "Vary") };
	for (int i = 0; i < 2; i++)
		cr_assert(vary[i] && str_contains_ci(vary[i], "Accept-Encoding"), "Vary %s",
			  vary[i] ? vary[i] : "(none)");
	char inm_plain[256], inm_gz[256];
	snprintf(inm_plain, sizeof inm_plain, "If-None-Match: %s", pe);
	snprintf(inm_gz, sizeof inm_gz, "If-None-Match: %s", ge);

	/* Each validates its own representation… */
	struct response *r = get_asset(c, inm_plain, NULL);
	assert_status(r, 304);
	cr_assert_str_eq(response_header(r, "ETag"), pe);
	response_free(r);
	r = get_asset(c, inm_gz, "Accept-Encoding: gzip");
	assert_status(r, 304);
	cr_assert_str_eq(response_header(r, "ETag"), ge);
	cr_assert_eq(r->body.len, 0);
	response_free(r);
	/* …and not the other one. */
	r = get_asset(c, inm_gz, NULL);
	assert_status(r, 200);
	cr_assert_null(response_header(r, "Content-Encoding"));
	cr_assert_eq(r->body.len, plain->body.len);
	response_free(r);
	r = get_asset(c, inm_plain, "Accept-Encoding: gzip");
	assert_status(r, 200);
	cr_assert_not_null(response_header(r, "Content-Encoding"));
	response_free(r);

	/* A list, a weak form and "*" match as RFC 9110 says. */
	char list[300];
	snprintf(list, sizeof list, "If-None-Match: \"other\", W/%s", ge);
	r = get_asset(c, list, "Accept-Encoding: gzip");
	assert_status(r, 304);
	response_free(r);
	r = get_asset(c, "If-None-Match: *", NULL);
	assert_status(r, 304);
	response_free(r);
	response_free(plain);
	response_free(gz);
	client_free(c);
}

Test(service, metrics_counts_the_socket_peer_not_the_forwarded_address)
{
	/* The test server runs behind KHIBRA_TRUST_PROXY=1 on loopback: a
	 * forwarded outside address does not hide the loopback peer… */
	struct client *c = client_new();
	client_set_forwarded_for(c, "203.0.113.9");
	struct response *r = client_get(c, "/metrics");
	assert_status(r, 200);
	response_free(r);
	/* …and an API token or session is not looked at. */
	client_set_bearer(c, "not-a-real-token");
	r = client_get(c, "/metrics");
	assert_status(r, 200);
	response_free(r);
	client_free(c);
}
