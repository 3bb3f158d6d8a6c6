/*
 * template.h — Khibra's HTML templates: a small, logic-less, mustache-like
 * language in which every value is HTML-escaped and only the template's own
 * literal text is written raw.
 *
 * Syntax
 * ------
 *   literal text          copied as is.  This is the only raw output there is.
 *   {{name}}              the value of `name`, HTML-escaped (html_escape below).
 *   {{a.b.c}}             dotted lookup.
 *   {{.}}                 the current value (innermost section's value).
 *   {{@index}}            inside an array section: the element's 0-based index;
 *   {{@first}} {{@last}}  true on the first / last element (for sections:
 *                         {{^@last}}, {{/@last}} puts commas between items).
 *   {{#name}}…{{/name}}   section, see below.
 *   {{^name}}…{{/name}}   inverted section: the body once when {{#name}} would
 *                         render nothing (missing, false, null, "", 0, []).
 *   {{>name}}             partial: the template `name` of the same set, with the
 *                         same context stack.
 *   {{_ English text}}    the translation of the msgid "English text", escaped.
 *                         The msgid is trimmed and each run of white space in it
 *                         becomes one space, so it may be wrapped over lines.
 *   {{! comment }}        nothing.
 *
 *   White space is allowed inside the braces: {{ name }}, {{# items }}.
 *
 * Values:  strings as they are; integers in decimal; reals with at most two
 *   decimals, trailing zeros dropped (12.5, 3, 0.25); true → "true";
 *   false, null, missing → nothing; objects and arrays → nothing.
 *
 * Lookup:  the first segment of a name is looked up in the innermost context
 *   that is an object holding that key, then outwards to the root context;
 *   the rest of a dotted name descends from there only (mustache rules).
 *
 * Sections {{#name}}:  array → the body once per element, the element pushed
 *   as the current context (an empty array renders nothing); object → the body
 *   once with the object pushed; true, a non-empty string, a non-zero number →
 *   the body once, nothing pushed; false, null, missing, "", 0 → nothing.
 *
 * Names:  segments of ASCII letters, digits, '_' and '-' joined by '.', or one
 *   of ".", "@index", "@first", "@last".  Partial names may also hold '/' and
 *   '.' ("forms/field").
 *
 * Standalone lines:  a line holding nothing but white space and one section,
 *   inverted, close, comment or partial tag is removed entirely (tag, the
 *   white space around it and its newline), so block tags do not leave blank
 *   lines in the page.
 *
 * Errors (reported by template_set_add as "NAME:LINE: message"): unclosed or
 *   mismatched sections, a close without an open section, the raw forms
 *   {{{x}}} and {{&x}} (there is no unescaped output), any other unknown sigil,
 *   empty tags and names, names with invalid characters, a "{{" without its
 *   "}}", an empty {{_ }}, sections nested deeper than TEMPLATE_MAX_NESTING,
 *   a NUL byte in the text.  A literal "{{" cannot appear in a template.
 *
 * Threads:  a set is immutable once loaded; any number of threads may render
 *   from it at once.  The context is only read (its reference counts are not
 *   touched), so a shared context is fine too.
 *
 * Limits:  rendering fails (returns false, `out` left as it was) when partials
 *   nest deeper than TEMPLATE_MAX_PARTIAL_DEPTH, when it visits more than
 *   TEMPLATE_MAX_RENDER_STEPS nodes or writes more than TEMPLATE_MAX_OUTPUT
 *   bytes — so no template and context can recurse without end, run for ever
 *   or exhaust memory.
 */
#ifndef KHIBRA_TEMPLATE_H
#define KHIBRA_TEMPLATE_H

#include "core/buf.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define TEMPLATE_MAX_NESTING        32                 /* sections inside sections */
#define TEMPLATE_MAX_PARTIAL_DEPTH  16                 /* partials inside partials */
#define TEMPLATE_MAX_NAME           128                /* bytes in a name */
#define TEMPLATE_MAX_RENDER_STEPS   (2u * 1024 * 1024) /* nodes visited by one render */
#define TEMPLATE_MAX_OUTPUT         (16u * 1024 * 1024) /* bytes written by one render */

typedef struct template_set template_set;

/* translate callback: returns the translation of msgid (never NULL) */
typedef const char *(*template_translate_fn)(void *userdata, const char *msgid);

template_set *template_set_new(void);
void template_set_free(template_set *s);

/* template_set_add: parse `len` bytes of `text` and add them under `name`.  On
 * a syntax error (or a name already in the set) returns false, adds nothing
 * and writes "NAME:LINE: what is wrong" into err (err may be NULL). */
bool template_set_add(template_set *s, const char *name, const char *text, size_t len,
		      char *err, size_t errlen);

/* template_set_load_embedded: add every embedded file "templates/X.html" under
 * the name "X", then check that every partial referenced in the set exists. */
bool template_set_load_embedded(template_set *s, char *err, size_t errlen);

bool template_set_has(const template_set *s, const char *name);

/* template_render: render template `name` with context `ctx` (may be NULL)
 * and append the result to out.  Returns false — and leaves out as it was —
 * if the template or a partial it uses does not exist, or a limit above is
 * exceeded.  tr may be NULL: {{_ x}} then renders x itself. */
bool template_render(const template_set *s, const char *name, json_t *ctx,
		     template_translate_fn tr, void *userdata, buf *out);

/* template_set_each_msgid: call fn once for every distinct msgid used by a
 * {{_ …}} tag in the set, in strcmp order (for the translation-completeness
 * test and the po extraction script). */
void template_set_each_msgid(const template_set *s, void (*fn)(void *ud, const char *msgid), void *ud);

/* html_escape: append s escaped for HTML text and attribute values:
 * & < > " ' become &amp; &lt; &gt; &quot; &#39;.  Other bytes (UTF-8
 * included) pass through unchanged. */
void html_escape(buf *out, const char *s, size_t len);

#endif
