/*
 * api_auth.c — accounts, sessions and tokens over JSON.  The work is done by
 * auth/accounts.c, shared with the HTML pages.
 */
#include "api/api.h"
#include "api/api_accounts.h"
#include "auth/accounts.h"
#include "auth/secret.h"
#include "core/timefmt.h"
#include "http/session.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

json_t *api_user_json(const struct auth_user *u)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:b}", "id", (json_int_t)u->id, "email", u->email, "name", u->name,
			 "locale", u->locale, "email_verified", u->email_verified);
}

void api_register(request *r)
{
	struct register_input in = {
		.email = req_str(r, "email"),
		.password = req_str(r, "password"),
		.name = req_str(r, "name"),
		.role = req_str(r, "role"),
		.locale = req_str(r, "locale"),
	};
	struct outcome o;
	int64_t id = 0;
	account_register(r, &in, &id, &o);
	if (o.status != 201) {
		respond_outcome(r, &o);
		return;
	}
	struct auth_user *u = auth_user_load(req_db(r), id);
	if (!u) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	respond_json(r, 201, json_pack("{s:o}", "user", api_user_json(u)));
	auth_user_free(u);
}

void api_login(request *r)
{
	struct outcome o;
	account_login(r, req_str(r, "email"), req_str(r, "password"), &o);
	if (o.status != 200) {
		respond_outcome(r, &o);
		return;
	}
	respond_json(r, 200, json_pack("{s:o, s:s}", "user", api_user_json(r->user), "csrf_token", r->csrf_token));
}

void api_logout(request *r)
{
	if (!r->session_id) {
		respond_error(r, 400, "no_session", N_("This call ends a browser session; revoke tokens with DELETE /tokens/{id}."), NULL);
		return;
	}
	session_end(r);
	respond_no_content(r);
}

void api_verify_email(request *r)
{
	struct outcome o;
	account_verify_email(r, req_str(r, "token"), &o);
	if (o.status != 200) {
		respond_outcome(r, &o);
		return;
	}
	respond_json(r, 200, json_pack("{s:b}", "email_verified", 1));
}

void api_password_reset(request *r)
{
	struct outcome o;
	account_reset_request(r, req_str(r, "email"), &o);
	if (o.status != 202) {
		respond_outcome(r, &o);
		return;
	}
	respond_json(r, 202, json_pack("{s:s}", "message",
				       tr(r, N_("If an account uses this address, a reset link is on its way."))));
}

void api_password_reset_confirm(request *r)
{
	struct outcome o;
	account_reset_confirm(r, req_str(r, "token"), req_str(r, "password"), &o);
	if (o.status != 200) {
		respond_outcome(r, &o);
		return;
	}
	respond_json(r, 200, json_pack("{s:s}", "message", tr(r, N_("Your password has been changed."))));
}

/* api_me: 200 {user, roles, orgs} for the caller (API.md's GET /me). */
void api_me(request *r)
{
	json_t *roles = json_array();
	for (unsigned bit = 1; bit <= ROLE_ADMIN; bit <<= 1)
		if (r->user->roles & bit)
			json_array_append_new(roles, json_string(role_name(bit)));
	json_t *orgs = json_array();
	struct org_membership *m = NULL;
	int n = 0;
	if (store_user_orgs(req_db(r), r->user->id, &m, &n) == DB_OK) {
		for (int i = 0; i < n; i++)
			json_array_append_new(orgs, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)m[i].id,
							      "name", m[i].name, "role", m[i].role));
		org_memberships_free(m, n);
	}
	respond_json(r, 200, json_pack("{s:o, s:o, s:o}", "user", api_user_json(r->user), "roles", roles,
				       "orgs", orgs));
}

void api_me_update(request *r)
{
	struct outcome o;
	account_set_locale(r, req_str(r, "locale"), &o);
	if (o.status != 200) {
		respond_outcome(r, &o);
		return;
	}
	api_me(r);
}

/* next_cursor: the cursor of the page after this one, or JSON null. */
static json_t *next_cursor(bool more, int64_t value)
{
	char s[24];
	snprintf(s, sizeof s, "%lld", (long long)value);
	return more ? json_string(s) : json_null();
}

void api_tokens_list(request *r)
{
	int64_t after;
	if (!req_cursor(r, INT64_MAX, &after))
		return;
	int limit = req_limit(r), n = 0;
	struct token_record *t = NULL;
	if (store_tokens_page(req_db(r), r->user->id, after, limit + 1, &t, &n) != DB_OK) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n && i < limit; i++)
		json_array_append_new(items, json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)t[i].id, "name", t[i].name,
						       "created_at", time_json(t[i].created_at), "last_used_at",
						       time_json(t[i].last_used_at)));
	json_t *next = next_cursor(n > limit, n > limit ? t[limit - 1].id : 0);
	free(t);
	respond_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}

void api_token_create(request *r)
{
	const char *name = req_str(r, "name");
	if (!name || !*name || strlen(name) > LIMIT_TOKEN_NAME_BYTES) {
		respond_error(r, 422, "invalid", N_("Some fields need your attention."),
			      json_pack("{s:s}", "name", tr(r, N_("Give the token a name of 1 to 80 characters."))));
		return;
	}
	char token[SECRET_TOKEN_SIZE], hash[SECRET_HASH_SIZE];
	secret_token(token);
	secret_hash(token, hash);
	int64_t id = 0;
	if (store_token_create(req_db(r), r->user->id, name, hash, time(NULL), &id) != DB_OK) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	store_audit(req_db(r), r->user->id, "token.create", name, "", r->client_addr, time(NULL));
	respond_json(r, 201, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "name", name, "token", token));
}

void api_token_revoke(request *r)
{
	int64_t id;
	if (!req_param_id(r, 0, &id) || store_token_revoke(req_db(r), r->user->id, id, time(NULL)) != DB_OK) {
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	respond_no_content(r);
}

/* Sessions are listed most recently used first, an order that changes as
 * they are used: the cursor is an offset, at most this far. */
#define SESSIONS_MAX_OFFSET 100000

void api_sessions_list(request *r)
{
	int64_t offset;
	if (!req_cursor(r, SESSIONS_MAX_OFFSET, &offset))
		return;
	int limit = req_limit(r), n = 0;
	struct session_info *s = NULL;
	if (store_sessions_page(req_db(r), r->user->id, time(NULL), SESSION_IDLE_SECONDS, offset, limit + 1, &s, &n) !=
	    DB_OK) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n && i < limit; i++)
		json_array_append_new(items, json_pack("{s:I, s:o, s:o, s:s, s:s, s:b}", "id", (json_int_t)s[i].id,
						       "created_at", time_json(s[i].created_at),
						       "last_seen_at", time_json(s[i].last_seen_at),
						       "address", s[i].address, "user_agent", s[i].user_agent,
						       "current", s[i].id == r->session_id));
	free(s);
	respond_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next_cursor(n > limit, offset + limit)));
}

void api_session_revoke(request *r)
{
	int64_t id;
	if (!req_param_id(r, 0, &id) || store_session_revoke_own(req_db(r), r->user->id, id, time(NULL)) != DB_OK) {
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	store_audit(req_db(r), r->user->id, "session.revoke", "", "", r->client_addr, time(NULL));
	if (id == r->session_id)
		session_end(r);
	respond_no_content(r);
}
