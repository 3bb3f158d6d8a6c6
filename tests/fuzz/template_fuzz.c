// fuzz-sources: src/web/template.c src/core/buf.c src/core/xalloc.c src/core/embedded.c
// fuzz-libs: jansson
/*
 * template_fuzz.c — libFuzzer target for the template engine (web/template.h).
 *
 * Input: byte 0 holds flags, the rest is a template text and a JSON context.
 * If the rest holds a NUL byte, the template is what comes before the first
 * NUL and the JSON what follows; otherwise bits 2–7 of byte 0 choose the
 * split point.  Bit 0 selects a translate callback (else NULL), bit 1 whether
 * the template is also loaded next to the embedded table below.
 *
 * Checked besides "no crash, no leak, no undefined behaviour": a failed
 * render leaves its buffer as it was, and html_escape never lets one of the
 * five special characters through.
 */
#include "core/buf.h"
#include "core/embedded.h"
#include "web/template.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The fuzz build has no generated table; this one (sorted by name) exercises
 * template_set_load_embedded, including a partial that is the fuzzed text. */
static const unsigned char layout_html[] =
	"<html>{{_ Title}}\n{{#items}}\n  {{>item}}\n{{/items}}\n{{>content}}</html>";
static const unsigned char item_html[] = "<li>{{@index}} {{name}}{{^@last}},{{/@last}}</li>";
static const unsigned char style_css[] = "body{}";
const struct embedded_file embedded_files[] = {
	{"assets/style.css", style_css, sizeof style_css - 1},
	{"templates/item.html", item_html, sizeof item_html - 1},
	{"templates/layout.html", layout_html, sizeof layout_html - 1},
};
const size_t embedded_files_count = sizeof embedded_files / sizeof embedded_files[0];

static const char *translate(void *userdata, const char *msgid)
{
	(void)userdata;
	return strlen(msgid) % 2 ? "<ترجمة & 'x'>" : msgid;
}

static void count_msgid(void *ud, const char *msgid)
{
	*(size_t *)ud += strlen(msgid);
}

static void check_escape(const uint8_t *data, size_t size)
{
	buf out = BUF_INIT;
	html_escape(&out, (const char *)data, size);
	for (size_t i = 0; i < out.len; i++) {
		const char *p = out.data + i;
		if (*p == '<' || *p == '>' || *p == '"' || *p == '\'')
			abort();
		if (*p == '&' && strncmp(p, "&amp;", 5) && strncmp(p, "&lt;", 4) &&
		    strncmp(p, "&gt;", 4) && strncmp(p, "&quot;", 6) && strncmp(p, "&#39;", 5))
			abort();
	}
	buf_free(&out);
}

/* render: render name; a failure must leave out untouched. */
static void render(const template_set *s, const char *name, json_t *ctx, template_translate_fn tr)
{
	buf out = BUF_INIT;
	buf_puts(&out, "prefix");
	if (!template_render(s, name, ctx, tr, NULL, &out) && strcmp(out.data, "prefix"))
		abort();
	buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned flags = data[0];
	const char *rest = (const char *)data + 1;
	size_t len = size - 1;
	const char *nul = memchr(rest, '\0', len);
	size_t text_len = nul ? (size_t)(nul - rest) : (flags >> 2) * len / 63;
	const char *json = rest + text_len + (nul ? 1 : 0);
	size_t json_len = len - (size_t)(json - rest);

	json_t *ctx = json_loadb(json, json_len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	template_translate_fn tr = flags & 1 ? translate : NULL;
	char err[128];

	template_set *s = template_set_new();
	bool added = template_set_add(s, "content", rest, text_len, err, sizeof err);
	if (added && !template_set_has(s, "content"))
		abort();
	render(s, "content", ctx, tr);
	if (flags & 2) {
		template_set_load_embedded(s, err, sizeof err);
		render(s, "layout", ctx, tr);
	}
	size_t total = 0;
	template_set_each_msgid(s, count_msgid, &total);
	template_set_free(s);

	check_escape(data, size);
	json_decref(ctx);
	return 0;
}
