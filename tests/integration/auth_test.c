/*
 * auth_test.c — accounts through the JSON API: registration, login, /me,
 * e-mail verification and password reset.
 */
#include "client.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* repeat: `n` copies of the UTF-8 character `ch`, as a heap string. */
static char *repeat(const char *ch, size_t n)
{
	size_t w = strlen(ch);
	char *s = malloc(w * n + 1);
	cr_assert_not_null(s);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * w, ch, w);
	s[w * n] = '\0';
	return s;
}

static void assert_user_object(const json_t *user, const char *email, const char *name)
{
	cr_assert(json_is_object(user), "no user object");
	cr_assert(json_is_integer(json_object_get(user, "id")), "user.id is not an integer");
	cr_assert_gt(json_integer_value(json_object_get(user, "id")), 0);
	const char *got_email = json_string_value(json_object_get(user, "email"));
	cr_assert(got_email && !strcasecmp(got_email, email), "user.email %s, expected %s",
		  got_email ? got_email : "(none)", email);
	const char *got_name = json_string_value(json_object_get(user, "name"));
	cr_assert(got_name && !strcmp(got_name, name), "user.name %s, expected %s",
		  got_name ? got_name : "(none)", name);
	const char *locale = json_string_value(json_object_get(user, "locale"));
	cr_assert(locale && (!strcmp(locale, "ar") || !strcmp(locale, "en")), "user.locale %s",
		  locale ? locale : "(none)");
	/* Nothing about the password ever leaves the server. */
	cr_assert_null(json_object_get(user, "password"));
	cr_assert_null(json_object_get(user, "password_hash"));
}

/* ================================================================ register */

Test(register, returns_the_new_user)
{
	struct client *c = client_new();
	char email[128];
	random_email(email, sizeof email);
	struct response *r = client_register_raw(c, email, "correct horse battery", "Huda Saleh",
						 "specialist", "en");
	assert_status(r, 201);
	cr_assert(response_content_type_is(r, "application/json"));
	const json_t *user = json_object_get(r->json, "user");
	assert_user_object(user, email, "Huda Saleh");
	cr_assert_str_eq(json_string_value(json_object_get(user, "locale")), "en");
	cr_assert_null(strstr(r->body.data, "correct horse battery"), "password echoed back");
	response_free(r);
	client_free(c);
}

Test(register, accepts_the_three_roles)
{
	static const char *const roles[] = { "specialist", "beneficiary", "organisation" };
	struct client *c = client_new();
	for (size_t i = 0; i < sizeof roles / sizeof *roles; i++) {
		char email[128];
		random_email(email, sizeof email);
		struct response *r = client_register_raw(c, email, "0123456789ab", "Role Tester",
							 roles[i], "ar");
		cr_assert_eq(r->status, 201, "role %s: %ld %s", roles[i], r->status, r->body.data);
		response_free(r);
	}
	client_free(c);
}

Test(register, refuses_any_other_role)
{
	static const char *const roles[] = { "admin", "moderator", "superuser", "" };
	struct client *c = client_new();
	for (size_t i = 0; i < sizeof roles / sizeof *roles; i++) {
		char email[128];
		random_email(email, sizeof email);
		struct response *r = client_register_raw(c, email, "0123456789ab", "Role Tester",
							 roles[i], "ar");
		cr_assert_eq(r->status, 422, "role \"%s\": %ld %s", roles[i], r->status, r->body.data);
		assert_error_field(r, "role");
		response_free(r);
	}
	client_free(c);
}

Test(register, duplicate_email_is_409_whatever_the_case)
{
	struct client *c = client_new();
	char email[128], upper[128];
	random_email(email, sizeof email);
	struct response *r = client_register_raw(c, email, "0123456789ab", "First", "specialist", "ar");
	assert_status(r, 201);
	response_free(r);

	r = client_register_raw(c, email, "0123456789ab", "Again", "specialist", "ar");
	assert_error(r, 409, "duplicate");
	response_free(r);

	/* "T-ABC…@EXAMPLE.ORG" is the same address. */
	size_t i = 0;
	for (; email[i]; i++)
		upper[i] = (char)toupper((unsigned char)email[i]);
	upper[i] = '\0';
	r = client_register_raw(c, upper, "0123456789ab", "Upper", "beneficiary", "ar");
	assert_error(r, 409, "duplicate");
	response_free(r);
	client_free(c);
}

Test(register, password_is_10_to_256_characters)
{
	struct client *c = client_new();
	struct {
		const char *ch;
		size_t n;
		bool ok;
	} cases[] = {
		{ "a", 9, false },
		{ "a", 10, true },
		{ "a", 256, true },
		{ "a", 257, false },
		{ "\xd8\xb3", 5, false },  /* 5 Arabic letters: 10 bytes, still 5 characters */
		{ "\xd8\xb3", 10, true },  /* 10 Arabic letters */
		{ "\xd8\xb3", 200, true }, /* 400 bytes, 200 characters */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char email[128];
		random_email(email, sizeof email);
		char *pw = repeat(cases[i].ch, cases[i].n);
		struct response *r = client_register_raw(c, email, pw, "Pw Tester", "specialist", "ar");
		if (cases[i].ok) {
			cr_assert_eq(r->status, 201, "%zu × U+%s: %ld %s", cases[i].n,
				     cases[i].ch[0] == 'a' ? "0061" : "0633", r->status, r->body.data);
		} else {
			cr_assert_eq(r->status, 422, "%zu × U+%s: %ld %s", cases[i].n,
				     cases[i].ch[0] == 'a' ? "0061" : "0633", r->status, r->body.data);
			assert_error_field(r, "password");
		}
		response_free(r);
		free(pw);
	}
	client_free(c);
}

Test(register, bad_email_is_422)
{
	static const char *const emails[] = { "not-an-email", "a@", "@example.org", "",
					      "two@@example.org", "sp ace@example.org" };
	struct client *c = client_new();
	for (size_t i = 0; i < sizeof emails / sizeof *emails; i++) {
		struct response *r = client_register_raw(c, emails[i], "0123456789ab", "Mail Tester",
							 "specialist", "ar");
		cr_assert_eq(r->status, 422, "email \"%s\": %ld %s", emails[i], r->status, r->body.data);
		assert_error_field(r, "email");
		response_free(r);
	}
	/* Missing altogether. */
	struct response *r = client_register_raw(c, NULL, "0123456789ab", "Mail Tester", "specialist", "ar");
	assert_error_field(r, "email");
	response_free(r);
	client_free(c);
}

Test(register, missing_name_is_422)
{
	struct client *c = client_new();
	char email[128];
	random_email(email, sizeof email);
	struct response *r = client_register_raw(c, email, "0123456789ab", NULL, "specialist", "ar");
	assert_error_field(r, "name");
	response_free(r);
	r = client_register_raw(c, email, "0123456789ab", "", "specialist", "ar");
	assert_error_field(r, "name");
	response_free(r);
	client_free(c);
}

Test(register, error_messages_are_arabic_by_default_english_on_request)
{
	struct client *c = client_new();
	char email[128];
	random_email(email, sizeof email);
	struct response *r = client_register_raw(c, email, "0123456789ab", "Lang", "wizard", "ar");
	assert_status(r, 422);
	const char *msg = response_error_message(r);
	cr_assert(msg && has_arabic_letters(msg), "default message is not Arabic: %s", r->body.data);
	response_free(r);

	client_set_lang(c, "en");
	r = client_register_raw(c, email, "0123456789ab", "Lang", "wizard", "ar");
	assert_status(r, 422);
	msg = response_error_message(r);
	cr_assert(msg && *msg && !has_arabic_letters(msg), "English message has Arabic: %s",
		  r->body.data);
	response_free(r);

	client_set_lang(c, "ar");
	r = client_register_raw(c, email, "0123456789ab", "Lang", "wizard", "ar");
	msg = response_error_message(r);
	cr_assert(msg && has_arabic_letters(msg), "Accept-Language: ar gave %s", r->body.data);
	response_free(r);
	client_free(c);
}

/* ================================================================ login */

Test(login, answers_user_csrf_and_session_cookie)
{
	struct client *c = client_new();
	struct account a = client_register(c, "specialist");
	struct response *r = client_try_login(c, a.email, a.password);
	assert_status(r, 200);
	assert_user_object(json_object_get(r->json, "user"), a.email, a.name);
	const char *csrf = json_string_value(json_object_get(r->json, "csrf_token"));
	cr_assert(csrf && strlen(csrf) >= 16, "csrf_token missing or short: %s", r->body.data);

	const char *sc = response_set_cookie(r, "khibra_session");
	cr_assert_not_null(sc, "no Set-Cookie khibra_session");
	char *value = response_cookie(r, "khibra_session");
	cr_assert(value && strlen(value) >= 16, "session id missing or short: %s", sc);
	cr_assert(str_contains_ci(sc, "HttpOnly"), "session cookie not HttpOnly: %s", sc);
	cr_assert(str_contains_ci(sc, "SameSite=Lax"), "session cookie not SameSite=Lax: %s", sc);
	cr_assert(strstr(sc, "Path=/") || str_contains_ci(sc, "path=/"), "no Path=/: %s", sc);
	free(value);
	response_free(r);
	client_free(c);
}

Test(login, wrong_password_and_unknown_email_look_the_same)
{
	struct client *c = client_new();
	struct account a = client_register(c, "specialist");
	struct response *wrong = client_try_login(c, a.email, "not-the-password");
	assert_error(wrong, 401, "bad_credentials");
	cr_assert_null(response_set_cookie(wrong, "khibra_session"), "session cookie on failure");

	char unknown[128];
	random_email(unknown, sizeof unknown);
	struct response *nobody = client_try_login(c, unknown, "not-the-password");
	assert_error(nobody, 401, "bad_credentials");
	cr_assert_str_eq(response_error_message(wrong), response_error_message(nobody),
			 "the messages tell whether the account exists");
	response_free(wrong);
	response_free(nobody);
	client_free(c);
}

/* ================================================================ /me */

Test(me, shows_user_roles_and_orgs)
{
	struct client *c = client_new();
	struct account a = client_register(c, "specialist");
	client_login(c, &a);
	struct response *r = client_get(c, "/api/v1/me");
	assert_status(r, 200);
	cr_assert(response_content_type_is(r, "application/json"));
	const json_t *user = json_object_get(r->json, "user");
	assert_user_object(user, a.email, a.name);
	cr_assert_eq(json_integer_value(json_object_get(user, "id")), a.id);
	const json_t *roles = json_object_get(r->json, "roles");
	cr_assert(json_is_array(roles) && json_array_size(roles) == 1, "roles: %s", r->body.data);
	cr_assert_str_eq(json_string_value(json_array_get(roles, 0)), "specialist");
	const json_t *orgs = json_object_get(r->json, "orgs");
	cr_assert(json_is_array(orgs) && json_array_size(orgs) == 0, "orgs: %s", r->body.data);
	cr_assert(!json_is_true(json_object_get(user, "email_verified")),
		  "email_verified before verification: %s", r->body.data);
	response_free(r);
	client_free(c);
}

Test(me, without_a_session_is_401)
{
	struct client *c = client_new();
	struct response *r = client_get(c, "/api/v1/me");
	assert_error(r, 401, "unauthenticated");
	response_free(r);

	client_set_cookie(c, "khibra_session=0123456789abcdef0123456789abcdef");
	r = client_get(c, "/api/v1/me");
	assert_error(r, 401, "unauthenticated");
	response_free(r);
	client_free(c);
}

/* ================================================================ e-mail verification */

Test(verify_email, link_in_outbox_verifies_once)
{
	struct client *c = client_new();
	struct account a = client_register(c, "specialist");
	char *token = outbox_find_link(a.email, "/verify-email?token=");
	cr_assert_not_null(token, "no mail with /verify-email?token= to %s in %s/outbox", a.email,
			   test_data_dir());
	client_login(c, &a);

	json_t *body = json_pack("{s:s}", "token", token);
	struct response *r = client_post_json(c, "/api/v1/auth/verify-email", body);
	assert_status(r, 200);
	response_free(r);

	r = client_get(c, "/api/v1/me");
	assert_status(r, 200);
	cr_assert(json_is_true(json_object_get(json_object_get(r->json, "user"), "email_verified")),
		  "email_verified is not true: %s", r->body.data);
	response_free(r);

	/* The token is used up. */
	r = client_post_json(c, "/api/v1/auth/verify-email", body);
	cr_assert(r->status == 404 || r->status == 422 || r->status == 409 || r->status == 400,
		  "reused token: %ld %s", r->status, r->body.data);
	cr_assert_str_eq(response_error_code(r) ? response_error_code(r) : "(none)", "invalid_token");
	response_free(r);
	json_decref(body);
	free(token);
	client_free(c);
}

Test(verify_email, bogus_token_is_invalid_token)
{
	struct client *c = client_new();
	static const char *const tokens[] = { "bogus", "0123456789abcdef0123456789abcdef0123456789ab", "" };
	for (size_t i = 0; i < sizeof tokens / sizeof *tokens; i++) {
		json_t *body = json_pack("{s:s}", "token", tokens[i]);
		struct response *r = client_post_json(c, "/api/v1/auth/verify-email", body);
		cr_assert(r->status >= 400 && r->status < 500 && r->status != 401 && r->status != 403,
			  "token \"%s\": %ld %s", tokens[i], r->status, r->body.data);
		const char *code = response_error_code(r);
		cr_assert(code && !strcmp(code, "invalid_token"), "token \"%s\": %s", tokens[i],
			  r->body.data);
		response_free(r);
		json_decref(body);
	}
	client_free(c);
}

/* ================================================================ password reset */

static struct response *request_reset(struct client *c, const char *email)
{
	json_t *body = json_pack("{s:s}", "email", email);
	struct response *r = client_post_json(c, "/api/v1/auth/password-reset", body);
	json_decref(body);
	return r;
}

static struct response *confirm_reset(struct client *c, const char *token, const char *password)
{
	json_t *body = json_pack("{s:s, s:s}", "token", token, "password", password);
	struct response *r = client_post_json(c, "/api/v1/auth/password-reset/confirm", body);
	json_decref(body);
	return r;
}

Test(password_reset, sets_a_new_password_and_revokes_sessions)
{
	struct client *c = client_new();
	struct account a = client_register(c, "specialist");
	client_login(c, &a);
	char *old_session = client_cookie_value(c, "khibra_session");
	cr_assert_not_null(old_session);

	/* A second device, to prove every session goes, not just the caller's. */
	struct client *other = client_new();
	client_login(other, &a);

	struct client *visitor = client_new();
	struct response *r = request_reset(visitor, a.email);
	assert_status(r, 202);
	response_free(r);
	char *token = outbox_find_link(a.email, "/reset-password?token=");
	cr_assert_not_null(token, "no mail with /reset-password?token= to %s", a.email);

	r = confirm_reset(visitor, token, "a brand new password");
	assert_status(r, 200);
	response_free(r);

	/* New password in, old one out. */
	struct client *fresh = client_new();
	r = client_try_login(fresh, a.email, "a brand new password");
	assert_status(r, 200);
	response_free(r);
	client_free(fresh);
	fresh = client_new();
	r = client_try_login(fresh, a.email, a.password);
	assert_error(r, 401, "bad_credentials");
	response_free(r);
	client_free(fresh);

	/* Sessions opened before the reset are gone: the old cookie, replayed by hand. */
	struct client *replay = client_new();
	client_set_forwarded_for(replay, c->forwarded_for);
	char *cookie = NULL;
	cr_assert(asprintf(&cookie, "khibra_session=%s", old_session) > 0);
	client_set_cookie(replay, cookie);
	r = client_get(replay, "/api/v1/me");
	assert_status(r, 401);
	response_free(r);
	r = client_get(other, "/api/v1/me");
	assert_status(r, 401);
	response_free(r);

	/* The token was single-use. */
	r = confirm_reset(visitor, token, "yet another password");
	cr_assert(r->status >= 400 && r->status < 500, "reused reset token: %ld %s", r->status,
		  r->body.data);
	cr_assert_str_eq(response_error_code(r) ? response_error_code(r) : "(none)", "invalid_token");
	response_free(r);
	fresh = client_new();
	r = client_try_login(fresh, a.email, "yet another password");
	assert_status(r, 401);
	response_free(r);

	client_free(fresh);
	client_free(replay);
	client_free(visitor);
	client_free(other);
	client_free(c);
	free(cookie);
	free(token);
	free(old_session);
}

Test(password_reset, unknown_email_is_202_and_sends_nothing)
{
	struct client *c = client_new();
	struct account a = client_register(c, "beneficiary");
	char unknown[128];
	random_email(unknown, sizeof unknown);

	struct response *r = request_reset(c, unknown);
	assert_status(r, 202);
	struct response *known = request_reset(c, a.email);
	assert_status(known, 202);
	/* The same answer either way: nothing tells whether the account exists. */
	cr_assert_str_eq(r->body.data, known->body.data);
	response_free(r);
	response_free(known);

	char *token = outbox_find_link(a.email, "/reset-password?token=");
	cr_assert_not_null(token, "no reset mail to the known address");
	char *none = outbox_find_message(unknown, "", 0);
	cr_assert_null(none, "a mail went to an address with no account");
	free(token);
	client_free(c);
}

Test(password_reset, bogus_token_and_short_password_are_refused)
{
	struct client *c = client_new();
	struct response *r = confirm_reset(c, "bogus-token-0123456789", "a brand new password");
	cr_assert(r->status >= 400 && r->status < 500, "bogus token: %ld %s", r->status, r->body.data);
	cr_assert_str_eq(response_error_code(r) ? response_error_code(r) : "(none)", "invalid_token");
	response_free(r);

	struct account a = client_register(c, "specialist");
	r = request_reset(c, a.email);
	assert_status(r, 202);
	response_free(r);
	char *token = outbox_find_link(a.email, "/reset-password?token=");
	cr_assert_not_null(token);
	r = confirm_reset(c, token, "short");
	assert_error_field(r, "password");
	response_free(r);
	struct client *fresh = client_new();
	r = client_try_login(fresh, a.email, a.password);
	assert_status(r, 200);
	response_free(r);
	client_free(fresh);
	free(token);
	client_free(c);
}

/* Addresses are one account whatever their case, at login as at registration. */
Test(register, email_is_matched_case_insensitively_at_login)
{
	struct client *c = client_new();
	char email[128], mixed[128];
	random_email(email, sizeof email);
	snprintf(mixed, sizeof mixed, "%s", email);
	mixed[0] = 'T'; /* "T-…@example.org" */
	struct response *r = client_register_raw(c, mixed, "0123456789ab", "Case", "specialist", "ar");
	assert_status(r, 201);
	response_free(r);
	r = client_try_login(c, email, "0123456789ab");
	assert_status(r, 200);
	response_free(r);
	client_free(c);
}

/* ================================================================ language setting */

/* patch_locale: PATCH /api/v1/me {"locale": locale}. */
static struct response *patch_locale(struct client *c, const char *locale)
{
	json_t *body = locale ? json_pack("{s:s}", "locale", locale) : json_object();
	struct response *r = client_patch_json(c, "/api/v1/me", body);
	json_decref(body);
	return r;
}

/* page_is: the page at `path` is in this language (<html lang="…">). */
static bool page_is(struct client *c, const char *path, const char *lang)
{
	struct response *r = client_get(c, path);
	assert_status(r, 200);
	char attr[32];
	snprintf(attr, sizeof attr, "<html lang=\"%s\"", lang);
	bool is = r->body.data && strstr(r->body.data, attr) != NULL;
	response_free(r);
	return is;
}

Test(me, patch_sets_the_language_of_pages_and_mails)
{
	struct client *c = client_new();
	struct account a = client_register(c, "specialist");
	client_login(c, &a);
	cr_assert(page_is(c, "/account", "ar"), "Arabic is not the default");

	struct response *r = patch_locale(c, "en");
	assert_status(r, 200);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "user"), "locale")), "en");
	cr_assert(json_is_array(json_object_get(r->json, "roles")) && json_is_array(json_object_get(r->json, "orgs")),
		  "not the shape of GET /me: %s", r->body.data);
	response_free(r);
	r = client_get(c, "/api/v1/me");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "user"), "locale")), "en");
	response_free(r);

	/* The setting speaks when nothing else does; ?lang= still wins. */
	cr_assert(page_is(c, "/account", "en"), "the saved language does not choose the page's");
	cr_assert(page_is(c, "/dashboard?lang=ar", "ar"), "?lang= does not win over the setting");

	/* E-mails follow it. */
	json_t *body = json_pack("{s:s}", "email", a.email);
	r = client_post_json(c, "/api/v1/auth/password-reset", body);
	json_decref(body);
	assert_status(r, 202);
	response_free(r);
	char *mail = outbox_find_message(a.email, "/reset-password?token=", 5000);
	cr_assert_not_null(mail, "no reset e-mail");
	cr_assert(strstr(mail, "reset the password") && !has_arabic_letters(mail), "not in English: %s", mail);
	free(mail);
	client_free(c);
}

Test(me, patch_refuses_any_other_locale)
{
	struct client *c = client_new();
	struct account a = client_register(c, "beneficiary");
	client_login(c, &a);
	const char *bad[] = { "fr", "EN", "en-US", "", NULL };
	for (int i = 0; i < 5; i++) {
		client_set_lang(c, "en");
		struct response *r = patch_locale(c, bad[i]);
		assert_error_field(r, "locale");
		cr_assert(strstr(response_error_field(r, "locale"), "ar or en"), "%s", r->body.data);
		response_free(r);
	}
	client_set_lang(c, "ar");
	struct response *r = patch_locale(c, "xx");
	assert_error_field(r, "locale");
	cr_assert(has_arabic_letters(response_error_field(r, "locale")), "not in the caller's language: %s", r->body.data);
	response_free(r);
	r = patch_locale(c, NULL);
	assert_error_field(r, "locale");
	response_free(r);

	/* Without the CSRF header a session's PATCH is refused; a visitor must log in. */
	client_set_csrf(c, NULL);
	r = patch_locale(c, "en");
	assert_error(r, 403, "csrf");
	response_free(r);
	struct client *visitor = client_new();
	r = patch_locale(visitor, "en");
	assert_status(r, 401);
	response_free(r);
	client_free(visitor);
	client_free(c);
}

Test(me, account_page_saves_the_language)
{
	struct client *c = client_new();
	struct account a = client_register(c, "specialist");
	client_login(c, &a);
	struct response *r = client_get(c, "/account?lang=ar"); /* leaves a khibra_lang=ar cookie */
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "name=\"locale\""), "no language select on the account page");
	char *csrf = html_find_csrf(r->body.data);
	cr_assert_not_null(csrf);
	response_free(r);

	client_set_csrf(c, NULL); /* the form's token only */
	r = client_post_form(c, "/account/language", "csrf", csrf, "locale", "fr", NULL);
	assert_status(r, 422);
	cr_assert(strstr(r->body.data, "ar or en") || has_arabic_letters(r->body.data), "%s", r->body.data);
	response_free(r);
	r = client_post_form(c, "/account/language", "locale", "en", NULL);
	assert_status(r, 403); /* no CSRF token */
	response_free(r);

	r = client_post_form(c, "/account/language", "csrf", csrf, "locale", "en", NULL);
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "<html lang=\"en\""), "the answer is not in English");
	cr_assert(strstr(r->body.data, "<option value=\"en\" lang=\"en\" selected>"), "English is not selected");
	char *cookie = response_cookie(r, "khibra_lang");
	cr_assert(cookie && !strcmp(cookie, "en"), "the older language cookie would win: %s", cookie ? cookie : "(none)");
	free(cookie);
	response_free(r);
	/* The older cookie followed the setting: the pages are in English now. */
	cr_assert(page_is(c, "/dashboard", "en"));
	r = client_get(c, "/api/v1/me");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "user"), "locale")), "en");
	response_free(r);
	free(csrf);
	client_free(c);
}
