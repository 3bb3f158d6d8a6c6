/*
 * export_test.c — GET /api/v1/me/export and /account/export: a person gets
 * everything held about them, and nothing secret nor anybody else's.
 */
#include "client.h"

#include <string.h>

/* ask_for_help: a help request with private details, as this client; its id. */
static json_int_t ask_for_help(struct client *c, const char *details)
{
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s}", "domain", "law", "title", "Rental contract",
				 "details", details, "city", "riyadh", "urgency", "normal");
	struct response *r = client_post_json(c, "/api/v1/requests", body);
	assert_status(r, 201);
	json_int_t id = json_integer_value(json_object_get(json_object_get(r->json, "request"), "id"));
	cr_assert_gt(id, 0);
	response_free(r);
	json_decref(body);
	return id;
}

Test(export, holds_my_data_and_no_secrets)
{
	struct client *me = client_new(), *other = client_new();
	struct account a = client_register(me, "beneficiary");
	client_login(me, &a);
	char details[64];
	random_hex(details, 8);
	json_int_t request_id = ask_for_help(me, details);
	char path[96], said[80];
	snprintf(path, sizeof path, "/api/v1/requests/%lld/messages", (long long)request_id);
	snprintf(said, sizeof said, "message-%s", details);
	json_t *msg = json_pack("{s:s}", "body", said);
	struct response *r = client_post_json(me, path, msg);
	assert_status(r, 201);
	response_free(r);
	json_decref(msg);

	r = client_get(me, "/api/v1/me/export");
	assert_status(r, 200);
	cr_assert_str_eq(json_string_value(json_object_get(r->json, "format")), "khibra-export-1");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "user"), "email")), a.email);
	cr_assert_not_null(strstr(r->body.data, details), "my own request's details are in my export");
	cr_assert_geq(json_array_size(json_object_get(r->json, "sessions")), 1);
	cr_assert_eq(json_array_size(json_object_get(r->json, "help_requests")), 1);
	json_t *threads = json_object_get(r->json, "messages");
	cr_assert_eq(json_array_size(threads), 1, "my one conversation is in my export");
	json_t *mine = json_object_get(json_array_get(threads, 0), "my_messages");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(mine, 0), "body")), said);
	cr_assert(json_is_false(json_object_get(json_object_get(r->json, "calendar"), "feed_active")));
	cr_assert_null(strstr(r->body.data, "argon2"), "a password hash in the export");
	cr_assert_null(strstr(r->body.data, "token_hash"));
	cr_assert_null(strstr(r->body.data, a.password));
	response_free(r);

	/* Someone else's export has none of it. */
	struct account b = client_register(other, "specialist");
	client_login(other, &b);
	r = client_get(other, "/api/v1/me/export");
	assert_status(r, 200);
	cr_assert_null(strstr(r->body.data, details), "another person's details or messages leaked into an export");
	cr_assert_null(strstr(r->body.data, a.email));
	response_free(r);

	/* The page gives the same document as a download. */
	r = client_get(me, "/account/export");
	assert_status(r, 200);
	cr_assert_not_null(strstr(response_header(r, "Content-Disposition"), "attachment"));
	cr_assert_not_null(strstr(r->body.data, details));
	response_free(r);
	client_free(me);
	client_free(other);
}

Test(export, visitors_get_401)
{
	struct client *c = client_new();
	struct response *r = client_get(c, "/api/v1/me/export");
	assert_error(r, 401, "unauthenticated");
	response_free(r);
	r = client_get(c, "/account/export");
	assert_status(r, 303);
	response_free(r);
	client_free(c);
}
