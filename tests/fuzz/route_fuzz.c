// fuzz-sources: ALL
// fuzz-libs: ALL
/*
 * route_fuzz.c — libFuzzer target for the dispatcher's first look at a
 * request: route_match and route_allowed_methods (http/route.h) on any method
 * and path bytes, then req_param_id (http/request.h) on the {id} values.
 *
 * routes.c names every handler, so this target links the whole of src/
 * (`// fuzz-sources: ALL`: every src/ file but src/cli/main.c, and the
 * generated build/gen/embedded.c — `make build/gen/embedded.c` first).
 * No handler ever runs here.
 *
 * Input: if it holds a NUL byte, the method is what comes before it and the
 * path what follows (up to the next NUL); otherwise byte 0 chooses a common
 * method and the rest is the path.
 *
 * Checked besides "no crash, no leak, no undefined behaviour":
 *   - a matched route is an entry of routes[] with this method (or GET for
 *     HEAD); it has exactly as many params as its pattern has {name}s, each
 *     a non-empty segment without '/'; a match never says "method mismatch";
 *   - when nothing matches, no param is left behind (all NULL, nparams 0);
 *   - route_allowed_methods lists the matched route's method, and something
 *     whenever route_match said "method mismatch";
 *   - req_param_id accepts exactly 1…18 decimal digits with a value above 0,
 *     and gives that value; it refuses an index past the params.
 */
#include "http/request.h"
#include "http/route.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static const char *const methods[] = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "get" };

/* id_expected: what req_param_id should say about s. */
static bool id_expected(const char *s, int64_t *out)
{
	size_t n = strlen(s);
	if (n == 0 || n > 18 || strspn(s, "0123456789") != n)
		return false;
	int64_t v = strtoll(s, NULL, 10);
	if (v <= 0)
		return false;
	*out = v;
	return true;
}

static void check_ids(request *r)
{
	for (int i = 0; i < LIMIT_ROUTE_PARAMS + 1; i++) {
		int64_t got = -1, want = -1;
		bool ok = req_param_id(r, i, &got);
		bool exp = i < r->nparams && r->params[i] && id_expected(r->params[i], &want);
		CHECK(ok == exp);
		if (ok)
			CHECK(got == want);
	}
}

static int count_params(const char *pattern)
{
	int n = 0;
	for (const char *p = pattern; (p = strchr(p, '{')); p++)
		n++;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 2);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = text[size + 1] = '\0';
	const char *method, *path;
	const char *nul = memchr(text, '\0', size);
	if (nul) {
		method = text;
		path = nul + 1;
	} else if (size > 0) {
		method = methods[(unsigned char)text[0] % (sizeof methods / sizeof methods[0])];
		path = text + 1;
	} else {
		method = "GET";
		path = text;
	}

	request r = { 0 };
	bool mismatch = true;
	const struct route *rt = route_match(&r, method, path, &mismatch);
	char allowed[256];
	route_allowed_methods(path, allowed, sizeof allowed);
	if (rt) {
		CHECK(rt >= routes && rt < routes + routes_count);
		CHECK(strcmp(rt->method, method) == 0 || (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0));
		CHECK(!mismatch);
		CHECK(strstr(allowed, rt->method) != NULL);
		if (rt->flags & ROUTE_PREFIX) {
			CHECK(r.nparams == 0);
		} else {
			CHECK(r.nparams == count_params(rt->pattern));
			for (int i = 0; i < r.nparams; i++)
				CHECK(r.params[i] && r.params[i][0] && !strchr(r.params[i], '/') && strstr(path, r.params[i]));
		}
	} else {
		CHECK(r.nparams == 0);
		for (int i = 0; i < LIMIT_ROUTE_PARAMS; i++)
			CHECK(r.params[i] == NULL);
		if (mismatch)
			CHECK(allowed[0] != '\0');
	}
	check_ids(&r);
	for (int i = 0; i < r.nparams; i++)
		free(r.params[i]);

	/* The whole path as a lone parameter, as if a pattern had taken it. */
	request one = { 0 };
	one.params[0] = (char *)path;
	one.nparams = 1;
	check_ids(&one);

	free(text);
	return 0;
}
