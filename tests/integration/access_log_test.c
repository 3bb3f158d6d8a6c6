/*
 * access_log_test.c — the moderators' access log of private help-request
 * details: GET /api/v1/admin/access-log and the page /moderation/access-log.
 */
#include "client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct client *logged_in(const char *role, struct account *a)
{
	struct client *c = client_new();
	*a = client_register(c, role);
	client_login(c, a);
	return c;
}

/* new_request: a help request by the client's person; its id. */
static int64_t new_request(struct client *c)
{
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s}", "domain", "law", "title", "استشارة في عقد عمل", "details",
				 "تفاصيل لا يراها إلا المعنيون", "city", "تبوك", "urgency", "normal");
	struct response *r = client_post_json(c, "/api/v1/requests", body);
	json_decref(body);
	assert_status(r, 201);
	int64_t id = json_integer_value(json_object_get(json_object_get(r->json, "request"), "id"));
	response_free(r);
	cr_assert_gt(id, 0);
	return id;
}

static struct client *moderator(struct account *m)
{
	*m = client_make_moderator();
	struct client *c = client_new();
	client_login(c, m);
	struct response *r = client_get(c, "/api/v1/me");
	assert_status(r, 200);
	m->id = json_integer_value(json_object_get(json_object_get(r->json, "user"), "id"));
	response_free(r);
	return c;
}

Test(access_log, a_moderators_read_is_listed)
{
	struct account b, m;
	struct client *bc = logged_in("beneficiary", &b);
	struct client *mc = moderator(&m);
	int64_t id = new_request(bc);
	char path[128];
	snprintf(path, sizeof path, "/api/v1/requests/%lld", (long long)id);
	struct response *r = client_get(mc, path);
	assert_status(r, 200);
	response_free(r);
	r = client_get(bc, path);
	assert_status(r, 200);
	response_free(r);

	snprintf(path, sizeof path, "/api/v1/admin/access-log?request_id=%lld", (long long)id);
	r = client_get(mc, path);
	assert_status(r, 200);
	const json_t *items = json_object_get(r->json, "items");
	cr_assert_eq(json_array_size(items), 2, "%s", r->body.data);
	const json_t *newest = json_array_get(items, 0), *oldest = json_array_get(items, 1);
	cr_assert_str_eq(json_string_value(json_object_get(newest, "reason")), "requester");
	cr_assert_str_eq(json_string_value(json_object_get(oldest, "reason")), "moderation");
	const json_t *reader = json_object_get(oldest, "reader");
	cr_assert_eq(json_integer_value(json_object_get(reader, "id")), m.id);
	cr_assert_str_eq(json_string_value(json_object_get(reader, "name")), m.name);
	cr_assert_eq(json_integer_value(json_object_get(oldest, "request_id")), id);
	cr_assert(strstr(json_string_value(json_object_get(oldest, "at")), "+03:00"));
	cr_assert(json_is_null(json_object_get(r->json, "next_cursor")));
	response_free(r);

	/* By reader, one per page. */
	snprintf(path, sizeof path, "/api/v1/admin/access-log?reader_id=%lld&limit=1", (long long)m.id);
	r = client_get(mc, path);
	assert_status(r, 200);
	cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 1);
	response_free(r);

	r = client_get(mc, "/api/v1/admin/access-log?request_id=abc");
	assert_error_field(r, "request_id");
	response_free(r);
	r = client_get(mc, "/api/v1/admin/access-log?cursor=-3");
	assert_error(r, 400, "bad_cursor");
	response_free(r);
	client_free(mc);
	client_free(bc);
}

Test(access_log, others_are_refused)
{
	struct account s;
	struct client *sc = logged_in("specialist", &s);
	struct response *r = client_get(sc, "/api/v1/admin/access-log");
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = client_get(sc, "/moderation/access-log");
	assert_status(r, 403);
	response_free(r);
	struct client *v = client_new();
	r = client_get(v, "/api/v1/admin/access-log");
	assert_status(r, 401);
	response_free(r);
	client_free(v);
	client_free(sc);
}

Test(access_log, page_in_arabic_and_english)
{
	struct account b, m;
	struct client *bc = logged_in("beneficiary", &b);
	struct client *mc = moderator(&m);
	int64_t id = new_request(bc);
	char path[128], link[64];
	snprintf(path, sizeof path, "/api/v1/requests/%lld", (long long)id);
	struct response *r = client_get(mc, path);
	assert_status(r, 200);
	response_free(r);
	snprintf(link, sizeof link, "href=\"/requests/%lld\"", (long long)id);

	snprintf(path, sizeof path, "/moderation/access-log?request_id=%lld", (long long)id);
	r = client_get(mc, path);
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "dir=\"rtl\""));
	cr_assert(strstr(r->body.data, "مشرف"), "the reader's part is not in Arabic (po/pending/privacy.po not merged?)");
	cr_assert(strstr(r->body.data, link), "no link to the request");
	cr_assert(strstr(r->body.data, m.name), "the reader's name is missing");
	cr_assert(strstr(r->body.data, "هـ"), "no Hijri date");
	response_free(r);

	snprintf(path, sizeof path, "/moderation/access-log?request_id=%lld&lang=en", (long long)id);
	r = client_get(mc, path);
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "dir=\"ltr\""));
	cr_assert(strstr(r->body.data, "Who read private requests"));
	cr_assert(strstr(r->body.data, "A moderator"));
	cr_assert(strstr(r->body.data, link));
	response_free(r);

	r = client_get(mc, "/moderation?lang=en");
	assert_status(r, 200);
	cr_assert(html_has_href_containing(r->body.data, "/moderation/access-log"), "no link from the dashboard");
	response_free(r);
	client_free(mc);
	client_free(bc);
}
