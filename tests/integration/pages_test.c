/*
 * pages_test.c — the HTML pages: language negotiation, the login, register,
 * logout and forgot-password forms, and escaping of what users wrote.
 */
#include "client.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char AR_ROOT[] = "<html lang=\"ar\" dir=\"rtl\"";
static const char EN_ROOT[] = "<html lang=\"en\" dir=\"ltr\"";

/* get_page: GET path, asserting a 200 HTML page in UTF-8. */
static struct response *get_page(struct client *c, const char *path)
{
	struct response *r = client_get(c, path);
	cr_assert_eq(r->status, 200, "GET %s answered %ld: %.300s", path, r->status, r->body.data);
	const char *ct = response_header(r, "Content-Type");
	cr_assert(ct && str_contains_ci(ct, "text/html") && str_contains_ci(ct, "charset=utf-8"),
		  "GET %s: Content-Type %s", path, ct ? ct : "(none)");
	return r;
}

static void assert_language(const struct response *r, const char *root, const char *what)
{
	cr_assert_not_null(strstr(r->body.data, root), "%s: no %s> in %.200s", what, root,
			   r->body.data);
}

static void assert_redirect(const struct response *r, const char *prefix, const char *what)
{
	cr_assert_eq(r->status, 303, "%s answered %ld, not 303: %.300s", what, r->status, r->body.data);
	char *loc = response_location(r);
	cr_assert(loc && !strncmp(loc, prefix, strlen(prefix)), "%s: Location %s, expected %s…",
		  what, loc ? loc : "(none)", prefix);
	/* "/" must be exactly the home page, not "/account". */
	if (!strcmp(prefix, "/"))
		cr_assert(!strcmp(loc, "/") || loc[1] == '?', "%s: Location %s, expected /", what, loc);
	free(loc);
}

/* ================================================================ language */

Test(pages, home_is_arabic_by_default)
{
	struct client *c = client_new();
	struct response *r = get_page(c, "/");
	assert_language(r, AR_ROOT, "GET /");
	response_free(r);
	client_free(c);
}

Test(pages, lang_query_switches_to_english_and_is_remembered)
{
	struct client *c = client_new();
	struct response *r = get_page(c, "/?lang=en");
	assert_language(r, EN_ROOT, "GET /?lang=en");
	cr_assert_not_null(response_set_cookie(r, "khibra_lang"), "?lang=en set no khibra_lang cookie");
	response_free(r);

	r = get_page(c, "/");
	assert_language(r, EN_ROOT, "GET / after ?lang=en");
	response_free(r);
	r = get_page(c, "/login");
	assert_language(r, EN_ROOT, "GET /login after ?lang=en");
	response_free(r);

	/* And back. */
	r = get_page(c, "/?lang=ar");
	assert_language(r, AR_ROOT, "GET /?lang=ar");
	response_free(r);
	r = get_page(c, "/");
	assert_language(r, AR_ROOT, "GET / after ?lang=ar");
	response_free(r);

	/* ?lang= beats Accept-Language. */
	client_set_lang(c, "en");
	r = get_page(c, "/?lang=ar");
	assert_language(r, AR_ROOT, "GET /?lang=ar with Accept-Language: en");
	response_free(r);
	client_free(c);
}

Test(pages, accept_language_is_negotiated)
{
	static const struct {
		const char *header;
		const char *root;
	} cases[] = {
		{ "en-GB,en;q=0.9", EN_ROOT },
		{ "en", EN_ROOT },
		{ "fr, ar;q=0.5", AR_ROOT },
		{ "fr, en;q=0.5", EN_ROOT },
		{ "ar;q=0.4, en;q=0.8", EN_ROOT },
		{ "en;q=0.3, ar-SA", AR_ROOT },
		{ "fr, de", AR_ROOT },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct client *c = client_new();
		client_set_lang(c, cases[i].header);
		struct response *r = get_page(c, "/");
		char what[128];
		snprintf(what, sizeof what, "Accept-Language: %s", cases[i].header);
		assert_language(r, cases[i].root, what);
		response_free(r);
		client_free(c);
	}
}

Test(pages, every_page_links_to_the_other_language)
{
	static const char *const paths[] = { "/", "/login", "/register", "/forgot-password" };
	struct client *c = client_new();
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
		struct response *r = get_page(c, paths[i]);
		cr_assert(html_has_href_containing(r->body.data, "lang=en"),
			  "%s (Arabic) has no link with lang=en", paths[i]);
		response_free(r);
	}
	client_set_lang(c, "en");
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
		struct response *r = get_page(c, paths[i]);
		cr_assert(html_has_href_containing(r->body.data, "lang=ar"),
			  "%s (English) has no link with lang=ar", paths[i]);
		response_free(r);
	}
	client_free(c);
}

/* ================================================================ forms */

Test(pages, login_and_register_forms_carry_csrf)
{
	static const char *const paths[] = { "/login", "/register" };
	for (size_t i = 0; i < 2; i++) {
		struct client *c = client_new();
		struct response *r = get_page(c, paths[i]);
		cr_assert_not_null(strstr(r->body.data, "<form"), "%s has no form", paths[i]);
		char *csrf = html_find_csrf(r->body.data);
		cr_assert(csrf && *csrf, "%s has no input name=\"csrf\" with a value", paths[i]);
		cr_assert_not_null(strstr(r->body.data, "type=\"hidden\""), "%s: csrf not hidden", paths[i]);
		const char *sc = response_set_cookie(r, "khibra_csrf");
		cr_assert_not_null(sc, "%s set no khibra_csrf cookie", paths[i]);
		cr_assert(str_contains_ci(sc, "SameSite"), "khibra_csrf without SameSite: %s", sc);
		free(csrf);
		response_free(r);
		client_free(c);
	}
}

/* register_by_form: GET /register, then POST it; the response. */
static struct response *register_by_form(struct client *c, const char *name, const char *email,
					 const char *password)
{
	struct response *r = get_page(c, "/register");
	char *csrf = html_find_csrf(r->body.data);
	cr_assert_not_null(csrf, "no csrf in /register");
	response_free(r);
	r = client_post_form(c, "/register", "name", name, "email", email, "password", password,
			     "role", "specialist", "csrf", csrf, NULL);
	free(csrf);
	return r;
}

Test(pages, register_by_form_logs_in_and_escapes_the_name)
{
	struct client *c = client_new();
	char email[128], name[96], hex[9];
	random_email(email, sizeof email);
	random_hex(hex, 4);
	snprintf(name, sizeof name, "Rana <b>&\" %s", hex);

	struct response *r = register_by_form(c, name, email, "form password 1");
	assert_redirect(r, "/account", "POST /register");
	cr_assert_not_null(response_set_cookie(r, "khibra_session"), "no session cookie after register");
	response_free(r);

	r = get_page(c, "/account");
	cr_assert_not_null(strstr(r->body.data, "&lt;b&gt;&amp;"), "the name is not escaped as expected");
	cr_assert_not_null(strstr(r->body.data, hex), "the page does not show the user's name");
	cr_assert_null(strstr(r->body.data, "<b>&\""), "the raw name reached the page");
	response_free(r);

	/* The account exists for the API as well. */
	struct client *api = client_new();
	r = client_try_login(api, email, "form password 1");
	assert_status(r, 200);
	response_free(r);
	client_free(api);
	client_free(c);
}

Test(pages, register_form_with_errors_shows_the_form_again)
{
	struct client *c = client_new();
	char email[128];
	random_email(email, sizeof email);
	struct response *r = register_by_form(c, "Short Pw", email, "short");
	cr_assert(r->status == 422 || r->status == 400 || r->status == 200,
		  "bad register form answered %ld", r->status);
	cr_assert_not_null(strstr(r->body.data, "<form"), "the form is not shown again");
	cr_assert_null(response_set_cookie(r, "khibra_session"), "a session for a refused registration");
	response_free(r);
	client_free(c);
}

/* login_form: GET /login for the token, then POST the form; the response. */
static struct response *login_form(struct client *c, const char *email, const char *password)
{
	struct response *r = get_page(c, "/login");
	char *csrf = html_find_csrf(r->body.data);
	cr_assert_not_null(csrf, "no csrf in /login");
	response_free(r);
	r = client_post_form(c, "/login", "email", email, "password", password, "csrf", csrf, NULL);
	free(csrf);
	return r;
}

Test(pages, login_form)
{
	struct client *c = client_new();
	struct account a = client_register(c, "specialist");

	struct response *r = login_form(c, a.email, "not the password");
	cr_assert_eq(r->status, 401, "wrong password answered %ld", r->status);
	cr_assert(str_contains_ci(response_header(r, "Content-Type"), "text/html"));
	cr_assert_not_null(strstr(r->body.data, "<form"), "the 401 page has no form");
	char *again = html_find_csrf(r->body.data);
	cr_assert_not_null(again, "the 401 form has no csrf field");
	free(again);
	cr_assert_null(response_set_cookie(r, "khibra_session"));
	response_free(r);

	r = login_form(c, a.email, a.password);
	assert_redirect(r, "/account", "POST /login");
	cr_assert_not_null(response_set_cookie(r, "khibra_session"));
	response_free(r);
	r = get_page(c, "/account");
	cr_assert_not_null(strstr(r->body.data, a.name), "/account does not show %s", a.name);
	response_free(r);
	client_free(c);
}

Test(pages, login_form_without_or_with_a_wrong_csrf_is_403)
{
	struct client *c = client_new();
	struct account a = client_register(c, "specialist");
	struct response *r = get_page(c, "/login"); /* cookie set, field left out */
	response_free(r);

	r = client_post_form(c, "/login", "email", a.email, "password", a.password, NULL);
	assert_status(r, 403);
	cr_assert_null(response_set_cookie(r, "khibra_session"));
	response_free(r);

	r = client_post_form(c, "/login", "email", a.email, "password", a.password, "csrf",
			     "0123456789abcdef0123456789abcdef", NULL);
	assert_status(r, 403);
	cr_assert_null(response_set_cookie(r, "khibra_session"));
	response_free(r);

	/* With no cookie at all, a field copied from someone else's page does not help. */
	struct client *other = client_new();
	r = get_page(other, "/login");
	char *foreign = html_find_csrf(r->body.data);
	response_free(r);
	struct client *bare = client_new();
	r = client_post_form(bare, "/login", "email", a.email, "password", a.password, "csrf",
			     foreign, NULL);
	assert_status(r, 403);
	response_free(r);
	free(foreign);
	client_free(bare);
	client_free(other);
	client_free(c);
}

Test(pages, account_needs_login_and_logout_ends_it)
{
	struct client *c = client_new();
	struct response *r = client_get(c, "/account");
	assert_redirect(r, "/login", "GET /account as a visitor");
	response_free(r);

	struct account a = client_register(c, "beneficiary");
	r = login_form(c, a.email, a.password);
	assert_redirect(r, "/account", "POST /login");
	response_free(r);

	r = get_page(c, "/account");
	char *csrf = html_find_csrf(r->body.data);
	cr_assert_not_null(csrf, "/account has no logout form with csrf");
	response_free(r);

	r = client_post_form(c, "/logout", "csrf", csrf, NULL);
	assert_redirect(r, "/", "POST /logout");
	response_free(r);

	r = client_get(c, "/account");
	assert_redirect(r, "/login", "GET /account after logout");
	response_free(r);
	free(csrf);
	client_free(c);
}

Test(pages, logout_form_without_csrf_is_403)
{
	struct client *c = client_new();
	struct account a = client_register(c, "specialist");
	struct response *r = login_form(c, a.email, a.password);
	assert_redirect(r, "/account", "POST /login");
	response_free(r);
	r = client_post_form(c, "/logout", "x", "y", NULL);
	assert_status(r, 403);
	response_free(r);
	r = get_page(c, "/account"); /* still logged in */
	response_free(r);
	client_free(c);
}

/* ================================================================ forgot password */

/* forgot: GET and POST /forgot-password; the final page (after a 303, if any). */
static struct response *forgot(struct client *c, const char *email, long *status, char **location)
{
	struct response *r = get_page(c, "/forgot-password");
	cr_assert_not_null(strstr(r->body.data, "<form"), "/forgot-password has no form");
	char *csrf = html_find_csrf(r->body.data);
	cr_assert_not_null(csrf, "/forgot-password has no csrf field");
	response_free(r);
	r = client_post_form(c, "/forgot-password", "email", email, "csrf", csrf, NULL);
	free(csrf);
	*status = r->status;
	*location = NULL;
	cr_assert(r->status == 200 || r->status == 303, "POST /forgot-password answered %ld",
		  r->status);
	if (r->status == 303) {
		*location = response_location(r);
		cr_assert_not_null(*location);
		response_free(r);
		r = get_page(c, *location);
	}
	return r;
}

Test(pages, forgot_password_answers_the_same_for_anyone)
{
	struct client *c = client_new();
	struct account a = client_register(c, "specialist");
	char unknown[128];
	random_email(unknown, sizeof unknown);

	long s_unknown, s_known;
	char *l_unknown, *l_known;
	struct response *r_unknown = forgot(c, unknown, &s_unknown, &l_unknown);
	struct response *r_known = forgot(c, a.email, &s_known, &l_known);
	cr_assert_eq(s_unknown, s_known, "known %ld vs unknown %ld", s_known, s_unknown);
	if (l_known)
		cr_assert_str_eq(l_known, l_unknown);
	cr_assert(r_known->body.len > 0 && r_unknown->body.len > 0, "empty confirmation page");

	char *token = outbox_find_link(a.email, "/reset-password?token=");
	cr_assert_not_null(token, "no reset mail after the form");
	char *none = outbox_find_message(unknown, "", 0);
	cr_assert_null(none, "a mail went to an address with no account");

	/* The link in the mail opens a page. */
	char *path = NULL;
	cr_assert(asprintf(&path, "/reset-password?token=%s", token) > 0);
	struct response *r = client_get(c, path);
	cr_assert_eq(r->status, 200, "GET %s answered %ld", path, r->status);
	response_free(r);

	free(path);
	free(token);
	free(l_known);
	free(l_unknown);
	response_free(r_known);
	response_free(r_unknown);
	client_free(c);
}
