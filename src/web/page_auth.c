/*
 * page_auth.c — log in, register, log out, forgotten and new password,
 * e-mail confirmation: the HTML faces of auth/accounts.c.
 */
#include "web/pages.h"
#include "auth/accounts.h"
#include "http/session.h"
#include "i18n/i18n.h"

#include <stdio.h>
#include <string.h>

json_t *page_ctx(request *r, const char *title_msgid)
{
	return json_pack("{s:s}", "title", tr(r, title_msgid));
}

json_t *page_form_ctx(request *r, const char *title_msgid)
{
	return json_pack("{s:s, s:s}", "title", tr(r, title_msgid), "csrf", session_csrf_token(r));
}

json_t *page_number(request *r, int64_t v)
{
	buf b = BUF_INIT;
	i18n_format_number(r->lang, (double)v, 0, &b);
	json_t *s = json_string(b.data);
	buf_free(&b);
	return s;
}

const char *page_safe_next(const char *next, const char *fallback)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strpbrk(next, "\r\n"))
		return fallback;
	return next;
}

/* with_outcome: put an outcome's message and field reasons into a form context. */
static void with_outcome(request *r, json_t *ctx, struct outcome *o)
{
	json_object_set_new(ctx, "error", json_string(tr(r, o->message)));
	if (o->fields) {
		json_object_set(ctx, "fields", o->fields);
	}
	outcome_clear(o);
}

/* ---- log in ---- */

static void render_login(request *r, int status, const char *email, struct outcome *o)
{
	json_t *ctx = page_form_ctx(r, N_("Log in"));
	json_object_set_new(ctx, "email", json_string(email ? email : ""));
	json_object_set_new(ctx, "next", json_string(page_safe_next(req_query(r, "next") ? req_query(r, "next")
									 : req_str(r, "next"), "")));
	if (o)
		with_outcome(r, ctx, o);
	respond_page(r, status, "login", ctx);
}

void page_login_form(request *r)
{
	if (r->user) {
		respond_redirect(r, "/account");
		return;
	}
	render_login(r, 200, NULL, NULL);
}

void page_login(request *r)
{
	struct outcome o;
	const char *email = req_str(r, "email");
	account_login(r, email, req_str(r, "password"), &o);
	if (o.status != 200) {
		if (o.retry_after > 0) {
			char secs[24];
			snprintf(secs, sizeof secs, "%d", o.retry_after);
			respond_header(r, "Retry-After", secs);
		}
		render_login(r, o.status, email, &o);
		return;
	}
	respond_redirect(r, page_safe_next(req_str(r, "next"), "/account"));
}

/* ---- register ---- */

static void render_register(request *r, int status, const struct register_input *in, struct outcome *o)
{
	static const struct { const char *value; const char *label; const char *hint; } roles[] = {
		{ "specialist", N_("Specialist"), N_("I am a professional and want to volunteer my skills.") },
		{ "beneficiary", N_("Person in need"), N_("I need a consultation, a lesson or other help without paying.") },
		{ "organisation", N_("Organisation"), N_("I work for a charity, school, clinic or council that needs specialists.") },
	};
	json_t *ctx = page_form_ctx(r, N_("Create an account"));
	const char *chosen = in && in->role ? in->role : req_query(r, "role");
	if (!chosen)
		chosen = "specialist";
	json_t *list = json_array();
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:b}", "value", roles[i].value,
						      "label", tr(r, roles[i].label), "hint", tr(r, roles[i].hint),
						      "checked", strcmp(chosen, roles[i].value) == 0));
	json_object_set_new(ctx, "roles", list);
	json_object_set_new(ctx, "name", json_string(in && in->name ? in->name : ""));
	const char *next = req_query(r, "next") ? req_query(r, "next") : req_str(r, "next");
	json_object_set_new(ctx, "next", json_string(page_safe_next(next, "")));
	json_object_set_new(ctx, "email", json_string(in && in->email ? in->email : ""));
	if (o)
		with_outcome(r, ctx, o);
	respond_page(r, status, "register", ctx);
}

void page_register_form(request *r)
{
	if (r->user) {
		respond_redirect(r, "/account");
		return;
	}
	render_register(r, 200, NULL, NULL);
}

void page_register(request *r)
{
	struct register_input in = {
		.email = req_str(r, "email"),
		.password = req_str(r, "password"),
		.name = req_str(r, "name"),
		.role = req_str(r, "role"),
		.locale = i18n_code(r->lang),
	};
	struct outcome o;
	int64_t id = 0;
	account_register(r, &in, &id, &o);
	if (o.status != 201) {
		render_register(r, o.status, &in, &o);
		return;
	}
	if (!session_start(r, id)) {
		respond_redirect(r, "/login");
		return;
	}
	respond_redirect(r, page_safe_next(req_str(r, "next"), "/account?welcome=1"));
}

void page_logout(request *r)
{
	session_end(r);
	respond_redirect(r, "/");
}

/* ---- forgotten password ---- */

static void render_forgot(request *r, int status, const char *email, bool sent, struct outcome *o)
{
	json_t *ctx = page_form_ctx(r, N_("Forgotten password"));
	json_object_set_new(ctx, "email", json_string(email ? email : ""));
	json_object_set_new(ctx, "sent", json_boolean(sent));
	if (o)
		with_outcome(r, ctx, o);
	respond_page(r, status, "forgot", ctx);
}

void page_forgot_form(request *r)
{
	render_forgot(r, 200, NULL, false, NULL);
}

void page_forgot(request *r)
{
	struct outcome o;
	const char *email = req_str(r, "email");
	account_reset_request(r, email, &o);
	if (o.status != 202) {
		render_forgot(r, o.status, email, false, &o);
		return;
	}
	render_forgot(r, 200, email, true, NULL);
}

static void render_reset(request *r, int status, const char *token, bool done, struct outcome *o)
{
	json_t *ctx = page_form_ctx(r, N_("Choose a new password"));
	json_object_set_new(ctx, "token", json_string(token ? token : ""));
	json_object_set_new(ctx, "done", json_boolean(done));
	if (o)
		with_outcome(r, ctx, o);
	respond_page(r, status, "reset", ctx);
}

void page_reset_form(request *r)
{
	render_reset(r, 200, req_query(r, "token"), false, NULL);
}

void page_reset(request *r)
{
	struct outcome o;
	const char *token = req_str(r, "token");
	account_reset_confirm(r, token, req_str(r, "password"), &o);
	if (o.status != 200) {
		render_reset(r, o.status, token, false, &o);
		return;
	}
	/* The reset revoked every session, the current one included. */
	if (r->session_id)
		session_end(r);
	render_reset(r, 200, NULL, true, NULL);
}

/* ---- e-mail confirmation: the link shows a button, so that mail scanners
 * that open links do not confirm on the person's behalf. ---- */

static void render_verify(request *r, int status, const char *token, bool done, struct outcome *o)
{
	json_t *ctx = page_form_ctx(r, N_("Confirm your e-mail address"));
	json_object_set_new(ctx, "token", json_string(token ? token : ""));
	json_object_set_new(ctx, "done", json_boolean(done));
	if (o)
		with_outcome(r, ctx, o);
	respond_page(r, status, "verify", ctx);
}

void page_verify_form(request *r)
{
	render_verify(r, 200, req_query(r, "token"), false, NULL);
}

void page_verify(request *r)
{
	struct outcome o;
	const char *token = req_str(r, "token");
	account_verify_email(r, token, &o);
	if (o.status != 200) {
		render_verify(r, o.status, token, false, &o);
		return;
	}
	render_verify(r, 200, NULL, true, NULL);
}
