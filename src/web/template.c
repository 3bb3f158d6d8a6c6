/*
 * template.c — the template engine of template.h.
 *
 * A template is parsed once into a tree of nodes (text, variable, section,
 * inverted section, partial, translation).  Rendering walks the tree with the
 * context stack kept on the C stack, so the set itself is never written after
 * loading and many threads can render from it at once.
 *
 * Robustness matters more than speed here (the parser is fuzzed): the parser
 * takes any bytes and bounds the nesting of sections, so both the parser and
 * the renderer recurse at most TEMPLATE_MAX_NESTING deep per template; the
 * renderer bounds partial depth, the number of nodes it visits and the bytes
 * it writes, because sections over arrays nest multiplicatively.
 */
#include "web/template.h"
#include "core/embedded.h"
#include "core/xalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * The tree
 * ------------------------------------------------------------------------ */

enum node_kind { NODE_TEXT, NODE_VAR, NODE_SECTION, NODE_INVERTED, NODE_PARTIAL, NODE_TRANSLATE };

/* What a name of a variable or section refers to. */
enum name_kind { NAME_PATH, NAME_DOT, NAME_INDEX, NAME_FIRST, NAME_LAST };

struct node;

struct node_list {
	struct node *items;
	size_t count, cap;
};

struct node {
	enum node_kind kind;
	enum name_kind name_kind;  /* NODE_VAR, NODE_SECTION, NODE_INVERTED */
	int line;                  /* line of the tag (1-based), for messages */
	char *str;                 /* text, name, partial name or msgid; NUL-terminated */
	size_t len;                /* bytes in str */
	struct node_list body;     /* NODE_SECTION, NODE_INVERTED */
};

struct template {
	char *name;
	struct node_list root;
};

struct template_set {
	struct template *items;    /* sorted by name, for bsearch */
	size_t count, cap;
};

static char *copy_bytes(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* node_push: a new zeroed node at the end of list.  The pointer stays valid
 * until the next push into the same list. */
static struct node *node_push(struct node_list *list, enum node_kind kind, int line)
{
	if (list->count == list->cap) {
		list->cap = list->cap ? list->cap * 2 : 8;
		list->items = xreallocarray(list->items, list->cap, sizeof *list->items);
	}
	struct node *n = &list->items[list->count++];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->line = line;
	return n;
}

static void node_list_free(struct node_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		free(list->items[i].str);
		node_list_free(&list->items[i].body);
	}
	free(list->items);
	list->items = NULL;
	list->count = list->cap = 0;
}

/* ------------------------------------------------------------------------
 * Parser
 * ------------------------------------------------------------------------ */

struct parser {
	const char *name;          /* template name, for messages */
	const char *src;
	size_t len;
	size_t line_pos;           /* newlines are counted up to here ... */
	int line;                  /* ... and this is the line at line_pos */
	char *err;
	size_t errlen;
};

/* line_at: the line number of byte `pos`; cheap for increasing positions. */
static int line_at(struct parser *p, size_t pos)
{
	if (pos < p->line_pos) {
		p->line_pos = 0;
		p->line = 1;
	}
	for (; p->line_pos < pos; p->line_pos++)
		if (p->src[p->line_pos] == '\n')
			p->line++;
	return p->line;
}

__attribute__((format(printf, 3, 4)))
static bool parse_error(struct parser *p, int line, const char *fmt, ...)
{
	if (!p->err || !p->errlen)
		return false;
	int n = snprintf(p->err, p->errlen, "%s:%d: ", p->name, line);
	if (n < 0 || (size_t)n >= p->errlen)
		return false;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return false;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/* check_name: is s[0..n) a valid variable or section name?  Sets *kind. */
static bool check_name(const char *s, size_t n, enum name_kind *kind)
{
	static const struct { const char *name; enum name_kind kind; } special[] = {
		{".", NAME_DOT}, {"@index", NAME_INDEX}, {"@first", NAME_FIRST}, {"@last", NAME_LAST},
	};
	for (size_t i = 0; i < sizeof special / sizeof special[0]; i++) {
		if (n == strlen(special[i].name) && !memcmp(s, special[i].name, n)) {
			*kind = special[i].kind;
			return true;
		}
	}
	if (n == 0 || n > TEMPLATE_MAX_NAME)
		return false;
	bool segment_empty = true;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (segment_empty)
				return false;
			segment_empty = true;
		} else if (is_name_char(s[i])) {
			segment_empty = false;
		} else {
			return false;
		}
	}
	*kind = NAME_PATH;
	return !segment_empty;
}

static bool check_partial_name(const char *s, size_t n)
{
	if (n == 0 || n > TEMPLATE_MAX_NAME)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_name_char(s[i]) && s[i] != '/' && s[i] != '.')
			return false;
	return true;
}

/* copy_msgid: the msgid with each run of white space turned into one space
 * (the caller has trimmed both ends). */
static char *copy_msgid(const char *s, size_t n, size_t *out_len)
{
	char *m = xmalloc(n + 1);
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		if (is_space(s[i])) {
			if (len && m[len - 1] == ' ')
				continue;
			m[len++] = ' ';
		} else {
			m[len++] = s[i];
		}
	}
	m[len] = '\0';
	*out_len = len;
	return m;
}

static void add_text(struct node_list *out, const char *s, size_t n, int line)
{
	if (!n)
		return;
	struct node *t = node_push(out, NODE_TEXT, line);
	t->str = copy_bytes(s, n);
	t->len = n;
}

/* standalone: if the tag at [tag, tag_end) is alone on its line (only spaces
 * and tabs around it), widen the range to cover the whole line and its
 * newline.  *text_end is where the text before the tag ends, *next where
 * parsing resumes. */
static void standalone(const struct parser *p, size_t tag, size_t tag_end,
		       size_t *text_end, size_t *next)
{
	size_t a = tag;
	while (a > 0 && (p->src[a - 1] == ' ' || p->src[a - 1] == '\t'))
		a--;
	if (a > 0 && p->src[a - 1] != '\n')
		return;
	size_t b = tag_end;
	while (b < p->len && (p->src[b] == ' ' || p->src[b] == '\t'))
		b++;
	if (b < p->len && p->src[b] == '\r' && b + 1 < p->len && p->src[b + 1] == '\n')
		b += 2;
	else if (b < p->len && p->src[b] == '\n')
		b += 1;
	else if (b < p->len)
		return;
	*text_end = a;
	*next = b;
}

/* One tag as read from the text. */
struct tag {
	size_t text_end;           /* the text before the tag ends here ... */
	size_t next;               /* ... and the text after it starts here (standalone lines) */
	int line;
	char sigil;                /* '!', '#', '^', '/', '>', '_', or 0 for a variable */
	const char *arg;           /* the name or msgid, trimmed */
	size_t arg_len;
	int shown;                 /* bytes of arg worth showing in a message */
};

/* read_tag: find the first tag at or after `from` and check its form (not
 * yet its name).  Sets *found and fills *t in if there is one; returns false
 * after a syntax error. */
static bool read_tag(struct parser *p, size_t from, struct tag *t, bool *found)
{
	const char *open = memmem(p->src + from, p->len - from, "{{", 2);
	*found = open != NULL;
	if (!open)
		return true;
	size_t start = (size_t)(open - p->src);
	t->line = line_at(p, start);
	const char *inner = open + 2;
	const char *close = memmem(inner, p->len - (start + 2), "}}", 2);
	if (!close || memmem(inner, (size_t)(close - inner), "{{", 2))
		return parse_error(p, t->line, "unterminated tag: no \"}}\" after \"{{\"");
	size_t end = (size_t)(close - p->src) + 2;

	const char *s = inner, *e = close;
	while (s < e && is_space(*s))
		s++;
	while (e > s && is_space(e[-1]))
		e--;
	if (s == e)
		return parse_error(p, t->line, "empty tag {{}}");

	t->sigil = *s;
	t->arg = s + 1;
	while (t->arg < e && is_space(*t->arg))
		t->arg++;
	t->text_end = start;
	t->next = end;
	switch (t->sigil) {
	case '!':
	case '#':
	case '^':
	case '/':
	case '>':
		standalone(p, start, end, &t->text_end, &t->next);
		break;
	case '{':
	case '&':
		return parse_error(p, t->line, "{{%c…}}: there is no unescaped output", t->sigil);
	case '_':
		if (s + 1 == e || is_space(s[1]))
			break;
		__attribute__((fallthrough));  /* a name starting with '_' */
	default:
		if (!is_name_char(t->sigil) && t->sigil != '.' && t->sigil != '@') {
			if (t->sigil > ' ' && t->sigil < 0x7f)
				return parse_error(p, t->line, "unknown tag {{%c…}}", t->sigil);
			return parse_error(p, t->line, "unknown tag {{\\x%02x…}}",
					   (unsigned char)t->sigil);
		}
		t->sigil = 0;
		t->arg = s;
		break;
	}
	t->arg_len = (size_t)(e - t->arg);
	t->shown = t->arg_len > 40 ? 40 : (int)t->arg_len;
	if (!t->arg_len && t->sigil && t->sigil != '!' && t->sigil != '_')
		return parse_error(p, t->line, "empty name in {{%c}}", t->sigil);
	return true;
}

/* push_named: a variable, section or partial node named by the tag. */
static struct node *push_named(struct node_list *out, enum node_kind kind, const struct tag *t,
			       enum name_kind name_kind)
{
	struct node *n = node_push(out, kind, t->line);
	n->name_kind = name_kind;
	n->str = copy_bytes(t->arg, t->arg_len);
	n->len = t->arg_len;
	return n;
}

/* parse_block: parse from *pos into out until the end of the text (open ==
 * NULL) or the {{/name}} closing `open`.  Leaves *pos after what it read.
 * On error returns false; nodes already built stay in `out` for the caller
 * to free. */
static bool parse_block(struct parser *p, size_t *pos, struct node_list *out,
			const struct node *open, int depth)
{
	for (;;) {
		struct tag t = {0};
		bool found = false;
		if (!read_tag(p, *pos, &t, &found))
			return false;
		if (!found) {
			add_text(out, p->src + *pos, p->len - *pos, line_at(p, *pos));
			*pos = p->len;
			if (open)
				return parse_error(p, open->line, "unclosed section {{%c%s}}",
						   open->kind == NODE_SECTION ? '#' : '^', open->str);
			return true;
		}
		add_text(out, p->src + *pos, t.text_end - *pos, line_at(p, *pos));
		*pos = t.next;

		enum name_kind name_kind = NAME_PATH;
		struct node *n;
		switch (t.sigil) {
		case '!':
			break;
		case '_':
			if (!t.arg_len)
				return parse_error(p, t.line, "empty translation {{_ }}");
			n = node_push(out, NODE_TRANSLATE, t.line);
			n->str = copy_msgid(t.arg, t.arg_len, &n->len);
			break;
		case '>':
			if (!check_partial_name(t.arg, t.arg_len))
				return parse_error(p, t.line, "invalid partial name {{>%.*s}}", t.shown, t.arg);
			push_named(out, NODE_PARTIAL, &t, NAME_PATH);
			break;
		case '/':
			if (!check_name(t.arg, t.arg_len, &name_kind))
				return parse_error(p, t.line, "invalid name {{/%.*s}}", t.shown, t.arg);
			if (!open)
				return parse_error(p, t.line, "{{/%.*s}} closes no section", t.shown, t.arg);
			if (t.arg_len != open->len || memcmp(t.arg, open->str, t.arg_len))
				return parse_error(p, t.line, "{{/%.*s}} does not close {{%c%s}} of line %d",
						   t.shown, t.arg, open->kind == NODE_SECTION ? '#' : '^',
						   open->str, open->line);
			return true;
		case '#':
		case '^':
			if (!check_name(t.arg, t.arg_len, &name_kind))
				return parse_error(p, t.line, "invalid name {{%c%.*s}}", t.sigil, t.shown, t.arg);
			if (depth >= TEMPLATE_MAX_NESTING)
				return parse_error(p, t.line, "sections nested deeper than %d",
						   TEMPLATE_MAX_NESTING);
			n = push_named(out, t.sigil == '#' ? NODE_SECTION : NODE_INVERTED, &t, name_kind);
			/* n stays valid: the recursion only pushes into n->body */
			if (!parse_block(p, pos, &n->body, n, depth + 1))
				return false;
			break;
		default:
			if (!check_name(t.arg, t.arg_len, &name_kind))
				return parse_error(p, t.line, "invalid name {{%.*s}}", t.shown, t.arg);
			push_named(out, NODE_VAR, &t, name_kind);
			break;
		}
	}
}

/* ------------------------------------------------------------------------
 * The set
 * ------------------------------------------------------------------------ */

static int compare_template(const void *key, const void *item)
{
	return strcmp(key, ((const struct template *)item)->name);
}

static const struct template *template_find(const template_set *s, const char *name)
{
	if (!s->count)
		return NULL;
	return bsearch(name, s->items, s->count, sizeof s->items[0], compare_template);
}

template_set *template_set_new(void)
{
	return xcalloc(1, sizeof(template_set));
}

void template_set_free(template_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->count; i++) {
		free(s->items[i].name);
		node_list_free(&s->items[i].root);
	}
	free(s->items);
	free(s);
}

bool template_set_has(const template_set *s, const char *name)
{
	return template_find(s, name) != NULL;
}

bool template_set_add(template_set *s, const char *name, const char *text, size_t len,
		      char *err, size_t errlen)
{
	struct parser p = {name, text ? text : "", text ? len : 0, 0, 1, err, errlen};
	if (template_find(s, name)) {
		if (err && errlen)
			snprintf(err, errlen, "%s: a template of that name is already loaded", name);
		return false;
	}
	const char *nul = memchr(p.src, '\0', p.len);
	if (nul)
		return parse_error(&p, line_at(&p, (size_t)(nul - p.src)), "NUL byte in the template");

	struct node_list root = {0};
	size_t pos = 0;
	if (!parse_block(&p, &pos, &root, NULL, 0)) {
		node_list_free(&root);
		return false;
	}

	size_t at = 0;  /* insertion point that keeps items sorted */
	while (at < s->count && strcmp(s->items[at].name, name) < 0)
		at++;
	if (s->count == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->items = xreallocarray(s->items, s->cap, sizeof *s->items);
	}
	memmove(&s->items[at + 1], &s->items[at], (s->count - at) * sizeof *s->items);
	s->items[at].name = xstrdup(name);
	s->items[at].root = root;
	s->count++;
	return true;
}

/* check_partials: every {{>name}} in list names a template of the set. */
static bool check_partials(const template_set *s, const char *tname, const struct node_list *list,
			   char *err, size_t errlen)
{
	for (size_t i = 0; i < list->count; i++) {
		const struct node *n = &list->items[i];
		if (n->kind == NODE_PARTIAL && !template_find(s, n->str)) {
			if (err && errlen)
				snprintf(err, errlen, "%s:%d: unknown partial {{>%s}}", tname, n->line, n->str);
			return false;
		}
		if (!check_partials(s, tname, &n->body, err, errlen))
			return false;
	}
	return true;
}

bool template_set_load_embedded(template_set *s, char *err, size_t errlen)
{
	static const char prefix[] = "templates/", suffix[] = ".html";
	const size_t plen = sizeof prefix - 1, slen = sizeof suffix - 1;

	for (size_t i = 0; i < embedded_files_count; i++) {
		const struct embedded_file *f = &embedded_files[i];
		size_t n = strlen(f->name);
		if (n <= plen + slen || strncmp(f->name, prefix, plen) ||
		    strcmp(f->name + n - slen, suffix))
			continue;
		char *name = copy_bytes(f->name + plen, n - plen - slen);
		bool ok = template_set_add(s, name, (const char *)f->data, f->len, err, errlen);
		free(name);
		if (!ok)
			return false;
	}
	for (size_t i = 0; i < s->count; i++)
		if (!check_partials(s, s->items[i].name, &s->items[i].root, err, errlen))
			return false;
	return true;
}

/* ------------------------------------------------------------------------
 * Messages
 * ------------------------------------------------------------------------ */

struct msgids {
	const char **items;
	size_t count, cap;
};

static void collect_msgids(const struct node_list *list, struct msgids *m)
{
	for (size_t i = 0; i < list->count; i++) {
		const struct node *n = &list->items[i];
		if (n->kind == NODE_TRANSLATE) {
			if (m->count == m->cap) {
				m->cap = m->cap ? m->cap * 2 : 64;
				m->items = xreallocarray(m->items, m->cap, sizeof *m->items);
			}
			m->items[m->count++] = n->str;
		}
		collect_msgids(&n->body, m);
	}
}

static int compare_string(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void template_set_each_msgid(const template_set *s, void (*fn)(void *ud, const char *msgid), void *ud)
{
	struct msgids m = {0};
	for (size_t i = 0; i < s->count; i++)
		collect_msgids(&s->items[i].root, &m);
	if (m.count)
		qsort(m.items, m.count, sizeof *m.items, compare_string);
	for (size_t i = 0; i < m.count; i++)
		if (i == 0 || strcmp(m.items[i], m.items[i - 1]))
			fn(ud, m.items[i]);
	free(m.items);
}

/* ------------------------------------------------------------------------
 * Rendering
 * ------------------------------------------------------------------------ */

void html_escape(buf *out, const char *s, size_t len)
{
	size_t done = 0;
	for (size_t i = 0; i < len; i++) {
		const char *entity;
		switch (s[i]) {
		case '&': entity = "&amp;"; break;
		case '<': entity = "&lt;"; break;
		case '>': entity = "&gt;"; break;
		case '"': entity = "&quot;"; break;
		case '\'': entity = "&#39;"; break;
		default: continue;
		}
		buf_append(out, s + done, i - done);
		buf_puts(out, entity);
		done = i + 1;
	}
	buf_append(out, s + done, len - done);
}

/* One level of the context stack; frames live on the C stack. */
struct frame {
	json_t *value;
	const struct frame *parent;
	bool in_array;             /* value is element `index` of an array of `count` */
	size_t index, count;
};

struct render {
	const template_set *set;
	template_translate_fn tr;
	void *userdata;
	buf *out;
	size_t start;              /* out->len before this render */
	size_t steps;
};

/* lookup: the value a name refers to, or NULL.  *owned is set when the
 * caller must json_decref the result ({{@index}}). */
static json_t *lookup(const struct node *n, const struct frame *f, bool *owned)
{
	*owned = false;
	switch (n->name_kind) {
	case NAME_DOT:
		return f->value;
	case NAME_INDEX:
	case NAME_FIRST:
	case NAME_LAST:
		while (f && !f->in_array)
			f = f->parent;
		if (!f)
			return NULL;
		if (n->name_kind == NAME_FIRST)
			return json_boolean(f->index == 0);
		if (n->name_kind == NAME_LAST)
			return json_boolean(f->index + 1 == f->count);
		*owned = true;
		return json_integer((json_int_t)f->index);
	case NAME_PATH:
		break;
	}
	const char *segment = n->str, *end = n->str + n->len;
	const char *dot = memchr(segment, '.', (size_t)(end - segment));
	size_t seglen = (size_t)((dot ? dot : end) - segment);
	json_t *v = NULL;
	for (; f && !v; f = f->parent)
		if (json_is_object(f->value))
			v = json_object_getn(f->value, segment, seglen);
	while (v && dot) {
		segment = dot + 1;
		dot = memchr(segment, '.', (size_t)(end - segment));
		seglen = (size_t)((dot ? dot : end) - segment);
		v = json_is_object(v) ? json_object_getn(v, segment, seglen) : NULL;
	}
	return v;
}

/* truthy: would a section on v render (ignoring that arrays repeat)? */
static bool truthy(const json_t *v)
{
	if (!v)
		return false;
	switch (json_typeof(v)) {
	case JSON_OBJECT: return true;
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0.0;
	case JSON_TRUE: return true;
	case JSON_FALSE:
	case JSON_NULL: return false;
	}
	return false;
}

/* format_real: at most two decimals, trailing zeros dropped.  Done by hand
 * because printf's decimal point follows the locale. */
static void format_real(buf *out, double d)
{
	if (!isfinite(d))
		return;
	if (fabs(d) >= 1e15) {   /* no room for cents in a long long; no fraction shown */
		buf_printf(out, "%.0f", d);
		return;
	}
	long long cents = llround(d * 100.0);
	unsigned long long abs_cents = cents < 0 ? 0ull - (unsigned long long)cents : (unsigned long long)cents;
	buf_printf(out, "%s%llu", cents < 0 ? "-" : "", abs_cents / 100);
	unsigned frac = (unsigned)(abs_cents % 100);
	if (frac % 10)
		buf_printf(out, ".%02u", frac);
	else if (frac)
		buf_printf(out, ".%u", frac / 10);
}

static void render_value(buf *out, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		html_escape(out, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		format_real(out, json_real_value(v));
		break;
	case JSON_TRUE:
		buf_puts(out, "true");
		break;
	case JSON_FALSE:
	case JSON_NULL:
	case JSON_OBJECT:
	case JSON_ARRAY:
		break;
	}
}

static bool render_list(struct render *r, const struct node_list *list, const struct frame *f, int depth);

static bool render_section(struct render *r, const struct node *n, json_t *v, const struct frame *f,
			   int depth)
{
	if (json_is_array(v)) {
		size_t count = json_array_size(v);
		for (size_t i = 0; i < count; i++) {
			struct frame child = {json_array_get(v, i), f, true, i, count};
			if (++r->steps > TEMPLATE_MAX_RENDER_STEPS || !render_list(r, &n->body, &child, depth))
				return false;
		}
		return true;
	}
	if (json_is_object(v)) {
		struct frame child = {v, f, false, 0, 0};
		return render_list(r, &n->body, &child, depth);
	}
	return truthy(v) ? render_list(r, &n->body, f, depth) : true;
}

/* render_list: render the nodes of list in context f; depth counts partials. */
static bool render_list(struct render *r, const struct node_list *list, const struct frame *f, int depth)
{
	for (size_t i = 0; i < list->count; i++) {
		const struct node *n = &list->items[i];
		if (++r->steps > TEMPLATE_MAX_RENDER_STEPS)
			return false;
		bool ok = true, owned = false;
		json_t *v;
		switch (n->kind) {
		case NODE_TEXT:
			buf_append(r->out, n->str, n->len);
			break;
		case NODE_VAR:
			v = lookup(n, f, &owned);
			if (v)
				render_value(r->out, v);
			if (owned)
				json_decref(v);
			break;
		case NODE_TRANSLATE: {
			const char *t = r->tr ? r->tr(r->userdata, n->str) : n->str;
			if (!t)
				t = n->str;
			html_escape(r->out, t, strlen(t));
			break;
		}
		case NODE_SECTION:
		case NODE_INVERTED:
			v = lookup(n, f, &owned);
			if (n->kind == NODE_SECTION)
				ok = render_section(r, n, v, f, depth);
			else if (!truthy(v))
				ok = render_list(r, &n->body, f, depth);
			if (owned)
				json_decref(v);
			break;
		case NODE_PARTIAL: {
			const struct template *t = template_find(r->set, n->str);
			ok = t && depth < TEMPLATE_MAX_PARTIAL_DEPTH &&
			     render_list(r, &t->root, f, depth + 1);
			break;
		}
		}
		if (!ok || r->out->len - r->start > TEMPLATE_MAX_OUTPUT)
			return false;
	}
	return true;
}

bool template_render(const template_set *s, const char *name, json_t *ctx,
		     template_translate_fn tr, void *userdata, buf *out)
{
	const struct template *t = template_find(s, name);
	if (!t)
		return false;
	struct render r = {s, tr, userdata, out, out->len, 0};
	struct frame root = {ctx, NULL, false, 0, 0};
	if (render_list(&r, &t->root, &root, 0))
		return true;
	out->len = r.start;  /* drop the partial output */
	if (out->cap)
		out->data[out->len] = '\0';
	return false;
}
