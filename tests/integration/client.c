/* client.c — the libcurl client of client.h, mail outbox and HTML helpers. */
#include "client.h"

#include "core/xalloc.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ================================================================ environment */

const char *test_base_url(void)
{
	const char *url = getenv("KHIBRA_TEST_URL");
	cr_assert(url && *url, "KHIBRA_TEST_URL is not set (tests/run-all.sh sets it)");
	return url;
}

const char *test_data_dir(void)
{
	const char *dir = getenv("KHIBRA_TEST_DATA");
	cr_assert(dir && *dir, "KHIBRA_TEST_DATA is not set (tests/run-all.sh sets it)");
	return dir;
}

static void sodium_ready(void)
{
	static bool done;
	if (!done) {
		cr_assert(sodium_init() >= 0, "sodium_init failed");
		done = true;
	}
}

void random_hex(char *out, size_t nbytes)
{
	unsigned char raw[64];
	cr_assert(nbytes <= sizeof raw);
	sodium_ready();
	randombytes_buf(raw, nbytes);
	sodium_bin2hex(out, 2 * nbytes + 1, raw, nbytes);
}

void random_address(char *out, size_t size)
{
	unsigned char raw[3];
	sodium_ready();
	randombytes_buf(raw, sizeof raw);
	/* 127.0.0.0/8 minus the real loopback address the harness itself uses. */
	if (raw[0] == 0 && raw[1] == 0)
		raw[1] = 1;
	snprintf(out, size, "127.%u.%u.%u", raw[0], raw[1], raw[2]);
}

void random_email(char *out, size_t size)
{
	char hex[25];
	random_hex(hex, 12);
	snprintf(out, size, "t-%s@example.org", hex);
}

/* ================================================================ strings */

bool str_contains_ci(const char *haystack, const char *needle)
{
	if (!haystack || !needle)
		return false;
	return strcasestr(haystack, needle) != NULL;
}

static char *trim_dup(const char *s, size_t len)
{
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' ||
		       s[len - 1] == '\n'))
		len--;
	return xstrndup(s, len);
}

bool has_arabic_letters(const char *s)
{
	/* U+0600–U+06FF is encoded as D8 80 … DB BF in UTF-8. */
	const unsigned char *p = (const unsigned char *)s;
	for (; p && *p; p++)
		if (p[0] >= 0xD8 && p[0] <= 0xDB && p[1] >= 0x80 && p[1] <= 0xBF)
			return true;
	return false;
}

/* ================================================================ client */

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata);
static size_t on_header(char *ptr, size_t size, size_t nmemb, void *userdata);

struct client *client_new(void)
{
	static bool global_done;
	if (!global_done) {
		cr_assert(curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK);
		global_done = true;
	}
	struct client *c = xcalloc(1, sizeof *c);
	c->curl = curl_easy_init();
	cr_assert_not_null(c->curl, "curl_easy_init failed");
	CURL *h = c->curl;
	curl_easy_setopt(h, CURLOPT_COOKIEFILE, ""); /* an empty in-memory cookie engine */
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	const char *base = test_base_url();
	size_t n = strlen(base);
	while (n && base[n - 1] == '/')
		n--;
	c->base = xstrndup(base, n);
	char addr[16];
	random_address(addr, sizeof addr);
	c->forwarded_for = xstrdup(addr);
	return c;
}

void client_free(struct client *c)
{
	if (!c)
		return;
	curl_easy_cleanup(c->curl);
	curl_slist_free_all(c->next_headers);
	free(c->base);
	free(c->csrf);
	free(c->accept_language);
	free(c->bearer);
	free(c->forwarded_for);
	free(c->cookie);
	free(c);
}

static void replace(char **slot, const char *value)
{
	free(*slot);
	*slot = value ? xstrdup(value) : NULL;
}

void client_set_csrf(struct client *c, const char *token) { replace(&c->csrf, token); }
void client_set_lang(struct client *c, const char *al) { replace(&c->accept_language, al); }
void client_set_bearer(struct client *c, const char *token) { replace(&c->bearer, token); }
void client_set_forwarded_for(struct client *c, const char *a) { replace(&c->forwarded_for, a); }
void client_set_cookie(struct client *c, const char *cookie) { replace(&c->cookie, cookie); }

void client_add_header(struct client *c, const char *line)
{
	struct curl_slist *l = curl_slist_append(c->next_headers, line);
	cr_assert_not_null(l);
	c->next_headers = l;
}

char *client_cookie_value(struct client *c, const char *name)
{
	struct curl_slist *cookies = NULL;
	char *found = NULL;
	if (curl_easy_getinfo(c->curl, CURLINFO_COOKIELIST, &cookies) != CURLE_OK)
		return NULL;
	/* Netscape format: domain, tailmatch, path, secure, expires, name, value. */
	for (struct curl_slist *l = cookies; l; l = l->next) {
		const char *f = l->data;
		for (int i = 0; i < 5 && f; i++) {
			f = strchr(f, '\t');
			if (f)
				f++;
		}
		if (!f)
			continue;
		const char *tab = strchr(f, '\t');
		if (!tab)
			continue;
		if ((size_t)(tab - f) == strlen(name) && !strncmp(f, name, (size_t)(tab - f))) {
			free(found);
			found = xstrdup(tab + 1);
		}
	}
	curl_slist_free_all(cookies);
	return found;
}

/* ---- libcurl callbacks ---- */

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct response *r = userdata;
	buf_append(&r->body, ptr, size * nmemb);
	return size * nmemb;
}

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct response *r = userdata;
	size_t len = size * nmemb;
	if (len >= 5 && !strncmp(ptr, "HTTP/", 5)) {
		/* A new status line: a 1xx before it does not count. */
		for (int i = 0; i < r->nheaders; i++) {
			free(r->headers[i].name);
			free(r->headers[i].value);
		}
		r->nheaders = 0;
		return len;
	}
	const char *colon = memchr(ptr, ':', len);
	if (!colon)
		return len;
	if (r->nheaders == r->cap_headers) {
		r->cap_headers = r->cap_headers ? 2 * r->cap_headers : 16;
		r->headers = xreallocarray(r->headers, (size_t)r->cap_headers, sizeof *r->headers);
	}
	r->headers[r->nheaders].name = trim_dup(ptr, (size_t)(colon - ptr));
	r->headers[r->nheaders].value = trim_dup(colon + 1, len - (size_t)(colon - ptr) - 1);
	r->nheaders++;
	return len;
}

static bool unsafe_method(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD") && strcmp(method, "OPTIONS");
}

struct response *client_request(struct client *c, const char *method, const char *path,
				const char *content_type, const void *body, size_t len)
{
	struct response *r = xcalloc(1, sizeof *r);
	buf_init(&r->body);
	CURL *h = c->curl;
	struct curl_slist *hdrs = NULL;
	char line[1024];

	/* No curl_easy_reset() between requests: libcurl 7.88 leaks the
	 * COOKIEFILE list on reset.  Every option a request may change is set
	 * again here instead; the fixed ones are set in client_new(). */
	char *url = xasprintf("%s%s", c->base, path);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, r->error);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, c->decode_encoding ? "" : NULL);
	curl_easy_setopt(h, CURLOPT_COOKIE, c->cookie);

	/* Back to a plain GET, then whatever this request is. */
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
	curl_easy_setopt(h, CURLOPT_NOBODY, 0L);
	curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	if (!strcmp(method, "HEAD")) {
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	} else if (strcmp(method, "GET")) {
		if (body || !strcmp(method, "POST")) {
			curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(body ? len : 0));
			curl_easy_setopt(h, CURLOPT_POSTFIELDS, body ? body : "");
		}
		if (strcmp(method, "POST"))
			curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	}

	if (content_type) {
		snprintf(line, sizeof line, "Content-Type: %s", content_type);
		hdrs = curl_slist_append(hdrs, line);
	} else {
		hdrs = curl_slist_append(hdrs, "Content-Type:"); /* curl's default removed */
	}
	if (c->accept_language) {
		snprintf(line, sizeof line, "Accept-Language: %s", c->accept_language);
		hdrs = curl_slist_append(hdrs, line);
	}
	if (c->bearer) {
		snprintf(line, sizeof line, "Authorization: Bearer %s", c->bearer);
		hdrs = curl_slist_append(hdrs, line);
	}
	if (c->forwarded_for) {
		snprintf(line, sizeof line, "X-Forwarded-For: %s", c->forwarded_for);
		hdrs = curl_slist_append(hdrs, line);
	}
	if (c->csrf && unsafe_method(method)) {
		snprintf(line, sizeof line, "X-CSRF-Token: %s", c->csrf);
		hdrs = curl_slist_append(hdrs, line);
	}
	for (struct curl_slist *l = c->next_headers; l; l = l->next)
		hdrs = curl_slist_append(hdrs, l->data);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);

	CURLcode rc = curl_easy_perform(h);
	if (rc == CURLE_OK) {
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	} else {
		r->status = 0;
		if (!r->error[0])
			snprintf(r->error, sizeof r->error, "%s", curl_easy_strerror(rc));
		/* A server that answers early (413) and closes may still have sent a status. */
		long code = 0;
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
		if (code)
			r->status = code;
	}
	/* Nothing in the handle may point at what is freed now. */
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, NULL);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, NULL);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)-1);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
	curl_slist_free_all(hdrs);
	curl_slist_free_all(c->next_headers);
	c->next_headers = NULL;
	free(url);

	if (response_content_type_is(r, "application/json") ||
	    response_content_type_is(r, "application/problem+json")) {
		json_error_t err;
		r->json = json_loadb(r->body.data, r->body.len, 0, &err);
	}
	return r;
}

struct response *client_get(struct client *c, const char *path)
{
	return client_request(c, "GET", path, NULL, NULL, 0);
}

struct response *client_delete(struct client *c, const char *path)
{
	return client_request(c, "DELETE", path, NULL, NULL, 0);
}

static struct response *send_json(struct client *c, const char *method, const char *path,
				  const json_t *body)
{
	if (!body)
		return client_request(c, method, path, NULL, "", 0);
	char *text = json_dumps(body, JSON_COMPACT);
	cr_assert_not_null(text);
	struct response *r = client_request(c, method, path, "application/json", text, strlen(text));
	free(text);
	return r;
}

struct response *client_post_json(struct client *c, const char *path, const json_t *body)
{
	return send_json(c, "POST", path, body);
}

struct response *client_put_json(struct client *c, const char *path, const json_t *body)
{
	return send_json(c, "PUT", path, body);
}

struct response *client_post_form(struct client *c, const char *path, ...)
{
	buf form = BUF_INIT;
	va_list ap;
	va_start(ap, path);
	for (;;) {
		const char *name = va_arg(ap, const char *);
		if (!name)
			break;
		const char *value = va_arg(ap, const char *);
		char *n = curl_easy_escape(c->curl, name, 0);
		char *v = curl_easy_escape(c->curl, value ? value : "", 0);
		buf_printf(&form, "%s%s=%s", form.len ? "&" : "", n, v);
		curl_free(n);
		curl_free(v);
	}
	va_end(ap);
	struct response *r = client_request(c, "POST", path, "application/x-www-form-urlencoded",
					    form.data, form.len);
	buf_free(&form);
	return r;
}

/* ================================================================ responses */

void response_free(struct response *r)
{
	if (!r)
		return;
	buf_free(&r->body);
	for (int i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
	json_decref(r->json);
	free(r);
}

const char *response_header(const struct response *r, const char *name)
{
	for (int i = 0; i < r->nheaders; i++)
		if (!strcasecmp(r->headers[i].name, name))
			return r->headers[i].value;
	return NULL;
}

const char *response_set_cookie(const struct response *r, const char *name)
{
	size_t n = strlen(name);
	const char *found = NULL;
	for (int i = 0; i < r->nheaders; i++) {
		if (strcasecmp(r->headers[i].name, "Set-Cookie"))
			continue;
		const char *v = r->headers[i].value;
		while (*v == ' ')
			v++;
		if (!strncmp(v, name, n) && v[n] == '=')
			found = r->headers[i].value; /* the last one wins, as in a browser */
	}
	return found;
}

char *response_cookie(const struct response *r, const char *name)
{
	const char *sc = response_set_cookie(r, name);
	if (!sc)
		return NULL;
	while (*sc == ' ')
		sc++;
	const char *v = sc + strlen(name) + 1;
	size_t len = strcspn(v, ";");
	return trim_dup(v, len);
}

char *response_location(const struct response *r)
{
	const char *loc = response_header(r, "Location");
	if (!loc)
		return NULL;
	const char *base = test_base_url();
	size_t n = strlen(base);
	while (n && base[n - 1] == '/')
		n--;
	if (!strncmp(loc, base, n))
		loc += n;
	else if (!strncmp(loc, "http://", 7) || !strncmp(loc, "https://", 8)) {
		/* Some other host spelling (localhost): keep the path. */
		const char *p = strchr(strstr(loc, "//") + 2, '/');
		loc = p ? p : "/";
	}
	return xstrdup(loc);
}

static const json_t *error_object(const struct response *r)
{
	if (!r->json)
		return NULL;
	const json_t *e = json_object_get(r->json, "error");
	return json_is_object(e) ? e : NULL;
}

const char *response_error_code(const struct response *r)
{
	const json_t *e = error_object(r);
	return e ? json_string_value(json_object_get(e, "code")) : NULL;
}

const char *response_error_message(const struct response *r)
{
	const json_t *e = error_object(r);
	return e ? json_string_value(json_object_get(e, "message")) : NULL;
}

const char *response_error_field(const struct response *r, const char *name)
{
	const json_t *e = error_object(r);
	if (!e)
		return NULL;
	const json_t *fields = json_object_get(e, "fields");
	const json_t *f = json_is_object(fields) ? json_object_get(fields, name) : NULL;
	if (!f)
		return NULL;
	/* A reason should be a string; anything else still marks the field. */
	return json_is_string(f) ? json_string_value(f) : "";
}

bool response_content_type_is(const struct response *r, const char *type)
{
	const char *ct = response_header(r, "Content-Type");
	if (!ct)
		return false;
	size_t n = strlen(type);
	if (strncasecmp(ct, type, n))
		return false;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

/* ================================================================ accounts */

struct response *client_try_login(struct client *c, const char *email, const char *password)
{
	json_t *body = json_pack("{s:s, s:s}", "email", email, "password", password);
	struct response *r = client_post_json(c, "/api/v1/auth/login", body);
	json_decref(body);
	return r;
}

struct response *client_register_raw(struct client *c, const char *email, const char *password,
				     const char *name, const char *role, const char *locale)
{
	json_t *body = json_object();
	if (email)
		json_object_set_new(body, "email", json_string(email));
	if (password)
		json_object_set_new(body, "password", json_string(password));
	if (name)
		json_object_set_new(body, "name", json_string(name));
	if (role)
		json_object_set_new(body, "role", json_string(role));
	if (locale)
		json_object_set_new(body, "locale", json_string(locale));
	struct response *r = client_post_json(c, "/api/v1/auth/register", body);
	json_decref(body);
	return r;
}

struct account client_register(struct client *c, const char *role)
{
	struct account a;
	memset(&a, 0, sizeof a);
	char hex[17];
	random_email(a.email, sizeof a.email);
	random_hex(hex, 8);
	snprintf(a.password, sizeof a.password, "pw-%s-long", hex);
	snprintf(a.name, sizeof a.name, "Tester %.6s", hex);
	snprintf(a.role, sizeof a.role, "%s", role);

	struct client *t = client_new();
	client_set_forwarded_for(t, c->forwarded_for);
	struct response *r = client_register_raw(t, a.email, a.password, a.name, role, "ar");
	cr_assert_eq(r->status, 201, "register (%s) answered %ld: %s %s", role, r->status,
		     r->body.data, r->error);
	const json_t *id = json_object_get(json_object_get(r->json, "user"), "id");
	cr_assert(json_is_integer(id), "register: user.id is not an integer: %s", r->body.data);
	a.id = (int64_t)json_integer_value(id);
	response_free(r);
	client_free(t);
	return a;
}

void client_login(struct client *c, const struct account *a)
{
	struct response *r = client_try_login(c, a->email, a->password);
	cr_assert_eq(r->status, 200, "login of %s answered %ld: %s %s", a->email, r->status,
		     r->body.data, r->error);
	const char *csrf = json_string_value(json_object_get(r->json, "csrf_token"));
	cr_assert(csrf && *csrf, "login: no csrf_token in %s", r->body.data);
	client_set_csrf(c, csrf);
	response_free(r);
}

/* ================================================================ mail */

/* A parsed message: unfolded header block and the decoded body. */
struct message {
	char *to;
	char *body;
	time_t mtime;
};

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	return buf_detach(&b, len);
}

/* header_value: the value of header `name` in an unfolded header block, or NULL. Caller frees. */
static char *header_value(const char *headers, const char *name)
{
	size_t n = strlen(name);
	const char *line = headers;
	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (len > n && !strncasecmp(line, name, n) && line[n] == ':')
			return trim_dup(line + n + 1, len - n - 1);
		line = end ? end + 1 : NULL;
	}
	return NULL;
}

static bool parse_message(const char *text, struct message *m)
{
	const char *sep = strstr(text, "\r\n\r\n");
	size_t seplen = 4;
	const char *sep2 = strstr(text, "\n\n");
	if (!sep || (sep2 && sep2 < sep)) {
		sep = sep2;
		seplen = 2;
	}
	if (!sep)
		return false;
	/* Unfold: drop CR, join continuation lines. */
	buf h = BUF_INIT;
	for (const char *p = text; p < sep; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n' && (p[1] == ' ' || p[1] == '\t'))
			continue;
		buf_putc(&h, *p);
	}
	m->to = header_value(h.data, "To");
	char *cte = header_value(h.data, "Content-Transfer-Encoding");
	const char *raw = sep + seplen;
	if (cte && !strcasecmp(cte, "base64")) {
		buf clean = BUF_INIT;
		for (const char *p = raw; *p; p++)
			if (*p != '\r' && *p != '\n' && *p != ' ' && *p != '\t')
				buf_putc(&clean, *p);
		size_t cap = clean.len / 4 * 3 + 3, out_len = 0;
		unsigned char *out = xmalloc(cap + 1);
		if (sodium_base642bin(out, cap, clean.data, clean.len, NULL, &out_len, NULL,
				      sodium_base64_VARIANT_ORIGINAL) != 0)
			out_len = 0;
		out[out_len] = '\0';
		m->body = (char *)out;
		buf_free(&clean);
	} else {
		m->body = xstrdup(raw);
	}
	free(cte);
	buf_free(&h);
	return true;
}

/* outbox_scan: the newest message to `email` whose body contains `marker`. */
static char *outbox_scan(const char *email, const char *marker)
{
	char *dir_path = xasprintf("%s/outbox", test_data_dir());
	DIR *d = opendir(dir_path);
	char *best = NULL;
	time_t best_time = 0;
	char best_name[512] = "";
	if (!d) {
		free(dir_path);
		return NULL;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".eml"))
			continue;
		char *path = xasprintf("%s/%s", dir_path, e->d_name);
		struct stat st;
		size_t len;
		char *text = stat(path, &st) == 0 ? read_file(path, &len) : NULL;
		struct message m = { 0 };
		if (text && parse_message(text, &m) && m.to && str_contains_ci(m.to, email) &&
		    m.body && strstr(m.body, marker) &&
		    (!best || st.st_mtime > best_time ||
		     (st.st_mtime == best_time && strcmp(e->d_name, best_name) > 0))) {
			free(best);
			best = m.body;
			m.body = NULL;
			best_time = st.st_mtime;
			snprintf(best_name, sizeof best_name, "%s", e->d_name);
		}
		free(m.to);
		free(m.body);
		free(text);
		free(path);
	}
	closedir(d);
	free(dir_path);
	return best;
}

char *outbox_find_message(const char *email, const char *marker, int wait_ms)
{
	sodium_ready();
	for (int waited = 0;; waited += 100) {
		char *body = outbox_scan(email, marker);
		if (body || waited >= wait_ms)
			return body;
		usleep(100 * 1000);
	}
}

char *outbox_find_link(const char *email, const char *marker)
{
	char *body = outbox_find_message(email, marker, 5000);
	if (!body)
		return NULL;
	const char *t = strstr(body, marker) + strlen(marker);
	size_t len = strcspn(t, " \t\r\n\"'<>&)]");
	char *token = len ? xstrndup(t, len) : NULL;
	free(body);
	return token;
}

/* ================================================================ HTML */

char *html_find_csrf(const char *html)
{
	for (const char *p = html; p && (p = strstr(p, "name=\"csrf\"")); p++) {
		/* The enclosing tag: back to '<', forward to '>'. */
		const char *start = p;
		while (start > html && *start != '<' && *start != '>')
			start--;
		if (*start != '<')
			continue;
		const char *end = strchr(p, '>');
		if (!end)
			return NULL;
		for (const char *v = start; v && v < end; v++) {
			v = strstr(v, "value=\"");
			if (!v || v > end)
				break;
			if (v > start && v[-1] != ' ' && v[-1] != '\t' && v[-1] != '\n')
				continue;
			v += 7;
			const char *q = strchr(v, '"');
			if (!q || q > end)
				break;
			return xstrndup(v, (size_t)(q - v));
		}
	}
	return NULL;
}

bool html_has_href_containing(const char *html, const char *needle)
{
	for (const char *p = html; p && (p = strstr(p, "href=")); p++) {
		const char *v = p + 5;
		char quote = *v;
		if (quote != '"' && quote != '\'')
			continue;
		v++;
		const char *q = strchr(v, quote);
		if (!q)
			return false;
		char *value = xstrndup(v, (size_t)(q - v));
		bool hit = strstr(value, needle) != NULL;
		free(value);
		if (hit)
			return true;
	}
	return false;
}

/* ---- organisations (orgs_test.c) ---- */
struct response *client_patch_json(struct client *c, const char *path, const json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT);
	cr_assert_not_null(text);
	struct response *r = client_request(c, "PATCH", path, "application/json", text, strlen(text));
	free(text);
	return r;
}
/* ---- end of organisations ---- */
/* ---- credentials and moderation ---- */
struct response *client_post_multipart(struct client *c, const char *path, const char *const *fields,
				       const char *file_field, const char *filename, const char *file_type,
				       const void *data, size_t len)
{
	char boundary[40], hex[25];
	random_hex(hex, 12);
	snprintf(boundary, sizeof boundary, "khibra-%s", hex);
	buf body = BUF_INIT;
	for (int i = 0; fields && fields[i] && fields[i + 1]; i += 2)
		buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n", boundary,
			   fields[i], fields[i + 1]);
	if (file_field) {
		buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
			   "Content-Type: %s\r\n\r\n", boundary, file_field, filename, file_type);
		buf_append(&body, data, len);
		buf_puts(&body, "\r\n");
	}
	buf_printf(&body, "--%s--\r\n", boundary);
	char type[80];
	snprintf(type, sizeof type, "multipart/form-data; boundary=%s", boundary);
	struct response *r = client_request(c, "POST", path, type, body.data, body.len);
	buf_free(&body);
	return r;
}

struct account client_make_moderator(void)
{
	const char *bin = getenv("KHIBRA_TEST_BIN");
	const char *db = getenv("KHIBRA_TEST_DB_URL");
	cr_assert(bin && *bin && db && *db, "KHIBRA_TEST_BIN and KHIBRA_TEST_DB_URL must be set (tests/run-all.sh sets them)");
	cr_assert(!strchr(db, '\'') && !strchr(bin, '\''), "quotes in KHIBRA_TEST_BIN or KHIBRA_TEST_DB_URL");
	struct account a;
	memset(&a, 0, sizeof a);
	random_email(a.email, sizeof a.email);
	char hex[17];
	random_hex(hex, 8);
	snprintf(a.password, sizeof a.password, "moderator-%s", hex);
	snprintf(a.name, sizeof a.name, "Moderator-%s", hex);
	snprintf(a.role, sizeof a.role, "moderator");
	char *cmd = xasprintf("'%s' admin create --email '%s' --name '%s' --db '%s' >/dev/null", bin, a.email, a.name, db);
	FILE *p = popen(cmd, "w");
	free(cmd);
	cr_assert_not_null(p, "cannot run %s", bin);
	fprintf(p, "%s\n", a.password);
	int rc = pclose(p);
	cr_assert_eq(rc, 0, "khibra admin create failed (%d)", rc);
	return a;
}
/* ---- end of credentials and moderation ---- */

/* ---- opportunities and shifts ---- */
#include "store/db.h"

void test_org_verify(int64_t org_id)
{
	const char *url = getenv("KHIBRA_TEST_DB_URL");
	cr_assert(url && *url, "KHIBRA_TEST_DB_URL must name the server's database (tests/run-all.sh sets it)");
	char err[256];
	db *d = db_open(url, 1, err, sizeof err);
	cr_assert_not_null(d, "%s", err);
	db_conn *c = db_acquire(d);
	int64_t changes = 0;
	int st = db_exec(c, "UPDATE orgs SET status = 'verified', verified_at = ? WHERE id = ?",
			 DB_PARAMS(DB_INT(time(NULL)), DB_INT(org_id)), &changes);
	db_release(c);
	db_close(d);
	cr_assert(st == DB_OK && changes == 1, "could not verify organisation %lld", (long long)org_id);
}
/* ---- end of opportunities and shifts ---- */

/* ---- applications and booking ---- */
#include "store/store.h"

#include <sodium.h>

static db *booking_db;

static void booking_db_close(void)
{
	db_close(booking_db);
	booking_db = NULL;
}

db *test_db(void)
{
	if (booking_db)
		return booking_db;
	const char *url = getenv("KHIBRA_TEST_DB_URL");
	cr_assert(url && *url, "KHIBRA_TEST_DB_URL must name the server's database (tests/run-all.sh sets it)");
	char err[256];
	booking_db = db_open(url, 2, err, sizeof err);
	cr_assert_not_null(booking_db, "%s", err);
	atexit(booking_db_close);
	return booking_db;
}

/* booking_insert: one INSERT … RETURNING id on the server's database. */
static int64_t booking_insert(const char *sql, const db_value *params, int nparams)
{
	db_conn *c = db_acquire(test_db());
	int64_t id = 0;
	int st = db_query_int(c, sql, params, nparams, &id);
	db_release(c);
	cr_assert_eq(st, DB_OK, "could not run %s", sql);
	return id;
}

int64_t test_booking_org(int64_t member_id)
{
	int64_t now = time(NULL);
	int64_t org = booking_insert("INSERT INTO orgs (name, kind, created_at, verified_at, status) "
				     "VALUES ('جمعية البر', 'charity', ?, ?, 'verified') RETURNING id",
				     DB_PARAMS(DB_INT(now), DB_INT(now)));
	booking_insert("INSERT INTO org_members (org_id, user_id, role, created_at) VALUES (?, ?, 'owner', ?) "
		       "RETURNING org_id",
		       DB_PARAMS(DB_INT(org), DB_INT(member_id), DB_INT(now)));
	return org;
}

int64_t test_booking_opportunity(int64_t org_id, const char *kind, const char *domain, const char *status,
				 const char *title)
{
	int64_t now = time(NULL);
	return booking_insert("INSERT INTO opportunities (org_id, kind, domain, title, status, starts_at, ends_at, "
			      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			      DB_PARAMS(DB_INT(org_id), DB_TEXT(kind), DB_TEXT(domain), DB_TEXT(title), DB_TEXT(status),
					DB_INT(now), DB_INT(now + 400 * 86400), DB_INT(now), DB_INT(now)));
}

int64_t test_booking_shift(int64_t opportunity_id, int64_t starts_at, int64_t ends_at, int capacity)
{
	return booking_insert("INSERT INTO shifts (opportunity_id, starts_at, ends_at, capacity) VALUES (?, ?, ?, ?) "
			      "RETURNING id",
			      DB_PARAMS(DB_INT(opportunity_id), DB_INT(starts_at), DB_INT(ends_at), DB_INT(capacity)));
}

int64_t test_booking_user(const char *name)
{
	char email[64];
	snprintf(email, sizeof email, "a-%08x%08x@example.org", randombytes_random(), randombytes_random());
	db_conn *c = db_acquire(test_db());
	int64_t id = 0;
	int st = store_user_create(c, email, name, NULL, "ar", "specialist", time(NULL), &id);
	db_release(c);
	cr_assert_eq(st, DB_OK, "could not make a user");
	return id;
}
/* ---- end of applications and booking ---- */

/* ---- help requests ---- */
/* help_exec: one statement on the server's database, asserting it worked. */
static void help_exec(const char *sql, const db_value *params, int nparams)
{
	db_conn *c = db_acquire(test_db());
	int st = db_exec(c, sql, params, nparams, NULL);
	db_release(c);
	cr_assert_eq(st, DB_OK, "could not run %s", sql);
}

void test_help_grant_role(int64_t user_id, const char *role)
{
	help_exec("INSERT INTO user_roles (user_id, role, granted_at) VALUES (?, ?, ?) "
		  "ON CONFLICT (user_id, role) DO NOTHING",
		  DB_PARAMS(DB_INT(user_id), DB_TEXT(role), DB_INT(time(NULL))));
}

void test_help_approve_licence(int64_t user_id)
{
	help_exec("INSERT INTO credentials (user_id, kind, issuer, number, file_hash, file_type, file_size, status, "
		  "created_at) VALUES (?, 'licence', 'SCFHS', 'T-1', 'test', 'application/pdf', 1, 'approved', ?)",
		  DB_PARAMS(DB_INT(user_id), DB_INT(time(NULL))));
}

void test_help_availability(int64_t user_id, int weekday, int start_minute, int end_minute)
{
	help_exec("INSERT INTO availability (user_id, weekday, start_minute, end_minute) VALUES (?, ?, ?, ?)",
		  DB_PARAMS(DB_INT(user_id), DB_INT(weekday), DB_INT(start_minute), DB_INT(end_minute)));
}

int64_t test_help_org(int64_t member_id)
{
	int64_t now = time(NULL), org = 0;
	db_conn *c = db_acquire(test_db());
	int st = db_query_int(c, "INSERT INTO orgs (name, kind, created_at, verified_at, status) "
				 "VALUES ('جمعية البر الخيرية', 'charity', ?, ?, 'verified') RETURNING id",
			      DB_PARAMS(DB_INT(now), DB_INT(now)), &org);
	if (st == DB_OK)
		st = db_exec(c, "INSERT INTO org_members (org_id, user_id, role, created_at) VALUES (?, ?, 'coordinator', ?)",
			     DB_PARAMS(DB_INT(org), DB_INT(member_id), DB_INT(now)), NULL);
	db_release(c);
	cr_assert_eq(st, DB_OK, "could not make an organisation");
	return org;
}
/* ---- end of help requests ---- */

/* ---- access matrix and security headers ---- */
const char *security_headers_problem(const struct response *r)
{
	if (r->status == 0)
		return "no answer";
	const char *csp = response_header(r, "Content-Security-Policy");
	if (!csp)
		return "no Content-Security-Policy";
	if (!strstr(csp, "frame-ancestors 'none'") || !strstr(csp, "default-src"))
		return "Content-Security-Policy without default-src or frame-ancestors 'none'";
	const char *nosniff = response_header(r, "X-Content-Type-Options");
	if (!nosniff || strcasecmp(nosniff, "nosniff"))
		return "no X-Content-Type-Options: nosniff";
	const char *referrer = response_header(r, "Referrer-Policy");
	if (!referrer || !*referrer)
		return "no Referrer-Policy";
	return NULL;
}

void assert_security_headers(const struct response *r, const char *what)
{
	const char *problem = security_headers_problem(r);
	cr_assert_null(problem, "%s (%ld): %s %s", what, r->status, problem ? problem : "", r->error);
}
/* ---- end of access matrix ---- */

/* ---- jobs, reminders and nudges ---- */
int outbox_count_messages(const char *email, const char *marker)
{
	char *dir_path = xasprintf("%s/outbox", test_data_dir());
	DIR *d = opendir(dir_path);
	int count = 0;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".eml"))
			continue;
		char *path = xasprintf("%s/%s", dir_path, e->d_name);
		size_t len;
		char *text = read_file(path, &len);
		struct message m = { 0 };
		if (text && parse_message(text, &m) && m.to && str_contains_ci(m.to, email) && m.body &&
		    strstr(m.body, marker))
			count++;
		free(m.to);
		free(m.body);
		free(text);
		free(path);
	}
	if (d)
		closedir(d);
	free(dir_path);
	return count;
}
/* ---- end of jobs, reminders and nudges ---- */

/* ---- a server of the test's own (jobs_test.c, jobs_nudge_test.c) ---- */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

/* own_free_port: a loopback port nobody listens on now. */
static int own_free_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof a;
	cr_assert(s >= 0 && bind(s, (struct sockaddr *)&a, sizeof a) == 0 &&
		  getsockname(s, (struct sockaddr *)&a, &len) == 0);
	close(s);
	return ntohs(a.sin_port);
}

void own_server_start(struct own_server *s, bool jobs)
{
	const char *bin = getenv("KHIBRA_TEST_BIN");
	cr_assert(bin && *bin, "KHIBRA_TEST_BIN is not set (tests/run-all.sh sets it)");
	char listen[64], log[128];
	snprintf(listen, sizeof listen, "127.0.0.1:%d", s->port);
	snprintf(log, sizeof log, "%s/server.log", s->dir);
	s->pid = fork();
	cr_assert(s->pid >= 0);
	if (s->pid == 0) {
		FILE *out = freopen(log, "a", stdout);
		(void)out;
		dup2(STDOUT_FILENO, STDERR_FILENO);
		setenv("KHIBRA_JOBS", jobs ? "1" : "0", 1);
		setenv("KHIBRA_JOBS_INTERVAL_MS", "200", 1);
		setenv("KHIBRA_TRUST_PROXY", "1", 1);
		setenv("KHIBRA_ACCESS_LOG", "0", 1);
		execl(bin, "khibra", "serve", "--listen", listen, "--db", s->db, "--data", s->dir, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 150; i++) {
		struct client *c = client_new();
		struct response *r = client_get(c, "/healthz");
		long status = r->status;
		response_free(r);
		client_free(c);
		if (status == 200)
			return;
		cr_assert_eq(waitpid(s->pid, NULL, WNOHANG), 0, "the server stopped; see %s", log);
		usleep(100 * 1000);
	}
	cr_assert_fail("the server did not start; see %s", log);
}

void own_server_stop(struct own_server *s, int sig)
{
	cr_assert_eq(kill(s->pid, sig), 0);
	int status = 0;
	cr_assert_eq(waitpid(s->pid, &status, 0), s->pid);
	if (sig == SIGTERM)
		cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "unclean exit %d; see %s/server.log", status,
			  s->dir);
}

void own_server_new(struct own_server *s)
{
	snprintf(s->dir, sizeof s->dir, "/tmp/khibra-jobs-XXXXXX");
	cr_assert_not_null(mkdtemp(s->dir));
	s->port = own_free_port();
	snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d", s->port);
	snprintf(s->db, sizeof s->db, "sqlite:%s/k.db", s->dir);
	/* Every helper of client.c now speaks to this server, its mail and its
	 * database (each test runs in its own process). */
	setenv("KHIBRA_TEST_URL", s->url, 1);
	setenv("KHIBRA_TEST_DATA", s->dir, 1);
	setenv("KHIBRA_TEST_DB_URL", s->db, 1);
}

void own_server_remove(struct own_server *s)
{
	char rm[128];
	snprintf(rm, sizeof rm, "rm -rf '%s'", s->dir);
	cr_assert_eq(system(rm), 0);
}
/* ---- end of a server of the test's own ---- */

/* ---- organisation membership by consent (orgs_test.c) ---- */

void test_org_join(struct client *owner, int64_t org, struct client *member, const char *email, const char *role)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/orgs/%lld/members", (long long)org);
	json_t *body = json_pack("{s:s, s:s}", "email", email, "role", role);
	struct response *r = client_post_json(owner, path, body);
	json_decref(body);
	assert_status(r, 202);
	response_free(r);
	char *token = outbox_find_link(email, "/invitations/accept?token=");
	cr_assert_not_null(token, "no invitation mail to %s", email);
	body = json_pack("{s:s}", "token", token);
	free(token);
	r = client_post_json(member, "/api/v1/invitations/accept", body);
	json_decref(body);
	assert_status(r, 200);
	response_free(r);
}

/* ---- end of organisation membership by consent ---- */
