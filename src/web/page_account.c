/*
 * page_account.c — "my account" (details, roles, language, e-mail
 * confirmation, API tokens) and the dashboard that points each role to its
 * next steps.
 */
#include "web/pages.h"
#include "web/page_account.h"
#include "auth/accounts.h"
#include "auth/secret.h"
#include "http/session.h"
#include "i18n/i18n.h"
#include "store/messages.h"
#include "store/notifications.h"
#include "store/orgs.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static json_t *role_list(request *r)
{
	static const struct { unsigned bit; const char *label; } labels[] = {
		{ ROLE_SPECIALIST, N_("Specialist") },
		{ ROLE_BENEFICIARY, N_("Person in need") },
		{ ROLE_ORGANISATION, N_("Organisation") },
		{ ROLE_MODERATOR, N_("Moderator") },
		{ ROLE_ADMIN, N_("Administrator") },
	};
	json_t *list = json_array();
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (r->user->roles & labels[i].bit)
			json_array_append_new(list, json_pack("{s:s, s:s}", "role", role_name(labels[i].bit),
							      "label", tr(r, labels[i].label)));
	return list;
}

/* locale_options: the language choices, each named in its own language. */
static json_t *locale_options(const char *current)
{
	json_t *list = json_array();
	for (int l = 0; l < LANG_COUNT; l++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "code", i18n_code((enum lang)l), "label",
						      i18n_native_name((enum lang)l), "selected",
						      current && strcmp(current, i18n_code((enum lang)l)) == 0));
	return list;
}

static void render_account(request *r, int status, const char *new_token, const char *notice)
{
	json_t *ctx = page_ctx(r, N_("My account"));
	json_object_set_new(ctx, "roles", role_list(r));
	json_object_set_new(ctx, "email_verified", json_boolean(r->user->email_verified));
	json_object_set_new(ctx, "welcome", json_boolean(req_query(r, "welcome") != NULL));
	if (new_token)
		json_object_set_new(ctx, "new_token", json_string(new_token));
	if (notice)
		json_object_set_new(ctx, "notice", json_string(tr(r, notice)));
	struct token_record *t = NULL;
	int n = 0;
	json_t *tokens = json_array();
	if (store_tokens_list(req_db(r), r->user->id, &t, &n) == DB_OK) {
		for (int i = 0; i < n; i++) {
			buf created = BUF_INIT;
			i18n_format_date(r->lang, (time_t)t[i].created_at, false, &created);
			json_array_append_new(tokens, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)t[i].id,
								"name", t[i].name, "created", created.data));
			buf_free(&created);
		}
		free(t);
	}
	json_object_set_new(ctx, "has_tokens", json_boolean(json_array_size(tokens) > 0));
	struct session_info *sessions = NULL;
	json_t *session_list = json_array();
	if (store_sessions_list(req_db(r), r->user->id, time(NULL), SESSION_IDLE_SECONDS, &sessions, &n) == DB_OK) {
		for (int i = 0; i < n; i++) {
			buf seen = BUF_INIT;
			i18n_format_date(r->lang, (time_t)sessions[i].last_seen_at, true, &seen);
			json_array_append_new(session_list,
					      json_pack("{s:I, s:s, s:s, s:s, s:b}", "id", (json_int_t)sessions[i].id,
							"seen", seen.data, "address", sessions[i].address,
							"agent", sessions[i].user_agent, "current",
							sessions[i].id == r->session_id));
			buf_free(&seen);
		}
		free(sessions);
	}
	json_object_set_new(ctx, "sessions", session_list);
	json_object_set_new(ctx, "tokens", tokens);
	json_object_set_new(ctx, "locales", locale_options(r->user->locale));
	respond_page(r, status, "account", ctx);
}

void page_account(request *r)
{
	render_account(r, 200, NULL, NULL);
}

void page_dashboard(request *r)
{
	json_t *ctx = page_ctx(r, N_("Dashboard"));
	json_object_set_new(ctx, "roles", role_list(r));
	json_object_set_new(ctx, "is_specialist", json_boolean(r->user->roles & ROLE_SPECIALIST));
	json_object_set_new(ctx, "is_beneficiary", json_boolean(r->user->roles & ROLE_BENEFICIARY));
	json_object_set_new(ctx, "is_organisation", json_boolean(r->user->roles & ROLE_ORGANISATION));
	json_object_set_new(ctx, "is_moderator", json_boolean(r->user->roles & (ROLE_MODERATOR | ROLE_ADMIN)));
	json_object_set_new(ctx, "email_verified", json_boolean(r->user->email_verified));
	struct org_membership *m = NULL;
	int n = 0;
	json_t *orgs = json_array();
	if (store_user_orgs(req_db(r), r->user->id, &m, &n) == DB_OK) {
		for (int i = 0; i < n; i++)
			json_array_append_new(orgs, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)m[i].id, "name", m[i].name,
							      "role_label", tr(r, strcmp(m[i].role, "owner") == 0
										  ? N_("Owner") : N_("Coordinator"))));
		org_memberships_free(m, n);
	}
	json_object_set_new(ctx, "has_orgs", json_boolean(n > 0));
	json_object_set_new(ctx, "orgs", orgs);
	int64_t unread = 0;
	store_notifications_unread(req_db(r), r->user->id, &unread);
	json_object_set_new(ctx, "unread", json_integer(unread));
	int64_t unread_messages = 0;
	store_messages_unread_total(req_db(r), r->user->id, r->user->roles & ROLE_MODERATOR, &unread_messages);
	json_object_set_new(ctx, "unread_messages", json_integer(unread_messages));
	struct org_invitation *invitations = NULL;
	int ninvitations = 0;
	if (r->user->email_verified &&
	    store_org_invitations_open(req_db(r), 0, r->user->email, time(NULL), &invitations, &ninvitations) == DB_OK)
		org_invitations_free(invitations, ninvitations);
	json_object_set_new(ctx, "invitations", json_integer(ninvitations));
	respond_page(r, 200, "dashboard", ctx);
}

void page_token_create(request *r)
{
	const char *name = req_str(r, "name");
	if (!name || !*name || strlen(name) > LIMIT_TOKEN_NAME_BYTES) {
		render_account(r, 422, NULL, N_("Give the token a name of 1 to 80 characters."));
		return;
	}
	char token[SECRET_TOKEN_SIZE], hash[SECRET_HASH_SIZE];
	secret_token(token);
	secret_hash(token, hash);
	if (store_token_create(req_db(r), r->user->id, name, hash, time(NULL), NULL) != DB_OK) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	store_audit(req_db(r), r->user->id, "token.create", name, "", r->client_addr, time(NULL));
	/* Shown once, now: only its hash is kept. */
	render_account(r, 201, token, N_("Copy this token now: it will not be shown again."));
}

void page_token_revoke(request *r)
{
	int64_t id;
	if (!req_param_id(r, 0, &id) || store_token_revoke(req_db(r), r->user->id, id, time(NULL)) != DB_OK) {
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	respond_redirect(r, "/account");
}

void page_session_revoke(request *r)
{
	int64_t id;
	if (!req_param_id(r, 0, &id) || store_session_revoke_own(req_db(r), r->user->id, id, time(NULL)) != DB_OK) {
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	store_audit(req_db(r), r->user->id, "session.revoke", "", "", r->client_addr, time(NULL));
	if (id == r->session_id) {
		session_end(r);
		respond_redirect(r, "/login");
		return;
	}
	respond_redirect(r, "/account");
}

void page_resend_verification(request *r)
{
	if (!r->user->email_verified)
		account_mail_enqueue(req_db(r), r->user->id, "verify", time(NULL));
	render_account(r, 200, NULL, N_("We sent you a new confirmation link."));
}

void page_account_language(request *r)
{
	struct outcome o;
	account_set_locale(r, req_str(r, "locale"), &o);
	if (o.status != 200) {
		render_account(r, o.status, NULL, o.status == 422 ? N_("The language must be ar or en.") : o.message);
		outcome_clear(&o);
		return;
	}
	/* The saved setting speaks at once, and an older language cookie (which
	 * would win over it) follows it. */
	i18n_parse(r->user->locale, &r->lang);
	respond_cookie(r, LANG_COOKIE, r->user->locale, 365L * 24 * 3600, false);
	render_account(r, 200, NULL, N_("Your language has been saved."));
}
