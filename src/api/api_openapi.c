/*
 * api_openapi.c — GET /api/v1/openapi.json: the OpenAPI 3.1 description of
 * the API.  docs/openapi.json holds the base (info, security, shared
 * schemas); each subject adds docs/openapi/NAME.json with its "paths" and
 * "components.schemas".  All are compiled into the binary and merged once.
 * tests/unit/openapi_test.c checks the result lists exactly the JSON routes
 * of the route table.
 */
#include "api/api.h"
#include "core/embedded.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char *document;

/* merge_object: copy every member of src[key] into dst[key]. */
static void merge_object(json_t *dst, json_t *src, const char *key)
{
	json_t *from = json_object_get(src, key);
	if (!json_is_object(from))
		return;
	json_t *into = json_object_get(dst, key);
	if (!json_is_object(into)) {
		into = json_object();
		json_object_set_new(dst, key, into);
	}
	json_object_update(into, from);
}

/* merge_paths: add src's paths to dst's one method at a time, so that a
 * fragment documenting DELETE /me keeps the GET /me documented elsewhere. */
static void merge_paths(json_t *dst, json_t *src)
{
	json_t *from = json_object_get(src, "paths");
	if (!json_is_object(from))
		return;
	json_t *into = json_object_get(dst, "paths");
	if (!json_is_object(into)) {
		into = json_object();
		json_object_set_new(dst, "paths", into);
	}
	const char *path;
	json_t *item;
	json_object_foreach(from, path, item) {
		json_t *have = json_object_get(into, path);
		if (json_is_object(have) && json_is_object(item))
			json_object_update(have, item);
		else
			json_object_set(into, path, item);
	}
}

json_t *api_openapi_document(void)
{
	const struct embedded_file *base = embedded_find("docs/openapi.json");
	if (!base)
		return NULL;
	json_t *doc = json_loadb((const char *)base->data, base->len, 0, NULL);
	if (!doc)
		return NULL;
	for (size_t i = 0; i < embedded_files_count; i++) {
		const struct embedded_file *f = &embedded_files[i];
		if (strncmp(f->name, "docs/openapi/", 13) != 0)
			continue;
		json_t *part = json_loadb((const char *)f->data, f->len, 0, NULL);
		if (!part)
			continue;
		merge_paths(doc, part);
		json_t *components = json_object_get(part, "components");
		if (components) {
			json_t *into = json_object_get(doc, "components");
			if (!into) {
				into = json_object();
				json_object_set_new(doc, "components", into);
			}
			merge_object(into, components, "schemas");
		}
		json_decref(part);
	}
	return doc;
}

static void build(void)
{
	json_t *doc = api_openapi_document();
	if (doc) {
		document = json_dumps(doc, JSON_COMPACT);
		json_decref(doc);
	}
}

void api_openapi(request *r)
{
	pthread_once(&once, build);
	if (!document) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	respond_header(r, "Cache-Control", "public, max-age=3600");
	respond_bytes(r, 200, "application/json; charset=utf-8", document, strlen(document));
}

void api_openapi_free(void)
{
	free(document);
	document = NULL;
}
