/*
 * request.h — one HTTP request as a handler sees it, and the ways to answer.
 *
 * A handler reads top to bottom: parse and validate (req_* getters) →
 * authorise (the route table has already checked the route's access level and
 * CSRF; the handler checks ownership) → one store call or transaction →
 * answer with exactly one respond_* call.
 *
 * Ownership: everything hanging off a request is freed by the server after
 * the response is queued.  Strings returned by req_* getters live as long as
 * the request.  respond_* functions that take a json_t steal the reference.
 */
#ifndef KHIBRA_REQUEST_H
#define KHIBRA_REQUEST_H

#include "core/buf.h"
#include "core/limits.h"
#include "i18n/i18n.h"
#include "store/db.h"
#include "store/store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct MHD_Connection;
struct MHD_PostProcessor;
struct app;
struct route;

enum body_kind { BODY_NONE, BODY_JSON, BODY_FORM, BODY_MULTIPART, BODY_OTHER };


/* The logged-in person, loaded from the session or the Bearer token. */
struct auth_user {
	int64_t id;
	char *email;
	char *name;
	char *locale;      /* "ar" or "en" */
	unsigned roles;    /* enum role bits */
	bool email_verified;
};

struct form_field {
	char *name;
	char *value;        /* NUL-terminated; for uploads the file's bytes */
	size_t len;
	char *filename;     /* uploads only, else NULL */
	char *content_type; /* uploads only, as the client claimed it */
	bool too_large;
};

struct header { char *name; char *value; };

typedef struct request {
	struct app *app;
	struct MHD_Connection *conn;
	const char *method;         /* "GET", "POST", … */
	const char *path;           /* URL path, without the query */
	const struct route *route;
	char *params[LIMIT_ROUTE_PARAMS]; /* {name} values from the path, in order */
	int nparams;
	bool api;                   /* under /api/v1: answers in JSON */
	enum lang lang;
	char client_addr[64];

	/* body */
	enum body_kind body_kind;
	buf body;
	bool body_too_large;
	size_t discarded;           /* bytes of a too-large body read and dropped */
	size_t received;            /* body bytes fed to the form post-processor */
	bool headers_too_large;     /* header lines over LIMIT_HEADER_BYTES: 431 */
	json_t *json;               /* BODY_JSON, parsed; NULL if malformed */
	struct MHD_PostProcessor *post;
	struct form_field *fields;
	int nfields;
	bool form_error;            /* too many or too large fields */

	/* who is calling */
	struct auth_user *user;     /* NULL for visitors */
	int64_t session_id;         /* 0 when not from a session cookie */
	bool via_bearer;            /* authenticated with Authorization: Bearer */
	char csrf_token[48];        /* the session's CSRF token, or the visitor's */
	bool set_visitor_csrf;      /* a new visitor CSRF cookie must be sent */

	db_conn *dbc;               /* lazily acquired by req_db() */

	/* response */
	int status;
	buf out;
	const char *content_type;
	struct header headers[12];
	int nheaders;
	bool responded;
	size_t out_bytes;           /* body bytes sent (after compression) */
	uint64_t start_us;
} request;

/* ---- reading the request ---- */
db_conn *req_db(request *r);                         /* borrow the request's connection */
const char *req_header(request *r, const char *name);  /* NULL if absent */
const char *req_query(request *r, const char *name);   /* query-string argument or NULL */
const char *req_cookie(request *r, const char *name);
/* req_accepts_gzip: Accept-Encoding names gzip (and not with q=0). */
bool req_accepts_gzip(request *r);
/* req_peer_is_loopback: the socket peer (never X-Forwarded-For) is 127.0.0.0/8 or ::1. */
bool req_peer_is_loopback(request *r);
/* req_param_id: the path parameter number `idx` as a positive integer; false if not one. */
bool req_param_id(request *r, int idx, int64_t *out);
/* req_str: a string field of the JSON body or the form, NULL if absent or not a string. */
const char *req_str(request *r, const char *name);
/* req_bool: JSON true/false, or form "1"/"on"/"true"; *present says whether it was given. */
bool req_bool(request *r, const char *name, bool *present);
const struct form_field *req_upload(request *r, const char *name);
/* req_limit: ?limit= clamped to 1..PAGE_MAX_LIMIT, PAGE_DEFAULT_LIMIT by default. */
int req_limit(request *r);
/* req_limit_given_ok: ?limit= is absent or a whole number of at least 1 (the
 * dispatcher answers 400 bad_limit on the API otherwise; above
 * PAGE_MAX_LIMIT, a list gives PAGE_MAX_LIMIT). */
bool req_limit_given_ok(request *r);
/* req_query_id: ?name= as a positive id: 0 when absent or empty, -1 when it
 * is not one. */
int64_t req_query_id(request *r, const char *name);
/* req_cursor: ?cursor= as a positive number no greater than `max` (0 when
 * absent) — the list's next_cursor; false after answering 400 "bad_cursor"
 * when it is not one. */
bool req_cursor(request *r, int64_t max, int64_t *cursor);
/* tr: translate a message id into the request's language (gettext). */
const char *tr(request *r, const char *msgid);

/* ---- answering ---- */
void respond_header(request *r, const char *name, const char *value);
void respond_json(request *r, int status, json_t *body);
void respond_no_content(request *r);
/* respond_error: JSON {"error": {code, message, fields}} for the API, an error
 * page for HTML.  `message` is a gettext msgid, translated here. `fields`
 * (stolen, may be NULL) maps field names to already-translated reasons. */
void respond_error(request *r, int status, const char *code, const char *message, json_t *fields);
/* respond_page: render templates/NAME.html inside the layout with `ctx` (stolen). */
void respond_page(request *r, int status, const char *name, json_t *ctx);
void respond_redirect(request *r, const char *location);  /* 303 See Other */
void respond_bytes(request *r, int status, const char *content_type, const void *data, size_t len);

/* ---- cookies ---- */
/* respond_cookie: Set-Cookie with HttpOnly, SameSite=Lax, Path=/, Secure when
 * the app is configured for HTTPS; max_age < 0 deletes the cookie. */
void respond_cookie(request *r, const char *name, const char *value, long max_age, bool http_only);

#endif
