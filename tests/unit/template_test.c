/* template_test.c — unit tests of the template engine (src/web/template.h). */
#include "core/buf.h"
#include "core/embedded.h"
#include "web/template.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------ */

static json_t *parse_json(const char *json)
{
	if (!json)
		return NULL;
	json_error_t error;
	json_t *v = json_loads(json, JSON_DECODE_ANY, &error);
	cr_assert_not_null(v, "bad test JSON %s: %s", json, error.text);
	return v;
}

static void add(template_set *s, const char *name, const char *text)
{
	char err[256] = "";
	cr_assert(template_set_add(s, name, text, strlen(text), err, sizeof err),
		  "template %s rejected: %s", name, err);
}

/* render_set: render `name` of s with the JSON context; the caller frees. */
static char *render_set(const template_set *s, const char *name, const char *json,
			template_translate_fn tr, void *userdata)
{
	json_t *ctx = parse_json(json);
	buf out = BUF_INIT;
	bool ok = template_render(s, name, ctx, tr, userdata, &out);
	json_decref(ctx);
	cr_assert(ok, "rendering %s failed", name);
	return buf_detach(&out, NULL);
}

static char *render_text(const char *text, const char *json, template_translate_fn tr)
{
	template_set *s = template_set_new();
	add(s, "t", text);
	char *got = render_set(s, "t", json, tr, NULL);
	template_set_free(s);
	return got;
}

static const char *show_json(const char *json)
{
	return json ? json : "no context";
}

#define expect_render(text, json, want)                                              \
	do {                                                                         \
		char *got_ = render_text((text), (json), NULL);                      \
		cr_expect_str_eq(got_, (want), "template [%s] with %s gave [%s]",    \
				 (text), show_json(json), got_);                     \
		free(got_);                                                          \
	} while (0)

/* expect_error: text is rejected with exactly the message want. */
static void expect_error_len(const char *text, size_t len, const char *want)
{
	template_set *s = template_set_new();
	char err[256] = "";
	cr_expect_not(template_set_add(s, "page", text, len, err, sizeof err), "accepted: [%s]", text);
	cr_expect_str_eq(err, want, "template [%s]", text);
	cr_expect_not(template_set_has(s, "page"));
	template_set_free(s);
}

static void expect_error(const char *text, const char *want)
{
	expect_error_len(text, strlen(text), want);
}

static const char *translate_test(void *userdata, const char *msgid)
{
	(void)userdata;
	if (!strcmp(msgid, "Hello"))
		return "مرحبا";
	if (!strcmp(msgid, "Tom & Jerry"))
		return "<Tom> & \"Jerry\"";
	if (!strcmp(msgid, "Apply now to this opportunity"))
		return "قدّم الآن";
	return "?";
}

/* ------------------------------------------------------------------------
 * Escaping
 * ------------------------------------------------------------------------ */

Test(template, html_escape_all_five)
{
	buf out = BUF_INIT;
	const char *s = "<a href=\"x\">Tom & Jerry's</a>";
	html_escape(&out, s, strlen(s));
	cr_expect_str_eq(out.data, "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
	buf_reset(&out);
	html_escape(&out, "plain", 5);
	html_escape(&out, "", 0);
	html_escape(&out, "&&", 2);
	cr_expect_str_eq(out.data, "plain&amp;&amp;");
	buf_free(&out);
}

Test(template, values_escaped_in_text)
{
	expect_render("<p>{{v}}</p>", "{\"v\": \"<script>alert('x') & \\\"y\\\"</script>\"}",
		      "<p>&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;</p>");
}

Test(template, values_escaped_in_attributes)
{
	expect_render("<input value=\"{{v}}\" title='{{v}}'>", "{\"v\": \"\\\" onmouseover='x' a=<b>&\"}",
		      "<input value=\"&quot; onmouseover=&#39;x&#39; a=&lt;b&gt;&amp;\" "
		      "title='&quot; onmouseover=&#39;x&#39; a=&lt;b&gt;&amp;'>");
}

Test(template, literal_text_is_raw)
{
	expect_render("<b class=\"x\">it's & done</b>", NULL, "<b class=\"x\">it's & done</b>");
}

Test(template, arabic_passes_through)
{
	char *got = render_text("<h1 dir=\"rtl\">فرص التطوع: {{title}}</h1>{{_ Hello}}",
				"{\"title\": \"مساعدة كبار السن — حيّ النزهة\"}", translate_test);
	cr_expect_str_eq(got, "<h1 dir=\"rtl\">فرص التطوع: مساعدة كبار السن — حيّ النزهة</h1>مرحبا");
	free(got);
}

/* ------------------------------------------------------------------------
 * Values and lookup
 * ------------------------------------------------------------------------ */

Test(template, value_kinds)
{
	expect_render("[{{s}}|{{i}}|{{n}}|{{t}}|{{f}}|{{z}}|{{o}}|{{a}}|{{missing}}]",
		      "{\"s\":\"str\",\"i\":42,\"n\":-7,\"t\":true,\"f\":false,\"z\":null,"
		      "\"o\":{\"x\":1},\"a\":[1,2]}",
		      "[str|42|-7|true|||||]");
}

Test(template, number_formatting)
{
	expect_render("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}} {{h}} {{i}} {{j}}",
		      "{\"a\":12.5,\"b\":3.0,\"c\":2.346,\"d\":0.1,\"e\":-0.001,\"f\":-1.25,"
		      "\"g\":0.05,\"h\":1e20,\"i\":9223372036854775807,\"j\":0.0}",
		      "12.5 3 2.35 0.1 0 -1.25 0.05 100000000000000000000 9223372036854775807 0");
	expect_render("{{x}}", "{\"x\": 0.30000000000000004}", "0.3");
}

Test(template, dotted_lookup)
{
	expect_render("{{user.name}} / {{user.address.city}} / {{user.nope.city}} / {{user.name.x}}",
		      "{\"user\":{\"name\":\"Salma\",\"address\":{\"city\":\"Amman\"}}}",
		      "Salma / Amman /  / ");
}

Test(template, whitespace_inside_braces)
{
	expect_render("{{ a }}{{#  l  }}{{ . }}{{/ l }}", "{\"a\":\"A\",\"l\":[1,2]}", "A12");
}

Test(template, current_value_dot)
{
	expect_render("{{.}}", "\"top <level>\"", "top &lt;level&gt;");
	expect_render("{{#tags}}<{{.}}>{{/tags}}", "{\"tags\":[\"a&b\",\"c\"]}", "<a&amp;b><c>");
	expect_render("[{{.}}]", NULL, "[]");
}

Test(template, context_stack)
{
	/* inner contexts shadow outer ones; unknown names fall through to the root */
	expect_render("{{#user}}{{name}} on {{site}}{{#team}}: {{name}} of {{site}}{{/team}}{{/user}} {{name}}",
		      "{\"name\":\"root\",\"site\":\"Khibra\",\"user\":{\"name\":\"Omar\","
		      "\"team\":{\"name\":\"Red\"}}}",
		      "Omar on Khibra: Red of Khibra root");
}

Test(template, dotted_rest_descends_only_from_first_match)
{
	/* b is found in a, which has no b.c: the root's b.c is not used */
	expect_render("{{#a}}[{{b.c}}]{{/a}}", "{\"a\":{\"b\":{}},\"b\":{\"c\":\"root\"}}", "[]");
	expect_render("{{#a}}[{{b.c}}]{{/a}}", "{\"a\":{\"x\":1},\"b\":{\"c\":\"root\"}}", "[root]");
}

Test(template, null_context)
{
	expect_render("a{{x}}b{{#x}}no{{/x}}{{^x}}yes{{/x}}", NULL, "abyes");
}

/* ------------------------------------------------------------------------
 * Sections
 * ------------------------------------------------------------------------ */

Test(template, section_over_array)
{
	expect_render("<ul>{{#items}}<li>{{name}}</li>{{/items}}</ul>",
		      "{\"items\":[{\"name\":\"a\"},{\"name\":\"<b>\"}]}",
		      "<ul><li>a</li><li>&lt;b&gt;</li></ul>");
}

Test(template, section_over_empty_array)
{
	expect_render("<ul>{{#items}}<li>x</li>{{/items}}</ul>", "{\"items\":[]}", "<ul></ul>");
}

Test(template, section_over_object)
{
	expect_render("{{#user}}{{name}}{{/user}}", "{\"user\":{\"name\":\"Lina\"}}", "Lina");
	expect_render("{{#user}}once{{/user}}", "{\"user\":{}}", "once");
}

Test(template, section_truthiness)
{
	expect_render("{{#a}}A{{/a}}{{#b}}B{{/b}}{{#c}}C{{/c}}{{#d}}D{{/d}}{{#e}}E{{/e}}",
		      "{\"a\":true,\"b\":\"x\",\"c\":3,\"d\":0.5,\"e\":-1}", "ABCDE");
	expect_render("{{#a}}A{{/a}}{{#b}}B{{/b}}{{#c}}C{{/c}}{{#d}}D{{/d}}{{#e}}E{{/e}}{{#f}}F{{/f}}",
		      "{\"a\":false,\"b\":\"\",\"c\":0,\"d\":0.0,\"e\":null}", "");
}

Test(template, truthy_section_keeps_context)
{
	/* a non-collection section pushes nothing: {{.}} is still the outer value */
	expect_render("{{#user}}{{#admin}}{{name}} is admin{{/admin}}{{/user}}",
		      "{\"user\":{\"name\":\"Huda\",\"admin\":true}}", "Huda is admin");
}

Test(template, inverted_sections)
{
	expect_render("{{^a}}A{{/a}}{{^b}}B{{/b}}{{^c}}C{{/c}}{{^d}}D{{/d}}{{^e}}E{{/e}}{{^f}}F{{/f}}{{^g}}G{{/g}}",
		      "{\"a\":false,\"b\":\"\",\"c\":0,\"d\":null,\"e\":[],\"g\":0.0}", "ABCDEFG");
	expect_render("{{^a}}A{{/a}}{{^b}}B{{/b}}{{^c}}C{{/c}}{{^d}}D{{/d}}{{^e}}E{{/e}}",
		      "{\"a\":true,\"b\":\"x\",\"c\":1,\"d\":{},\"e\":[0]}", "");
	expect_render("{{#items}}<li>{{.}}</li>{{/items}}{{^items}}<p>none</p>{{/items}}",
		      "{\"items\":[]}", "<p>none</p>");
}

Test(template, nested_arrays)
{
	expect_render("{{#rows}}[{{#cells}}{{.}}{{/cells}}]{{/rows}}",
		      "{\"rows\":[{\"cells\":[1,2]},{\"cells\":[]},{\"cells\":[3]}]}", "[12][][3]");
}

Test(template, index_first_last)
{
	expect_render("{{#l}}{{@index}}:{{.}}{{#@first}}(first){{/@first}}{{#@last}}(last){{/@last}}"
		      "{{^@last}}, {{/@last}}{{/l}}",
		      "{\"l\":[\"a\",\"b\",\"c\"]}", "0:a(first), 1:b, 2:c(last)");
	/* the innermost array counts, also from inside an object section */
	expect_render("{{#l}}{{#o}}{{@index}}{{#@first}}F{{/@first}}{{#@last}}L{{/@last}}{{/o}};{{/l}}",
		      "{\"l\":[{\"o\":{}},{\"o\":{}}]}", "0F;1L;");
	expect_render("{{@first}}|{{@last}}", "{}", "|");
	expect_render("{{#l}}{{@first}}|{{@last}};{{/l}}", "{\"l\":[1,2]}", "true|;|true;");
	expect_render("[{{@index}}{{@first}}{{#@last}}x{{/@last}}{{^@index}}none{{/@index}}]", "{}", "[none]");
	expect_render("{{#l}}{{#@index}}+{{/@index}}{{.}}{{/l}}", "{\"l\":[1,2,3]}", "1+2+3");
}

Test(template, standalone_lines_removed)
{
	expect_render("<ul>\n  {{#items}}\n  <li>{{.}}</li>\n  {{/items}}\n</ul>\n",
		      "{\"items\":[1,2]}", "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>\n");
	expect_render("a\n{{! a comment }}\nb\r\n\t{{^x}}\r\nc\n{{/x}}", "{}", "a\nb\r\nc\n");
	/* not alone on the line: kept as is */
	expect_render("a {{#t}}b{{/t}} c\n{{v}}\n", "{\"t\":true,\"v\":1}", "a b c\n1\n");
}

Test(template, comments)
{
	expect_render("a{{! ignore <me> }}b{{!\nmulti\nline }}c", NULL, "abc");
}

/* ------------------------------------------------------------------------
 * Partials
 * ------------------------------------------------------------------------ */

Test(template, partials_share_context)
{
	template_set *s = template_set_new();
	add(s, "page", "<main>{{#people}}{{>person}}{{/people}}</main>");
	add(s, "person", "<p>{{name}} ({{site}})</p>");
	char *got = render_set(s, "page", "{\"site\":\"K\",\"people\":[{\"name\":\"A\"},{\"name\":\"B\"}]}",
			       NULL, NULL);
	cr_expect_str_eq(got, "<main><p>A (K)</p><p>B (K)</p></main>");
	free(got);
	cr_expect(template_set_has(s, "person"));
	cr_expect_not(template_set_has(s, "nobody"));
	template_set_free(s);
}

Test(template, partial_names_with_slash)
{
	template_set *s = template_set_new();
	add(s, "forms/field", "<input name=\"{{name}}\">");
	add(s, "page", "{{> forms/field }}");
	char *got = render_set(s, "page", "{\"name\":\"email\"}", NULL, NULL);
	cr_expect_str_eq(got, "<input name=\"email\">");
	free(got);
	template_set_free(s);
}

Test(template, recursive_partial_with_end)
{
	template_set *s = template_set_new();
	add(s, "tree", "<li>{{name}}{{#children}}<ul>{{>tree}}</ul>{{/children}}</li>");
	/* leaves need "children": [] — a missing key would be found in an outer
	 * context and recurse until the depth limit (mustache lookup rules) */
	char *got = render_set(s, "tree", "{\"name\":\"a\",\"children\":[{\"name\":\"b\","
			       "\"children\":[{\"name\":\"c\",\"children\":[]}]},"
			       "{\"name\":\"d\",\"children\":[]}]}", NULL, NULL);
	cr_expect_str_eq(got, "<li>a<ul><li>b<ul><li>c</li></ul></li></ul><ul><li>d</li></ul></li>");
	free(got);
	template_set_free(s);
}

Test(template, partial_recursion_limit)
{
	template_set *s = template_set_new();
	add(s, "loop", "x{{>loop}}");
	add(s, "a", "{{>b}}");
	add(s, "b", "{{>a}}");
	buf out = BUF_INIT;
	buf_puts(&out, "before");
	cr_expect_not(template_render(s, "loop", NULL, NULL, NULL, &out));
	cr_expect_not(template_render(s, "a", NULL, NULL, NULL, &out));
	cr_expect_str_eq(out.data, "before", "a failed render leaves out as it was");
	cr_expect_eq(out.len, 6);

	/* exactly TEMPLATE_MAX_PARTIAL_DEPTH nested partials are fine */
	char name[16], text[32];
	for (int i = 0; i < TEMPLATE_MAX_PARTIAL_DEPTH; i++) {
		snprintf(name, sizeof name, "p%d", i);
		snprintf(text, sizeof text, "%d{{>p%d}}", i, i + 1);
		add(s, name, text);
	}
	snprintf(name, sizeof name, "p%d", TEMPLATE_MAX_PARTIAL_DEPTH);
	add(s, name, "end");
	buf_reset(&out);
	cr_expect(template_render(s, "p0", NULL, NULL, NULL, &out));
	cr_expect_str_eq(out.data, "0123456789101112131415end");
	buf_free(&out);
	template_set_free(s);
}

Test(template, missing_partial_fails_render)
{
	template_set *s = template_set_new();
	add(s, "page", "a{{>nowhere}}b");
	buf out = BUF_INIT;
	cr_expect_not(template_render(s, "page", NULL, NULL, NULL, &out));
	cr_expect_str_eq(out.data, "");
	buf_free(&out);
	template_set_free(s);
}

Test(template, missing_template)
{
	template_set *s = template_set_new();
	buf out = BUF_INIT;
	buf_puts(&out, "kept");
	cr_expect_not(template_render(s, "home", NULL, NULL, NULL, &out));
	add(s, "home", "hi");
	cr_expect_not(template_render(s, "Home", NULL, NULL, NULL, &out));
	cr_expect(template_render(s, "home", NULL, NULL, NULL, &out));
	cr_expect_str_eq(out.data, "kepthi", "render appends to out");
	buf_free(&out);
	template_set_free(s);
}

Test(template, many_templates_sorted_lookup)
{
	template_set *s = template_set_new();
	const char *names[] = {"m", "c", "x", "a", "z", "b", "n", "d", "y", "e",
			       "f", "g", "h", "i", "j", "k", "l", "o", "p", "q"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		add(s, names[i], names[i]);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *got = render_set(s, names[i], NULL, NULL, NULL);
		cr_expect_str_eq(got, names[i]);
		free(got);
	}
	template_set_free(s);
}

/* ------------------------------------------------------------------------
 * Translation
 * ------------------------------------------------------------------------ */

Test(template, translation_callback)
{
	char *got = render_text("<b>{{_ Hello }}</b> {{_ Tom & Jerry}} {{_   Apply now\n\t to  this\n"
				"opportunity }} {{_ Unknown}}", NULL, translate_test);
	cr_expect_str_eq(got, "<b>مرحبا</b> &lt;Tom&gt; &amp; &quot;Jerry&quot; قدّم الآن ?");
	free(got);
}

Test(template, translation_without_callback)
{
	expect_render("{{_ Tom & Jerry }}|{{_ Hello}}", NULL, "Tom &amp; Jerry|Hello");
}

static const char *translate_userdata(void *userdata, const char *msgid)
{
	(void)msgid;
	return userdata;
}

Test(template, translation_userdata)
{
	template_set *s = template_set_new();
	add(s, "t", "{{_ x}}");
	char *got = render_set(s, "t", NULL, translate_userdata, (void *)"from userdata");
	cr_expect_str_eq(got, "from userdata");
	free(got);
	template_set_free(s);
}

static void collect(void *ud, const char *msgid)
{
	buf *b = ud;
	buf_puts(b, msgid);
	buf_putc(b, '|');
}

Test(template, each_msgid_sorted_and_unique)
{
	template_set *s = template_set_new();
	add(s, "one", "{{_ Sign in}}{{#x}}{{_ Apply}}{{^y}}{{_ Sign   in}}{{/y}}{{/x}}");
	add(s, "two", "{{_ Apply}}{{_ About\nus}}{{x}}");
	buf b = BUF_INIT;
	template_set_each_msgid(s, collect, &b);
	cr_expect_str_eq(b.data, "About us|Apply|Sign in|");
	buf_free(&b);
	template_set_free(s);

	s = template_set_new();
	template_set_each_msgid(s, collect, &b);
	cr_expect_str_eq(b.data, "");
	template_set_free(s);
}

/* ------------------------------------------------------------------------
 * Syntax errors
 * ------------------------------------------------------------------------ */

Test(template, error_unclosed_section)
{
	expect_error("a\n{{#x}}\nb\n", "page:2: unclosed section {{#x}}");
	expect_error("{{#a}}{{/a}}\n\n{{^b}}{{#c}}{{/c}}", "page:3: unclosed section {{^b}}");
}

Test(template, error_mismatched_close)
{
	expect_error("{{#a}}\n{{#b}}\n{{/a}}", "page:3: {{/a}} does not close {{#b}} of line 2");
	expect_error("{{^a}}{{/a.b}}", "page:1: {{/a.b}} does not close {{^a}} of line 1");
}

Test(template, error_close_without_open)
{
	expect_error("x\n\n{{/a}}", "page:3: {{/a}} closes no section");
	expect_error("{{#a}}{{/a}}{{/a}}", "page:1: {{/a}} closes no section");
}

Test(template, error_raw_output)
{
	expect_error("{{{x}}}", "page:1: {{{…}}: there is no unescaped output");
	expect_error("\n{{&x}}", "page:2: {{&…}}: there is no unescaped output");
}

Test(template, error_unknown_sigil)
{
	expect_error("{{=<% %>=}}", "page:1: unknown tag {{=…}}");
	expect_error("a\nb\n{{ %x }}", "page:3: unknown tag {{%…}}");
	expect_error("{{\x01}}", "page:1: unknown tag {{\\x01…}}");
	expect_error("{{\xd8\xa7}}", "page:1: unknown tag {{\\xd8…}}");
}

Test(template, error_empty)
{
	expect_error("{{}}", "page:1: empty tag {{}}");
	expect_error("x\n{{ \n }}", "page:2: empty tag {{}}");
	expect_error("{{#}}", "page:1: empty name in {{#}}");
	expect_error("{{^ }}", "page:1: empty name in {{^}}");
	expect_error("{{#a}}{{/}}", "page:1: empty name in {{/}}");
	expect_error("{{>}}", "page:1: empty name in {{>}}");
	expect_error("{{_ }}", "page:1: empty translation {{_ }}");
	expect_error("{{_}}", "page:1: empty translation {{_ }}");
}

Test(template, error_invalid_names)
{
	expect_error("{{a b}}", "page:1: invalid name {{a b}}");
	expect_error("{{a..b}}", "page:1: invalid name {{a..b}}");
	expect_error("{{.a}}", "page:1: invalid name {{.a}}");
	expect_error("{{a.}}", "page:1: invalid name {{a.}}");
	expect_error("{{@foo}}", "page:1: invalid name {{@foo}}");
	expect_error("{{a<b}}", "page:1: invalid name {{a<b}}");
	expect_error("\n{{#a/b}}{{/a/b}}", "page:2: invalid name {{#a/b}}");
	expect_error("{{#a}}{{/a b}}", "page:1: invalid name {{/a b}}");
	expect_error("{{> a b}}", "page:1: invalid partial name {{>a b}}");
	expect_error("{{اسم}}", "page:1: unknown tag {{\\xd8…}}");
	expect_error("{{aاسم}}", "page:1: invalid name {{aاسم}}");
	/* a long name is cut in the message */
	char text[300];
	memset(text, 'x', sizeof text);
	memcpy(text, "{{", 2);
	memcpy(text + TEMPLATE_MAX_NAME + 3, "}}", 3);
	expect_error(text, "page:1: invalid name {{xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx}}");
}

Test(template, error_unterminated_tag)
{
	expect_error("x\n{{name", "page:2: unterminated tag: no \"}}\" after \"{{\"");
	expect_error("{{a {{b}}", "page:1: unterminated tag: no \"}}\" after \"{{\"");
	expect_error("{{! comment {{x}} }}", "page:1: unterminated tag: no \"}}\" after \"{{\"");
	expect_error("{{", "page:1: unterminated tag: no \"}}\" after \"{{\"");
	expect_error("a}}b{{", "page:1: unterminated tag: no \"}}\" after \"{{\"");
}

Test(template, error_nesting_too_deep)
{
	buf ok = BUF_INIT, deep = BUF_INIT;
	for (int i = 0; i < TEMPLATE_MAX_NESTING; i++)
		buf_puts(&ok, "{{#a}}");
	for (int i = 0; i < TEMPLATE_MAX_NESTING; i++)
		buf_puts(&ok, "{{/a}}");
	template_set *s = template_set_new();
	add(s, "ok", ok.data);
	template_set_free(s);

	buf_puts(&deep, "\n");
	for (int i = 0; i <= TEMPLATE_MAX_NESTING; i++)
		buf_puts(&deep, "{{#a}}");
	expect_error(deep.data, "page:2: sections nested deeper than 32");
	buf_free(&ok);
	buf_free(&deep);
}

Test(template, error_nul_byte)
{
	expect_error_len("ab\nc\0d", 6, "page:2: NUL byte in the template");
}

Test(template, error_duplicate_name)
{
	template_set *s = template_set_new();
	add(s, "page", "one");
	char err[128] = "";
	cr_expect_not(template_set_add(s, "page", "two", 3, err, sizeof err));
	cr_expect_str_eq(err, "page: a template of that name is already loaded");
	char *got = render_set(s, "page", NULL, NULL, NULL);
	cr_expect_str_eq(got, "one");
	free(got);
	template_set_free(s);
}

Test(template, error_buffer_small_or_null)
{
	template_set *s = template_set_new();
	char err[8];
	cr_expect_not(template_set_add(s, "page", "{{#a}}", 6, err, sizeof err));
	cr_expect_str_eq(err, "page:1:");
	cr_expect_not(template_set_add(s, "page", "{{#a}}", 6, NULL, 0));
	cr_expect(template_set_add(s, "empty", NULL, 0, NULL, 0));
	char *got = render_set(s, "empty", NULL, NULL, NULL);
	cr_expect_str_eq(got, "");
	free(got);
	template_set_free(s);
}

Test(template, set_usable_after_error)
{
	template_set *s = template_set_new();
	char err[128];
	cr_expect_not(template_set_add(s, "bad", "{{#a}}{{#b}}x{{/b}}", 19, err, sizeof err));
	cr_expect_not(template_set_has(s, "bad"));
	add(s, "bad", "fixed {{x}}");
	char *got = render_set(s, "bad", "{\"x\":1}", NULL, NULL);
	cr_expect_str_eq(got, "fixed 1");
	free(got);
	template_set_free(s);
}

/* ------------------------------------------------------------------------
 * Limits, threads, embedded templates
 * ------------------------------------------------------------------------ */

Test(template, work_limit_stops_exponential_sections)
{
	/* 20 nested sections over a 10-element array would be 10^20 renders */
	buf text = BUF_INIT;
	for (int i = 0; i < 20; i++)
		buf_puts(&text, "{{#a}}");
	buf_puts(&text, "x");
	for (int i = 0; i < 20; i++)
		buf_puts(&text, "{{/a}}");
	template_set *s = template_set_new();
	add(s, "boom", text.data);
	json_t *ctx = parse_json("{\"a\":[0,1,2,3,4,5,6,7,8,9]}");
	buf out = BUF_INIT;
	buf_puts(&out, "head");
	cr_expect_not(template_render(s, "boom", ctx, NULL, NULL, &out));
	cr_expect_str_eq(out.data, "head");
	json_decref(ctx);
	buf_free(&out);
	buf_free(&text);
	template_set_free(s);
}

Test(template, output_limit)
{
	/* 64 KiB string × 2^9 repetitions = 32 MiB > TEMPLATE_MAX_OUTPUT */
	template_set *s = template_set_new();
	add(s, "big", "{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{s}}"
		      "{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}");
	char *big = malloc(65537);
	memset(big, 'x', 65536);
	big[65536] = '\0';
	json_t *ctx = json_pack("{s:[i,i],s:s}", "a", 1, 2, "s", big);
	buf out = BUF_INIT;
	cr_expect_not(template_render(s, "big", ctx, NULL, NULL, &out));
	cr_expect_eq(out.len, 0);
	json_decref(ctx);
	free(big);
	buf_free(&out);
	template_set_free(s);
}

struct thread_job {
	const template_set *set;
	json_t *ctx;
	bool ok;
};

static void *render_many(void *arg)
{
	struct thread_job *job = arg;
	job->ok = true;
	for (int i = 0; i < 200; i++) {
		buf out = BUF_INIT;
		if (!template_render(job->set, "list", job->ctx, translate_test, NULL, &out) ||
		    strcmp(out.data, "مرحبا: 0=a 1=b 2=c "))
			job->ok = false;
		buf_free(&out);
	}
	return NULL;
}

Test(template, threads_share_set_and_context)
{
	template_set *s = template_set_new();
	add(s, "list", "{{_ Hello}}: {{#l}}{{>item}}{{/l}}");
	add(s, "item", "{{@index}}={{.}} ");
	json_t *ctx = parse_json("{\"l\":[\"a\",\"b\",\"c\"]}");
	pthread_t threads[4];
	struct thread_job jobs[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct thread_job){s, ctx, false};
		cr_assert_eq(pthread_create(&threads[i], NULL, render_many, &jobs[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(threads[i], NULL);
		cr_expect(jobs[i].ok, "thread %d rendered wrong output", i);
	}
	json_decref(ctx);
	template_set_free(s);
}

/* Works with whatever table the build embeds: every templates/X.html must
 * parse, be present as X, and name only partials that exist. */
Test(template, load_embedded_templates)
{
	template_set *s = template_set_new();
	char err[256] = "";
	cr_assert(template_set_load_embedded(s, err, sizeof err), "%s", err);
	for (size_t i = 0; i < embedded_files_count; i++) {
		const char *name = embedded_files[i].name;
		size_t n = strlen(name);
		if (strncmp(name, "templates/", 10) || n <= 15 || strcmp(name + n - 5, ".html"))
			continue;
		char shortname[256];
		snprintf(shortname, sizeof shortname, "%.*s", (int)(n - 15), name + 10);
		cr_expect(template_set_has(s, shortname), "embedded %s not loaded", name);
	}
	template_set_free(s);
}
