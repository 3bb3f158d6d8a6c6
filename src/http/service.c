/*
 * service.c — /healthz, /metrics and /static/… (see service.h).
 *
 * Static assets are compiled into the binary with their gzip forms made at
 * build time; each gets a strong ETag (BLAKE2b of its bytes) so browsers on
 * slow networks revalidate with a 304 instead of downloading again.
 */
#include "http/service.h"
#include "http/metrics.h"
#include "core/embedded.h"
#include "core/xalloc.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define STATIC_MAX_AGE "public, max-age=86400"

struct asset {
	const struct embedded_file *file;
	const struct embedded_file *gz;
	char etag[40];
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
		a->type = content_type_of(f->name);
	}
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
	respond_header(r, "ETag", a->etag);
	respond_header(r, "Cache-Control", STATIC_MAX_AGE);
	const char *inm = req_header(r, "If-None-Match");
	if (inm && strstr(inm, a->etag)) {
		r->status = 304;
		r->content_type = NULL;
		r->responded = true;
		return;
	}
	const char *ae = req_header(r, "Accept-Encoding");
	if (a->gz && ae && strstr(ae, "gzip")) {
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

void service_metrics(request *r)
{
	buf out = BUF_INIT;
	metrics_render(&out);
	respond_bytes(r, 200, "text/plain; version=0.0.4; charset=utf-8", out.data, out.len);
	buf_free(&out);
}
