/*
 * taxonomy_test.c — GET /api/v1/skills, /professions, /cities and the
 * /skills page, against a real server.
 */
#include "client.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* get_items: GET path, asserting 200 JSON {"items": [...], "next_cursor": null}. */
static struct response *get_items(struct client *c, const char *path, json_t **items)
{
	struct response *r = client_get(c, path);
	assert_status(r, 200);
	cr_assert(response_content_type_is(r, "application/json"), "GET %s: not JSON", path);
	*items = json_object_get(r->json, "items");
	cr_assert(json_is_array(*items), "GET %s: no items array: %.300s", path, r->body.data);
	const json_t *next = json_object_get(r->json, "next_cursor");
	cr_assert(next && json_is_null(next), "GET %s: next_cursor is not null", path);
	return r;
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static const json_t *find_slug(const json_t *items, const char *slug)
{
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		if (str(it, "slug") && !strcmp(str(it, "slug"), slug))
			return it;
	return NULL;
}

Test(taxonomy, skills_all_in_one_page)
{
	struct client *c = client_new();
	json_t *items;
	struct response *r = get_items(c, "/api/v1/skills", &items);
	cr_assert_geq(json_array_size(items), 150, "only %zu skills", json_array_size(items));
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		cr_assert(str(it, "slug") && str(it, "domain"), "item %zu: %s", i, json_dumps(it, 0));
		cr_assert(str(it, "name_ar") && has_arabic_letters(str(it, "name_ar")), "%s: name_ar", str(it, "slug"));
		cr_assert(str(it, "name_en") && *str(it, "name_en"), "%s: name_en", str(it, "slug"));
		const json_t *parent = json_object_get(it, "parent");
		cr_assert(parent && (json_is_null(parent) || json_is_string(parent)), "%s: parent", str(it, "slug"));
		if (json_is_string(parent)) {
			const json_t *p = find_slug(items, json_string_value(parent));
			cr_assert_not_null(p, "%s: unknown parent", str(it, "slug"));
			cr_assert_str_eq(str(p, "domain"), str(it, "domain"));
		}
	}
	static const char *const fixed[] = {
		"general-medicine", "dentistry", "nursing", "pharmacy", "legal-consultation", "contract-drafting",
		"teaching-mathematics", "cv-coaching", "civil-engineering", "renewable-energy", "programming",
		"web-development", "graphic-design", "photography",
	};
	for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++)
		cr_assert_not_null(find_slug(items, fixed[k]), "skill %s missing", fixed[k]);
	const json_t *d = find_slug(items, "dentistry");
	cr_assert_str_eq(str(d, "domain"), "health");
	cr_assert_str_eq(str(d, "name_en"), "Dentistry");
	cr_assert_str_eq(str(d, "name_ar"), "طب الأسنان");

	/* The second answer (from the cache) is the same, whatever the language. */
	client_set_lang(c, "en");
	struct response *again = client_get(c, "/api/v1/skills");
	assert_status(again, 200);
	cr_assert_str_eq(again->body.data, r->body.data);
	response_free(again);
	response_free(r);
	client_free(c);
}

Test(taxonomy, skills_filtered_by_domain)
{
	struct client *c = client_new();
	json_t *all, *law;
	struct response *ra = get_items(c, "/api/v1/skills", &all);
	struct response *rl = get_items(c, "/api/v1/skills?domain=law", &law);
	cr_assert_gt(json_array_size(law), 10);
	cr_assert_lt(json_array_size(law), json_array_size(all));
	size_t i;
	json_t *it;
	json_array_foreach(law, i, it)
		cr_assert_str_eq(str(it, "domain"), "law", "%s is not law", str(it, "slug"));
	cr_assert_not_null(find_slug(law, "contract-drafting"));
	cr_assert_null(find_slug(law, "dentistry"));
	response_free(ra);
	response_free(rl);
	client_free(c);
}

Test(taxonomy, unknown_domain_is_422_in_the_callers_language)
{
	struct client *c = client_new();
	struct response *r = client_get(c, "/api/v1/skills?domain=nope");
	assert_error(r, 422, "invalid");
	cr_assert(has_arabic_letters(response_error_message(r)), "message not Arabic: %s", response_error_message(r));
	cr_assert_not_null(response_error_field(r, "domain"), "no fields.domain: %s", r->body.data);
	cr_assert(has_arabic_letters(response_error_field(r, "domain")));
	response_free(r);

	client_set_lang(c, "en");
	r = client_get(c, "/api/v1/skills?domain=");
	assert_error_field(r, "domain");
	cr_assert_not(has_arabic_letters(response_error_message(r)), "message not English: %s",
		      response_error_message(r));
	cr_assert(strstr(response_error_field(r, "domain"), "arts_media"), "reason lists no domains: %s",
		  response_error_field(r, "domain"));
	response_free(r);

	r = client_get(c, "/api/v1/professions?domain=HEALTH");
	assert_error_field(r, "domain");
	response_free(r);
	client_free(c);
}

Test(taxonomy, professions_with_skills)
{
	struct client *c = client_new();
	json_t *items, *skills;
	struct response *rs = get_items(c, "/api/v1/skills", &skills);
	struct response *r = get_items(c, "/api/v1/professions", &items);
	cr_assert_geq(json_array_size(items), 40);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		cr_assert(json_is_boolean(json_object_get(it, "licensed")), "%s: licensed", str(it, "slug"));
		cr_assert(has_arabic_letters(str(it, "name_ar")), "%s: name_ar", str(it, "slug"));
		const json_t *ps = json_object_get(it, "skills");
		cr_assert(json_is_array(ps) && json_array_size(ps) >= 3, "%s: skills", str(it, "slug"));
		size_t k;
		json_t *slug;
		json_array_foreach(ps, k, slug)
			cr_assert_not_null(find_slug(skills, json_string_value(slug)), "%s: unknown skill %s",
					   str(it, "slug"), json_string_value(slug));
	}
	cr_assert(json_is_true(json_object_get(find_slug(items, "dentist"), "licensed")));
	cr_assert(json_is_true(json_object_get(find_slug(items, "lawyer"), "licensed")));
	cr_assert(json_is_false(json_object_get(find_slug(items, "photographer"), "licensed")));
	response_free(r);

	json_t *eng;
	r = get_items(c, "/api/v1/professions?domain=engineering", &eng);
	cr_assert_gt(json_array_size(eng), 0);
	json_array_foreach(eng, i, it)
		cr_assert_str_eq(str(it, "domain"), "engineering");
	response_free(r);
	response_free(rs);
	client_free(c);
}

Test(taxonomy, cities_with_coordinates)
{
	struct client *c = client_new();
	json_t *items;
	struct response *r = get_items(c, "/api/v1/cities", &items);
	cr_assert_geq(json_array_size(items), 60);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		double lat = json_number_value(json_object_get(it, "lat"));
		double lon = json_number_value(json_object_get(it, "lon"));
		cr_assert(json_is_number(json_object_get(it, "lat")) && lat >= -90 && lat <= 90, "%s: lat", str(it, "slug"));
		cr_assert(json_is_number(json_object_get(it, "lon")) && lon >= -180 && lon <= 180, "%s: lon", str(it, "slug"));
		cr_assert(str(it, "country_code") && strlen(str(it, "country_code")) == 2);
		cr_assert(has_arabic_letters(str(it, "name_ar")) && has_arabic_letters(str(it, "country_ar")));
		cr_assert(str(it, "name_en") && str(it, "country_en"));
	}
	const json_t *riyadh = find_slug(items, "riyadh");
	cr_assert_not_null(riyadh);
	cr_assert_float_eq(json_number_value(json_object_get(riyadh, "lat")), 24.7136, 1e-9);
	cr_assert_float_eq(json_number_value(json_object_get(riyadh, "lon")), 46.6753, 1e-9);
	cr_assert_str_eq(str(riyadh, "country_code"), "SA");
	cr_assert_str_eq(str(riyadh, "name_ar"), "الرياض");
	cr_assert_not_null(find_slug(items, "amman"));
	cr_assert_not_null(find_slug(items, "zaatari-camp"));
	response_free(r);
	client_free(c);
}

Test(taxonomy, lists_refuse_other_methods)
{
	struct client *c = client_new();
	struct response *r = client_post_json(c, "/api/v1/skills", NULL);
	cr_assert_eq(r->status, 405, "POST /api/v1/skills answered %ld", r->status);
	response_free(r);
	client_free(c);
}

/* get_page: GET path, asserting a 200 HTML page. */
static struct response *get_page(struct client *c, const char *path)
{
	struct response *r = client_get(c, path);
	cr_assert_eq(r->status, 200, "GET %s answered %ld: %.300s", path, r->status, r->body.data);
	cr_assert(response_content_type_is(r, "text/html"), "GET %s is not HTML", path);
	return r;
}

Test(taxonomy, skills_page_in_arabic)
{
	struct client *c = client_new();
	struct response *r = get_page(c, "/skills");
	const char *html = r->body.data;
	cr_assert_not_null(strstr(html, "<html lang=\"ar\" dir=\"rtl\""), "not Arabic");
	cr_assert_not_null(strstr(html, "طب الأسنان"), "no Arabic skill name");
	cr_assert_not_null(strstr(html, "الصحة"), "no Arabic domain name");
	cr_assert_not_null(strstr(html, "<h1>المهارات والمهن</h1>"), "title not in Arabic");
	cr_assert_not_null(strstr(html, "lang=\"en\" dir=\"ltr\">Dentistry<"), "English name not beside it");
	for (const char *d = "health\0education\0law\0engineering\0technology\0arts_media\0"; *d; d += strlen(d) + 1) {
		char id[64];
		snprintf(id, sizeof id, "id=\"%s\"", d);
		cr_assert_not_null(strstr(html, id), "no section for %s", d);
	}
	cr_assert(html_has_href_containing(html, "/skills?domain=law"), "no link to one domain");
	cr_assert_lt(r->body.len, 100 * 1024, "page too heavy: %zu bytes", r->body.len);
	response_free(r);
	client_free(c);
}

Test(taxonomy, skills_page_in_english_and_one_domain)
{
	struct client *c = client_new();
	struct response *r = get_page(c, "/skills?lang=en");
	cr_assert_not_null(strstr(r->body.data, "<html lang=\"en\" dir=\"ltr\""), "not English");
	cr_assert_not_null(strstr(r->body.data, ">Dentistry <"), "no English skill name");
	cr_assert_not_null(strstr(r->body.data, "Engineering and design"));
	cr_assert_not_null(strstr(r->body.data, "<h1>Skills and professions</h1>"), "title not in English");
	response_free(r);

	r = get_page(c, "/skills?domain=law");
	cr_assert_not_null(strstr(r->body.data, "Contract drafting"));
	cr_assert_null(strstr(r->body.data, "Dentistry"), "another domain shown");
	cr_assert_null(strstr(r->body.data, "id=\"health\""));
	response_free(r);

	r = client_get(c, "/skills?domain=nope");
	cr_assert_eq(r->status, 404, "unknown domain answered %ld", r->status);
	response_free(r);
	client_free(c);
}
