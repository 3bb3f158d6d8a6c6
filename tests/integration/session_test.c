/*
 * session_test.c — sessions, CSRF, logout and API tokens.
 *
 * "Replayed by hand" means a fresh client (empty cookie engine) that sends
 * only `Cookie: khibra_session=VALUE`, from the same fake address as the
 * client that got the cookie.  Each such check is preceded by a positive
 * control showing the same replay works while the session is alive, so a 401
 * cannot come from the replay itself.
 */
#include "client.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* replay_me: GET /api/v1/me with only this session cookie; the status. */
static long replay_me(const struct client *origin, const char *session)
{
	struct client *c = client_new();
	client_set_forwarded_for(c, origin->forwarded_for);
	char cookie[512];
	snprintf(cookie, sizeof cookie, "khibra_session=%s", session);
	client_set_cookie(c, cookie);
	struct response *r = client_get(c, "/api/v1/me");
	long status = r->status;
	if (status != 200 && status != 401)
		cr_log_warn("replay of a session cookie answered %ld: %s", status, r->body.data);
	response_free(r);
	client_free(c);
	return status;
}

static char *session_of(struct client *c)
{
	char *s = client_cookie_value(c, "khibra_session");
	cr_assert(s && *s, "the client holds no khibra_session cookie");
	return s;
}

Test(session, each_login_gets_its_own_session)
{
	struct client *c1 = client_new();
	struct account a = client_register(c1, "specialist");
	struct client *c2 = client_new();
	client_login(c1, &a);
	client_login(c2, &a);
	char *s1 = session_of(c1), *s2 = session_of(c2);
	cr_assert_str_neq(s1, s2, "two logins share a session id");
	/* Logging in on a second device leaves the first one logged in. */
	cr_assert_eq(replay_me(c1, s1), 200);
	cr_assert_eq(replay_me(c2, s2), 200);
	free(s1);
	free(s2);
	client_free(c1);
	client_free(c2);
}

Test(session, login_rotates_the_session_id)
{
	struct client *c = client_new();
	struct account a = client_register(c, "specialist");
	client_login(c, &a);
	char *before = session_of(c);
	cr_assert_eq(replay_me(c, before), 200, "positive control: the fresh session works");

	/* Log in again while holding the old cookie (and its CSRF token). */
	client_login(c, &a);
	char *after = session_of(c);
	cr_assert_str_neq(before, after, "login kept the old session id");
	cr_assert_eq(replay_me(c, after), 200);
	cr_assert_eq(replay_me(c, before), 401, "the pre-login session id still authenticates");

	struct response *r = client_get(c, "/api/v1/me");
	assert_status(r, 200);
	response_free(r);
	free(before);
	free(after);
	client_free(c);
}

Test(session, logout_needs_csrf_and_kills_the_session)
{
	struct client *c = client_new();
	struct account a = client_register(c, "specialist");
	client_login(c, &a);
	char *session = session_of(c);
	char *csrf = strdup(c->csrf);
	cr_assert_eq(replay_me(c, session), 200, "positive control");

	client_set_csrf(c, NULL);
	struct response *r = client_post_json(c, "/api/v1/auth/logout", NULL);
	assert_error(r, 403, "csrf");
	response_free(r);

	client_set_csrf(c, "0123456789abcdef0123456789abcdef");
	r = client_post_json(c, "/api/v1/auth/logout", NULL);
	assert_error(r, 403, "csrf");
	response_free(r);

	cr_assert_eq(replay_me(c, session), 200, "refused logouts must not end the session");

	client_set_csrf(c, csrf);
	r = client_post_json(c, "/api/v1/auth/logout", NULL);
	assert_status(r, 204);
	cr_assert_eq(r->body.len, 0, "204 with a body");
	response_free(r);

	r = client_get(c, "/api/v1/me");
	assert_error(r, 401, "unauthenticated");
	response_free(r);
	cr_assert_eq(replay_me(c, session), 401, "the session survives logout on the server");
	free(csrf);
	free(session);
	client_free(c);
}

Test(session, csrf_token_of_another_session_is_refused)
{
	struct client *c1 = client_new();
	struct account a = client_register(c1, "specialist");
	struct client *c2 = client_new();
	client_login(c1, &a);
	client_login(c2, &a);
	/* c1's cookie with c2's token. */
	client_set_csrf(c1, c2->csrf);
	struct response *r = client_post_json(c1, "/api/v1/auth/logout", NULL);
	assert_error(r, 403, "csrf");
	response_free(r);
	client_free(c1);
	client_free(c2);
}

/* ================================================================ API tokens */

static struct response *create_token(struct client *c, const char *name)
{
	json_t *body = json_pack("{s:s}", "name", name);
	struct response *r = client_post_json(c, "/api/v1/tokens", body);
	json_decref(body);
	return r;
}

Test(tokens, bearer_token_authenticates_without_csrf)
{
	struct client *c = client_new();
	struct account a = client_register(c, "specialist");
	client_login(c, &a);
	struct response *r = create_token(c, "laptop script");
	assert_status(r, 201);
	const char *token = json_string_value(json_object_get(r->json, "token"));
	cr_assert(token && strlen(token) >= 16, "token missing or short: %s", r->body.data);
	cr_assert(json_is_integer(json_object_get(r->json, "id")), "no integer id: %s", r->body.data);
	cr_assert_str_eq(json_string_value(json_object_get(r->json, "name")), "laptop script");
	char *tok = strdup(token);
	response_free(r);

	struct client *b = client_new();
	client_set_bearer(b, tok);
	r = client_get(b, "/api/v1/me");
	assert_status(r, 200);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(r->json, "user"), "id")), a.id);
	response_free(r);

	/* An unsafe method with the Bearer token and no X-CSRF-Token. */
	r = create_token(b, "made by a token");
	assert_status(r, 201);
	const char *second = json_string_value(json_object_get(r->json, "token"));
	cr_assert(second && strcmp(second, tok), "the second token equals the first");
	response_free(r);
	client_free(b);

	/* A token that is not one, or almost one. */
	static const char *const bad[] = { "not-a-token", "" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		b = client_new();
		client_set_bearer(b, bad[i]);
		r = client_get(b, "/api/v1/me");
		assert_status(r, 401);
		response_free(r);
		client_free(b);
	}
	b = client_new();
	char *altered = strdup(tok);
	altered[strlen(altered) - 1] = altered[strlen(altered) - 1] == 'A' ? 'B' : 'A';
	client_set_bearer(b, altered);
	r = client_get(b, "/api/v1/me");
	assert_error(r, 401, "unauthenticated");
	response_free(r);
	client_free(b);
	free(altered);
	free(tok);
	client_free(c);
}

Test(tokens, session_without_csrf_cannot_create_a_token)
{
	struct client *c = client_new();
	struct account a = client_register(c, "specialist");
	client_login(c, &a);
	client_set_csrf(c, NULL);
	struct response *r = create_token(c, "sneaky");
	assert_error(r, 403, "csrf");
	response_free(r);
	client_free(c);
}

Test(tokens, visitor_cannot_create_a_token)
{
	struct client *c = client_new();
	struct response *r = create_token(c, "nobody");
	assert_error(r, 401, "unauthenticated");
	response_free(r);
	client_free(c);
}

/* find_session: the id of the session in GET /me/sessions that is (or is
 * not) the caller's current one; 0 if none. */
static json_int_t find_session(struct client *c, bool current, size_t *count)
{
	struct response *r = client_get(c, "/api/v1/me/sessions");
	assert_status(r, 200);
	json_t *items = json_object_get(r->json, "items");
	cr_assert(json_is_array(items));
	*count = json_array_size(items);
	json_int_t id = 0;
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item) {
		cr_assert_str_eq(json_string_value(json_object_get(item, "address")), c->forwarded_for,
				 "the session records the client's address");
		if (json_is_true(json_object_get(item, "current")) == current)
			id = json_integer_value(json_object_get(item, "id"));
	}
	response_free(r);
	return id;
}

Test(session, sessions_are_listed_and_revocable_by_their_owner)
{
	struct client *c1 = client_new(), *c2 = client_new(), *other = client_new();
	struct account a = client_register(c1, "specialist");
	client_set_forwarded_for(c2, c1->forwarded_for);
	client_login(c1, &a);
	client_login(c2, &a);
	size_t count = 0;
	json_int_t mine = find_session(c1, true, &count);
	json_int_t theirs = find_session(c1, false, &count);
	cr_assert_eq(count, 2, "two logins, two sessions");
	cr_assert(mine && theirs && mine != theirs);

	/* Someone else cannot end it: it does not exist for them. */
	struct account b = client_register(other, "beneficiary");
	client_login(other, &b);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/me/sessions/%lld", (long long)theirs);
	struct response *r = client_delete(other, path);
	assert_status(r, 404);
	response_free(r);

	/* The owner ends the other device's session: it stops working at once. */
	r = client_delete(c1, path);
	assert_status(r, 204);
	response_free(r);
	r = client_get(c2, "/api/v1/me");
	assert_status(r, 401);
	response_free(r);
	r = client_get(c1, "/api/v1/me");
	assert_status(r, 200);
	response_free(r);
	find_session(c1, true, &count);
	cr_assert_eq(count, 1);
	r = client_delete(c1, path);
	assert_status(r, 404);
	response_free(r);
	client_free(c1);
	client_free(c2);
	client_free(other);
}

/* A program that still holds the cookie of a session that ended is a
 * visitor: its JSON log-in and registration work, with no CSRF refusal,
 * and the stale cookie still authorises nothing. */
Test(session, stale_session_cookie_does_not_block_json_login_or_register)
{
	struct client *c = client_new();
	struct account a = client_register(c, "specialist");
	client_login(c, &a);
	char *stale = session_of(c);
	struct response *r = client_post_json(c, "/api/v1/auth/logout", NULL);
	assert_status(r, 204);
	response_free(r);
	cr_assert_eq(replay_me(c, stale), 401, "the ended session still works");

	struct client *program = client_new();
	client_set_forwarded_for(program, c->forwarded_for);
	char cookie[512];
	snprintf(cookie, sizeof cookie, "khibra_session=%s", stale);
	client_set_cookie(program, cookie);
	r = client_try_login(program, a.email, a.password);
	assert_status(r, 200);
	cr_assert_not_null(json_object_get(r->json, "csrf_token"));
	response_free(r);

	struct client *other = client_new(); /* a fresh client, the same stale cookie */
	client_set_forwarded_for(other, c->forwarded_for);
	client_set_cookie(other, cookie);
	char email[128];
	random_email(email, sizeof email);
	r = client_register_raw(other, email, "a-long-password-1", "Stale Cookie", "specialist", "en");
	assert_status(r, 201);
	response_free(r);
	client_free(other);

	/* The same cookie on a form still needs the form's token. */
	struct client *browser = client_new();
	client_set_forwarded_for(browser, c->forwarded_for);
	client_set_cookie(browser, cookie);
	r = client_post_form(browser, "/login", "email", a.email, "password", a.password, NULL);
	assert_status(r, 403);
	response_free(r);

	free(stale);
	client_free(c);
	client_free(program);
	client_free(browser);
}

/* is_rfc3339: "2026-11-25T14:30:00+03:00". */
static bool is_rfc3339(const json_t *v)
{
	const char *s = json_string_value(v);
	int y, mo, d, h, mi, sec, oh, om;
	char sign;
	return s && strlen(s) == 25 &&
	       sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c%2d:%2d", &y, &mo, &d, &h, &mi, &sec, &sign, &oh, &om) == 9 &&
	       (sign == '+' || sign == '-');
}

/* get_page: GET path, asserting 200 and a list answer; the items array
 * (borrowed from *resp, which the caller frees) and next_cursor. */
static json_t *get_page(struct client *c, const char *path, struct response **resp, const char **next)
{
	*resp = client_get(c, path);
	assert_status(*resp, 200);
	json_t *items = json_object_get((*resp)->json, "items");
	cr_assert(json_is_array(items), "no items: %s", (*resp)->body.data);
	json_t *cursor = json_object_get((*resp)->json, "next_cursor");
	cr_assert(json_is_string(cursor) || json_is_null(cursor), "next_cursor: %s", (*resp)->body.data);
	*next = json_string_value(cursor);
	return items;
}

Test(tokens, listed_in_pages_with_rfc3339_times)
{
	struct client *c = client_new();
	struct account a = client_register(c, "specialist");
	client_login(c, &a);
	char *secret = NULL;
	for (int i = 0; i < 3; i++) {
		json_t *body = json_pack("{s:s}", "name", i == 0 ? "first" : "more");
		struct response *r = client_post_json(c, "/api/v1/tokens", body);
		json_decref(body);
		assert_status(r, 201);
		if (i == 0)
			secret = strdup(json_string_value(json_object_get(r->json, "token")));
		response_free(r);
	}
	struct client *program = client_new();
	client_set_bearer(program, secret);
	struct response *r = client_get(program, "/api/v1/me");
	assert_status(r, 200);
	response_free(r);

	const char *next;
	json_t *items = get_page(c, "/api/v1/me/tokens?limit=2", &r, &next);
	cr_assert_eq(json_array_size(items), 2);
	cr_assert_not_null(next, "no next_cursor after a full page");
	json_t *first = json_array_get(items, 0);
	cr_assert_str_eq(json_string_value(json_object_get(first, "name")), "first");
	cr_assert(is_rfc3339(json_object_get(first, "created_at")), "created_at: %s", r->body.data);
	cr_assert(is_rfc3339(json_object_get(first, "last_used_at")), "last_used_at: %s", r->body.data);
	cr_assert(json_is_null(json_object_get(json_array_get(items, 1), "last_used_at")), "never used: %s",
		  r->body.data);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/me/tokens?limit=2&cursor=%s", next);
	response_free(r);
	items = get_page(c, path, &r, &next);
	cr_assert_eq(json_array_size(items), 1);
	cr_assert_null(next, "a next_cursor after the last page");
	response_free(r);

	r = client_get(c, "/api/v1/me/tokens?cursor=abc");
	assert_error(r, 400, "bad_cursor");
	response_free(r);
	free(secret);
	client_free(c);
	client_free(program);
}

Test(session, sessions_listed_in_pages_with_rfc3339_times)
{
	struct client *c[3];
	struct account a;
	for (int i = 0; i < 3; i++) {
		c[i] = client_new();
		if (i == 0)
			a = client_register(c[0], "beneficiary");
		else
			client_set_forwarded_for(c[i], c[0]->forwarded_for);
		client_login(c[i], &a);
	}
	struct response *r;
	const char *next;
	json_t *items = get_page(c[0], "/api/v1/me/sessions?limit=2", &r, &next);
	cr_assert_eq(json_array_size(items), 2);
	cr_assert_not_null(next);
	json_t *s = json_array_get(items, 0);
	cr_assert(is_rfc3339(json_object_get(s, "created_at")) && is_rfc3339(json_object_get(s, "last_seen_at")),
		  "times: %s", r->body.data);
	json_int_t seen[3] = { json_integer_value(json_object_get(s, "id")),
			       json_integer_value(json_object_get(json_array_get(items, 1), "id")), 0 };
	char path[96];
	snprintf(path, sizeof path, "/api/v1/me/sessions?limit=2&cursor=%s", next);
	response_free(r);
	items = get_page(c[0], path, &r, &next);
	cr_assert_eq(json_array_size(items), 1);
	cr_assert_null(next);
	seen[2] = json_integer_value(json_object_get(json_array_get(items, 0), "id"));
	cr_assert(seen[2] != seen[0] && seen[2] != seen[1], "a session listed twice");
	response_free(r);
	for (int i = 0; i < 3; i++)
		client_free(c[i]);
}
