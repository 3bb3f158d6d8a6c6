/*
 * session.h — who is calling, and proving it was them (CSRF).
 *
 * A session is a 256-bit random id in the `khibra_session` cookie (HttpOnly,
 * SameSite=Lax, Secure over HTTPS); the database keeps only its hash, its own
 * CSRF token, and idle and absolute expiry.  Every login makes a new id and
 * revokes the one the browser held (no session fixation).  API clients may
 * instead send `Authorization: Bearer TOKEN` (tokens from POST /tokens).
 *
 * CSRF: an unsafe request (POST, PUT, PATCH, DELETE) must carry the token —
 * in the `X-CSRF-Token` header or the `csrf` form field — unless it was
 * authenticated by a Bearer token (no ambient authority), or it comes from a
 * visitor with no live session (a stale `khibra_session` cookie is no session)
 * and carries a JSON body or none (browsers cannot send JSON across sites
 * without CORS, which Khibra does not allow).  Visitors' forms
 * (login, registration) use a double-submit token in the `khibra_csrf` cookie.
 */
#ifndef KHIBRA_SESSION_H
#define KHIBRA_SESSION_H

#include "http/request.h"

#define SESSION_COOKIE "khibra_session"
#define CSRF_COOKIE "khibra_csrf"
#define LANG_COOKIE "khibra_lang"

enum auth_result {
	AUTH_OK = 0,      /* r->user set, or a visitor (no or no live session) */
	AUTH_REFUSED,     /* a Bearer token was sent and is not valid */
	AUTH_UNAVAILABLE, /* the database could not be asked: neither yes nor no */
};
/* session_authenticate: set r->user from the Bearer token or the session
 * cookie; refresh the session's last-seen time now and then.  A database
 * that cannot answer is AUTH_UNAVAILABLE, never a log-out: the caller
 * answers 503 and the person stays logged in. */
enum auth_result session_authenticate(request *r);
/* session_csrf_ok: true when this unsafe request proves it came from our own
 * page or client (rules above). */
bool session_csrf_ok(request *r);
/* session_csrf_token: the token to put in forms, creating a visitor token
 * (and its cookie) when there is none. */
const char *session_csrf_token(request *r);
/* session_start: log `user_id` in: revoke the browser's previous session, make
 * a new one, set the cookie, fill r->user and r->csrf_token. */
bool session_start(request *r, int64_t user_id);
/* session_end: revoke the current session and clear the cookie. */
void session_end(request *r);

struct auth_user *auth_user_load(db_conn *c, int64_t id);
void auth_user_free(struct auth_user *u);

#endif
