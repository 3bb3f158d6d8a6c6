/*
 * session.c — sessions, Bearer tokens and CSRF; the rules are in session.h.
 */
#include "http/session.h"
#include "http/app.h"
#include "auth/secret.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct auth_user *auth_user_load(db_conn *c, int64_t id)
{
	struct user_record u;
	if (!c || store_user_by_id(c, id, &u) != DB_OK)
		return NULL;
	struct auth_user *a = xcalloc(1, sizeof *a);
	a->id = u.id;
	a->email = u.email;
	a->name = u.name;
	a->locale = u.locale;
	a->roles = u.roles;
	a->email_verified = u.email_verified_at != 0;
	free(u.password_hash);
	return a;
}

void auth_user_free(struct auth_user *u)
{
	if (!u)
		return;
	free(u->email);
	free(u->name);
	free(u->locale);
	free(u);
}

static enum auth_result authenticate_bearer(request *r, const char *header)
{
	if (strncasecmp(header, "Bearer ", 7) != 0)
		return AUTH_REFUSED;
	const char *token = header + 7;
	while (*token == ' ')
		token++;
	if (!secret_looks_like_token(token))
		return AUTH_REFUSED;
	char hash[SECRET_HASH_SIZE];
	secret_hash(token, hash);
	int64_t user_id = 0;
	db_conn *c = req_db(r);
	if (!c)
		return AUTH_UNAVAILABLE;
	int st = store_token_find(c, hash, time(NULL), &user_id);
	if (st != DB_OK)
		return st == STORE_NOT_FOUND ? AUTH_REFUSED : AUTH_UNAVAILABLE;
	r->user = auth_user_load(c, user_id);
	r->via_bearer = r->user != NULL;
	return r->via_bearer ? AUTH_OK : AUTH_REFUSED;
}

enum auth_result session_authenticate(request *r)
{
	const char *authz = req_header(r, "Authorization");
	if (authz && *authz)
		return authenticate_bearer(r, authz);

	const char *cookie = req_cookie(r, SESSION_COOKIE);
	if (!cookie || !secret_looks_like_token(cookie))
		return AUTH_OK;
	char hash[SECRET_HASH_SIZE];
	secret_hash(cookie, hash);
	db_conn *c = req_db(r);
	if (!c)
		return AUTH_UNAVAILABLE;
	struct session_record s;
	int64_t now = time(NULL);
	int st = store_session_find(c, hash, now, SESSION_IDLE_SECONDS, &s);
	if (st != DB_OK)
		return st == STORE_NOT_FOUND ? AUTH_OK : AUTH_UNAVAILABLE; /* no live session: a visitor */
	r->user = auth_user_load(c, s.user_id);
	if (!r->user)
		return AUTH_OK;
	r->session_id = s.id;
	snprintf(r->csrf_token, sizeof r->csrf_token, "%s", s.csrf_token);
	/* Refresh the idle clock only now and then: a write per request would
	 * cost more than it is worth. */
	if (now - s.last_seen_at > SESSION_TOUCH_SECONDS)
		store_session_touch(c, s.id, now);
	return AUTH_OK;
}

/* presented_csrf: the token the request carries (header first, then form). */
static const char *presented_csrf(request *r)
{
	const char *h = req_header(r, "X-CSRF-Token");
	if (h && *h)
		return h;
	if (r->body_kind == BODY_FORM || r->body_kind == BODY_MULTIPART)
		return req_str(r, "csrf");
	return NULL;
}

bool session_csrf_ok(request *r)
{
	if (r->via_bearer)
		return true;
	const char *given = presented_csrf(r);
	if (r->session_id)
		return given && secret_equal(given, r->csrf_token);
	if ((r->body_kind == BODY_JSON || r->body_kind == BODY_NONE) && !given) {
		/* A visitor's JSON call carries no ambient authority to abuse: a
		 * session cookie that matches no live session (expired, revoked,
		 * from another server's database) is no session, so it does not
		 * make a program's log-in or registration a CSRF refusal. */
		return true;
	}
	const char *cookie = req_cookie(r, CSRF_COOKIE);
	return given && cookie && secret_equal(given, cookie);
}

const char *session_csrf_token(request *r)
{
	if (r->csrf_token[0])
		return r->csrf_token;
	const char *cookie = req_cookie(r, CSRF_COOKIE);
	if (cookie && secret_looks_like_token(cookie)) {
		snprintf(r->csrf_token, sizeof r->csrf_token, "%s", cookie);
		return r->csrf_token;
	}
	secret_token(r->csrf_token);
	respond_cookie(r, CSRF_COOKIE, r->csrf_token, 0, true);
	return r->csrf_token;
}

bool session_start(request *r, int64_t user_id)
{
	db_conn *c = req_db(r);
	if (!c)
		return false;
	int64_t now = time(NULL);
	/* Rotation: whatever session this browser held ends here. */
	const char *old = req_cookie(r, SESSION_COOKIE);
	if (old && secret_looks_like_token(old)) {
		char old_hash[SECRET_HASH_SIZE];
		struct session_record s;
		secret_hash(old, old_hash);
		if (store_session_find(c, old_hash, now, SESSION_IDLE_SECONDS, &s) == DB_OK)
			store_session_revoke(c, s.id, now);
	}
	char token[SECRET_TOKEN_SIZE], hash[SECRET_HASH_SIZE], csrf[SECRET_TOKEN_SIZE];
	secret_token(token);
	secret_hash(token, hash);
	secret_token(csrf);
	const char *agent = req_header(r, "User-Agent");
	char agent_short[200];
	snprintf(agent_short, sizeof agent_short, "%s", agent ? agent : "");
	int64_t id = 0;
	if (store_session_create(c, user_id, hash, csrf, now, now + SESSION_ABSOLUTE_SECONDS, r->client_addr,
				 agent_short, &id) != DB_OK)
		return false;
	auth_user_free(r->user);
	r->user = auth_user_load(c, user_id);
	r->session_id = id;
	snprintf(r->csrf_token, sizeof r->csrf_token, "%s", csrf);
	respond_cookie(r, SESSION_COOKIE, token, SESSION_ABSOLUTE_SECONDS, true);
	return r->user != NULL;
}

void session_end(request *r)
{
	if (r->session_id) {
		db_conn *c = req_db(r);
		if (c)
			store_session_revoke(c, r->session_id, time(NULL));
	}
	r->session_id = 0;
	r->csrf_token[0] = '\0';
	respond_cookie(r, SESSION_COOKIE, "", -1, true);
}
