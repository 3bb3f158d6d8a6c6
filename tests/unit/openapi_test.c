/*
 * openapi_test.c — docs/openapi.json (served at /api/v1/openapi.json) and the
 * route table describe the same API: every JSON route is documented with its
 * method, and nothing is documented that does not exist.
 */
#include "api/api.h"
#include "core/embedded.h"
#include "http/route.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <jansson.h>
#include <string.h>

static json_t *load_doc(void)
{
	/* Every fragment must parse: a broken one would silently drop its paths. */
	for (size_t i = 0; i < embedded_files_count; i++) {
		const struct embedded_file *f = &embedded_files[i];
		if (strncmp(f->name, "docs/openapi", 12) != 0)
			continue;
		json_error_t err;
		json_t *part = json_loadb((const char *)f->data, f->len, 0, &err);
		cr_assert_not_null(part, "%s does not parse: %s at line %d", f->name, err.text, err.line);
		json_decref(part);
	}
	json_t *doc = api_openapi_document();
	cr_assert_not_null(doc, "docs/openapi.json is missing or broken");
	return doc;
}

static void lower(const char *in, char *out, size_t n)
{
	size_t i = 0;
	for (; in[i] && i + 1 < n; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	out[i] = '\0';
}

Test(openapi, is_openapi_3_1)
{
	json_t *doc = load_doc();
	cr_assert_str_eq(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
	cr_assert(json_is_object(json_object_get(doc, "paths")));
	json_decref(doc);
}

Test(openapi, every_api_route_is_documented)
{
	json_t *doc = load_doc();
	json_t *paths = json_object_get(doc, "paths");
	int api_routes = 0;
	for (int i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		if (!(rt->flags & ROUTE_API))
			continue;
		api_routes++;
		const char *path = rt->pattern + strlen("/api/v1");
		json_t *item = json_object_get(paths, path);
		cr_expect_not_null(item, "route %s %s is missing from docs/openapi.json", rt->method, rt->pattern);
		char method[16];
		lower(rt->method, method, sizeof method);
		if (item)
			cr_expect_not_null(json_object_get(item, method), "docs/openapi.json has %s but not its %s",
					   path, rt->method);
	}
	cr_assert_gt(api_routes, 5);
	json_decref(doc);
}

Test(openapi, nothing_documented_that_does_not_exist)
{
	json_t *doc = load_doc();
	const char *path;
	json_t *item;
	json_object_foreach(json_object_get(doc, "paths"), path, item) {
		const char *method;
		json_t *op;
		json_object_foreach(item, method, op) {
			bool found = false;
			for (int i = 0; i < routes_count && !found; i++) {
				char m[16];
				lower(routes[i].method, m, sizeof m);
				found = (routes[i].flags & ROUTE_API) && strcmp(m, method) == 0 &&
					strcmp(routes[i].pattern + strlen("/api/v1"), path) == 0;
			}
			cr_expect(found, "docs/openapi.json documents %s %s, which the route table lacks", method, path);
		}
	}
	json_decref(doc);
}

Test(routes, every_route_has_an_access_level_and_a_handler)
{
	for (int i = 0; i < routes_count; i++) {
		cr_expect_neq(routes[i].access, ACCESS_NONE, "route %s %s has no access level", routes[i].method,
			      routes[i].pattern);
		cr_expect_not_null(routes[i].handler);
		cr_expect_not_null(routes[i].summary);
	}
}

Test(routes, matches_parameters_and_methods)
{
	request r;
	memset(&r, 0, sizeof r);
	bool mismatch = false;
	const struct route *rt = route_match(&r, "DELETE", "/api/v1/tokens/42", &mismatch);
	cr_assert_not_null(rt);
	cr_assert_eq(r.nparams, 1);
	cr_assert_str_eq(r.params[0], "42");
	int64_t id = 0;
	cr_assert(req_param_id(&r, 0, &id));
	cr_assert_eq(id, 42);
	free(r.params[0]);

	memset(&r, 0, sizeof r);
	cr_assert_null(route_match(&r, "GET", "/api/v1/auth/login", &mismatch));
	cr_assert(mismatch, "a known path with another method is a 405, not a 404");
	cr_assert_null(route_match(&r, "GET", "/api/v1/tokens/42/extra", &mismatch));
	cr_assert_not(mismatch);
	cr_assert_null(route_match(&r, "DELETE", "/api/v1/tokens/", &mismatch), "an empty {id} matches nothing");

	char allow[64];
	route_allowed_methods("/login", allow, sizeof allow);
	cr_assert_str_eq(allow, "GET, POST");
}

Test(routes, param_id_rejects_non_numbers)
{
	request r;
	memset(&r, 0, sizeof r);
	const char *bad[] = { "0", "-1", "1e3", "12a", "99999999999999999999", "" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		r.params[0] = (char *)bad[i];
		r.nparams = 1;
		int64_t id = 0;
		cr_expect_not(req_param_id(&r, 0, &id), "\"%s\" accepted as an id", bad[i]);
	}
}
