/*
 * route.h — the route table: every endpoint and who may call it, as data.
 *
 * The table lives in http/routes.c.  The dispatcher (server.c) matches the
 * method and the path pattern ("/api/v1/orgs/{id}/members"), then checks, in
 * this order and before any handler runs:
 *   1. access — deny by default: a route with no access level is refused;
 *   2. CSRF — every unsafe method (POST, PUT, PATCH, DELETE) needs the token
 *      unless the caller authenticated with a Bearer token, or is a visitor
 *      posting JSON with no cookie at all (no ambient authority to abuse).
 */
#ifndef KHIBRA_ROUTE_H
#define KHIBRA_ROUTE_H

#include "http/request.h"

enum access {
	ACCESS_NONE = 0,      /* never matched: a forgotten access level denies */
	ACCESS_PUBLIC,        /* anyone, logged in or not */
	ACCESS_VISITOR,       /* pages for people not logged in (login, register) */
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

extern const struct route routes[];
extern const int routes_count;

/* route_match: find the route for method and path, filling r->params.
 * Sets *method_mismatch when the path exists with another method (405). */
const struct route *route_match(request *r, const char *method, const char *path, bool *method_mismatch);

/* route_allowed_methods: "GET, POST" — the methods some route accepts for path. */
void route_allowed_methods(const char *path, char *out, size_t outlen);

#endif
