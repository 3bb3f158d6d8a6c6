/*
 * api_openapi.c — GET /api/v1/openapi.json: the OpenAPI 3.1 description of
 * the API, kept as docs/openapi.json and compiled into the binary.  A test
 * (tests/unit/openapi_test.c) checks it lists exactly the routes of the
 * route table.
 */
#include "api/api.h"
#include "core/embedded.h"

void api_openapi(request *r)
{
	const struct embedded_file *f = embedded_find("docs/openapi.json");
	if (!f) {
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	respond_header(r, "Cache-Control", "public, max-age=3600");
	respond_bytes(r, 200, "application/json; charset=utf-8", f->data, f->len);
}
