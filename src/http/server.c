/*
 * server.c — libmicrohttpd glue: read the request within limits, dispatch it
 * through the route table, send the answer with security headers, log it.
 *
 * libmicrohttpd calls the access handler several times per request:
 *   1st call: headers only — we create the request, measure the header
 *             lines against LIMIT_HEADER_BYTES (431, see limits.h for
 *             MHD's own ceiling) and decide how to read the body;
 *   next calls: body chunks (*upload_data_size > 0) — buffered or fed to the
 *             form post-processor, within the limits;
 *   last call: no more data — dispatch and queue the answer.
 * The answer is never queued on the first call: libmicrohttpd 0.9.75 then
 * closes keep-alive connections.
 */
#include "http/server.h"
#include "http/metrics.h"
#include "http/route.h"
#include "http/session.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define GZIP_MIN_BYTES 1024

static const char security_csp[] =
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

static atomic_int requests_in_flight;

unsigned long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000ull + (unsigned long long)ts.tv_nsec / 1000ull;
}

/* ---- request life cycle ---- */

static void client_address(request *r)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(r->client_addr, sizeof r->client_addr, "unknown");
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, r->client_addr,
				  sizeof r->client_addr);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, r->client_addr,
				  sizeof r->client_addr);
	}
	if (!r->app->cfg.trust_proxy)
		return;
	/* Behind our own load balancer: the last hop it appended is the client. */
	const char *xff = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Forwarded-For");
	if (!xff || !*xff)
		return;
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ')
		last++;
	size_t n = strcspn(last, " ");
	char candidate[64];
	unsigned char parsed[sizeof(struct in6_addr)];
	if (n == 0 || n >= sizeof candidate)
		return;
	snprintf(candidate, sizeof candidate, "%.*s", (int)n, last);
	/* Only a real address is taken: it goes into logs and rate-limit keys. */
	if (inet_pton(AF_INET, candidate, parsed) == 1 || inet_pton(AF_INET6, candidate, parsed) == 1)
		snprintf(r->client_addr, sizeof r->client_addr, "%s", candidate);
}

static enum MHD_Result on_post_field(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
				     const char *content_type, const char *transfer_encoding, const char *data,
				     uint64_t off, size_t size)
{
	(void)kind;
	(void)transfer_encoding;
	request *r = cls;
	struct form_field *f = NULL;
	/* A part whose name is not quoted (name=bio) reaches us with no key:
	 * refuse the form rather than guess (found by tests/fuzz/multipart). */
	if (!key) {
		r->form_error = true;
		return MHD_YES;
	}
	/* Chunks of one field arrive in order; a new field starts at offset 0. */
	if (off > 0 && r->nfields > 0 && strcmp(r->fields[r->nfields - 1].name, key) == 0)
		f = &r->fields[r->nfields - 1];
	if (!f) {
		if (r->nfields >= LIMIT_FORM_FIELDS) {
			r->form_error = true;
			return MHD_YES;
		}
		r->fields = xreallocarray(r->fields, (size_t)r->nfields + 1, sizeof *r->fields);
		f = &r->fields[r->nfields++];
		memset(f, 0, sizeof *f);
		f->name = xstrdup(key);
		f->value = xstrdup("");
		if (filename) {
			f->filename = xstrdup(filename);
			f->content_type = xstrdup(content_type ? content_type : "application/octet-stream");
		}
	}
	size_t limit = f->filename ? LIMIT_UPLOAD_BYTES : LIMIT_FIELD_BYTES;
	if (f->too_large || f->len + size > limit) {
		f->too_large = true;
		if (f->filename)
			r->body_too_large = true;
		else
			r->form_error = true;
		return MHD_YES;
	}
	if (size) {
		f->value = xrealloc(f->value, f->len + size + 1);
		memcpy(f->value + f->len, data, size);
		f->len += size;
		f->value[f->len] = '\0';
	}
	return MHD_YES;
}

/* count_header: add one header line's size ("Name: value\r\n") to *cls. */
static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	*(size_t *)cls += strlen(key) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

static request *request_new(struct app *app, struct MHD_Connection *conn, const char *url, const char *method)
{
	request *r = xcalloc(1, sizeof *r);
	r->app = app;
	r->conn = conn;
	r->method = method;
	r->path = url;
	r->start_us = now_us();
	r->status = 500;
	buf_init(&r->body);
	buf_init(&r->out);
	r->api = strncmp(url, "/api/v1/", 8) == 0 || strcmp(url, "/api/v1") == 0;
	client_address(r);
	size_t header_bytes = 0;
	MHD_get_connection_values(conn, MHD_HEADER_KIND, count_header, &header_bytes);
	r->headers_too_large = header_bytes > LIMIT_HEADER_BYTES;

	const char *type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	const char *length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	const char *chunked = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
	bool has_body = (length && strtoull(length, NULL, 10) > 0) || chunked;
	if (!has_body) {
		r->body_kind = BODY_NONE;
	} else if (type && strncasecmp(type, "application/json", 16) == 0) {
		r->body_kind = BODY_JSON;
	} else if (type && strncasecmp(type, MHD_HTTP_POST_ENCODING_FORM_URLENCODED,
				       strlen(MHD_HTTP_POST_ENCODING_FORM_URLENCODED)) == 0) {
		r->body_kind = BODY_FORM;
	} else if (type && strncasecmp(type, MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA,
				       strlen(MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA)) == 0) {
		r->body_kind = BODY_MULTIPART;
	} else {
		r->body_kind = BODY_OTHER;
	}
	size_t limit = r->body_kind == BODY_MULTIPART ? LIMIT_MULTIPART_BYTES : LIMIT_BODY_BYTES;
	if (length && strtoull(length, NULL, 10) > limit)
		r->body_too_large = true;
	if (!r->body_too_large && !r->headers_too_large && (r->body_kind == BODY_FORM || r->body_kind == BODY_MULTIPART))
		r->post = MHD_create_post_processor(conn, 16 * 1024, on_post_field, r);
	return r;
}

static void request_free(request *r)
{
	if (r->post)
		MHD_destroy_post_processor(r->post);
	if (r->dbc)
		db_release(r->dbc);
	for (int i = 0; i < r->nparams; i++)
		free(r->params[i]);
	for (int i = 0; i < r->nfields; i++) {
		free(r->fields[i].name);
		free(r->fields[i].value);
		free(r->fields[i].filename);
		free(r->fields[i].content_type);
	}
	free(r->fields);
	for (int i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	json_decref(r->json);
	auth_user_free(r->user);
	buf_free(&r->body);
	buf_free(&r->out);
	free(r);
}

/* body_chunk: take one chunk of the body, within the limits. */
static void body_chunk(request *r, const char *data, size_t size)
{
	if (r->body_too_large || r->headers_too_large) {
		r->discarded += size;
		return;
	}
	if (r->post) {
		/* The post-processor keeps the fields; r->received counts the bytes. */
		size_t total = r->received + size;
		size_t limit = r->body_kind == BODY_MULTIPART ? LIMIT_MULTIPART_BYTES : LIMIT_BODY_BYTES;
		if (total > limit) {
			r->body_too_large = true;
			return;
		}
		r->received = total;
		if (MHD_post_process(r->post, data, size) != MHD_YES)
			r->form_error = true;
		return;
	}
	if (r->body.len + size > LIMIT_BODY_BYTES) {
		r->body_too_large = true;
		buf_free(&r->body);
		return;
	}
	buf_append(&r->body, data, size);
}

/* ---- dispatch ---- */

static bool method_is_unsafe(const char *m)
{
	return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

static void choose_language(request *r)
{
	const char *query = req_query(r, "lang");
	enum lang chosen;
	if (query && i18n_parse(query, &chosen)) {
		r->lang = chosen;
		const char *cookie = req_cookie(r, LANG_COOKIE);
		if (!r->api && (!cookie || strcmp(cookie, i18n_code(chosen)) != 0))
			respond_cookie(r, LANG_COOKIE, i18n_code(chosen), 365L * 24 * 3600, false);
		return;
	}
	if (r->api) {
		/* Programs say what they want with Accept-Language (API.md); the
		 * person's own setting answers when they do not. */
		const char *accept = req_header(r, "Accept-Language");
		if (!accept || !i18n_accept_language(accept, &r->lang))
			r->lang = i18n_negotiate(NULL, NULL, r->user ? r->user->locale : NULL, NULL);
		return;
	}
	r->lang = i18n_negotiate(NULL, req_cookie(r, LANG_COOKIE), r->user ? r->user->locale : NULL,
				 req_header(r, "Accept-Language"));
}

static void dispatch(request *r)
{
	bool method_mismatch = false;
	/* Language first (from what does not need the database), so that even
	 * the earliest errors speak the caller's language. */
	r->lang = i18n_negotiate(req_query(r, "lang"), r->api ? NULL : req_cookie(r, LANG_COOKIE), NULL,
				 req_header(r, "Accept-Language"));

	if (r->headers_too_large) {
		respond_error(r, 431, "too_large", N_("The request headers are too large."), NULL);
		return;
	}
	if (r->body_too_large) {
		respond_error(r, 413, "too_large", N_("The request is too large."), NULL);
		return;
	}
	const struct route *rt = route_match(r, r->method, r->path, &method_mismatch);
	if (!rt) {
		if (method_mismatch) {
			char allow[64];
			route_allowed_methods(r->path, allow, sizeof allow);
			respond_header(r, "Allow", allow);
			respond_error(r, 405, "method_not_allowed", N_("This method is not allowed here."), NULL);
			return;
		}
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	r->route = rt;
	if (r->body_kind != BODY_NONE && (rt->flags & ROUTE_NO_BODY)) {
		respond_error(r, 415, "unsupported_media_type", N_("This address takes no request body."), NULL);
		return;
	}
	if (r->body_kind == BODY_OTHER) {
		respond_error(r, 415, "unsupported_media_type",
			      N_("Send JSON (application/json) or a form."), NULL);
		return;
	}
	if (r->body_kind == BODY_MULTIPART && !(rt->flags & ROUTE_UPLOAD)) {
		respond_error(r, 415, "unsupported_media_type", N_("This address takes no file uploads."), NULL);
		return;
	}
	if (r->form_error) {
		respond_error(r, 400, "malformed", N_("The form could not be read."), NULL);
		return;
	}
	if (r->body_kind == BODY_JSON) {
		json_error_t jerr;
		r->json = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &jerr);
		if (!json_is_object(r->json)) {
			respond_error(r, 400, "malformed", N_("The JSON body could not be read."), NULL);
			return;
		}
	}

	enum auth_result auth = rt->flags & ROUTE_NO_SESSION ? AUTH_OK : session_authenticate(r);
	if (auth == AUTH_REFUSED) {
		respond_error(r, 401, "unauthenticated", N_("The access token is not valid."), NULL);
		return;
	}
	if (auth == AUTH_UNAVAILABLE) {
		respond_error(r, 503, "unavailable", N_("The service is busy. Please try again in a moment."), NULL);
		return;
	}
	choose_language(r);

	switch (rt->access) {
	case ACCESS_PUBLIC:
		break;
	case ACCESS_USER:
		if (!r->user)
			goto need_login;
		break;
	case ACCESS_MODERATOR:
		if (!r->user)
			goto need_login;
		if (!(r->user->roles & (ROLE_MODERATOR | ROLE_ADMIN)))
			goto forbidden;
		break;
	case ACCESS_ADMIN:
		if (!r->user)
			goto need_login;
		if (!(r->user->roles & ROLE_ADMIN))
			goto forbidden;
		break;
	case ACCESS_NONE:
	default:
		goto forbidden;
	}
	if (route_needs_csrf(rt) && !session_csrf_ok(r)) {
		respond_error(r, 403, "csrf",
			      N_("This form has expired or did not come from Khibra. Please reload the page and try again."),
			      NULL);
		return;
	}
	if ((rt->flags & ROUTE_API) && !req_limit_given_ok(r)) {
		respond_error(r, 400, "bad_limit", N_("The limit must be a whole number from 1 (at most 100 are listed)."),
			      NULL);
		return;
	}
	rt->handler(r);
	return;

need_login:
	if (r->api || method_is_unsafe(r->method)) {
		respond_error(r, 401, "unauthenticated", N_("Please log in first."), NULL);
	} else {
		buf loc = BUF_INIT;
		buf_puts(&loc, "/login?next=");
		char *escaped = curl_easy_escape(NULL, r->path, 0);
		if (escaped)
			buf_puts(&loc, escaped);
		curl_free(escaped);
		respond_redirect(r, loc.data);
		buf_free(&loc);
	}
	return;
forbidden:
	respond_error(r, 403, "forbidden", N_("You are not allowed to do this."), NULL);
}

/* ---- answering ---- */

static bool compressible(const char *type)
{
	return type && (strncmp(type, "text/", 5) == 0 || strncmp(type, "application/json", 16) == 0 ||
			strncmp(type, "image/svg", 9) == 0 || strncmp(type, "application/javascript", 22) == 0);
}

/* gzip_buffer: compress `in` into `out` in the gzip format (zlib). */
static bool gzip_buffer(const buf *in, buf *out)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return false;
	size_t bound = deflateBound(&z, in->len) + 32;
	buf_grow(out, bound);
	z.next_in = (Bytef *)in->data;
	z.avail_in = (uInt)in->len;
	z.next_out = (Bytef *)out->data;
	z.avail_out = (uInt)bound;
	int rc = deflate(&z, Z_FINISH);
	out->len = z.total_out;
	deflateEnd(&z);
	return rc == Z_STREAM_END;
}

static void add_security_headers(struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "Content-Security-Policy", security_csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "strict-origin-when-cross-origin");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(resp, "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
}

static enum MHD_Result send_response(request *r)
{
	bool has_encoding = false, has_vary = false;
	for (int i = 0; i < r->nheaders; i++) {
		if (strcasecmp(r->headers[i].name, "Content-Encoding") == 0)
			has_encoding = true;
		if (strcasecmp(r->headers[i].name, "Vary") == 0)
			has_vary = true;
	}
	buf body = BUF_INIT;
	bool gzipped = false;
	if (!has_encoding && r->out.len >= GZIP_MIN_BYTES && compressible(r->content_type) && req_accepts_gzip(r)) {
		gzipped = gzip_buffer(&r->out, &body);
		if (!gzipped)
			buf_free(&body);
	}
	if (!gzipped) {
		body = r->out;
		buf_init(&r->out);
	}
	size_t len = body.len;
	r->out_bytes = len;
	char *data = buf_detach(&body, NULL);
	/* For HEAD, libmicrohttpd sends the headers of the full answer (its
	 * Content-Length too) and leaves the body out itself. */
	if (r->status == 204 || r->status == 304) {
		free(data);
		data = xstrdup("");
		len = 0;
	}
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(data);
		return MHD_NO;
	}
	add_security_headers(resp);
	if (r->content_type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
	if (gzipped)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	if (compressible(r->content_type) && !has_vary)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
	bool cache_set = false;
	for (int i = 0; i < r->nheaders; i++) {
		MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
		if (strcasecmp(r->headers[i].name, "Cache-Control") == 0)
			cache_set = true;
	}
	if (!cache_set)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				 const char *version, const char *upload_data, size_t *upload_data_size,
				 void **con_cls)
{
	(void)version;
	struct app *app = cls;
	request *r = *con_cls;
	if (!r) {
		r = request_new(app, conn, url, method);
		*con_cls = r;
		atomic_fetch_add(&requests_in_flight, 1);
		metrics_inflight(1);
		/* A client that waits for "100 Continue" before sending a body we
		 * would refuse gets the 413 at once and never sends it. */
		const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
		if ((r->body_too_large || r->headers_too_large) && expect && strcasecmp(expect, "100-continue") == 0) {
			dispatch(r);
			return send_response(r);
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		body_chunk(r, upload_data, *upload_data_size);
		*upload_data_size = 0;
		/* A body far over the limit is not worth reading to the end: answer
		 * now, and libmicrohttpd closes the connection. */
		if ((r->body_too_large || r->headers_too_large) && !r->responded &&
		    r->discarded > 4 * LIMIT_MULTIPART_BYTES) {
			dispatch(r);
			return send_response(r);
		}
		return MHD_YES;
	}
	if (r->responded)
		return MHD_YES;
	if (strlen(url) > LIMIT_URI_BYTES) {
		respond_error(r, 414, "too_large", N_("The address is too long."), NULL);
	} else {
		dispatch(r);
	}
	if (!r->responded)
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
	if (r->dbc) {
		db_release(r->dbc);
		r->dbc = NULL;
	}
	return send_response(r);
}

/* access_log: one JSON line per request.  Only the path comes from the
 * client, and jansson escapes it; the rest are our own numbers and names.
 * Built without a JSON tree: this runs for every request. */
static void access_log(request *r, double seconds)
{
	json_t *path = json_stringn(r->path, strnlen(r->path, 200));
	char *path_json = path ? json_dumps(path, JSON_ENCODE_ANY | JSON_ENSURE_ASCII) : NULL;
	json_decref(path);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	char line[768];
	snprintf(line, sizeof line,
		 "{\"ts\":%lld.%03ld,\"kind\":\"access\",\"method\":\"%s\",\"route\":\"%s\",\"path\":%s,"
		 "\"status\":%d,\"ms\":%.3f,\"addr\":\"%s\",\"user\":%lld,\"bytes\":%zu}",
		 (long long)ts.tv_sec, ts.tv_nsec / 1000000, r->route ? r->route->method : "other",
		 r->route ? r->route->pattern : "-", path_json ? path_json : "null", r->status, seconds * 1000.0,
		 r->client_addr, (long long)(r->user ? r->user->id : 0), r->out_bytes);
	free(path_json);
	log_line(line);
}

static bool access_log_enabled = true;

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	request *r = *con_cls;
	if (!r)
		return;
	double seconds = (double)(now_us() - r->start_us) / 1e6;
	metrics_record(r->route ? r->route->pattern : "unmatched", r->route ? r->route->method : "other", r->status,
		       seconds);
	if (access_log_enabled)
		access_log(r, seconds);
	request_free(r);
	*con_cls = NULL;
	metrics_inflight(-1);
	atomic_fetch_sub(&requests_in_flight, 1);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	buf b = BUF_INIT;
	buf_vprintf(&b, fmt, ap);
	while (b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == '\r'))
		b.data[--b.len] = '\0';
	log_error("http", "%s", b.data);
	buf_free(&b);
}

/* start_daemon: listen on app->cfg's address and serve in libmicrohttpd's
 * own threads; NULL (with a message) if it cannot. */
static struct MHD_Daemon *start_daemon(struct app *app)
{
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)app->cfg.listen_port);
	if (inet_pton(AF_INET, app->cfg.listen_host, &addr.sin_addr) != 1) {
		fprintf(stderr, "khibra: --listen host \"%s\" is not an IPv4 address\n", app->cfg.listen_host);
		return NULL;
	}
	access_log_enabled = app->cfg.access_log;
	signal(SIGPIPE, SIG_IGN);

	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, (uint16_t)app->cfg.listen_port, NULL, NULL, on_access, app,
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)app->cfg.threads,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)LIMIT_CONNECTION_MEMORY,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, app,
		MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "khibra: cannot listen on %s:%d (%s)\n", app->cfg.listen_host, app->cfg.listen_port,
			strerror(errno));
		return NULL;
	}
	metrics_reset();
	return d;
}

struct MHD_Daemon *server_start(struct app *app, int *port)
{
	struct MHD_Daemon *d = start_daemon(app);
	if (!d)
		return NULL;
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	*port = info ? (int)info->port : 0;
	if (*port <= 0) {
		MHD_stop_daemon(d);
		return NULL;
	}
	return d;
}

void server_stop(struct MHD_Daemon *d)
{
	if (d)
		MHD_stop_daemon(d);
}

int server_run(struct app *app)
{
	sigset_t signals;
	sigemptyset(&signals);
	sigaddset(&signals, SIGINT);
	sigaddset(&signals, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &signals, NULL); /* worker threads inherit the mask */

	struct MHD_Daemon *d = start_daemon(app);
	if (!d)
		return 1;
	log_info("http", "serving on http://%s:%d with %d threads, database %s", app->cfg.listen_host,
		 app->cfg.listen_port, app->cfg.threads, db_kind_name(app->db));

	int sig = 0;
	sigwait(&signals, &sig);
	log_info("http", "signal %d: finishing in-flight requests", sig);
	MHD_quiesce_daemon(d); /* stop accepting; keep serving what is open */
	unsigned long long deadline = now_us() + SHUTDOWN_GRACE_SECONDS * 1000000ull;
	while (atomic_load(&requests_in_flight) > 0 && now_us() < deadline)
		usleep(10000);
	MHD_stop_daemon(d);
	log_info("http", "stopped");
	return 0;
}
