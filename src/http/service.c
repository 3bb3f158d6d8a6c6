/*
 * service.c — /healthz, /metrics and /static/… (see service.h).
 *
 * Static assets are compiled into the binary with their gzip forms made at
 * build time; each representation gets its own strong ETag (BLAKE2b of the
 * file's bytes; the gzip form's ends in "-gz", as RFC 9110 wants different
 * bytes to have different strong validators) so browsers on slow networks
 * revalidate with a 304 instead of downloading again.
 */
#include "http/service.h"
#include "http/app.h"
#include "http/metrics.h"
#include "core/embedded.h"
#include "core/xalloc.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define STATIC_MAX_AGE "public, max-age=86400"

struct asset {
	const struct embedded_file *file;
	const struct embedded_file *gz;
	char etag[40];     /* "hex" of the plain file */
	char etag_gz[44];  /* "hex-gz" of its gzip form */
	const char *type;
};

static struct asset assets[64];
static int nassets;

static const char *content_type_of(const char *name)
{
	static const struct { const char *ext; const char *type; } types[] = {
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "application/javascript; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".webmanifest", "application/manifest+json" },
		{ ".txt", "text/plain; charset=utf-8" },
	};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

void static_init(void)
{
	nassets = 0;
	for (size_t i = 0; i < embedded_files_count && nassets < (int)(sizeof assets / sizeof assets[0]); i++) {
		const struct embedded_file *f = &embedded_files[i];
		size_t n = strlen(f->name);
		if (strncmp(f->name, "assets/", 7) != 0 || (n > 3 && strcmp(f->name + n - 3, ".gz") == 0))
			continue;
		struct asset *a = &assets[nassets++];
		a->file = f;
		char gzname[256];
		snprintf(gzname, sizeof gzname, "%s.gz", f->name);
		a->gz = embedded_find(gzname);
		if (a->gz && a->gz->len >= f->len)
			a->gz = NULL; /* not worth it */
		unsigned char digest[16];
		crypto_generichash(digest, sizeof digest, f->data, f->len, NULL, 0);
		char hex[33];
		sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
		snprintf(a->etag, sizeof a->etag, "\"%s\"", hex);
		snprintf(a->etag_gz, sizeof a->etag_gz, "\"%s-gz\"", hex);
		a->type = content_type_of(f->name);
	}
}

/* etag_matches: If-None-Match (a list of entity tags, or "*") names etag.
 * The comparison is the weak one RFC 9110 prescribes: W/ is ignored. */
static bool etag_matches(const char *inm, const char *etag)
{
	size_t n = strlen(etag);
	for (const char *p = inm; *p;) {
		p += strspn(p, " \t,");
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		size_t len = strcspn(p, " \t,");
		if ((len == 1 && *p == '*') || (len == n && strncmp(p, etag, n) == 0))
			return true;
		p += len;
	}
	return false;
}

void service_static(request *r)
{
	const char *name = r->path + strlen("/static/");
	const struct asset *a = NULL;
	for (int i = 0; i < nassets; i++)
		if (strcmp(assets[i].file->name + 7, name) == 0)
			a = &assets[i];
	if (!a) {
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	bool gzip = a->gz && req_accepts_gzip(r);
	const char *etag = gzip ? a->etag_gz : a->etag;
	respond_header(r, "ETag", etag);
	respond_header(r, "Cache-Control", STATIC_MAX_AGE);
	if (a->gz)
		respond_header(r, "Vary", "Accept-Encoding");
	const char *inm = req_header(r, "If-None-Match");
	if (inm && etag_matches(inm, etag)) {
		r->status = 304;
		r->content_type = NULL;
		r->responded = true;
		return;
	}
	if (gzip) {
		respond_header(r, "Content-Encoding", "gzip");
		respond_bytes(r, 200, a->type, a->gz->data, a->gz->len);
		return;
	}
	respond_bytes(r, 200, a->type, a->file->data, a->file->len);
}

void service_healthz(request *r)
{
	db_conn *c = req_db(r);
	int64_t one = 0;
	if (!c || db_query_int(c, "SELECT 1", DB_NO_PARAMS, &one) != DB_OK || one != 1) {
		respond_bytes(r, 503, "text/plain; charset=utf-8", "database unavailable\n", 21);
		return;
	}
	respond_bytes(r, 200, "text/plain; charset=utf-8", "ok", 2);
}

/* metrics_caller_ok: with KHIBRA_METRICS_TOKEN, "Authorization: Bearer
 * TOKEN" (compared in constant time); without, a loopback socket peer — the
 * peer, not X-Forwarded-For, which a caller behind the proxy could write. */
static bool metrics_caller_ok(request *r)
{
	const char *token = r->app->cfg.metrics_token;
	if (!token)
		return req_peer_is_loopback(r);
	const char *auth = req_header(r, "Authorization");
	if (!auth || strncasecmp(auth, "Bearer ", 7) != 0)
		return false;
	const char *given = auth + 7;
	size_t n = strlen(token);
	return strlen(given) == n && sodium_memcmp(given, token, n) == 0;
}

void service_metrics(request *r)
{
	if (!metrics_caller_ok(r)) {
		/* The same 404 as any unknown address: /metrics is not advertised. */
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	buf out = BUF_INIT;
	metrics_render(&out);
	respond_bytes(r, 200, "text/plain; version=0.0.4; charset=utf-8", out.data, out.len);
	buf_free(&out);
}
