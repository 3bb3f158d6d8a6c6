/*
 * request.c — reading a request and writing its answer (see request.h).
 */
#include "http/request.h"
#include "http/app.h"
#include "http/session.h"
#include "core/xalloc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <microhttpd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

db_conn *req_db(request *r)
{
	if (!r->dbc)
		r->dbc = db_acquire(r->app->db);
	return r->dbc;
}

const char *req_header(request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_query(request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

bool req_accepts_gzip(request *r)
{
	const char *ae = req_header(r, "Accept-Encoding");
	return ae && strstr(ae, "gzip") && !strstr(ae, "gzip;q=0");
}

bool req_peer_is_loopback(request *r)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr)
		return false;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
		return IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	}
	return false;
}

const char *req_cookie(request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

bool req_param_id(request *r, int idx, int64_t *out)
{
	if (idx >= r->nparams || !r->params[idx])
		return false;
	const char *s = r->params[idx];
	if (!*s || strlen(s) > 18)
		return false;
	int64_t v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (*s - '0');
	}
	if (v <= 0)
		return false;
	*out = v;
	return true;
}

static const struct form_field *find_field(request *r, const char *name)
{
	for (int i = 0; i < r->nfields; i++)
		if (strcmp(r->fields[i].name, name) == 0)
			return &r->fields[i];
	return NULL;
}

const char *req_str(request *r, const char *name)
{
	if (r->body_kind == BODY_JSON) {
		json_t *v = r->json ? json_object_get(r->json, name) : NULL;
		return json_is_string(v) ? json_string_value(v) : NULL;
	}
	const struct form_field *f = find_field(r, name);
	return f && !f->filename ? f->value : NULL;
}

bool req_bool(request *r, const char *name, bool *present)
{
	*present = false;
	if (r->body_kind == BODY_JSON) {
		json_t *v = r->json ? json_object_get(r->json, name) : NULL;
		if (json_is_boolean(v)) {
			*present = true;
			return json_is_true(v);
		}
		return false;
	}
	const struct form_field *f = find_field(r, name);
	if (!f)
		return false;
	*present = true;
	return strcmp(f->value, "1") == 0 || strcmp(f->value, "on") == 0 || strcmp(f->value, "true") == 0;
}

const struct form_field *req_upload(request *r, const char *name)
{
	const struct form_field *f = find_field(r, name);
	return f && f->filename ? f : NULL;
}

int req_limit(request *r)
{
	const char *s = req_query(r, "limit");
	if (!s || !*s)
		return PAGE_DEFAULT_LIMIT;
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || v < 1)
		return PAGE_DEFAULT_LIMIT;
	return v > PAGE_MAX_LIMIT ? PAGE_MAX_LIMIT : (int)v;
}

bool req_limit_given_ok(request *r)
{
	const char *s = req_query(r, "limit");
	if (!s || !*s)
		return true;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	return !*end && v >= 1 && errno == 0;
}

int64_t req_query_id(request *r, const char *name)
{
	const char *s = req_query(r, name);
	if (!s || !*s)
		return 0;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	return *end || v <= 0 || errno ? -1 : v;
}

bool req_cursor(request *r, int64_t max, int64_t *cursor)
{
	*cursor = req_query_id(r, "cursor");
	if (*cursor >= 0 && *cursor <= max)
		return true;
	*cursor = 0;
	respond_error(r, 400, "bad_cursor", N_("The cursor is not valid: use next_cursor from the previous page."), NULL);
	return false;
}

const char *tr(request *r, const char *msgid)
{
	return i18n_gettext(r->lang, msgid);
}

/* ---- answering ---- */

/* translate_cb: the template engine's translation callback; the language
 * travels in the userdata pointer. */
static const char *translate_cb(void *userdata, const char *msgid)
{
	return i18n_gettext((enum lang)(intptr_t)userdata, msgid);
}

void respond_header(request *r, const char *name, const char *value)
{
	if (r->nheaders >= (int)(sizeof r->headers / sizeof r->headers[0]))
		return;
	r->headers[r->nheaders].name = xstrdup(name);
	r->headers[r->nheaders].value = xstrdup(value);
	r->nheaders++;
}

void respond_bytes(request *r, int status, const char *content_type, const void *data, size_t len)
{
	r->status = status;
	r->content_type = content_type;
	buf_reset(&r->out);
	buf_append(&r->out, data, len);
	r->responded = true;
}

void respond_json(request *r, int status, json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	r->status = status;
	r->content_type = "application/json; charset=utf-8";
	buf_reset(&r->out);
	if (text) {
		buf_puts(&r->out, text);
		free(text);
	}
	r->responded = true;
}

void respond_no_content(request *r)
{
	r->status = 204;
	r->content_type = NULL;
	buf_reset(&r->out);
	r->responded = true;
}

void respond_error(request *r, int status, const char *code, const char *message, json_t *fields)
{
	const char *text = tr(r, message);
	if (r->api) {
		json_t *err = json_pack("{s:s, s:s}", "code", code, "message", text);
		if (fields)
			json_object_set_new(err, "fields", fields);
		respond_json(r, status, json_pack("{s:o}", "error", err));
		return;
	}
	json_t *ctx = json_pack("{s:i, s:s, s:s, s:s}", "status", status, "code", code, "message", text,
				"title", tr(r, status == 404 ? N_("Page not found") : N_("Something went wrong")));
	if (fields)
		json_object_set_new(ctx, "fields", fields);
	respond_page(r, status, "error", ctx);
}

void respond_page(request *r, int status, const char *name, json_t *ctx)
{
	json_t *page = ctx ? ctx : json_object();
	enum lang other = r->lang == LANG_AR ? LANG_EN : LANG_AR;
	json_object_set_new(page, "lang", json_string(i18n_code(r->lang)));
	json_object_set_new(page, "dir", json_string(i18n_dir(r->lang)));
	json_object_set_new(page, "path", json_string(r->path));
	buf url = BUF_INIT;
	buf_printf(&url, "%s?lang=%s", r->path, i18n_code(other));
	json_object_set_new(page, "lang_switch", json_pack("{s:s, s:s, s:s}", "code", i18n_code(other),
							   "name", i18n_native_name(other), "url", url.data));
	buf_free(&url);
	/* The CSRF token goes into pages with forms: the logout form of every
	 * page a logged-in person sees, and visitors' forms, whose handlers put
	 * it in themselves (page_form_ctx).  Other visitor pages set no cookie,
	 * so they stay cacheable. */
	if (r->user && !json_object_get(page, "csrf"))
		json_object_set_new(page, "csrf", json_string(session_csrf_token(r)));
	if (r->user && !json_object_get(page, "user"))
		json_object_set_new(page, "user", json_pack("{s:I, s:s, s:s}", "id", (json_int_t)r->user->id,
							    "name", r->user->name, "email", r->user->email));
	if (!json_object_get(page, "title"))
		json_object_set_new(page, "title", json_string(tr(r, N_("Khibra"))));

	buf_reset(&r->out);
	if (!template_render(r->app->templates, name, page, translate_cb,
			     (void *)(intptr_t)r->lang, &r->out)) {
		json_decref(page);
		buf_reset(&r->out);
		buf_puts(&r->out, "template error");
		r->status = 500;
		r->content_type = "text/plain; charset=utf-8";
		r->responded = true;
		return;
	}
	json_decref(page);
	r->status = status;
	r->content_type = "text/html; charset=utf-8";
	r->responded = true;
}

void respond_redirect(request *r, const char *location)
{
	respond_header(r, "Location", location);
	r->status = 303;
	r->content_type = NULL;
	buf_reset(&r->out);
	r->responded = true;
}

void respond_cookie(request *r, const char *name, const char *value, long max_age, bool http_only)
{
	buf c = BUF_INIT;
	buf_printf(&c, "%s=%s; Path=/; SameSite=Lax", name, max_age < 0 ? "" : value);
	if (max_age < 0)
		buf_puts(&c, "; Max-Age=0");
	else if (max_age > 0)
		buf_printf(&c, "; Max-Age=%ld", max_age);
	if (http_only)
		buf_puts(&c, "; HttpOnly");
	if (r->app->cfg.https)
		buf_puts(&c, "; Secure");
	respond_header(r, "Set-Cookie", c.data);
	buf_free(&c);
}
