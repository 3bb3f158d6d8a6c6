/*
 * route.h — the route table: every endpoint and who may call it, as data.
 *
 * The table lives in http/routes.c.  The dispatcher (server.c) matches the
 * method and the path pattern ("/api/v1/orgs/{id}/members"), then checks, in
 * this order and before any handler runs:
 *   1. access — deny by default: a route with no access level is refused;
 *   2. CSRF — the table's CSRF column is route_needs_csrf() below: every
 *      unsafe method (POST, PUT, PATCH, DELETE) needs the token, unless its
 *      row carries ROUTE_NO_CSRF.  No row does today: the log-in and
 *      registration forms post a visitor token (double-submit cookie), so
 *      they need it too.  Whatever the route, a caller that authenticated
 *      with a Bearer token, or a visitor posting JSON with no live session
 *      (no ambient authority to abuse), passes (session_csrf_ok).
 * Between the two, the session cookie or Bearer token is read — except on
 * ROUTE_NO_SESSION routes, whose handler checks the caller itself (/metrics:
 * its Authorization header carries KHIBRA_METRICS_TOKEN, not an API token).
 */
#ifndef KHIBRA_ROUTE_H
#define KHIBRA_ROUTE_H

#include "http/request.h"

#include <string.h>

enum access {
	ACCESS_NONE = 0,      /* never matched: a forgotten access level denies */
	ACCESS_PUBLIC,        /* anyone, logged in or not */
	ACCESS_USER,          /* any logged-in person */
	ACCESS_MODERATOR,     /* moderators and admins */
	ACCESS_ADMIN,
};

enum route_flags {
	ROUTE_API = 1u << 0,      /* JSON endpoint under /api/v1 */
	ROUTE_PAGE = 1u << 1,     /* HTML page */
	ROUTE_NO_BODY = 1u << 2,  /* refuses any body */
	ROUTE_UPLOAD = 1u << 3,   /* accepts multipart with files up to LIMIT_UPLOAD_BYTES */
	ROUTE_PREFIX = 1u << 4,   /* pattern matches as a prefix (static assets) */
	ROUTE_NO_CSRF = 1u << 5,  /* an unsafe method that needs no CSRF token (see above) */
	ROUTE_NO_SESSION = 1u << 6, /* no session or API-token lookup: the handler checks the caller */
};

typedef void (*handler_fn)(request *r);

struct route {
	const char *method;
	const char *pattern;
	handler_fn handler;
	enum access access;
	unsigned flags;
	const char *summary;   /* one line, used by the OpenAPI test and the docs */
};

/* route_needs_csrf: the CSRF column — does a call of rt need the token? */
static inline bool route_needs_csrf(const struct route *rt)
{
	const char *m = rt->method;
	bool safe = strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 || strcmp(m, "OPTIONS") == 0;
	return !safe && !(rt->flags & ROUTE_NO_CSRF);
}

extern const struct route routes[];
extern const int routes_count;

/* route_match: find the route for method and path, filling r->params.
 * Sets *method_mismatch when the path exists with another method (405). */
const struct route *route_match(request *r, const char *method, const char *path, bool *method_mismatch);

/* route_allowed_methods: "GET, POST" — the methods some route accepts for path. */
void route_allowed_methods(const char *path, char *out, size_t outlen);

#endif
