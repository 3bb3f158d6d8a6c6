/*
 * profiles_test.c — specialists' profiles over HTTP: PUT and GET
 * /api/v1/me/profile, 422 reasons per field, who may see a profile, the
 * profile form (with CSRF) and the public page in Arabic and English; a
 * profession's domain and coordinates near the city, through both; credential
 * files checked for what they are; and the verification path: a licence
 * uploaded, approved or rejected by a moderator through the API, and what
 * the profiles then say.
 *
 * When KHIBRA_TEST_DB_URL names the server's database (tests/run-all.sh sets
 * it), the tests also reach into it: to make sure the few taxonomy slugs they
 * use exist, and to approve a licence for the badge test.
 */
#include "client.h"
#include "core/buf.h"
#include "core/image.h"
#include "store/db.h"

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <vips/vips.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* server_db: a connection to the server's database, or NULL when not named;
 * seeds the taxonomy slugs used here (a no-op once the data migration ran). */
static db *sdb;
static db_conn *server_db(void)
{
	const char *url = getenv("KHIBRA_TEST_DB_URL");
	if (!url || !*url)
		return NULL;
	char err[256];
	sdb = db_open(url, 1, err, sizeof err);
	cr_assert_not_null(sdb, "%s", err);
	db_conn *c = db_acquire(sdb);
	db_exec(c, "INSERT INTO skills (slug, domain, name_ar, name_en) VALUES "
		   "('general-medicine', 'health', 'طب عام', 'General medicine'), "
		   "('programming', 'technology', 'البرمجة', 'Programming'), "
		   "('web-development', 'technology', 'تطوير المواقع', 'Web development') ON CONFLICT DO NOTHING",
		DB_NO_PARAMS, NULL);
	db_exec(c, "INSERT INTO professions (slug, domain, name_ar, name_en, licensed) VALUES "
		   "('doctor', 'health', 'طبيب', 'Physician', 1), "
		   "('software-developer', 'technology', 'مطور برمجيات', 'Software developer', 0) ON CONFLICT DO NOTHING",
		DB_NO_PARAMS, NULL);
	db_exec(c, "INSERT INTO cities (slug, name_ar, name_en, country_code, country_ar, country_en, lat, lon) VALUES "
		   "('riyadh', 'الرياض', 'Riyadh', 'SA', 'السعودية', 'Saudi Arabia', 24.7136, 46.6753), "
		   "('jeddah', 'جدة', 'Jeddah', 'SA', 'السعودية', 'Saudi Arabia', 21.4858, 39.1925) ON CONFLICT DO NOTHING",
		DB_NO_PARAMS, NULL);
	return c;
}

static void server_db_close(db_conn *c)
{
	if (c) {
		db_release(c);
		db_close(sdb);
	}
}

static void setup(void)
{
	server_db_close(server_db());
}

TestSuite(profiles, .init = setup);

/* logged_in: a new user of `role`, logged in on a new client. */
static struct client *logged_in(const char *role, struct account *a)
{
	struct client *c = client_new();
	*a = client_register(c, role);
	client_login(c, a);
	return c;
}

/* doctor_json: a complete profile body. */
static json_t *doctor_json(void)
{
	json_error_t err;
	json_t *j = json_loads("{\"headline\": \"طبيبة أسرة — استشارات مجانية\", \"profession\": \"doctor\", "
			       "\"bio\": \"أعمل في الرياض.\\nI speak English too.\", \"years_experience\": 12, "
			       "\"city\": \"riyadh\", \"remote\": true, \"onsite\": true, \"languages\": [\"ar\", \"en\"], "
			       "\"skills\": [{\"slug\": \"general-medicine\", \"level\": 5}], "
			       "\"availability\": [{\"weekday\": 0, \"start\": \"09:00\", \"end\": \"12:00\"}, "
			       "{\"weekday\": 0, \"start\": \"12:00\", \"end\": \"13:30\"}, "
			       "{\"weekday\": 4, \"start\": \"18:00\", \"end\": \"21:00\"}], "
			       "\"max_hours_month\": 16, \"public\": true}", 0, &err);
	cr_assert_not_null(j, "%s", err.text);
	return j;
}

static struct response *put_profile(struct client *c, json_t *body)
{
	struct response *r = client_put_json(c, "/api/v1/me/profile", body);
	json_decref(body);
	return r;
}

static const json_t *profile_of(const struct response *r)
{
	const json_t *p = json_object_get(r->json, "profile");
	cr_assert(json_is_object(p), "no profile object: %.400s", r->body.data);
	return p;
}

static const char *str_at(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* ================================================================ API */

Test(profiles, visitor_gets_401)
{
	struct client *c = client_new();
	struct response *r = client_get(c, "/api/v1/me/profile");
	assert_error(r, 401, "unauthenticated");
	response_free(r);
	r = put_profile(c, doctor_json());
	assert_status(r, 401);
	response_free(r);
	client_free(c);
}

Test(profiles, defaults_before_the_first_save)
{
	struct account a;
	struct client *c = logged_in("beneficiary", &a);
	struct response *r = client_get(c, "/api/v1/me/profile");
	assert_status(r, 200);
	const json_t *p = profile_of(r);
	cr_assert_str_eq(str_at(p, "headline"), "");
	cr_assert(json_is_null(json_object_get(p, "profession")));
	cr_assert(json_is_null(json_object_get(p, "lat")));
	cr_assert(json_is_true(json_object_get(p, "remote")));
	cr_assert(json_is_false(json_object_get(p, "onsite")));
	cr_assert(json_is_true(json_object_get(p, "public")));
	cr_assert(json_is_false(json_object_get(p, "licence_verified")));
	cr_assert_eq(json_integer_value(json_object_get(p, "max_hours_month")), 10);
	cr_assert_eq(json_array_size(json_object_get(p, "skills")), 0);
	response_free(r);
	client_free(c);
}

Test(profiles, put_then_get_round_trip)
{
	struct account a;
	struct client *c = logged_in("beneficiary", &a);
	struct response *r = put_profile(c, doctor_json());
	assert_status(r, 200);
	const json_t *p = profile_of(r);
	cr_assert_str_eq(str_at(p, "headline"), "طبيبة أسرة — استشارات مجانية");
	cr_assert_str_eq(str_at(p, "domain"), "health", "the domain comes from the profession");
	/* No lat/lon given: the city's coordinates. */
	double lat = json_number_value(json_object_get(p, "lat"));
	double lon = json_number_value(json_object_get(p, "lon"));
	cr_assert(lat > 24.5 && lat < 25 && lon > 46.5 && lon < 47, "lat %f lon %f", lat, lon);
	response_free(r);

	r = client_get(c, "/api/v1/me/profile");
	assert_status(r, 200);
	p = profile_of(r);
	cr_assert_str_eq(str_at(p, "profession"), "doctor");
	cr_assert_str_eq(str_at(p, "city"), "riyadh");
	cr_assert_str_eq(str_at(p, "bio"), "أعمل في الرياض.\nI speak English too.");
	cr_assert_eq(json_integer_value(json_object_get(p, "years_experience")), 12);
	cr_assert_eq(json_integer_value(json_object_get(p, "max_hours_month")), 16);
	cr_assert(json_is_true(json_object_get(p, "onsite")));
	const json_t *langs = json_object_get(p, "languages");
	cr_assert_eq(json_array_size(langs), 2);
	cr_assert_str_eq(json_string_value(json_array_get(langs, 1)), "en");
	const json_t *skill = json_array_get(json_object_get(p, "skills"), 0);
	cr_assert_str_eq(str_at(skill, "slug"), "general-medicine");
	cr_assert_eq(json_integer_value(json_object_get(skill, "level")), 5);
	cr_assert(str_at(skill, "name_ar") && has_arabic_letters(str_at(skill, "name_ar")));
	cr_assert(str_at(skill, "name_en") && *str_at(skill, "name_en"));
	const json_t *slots = json_object_get(p, "availability");
	cr_assert_eq(json_array_size(slots), 3);
	cr_assert_str_eq(str_at(json_array_get(slots, 1), "start"), "12:00");
	cr_assert_str_eq(str_at(json_array_get(slots, 1), "end"), "13:30");
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(slots, 2), "weekday")), 4);
	response_free(r);

	/* Putting a profile made the person a specialist. */
	r = client_get(c, "/api/v1/me");
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "\"specialist\""), "no specialist role: %s", r->body.data);
	response_free(r);

	/* A second PUT replaces the lists and takes explicit coordinates. */
	r = put_profile(c, json_pack("{s:s, s:[{s:s, s:i}], s:[], s:f, s:f, s:s}", "headline", "Web developer",
				     "skills", "slug", "programming", "level", 3, "availability", "lat", 21.5,
				     "lon", 39.2, "city", "jeddah"));
	assert_status(r, 200);
	p = profile_of(r);
	cr_assert_eq(json_array_size(json_object_get(p, "skills")), 1);
	cr_assert_eq(json_array_size(json_object_get(p, "availability")), 0);
	cr_assert(json_is_null(json_object_get(p, "profession")));
	cr_assert_float_eq(json_number_value(json_object_get(p, "lat")), 21.5, 1e-9);
	response_free(r);
	client_free(c);
}

/* expect_field: PUT body answers 422 naming `field`. */
static void expect_field(struct client *c, const char *body, const char *field)
{
	json_error_t err;
	json_t *j = json_loads(body, 0, &err);
	cr_assert_not_null(j, "%s: %s", body, err.text);
	struct response *r = put_profile(c, j);
	assert_error_field(r, field);
	cr_assert_str_eq(response_error_code(r), "invalid");
	response_free(r);
}

Test(profiles, invalid_fields_answer_422_per_field)
{
	struct account a;
	struct client *c = logged_in("specialist", &a);
	expect_field(c, "{\"years_experience\": 71}", "years_experience");
	expect_field(c, "{\"years_experience\": \"ten\"}", "years_experience");
	expect_field(c, "{\"max_hours_month\": 201}", "max_hours_month");
	expect_field(c, "{\"languages\": []}", "languages");
	expect_field(c, "{\"languages\": [\"ar\", \"ar\"]}", "languages");
	expect_field(c, "{\"languages\": [\"xx\"]}", "languages");
	expect_field(c, "{\"skills\": [{\"slug\": \"no-such-skill\", \"level\": 3}]}", "skills");
	expect_field(c, "{\"skills\": [{\"slug\": \"programming\", \"level\": 6}]}", "skills");
	expect_field(c, "{\"skills\": [{\"slug\": \"programming\", \"level\": 2}, {\"slug\": \"programming\", \"level\": 3}]}", "skills");
	expect_field(c, "{\"profession\": \"astronaut\"}", "profession");
	expect_field(c, "{\"city\": \"atlantis\"}", "city");
	expect_field(c, "{\"domain\": \"cooking\"}", "domain");
	expect_field(c, "{\"lat\": 24.7}", "lon");
	expect_field(c, "{\"lat\": 91, \"lon\": 10}", "lat");
	expect_field(c, "{\"remote\": false, \"onsite\": false}", "remote");
	expect_field(c, "{\"remote\": \"yes\"}", "remote");
	expect_field(c, "{\"availability\": [{\"weekday\": 1, \"start\": \"09:00\", \"end\": \"11:00\"}, "
			"{\"weekday\": 1, \"start\": \"10:30\", \"end\": \"12:00\"}]}", "availability");
	expect_field(c, "{\"availability\": [{\"weekday\": 7, \"start\": \"09:00\", \"end\": \"11:00\"}]}", "availability");
	expect_field(c, "{\"availability\": [{\"weekday\": 1, \"start\": \"9am\", \"end\": \"11:00\"}]}", "availability");
	expect_field(c, "{\"availability\": [{\"weekday\": 1, \"start\": \"11:00\", \"end\": \"09:00\"}]}", "availability");

	/* Several at once, in English (?lang= beats the account's Arabic); and
	 * nothing was saved by any of them. */
	json_t *body = json_pack("{s:i, s:[]}", "years_experience", -1, "languages");
	struct response *r = client_put_json(c, "/api/v1/me/profile?lang=en", body);
	json_decref(body);
	assert_error_field(r, "years_experience");
	assert_error_field(r, "languages");
	cr_assert(!has_arabic_letters(response_error_message(r)), "English asked, got %s", response_error_message(r));
	response_free(r);
	r = client_get(c, "/api/v1/me/profile");
	assert_status(r, 200);
	cr_assert_eq(json_integer_value(json_object_get(profile_of(r), "max_hours_month")), 10);
	response_free(r);

	/* In Arabic. */
	body = json_pack("{s:i}", "years_experience", 80);
	r = client_put_json(c, "/api/v1/me/profile?lang=ar", body);
	json_decref(body);
	assert_error_field(r, "years_experience");
	cr_assert(has_arabic_letters(response_error_message(r)));
	cr_assert(has_arabic_letters(response_error_field(r, "years_experience")),
		  "reason not in Arabic: %s", response_error_field(r, "years_experience"));
	response_free(r);

	/* A form body is not JSON. */
	r = client_request(c, "PUT", "/api/v1/me/profile", "application/x-www-form-urlencoded", "headline=x", 10);
	assert_error(r, 415, "unsupported_media_type");
	response_free(r);
	client_free(c);
}

Test(profiles, public_profile_has_no_contact_details)
{
	struct account a;
	struct client *c = logged_in("specialist", &a);
	struct response *r = put_profile(c, doctor_json());
	assert_status(r, 200);
	response_free(r);

	struct client *v = client_new();
	char path[64];
	snprintf(path, sizeof path, "/api/v1/specialists/%lld", (long long)a.id);
	r = client_get(v, path);
	assert_status(r, 200);
	const json_t *s = json_object_get(r->json, "specialist");
	cr_assert(json_is_object(s), "%s", r->body.data);
	cr_assert_eq(json_integer_value(json_object_get(s, "id")), a.id);
	cr_assert_str_eq(str_at(s, "name"), a.name);
	cr_assert_str_eq(str_at(json_object_get(s, "profession"), "slug"), "doctor");
	cr_assert(has_arabic_letters(str_at(json_object_get(s, "city"), "name_ar")));
	cr_assert_str_eq(str_at(json_object_get(s, "city"), "slug"), "riyadh");
	cr_assert_eq(json_array_size(json_object_get(s, "availability")), 3);
	cr_assert_null(strstr(r->body.data, a.email), "the e-mail leaked: %s", r->body.data);
	cr_assert_null(strstr(r->body.data, "@"), "something like an e-mail: %s", r->body.data);
	cr_assert_null(json_object_get(s, "email"));
	cr_assert_null(json_object_get(s, "lat"), "exact coordinates are not public");
	cr_assert_null(json_object_get(s, "max_hours_month"));
	response_free(r);
	client_free(v);
	client_free(c);
}

Test(profiles, private_and_missing_profiles_are_404)
{
	struct account a, b;
	struct client *c = logged_in("specialist", &a);
	struct client *other = logged_in("specialist", &b);
	json_t *body = doctor_json();
	json_object_set_new(body, "public", json_false());
	struct response *r = put_profile(c, body);
	assert_status(r, 200);
	cr_assert(json_is_false(json_object_get(profile_of(r), "public")));
	response_free(r);

	char path[64];
	snprintf(path, sizeof path, "/api/v1/specialists/%lld", (long long)a.id);
	r = client_get(other, path);
	assert_error(r, 404, "not_found");
	response_free(r);
	struct client *v = client_new();
	r = client_get(v, path);
	assert_error(r, 404, "not_found");
	response_free(r);
	snprintf(path, sizeof path, "/specialists/%lld", (long long)a.id);
	r = client_get(v, path);
	assert_status(r, 404);
	response_free(r);

	/* b has no profile at all; nonsense ids. */
	snprintf(path, sizeof path, "/api/v1/specialists/%lld", (long long)b.id);
	r = client_get(v, path);
	assert_error(r, 404, "not_found");
	response_free(r);
	static const char *const bad[] = { "/api/v1/specialists/0", "/api/v1/specialists/abc",
					   "/api/v1/specialists/99999999999", "/specialists/-1" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		r = client_get(v, bad[i]);
		assert_status(r, 404);
		response_free(r);
	}
	client_free(v);
	client_free(other);
	client_free(c);
}

/* ================================================================ pages */

Test(profiles, form_page_needs_login)
{
	struct client *v = client_new();
	struct response *r = client_get(v, "/profile");
	cr_assert(r->status == 303 || r->status == 401, "visitor got %ld", r->status);
	response_free(r);
	client_free(v);
}

Test(profiles, form_saves_with_csrf_and_shows_again)
{
	struct account a;
	struct client *c = logged_in("specialist", &a);
	client_set_lang(c, "en");
	struct response *r = client_get(c, "/profile");
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "name=\"skill_7\""), "no 8th skill row");
	cr_assert(strstr(r->body.data, "name=\"day_6\""), "no 7th availability row");
	cr_assert(strstr(r->body.data, "<optgroup"), "skills are not grouped by domain");
	char *csrf = html_find_csrf(r->body.data);
	cr_assert_not_null(csrf);
	response_free(r);

	/* Without the token: refused, as every form. */
	client_set_csrf(c, NULL);
	r = client_post_form(c, "/profile", "headline", "x", "remote", "1", NULL);
	assert_status(r, 403);
	response_free(r);

	r = client_post_form(c, "/profile", "csrf", csrf, "headline", "Full-stack developer <volunteer>",
			     "profession", "software-developer", "domain", "", "bio", "Websites for charities.",
			     "years_experience", "7", "city", "jeddah", "remote", "1", "languages", "ar",
			     "languages", "en", "skill_0", "programming", "level_0", "4", "skill_1", "web-development",
			     "level_1", "5", "skill_2", "", "level_2", "3", "day_0", "5", "start_0", "10:00",
			     "end_0", "12:00", "day_1", "", "start_1", "", "end_1", "", "max_hours_month", "12",
			     "public", "1", NULL);
	cr_assert_eq(r->status, 303, "POST /profile answered %ld: %.500s", r->status, r->body.data);
	char *loc = response_location(r);
	cr_assert_str_eq(loc, "/profile?saved=1");
	free(loc);
	response_free(r);

	r = client_get(c, "/profile?saved=1");
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "alert-success"), "no saved notice");
	cr_assert(strstr(r->body.data, "Full-stack developer &lt;volunteer&gt;"), "headline not shown escaped");
	cr_assert(strstr(r->body.data, "value=\"programming\" selected"), "skill not selected again");
	cr_assert(strstr(r->body.data, "value=\"en\" checked"), "second language lost");
	response_free(r);

	r = client_get(c, "/api/v1/me/profile");
	assert_status(r, 200);
	const json_t *p = profile_of(r);
	cr_assert_str_eq(str_at(p, "domain"), "technology");
	cr_assert_eq(json_array_size(json_object_get(p, "languages")), 2);
	cr_assert_eq(json_array_size(json_object_get(p, "skills")), 2);
	cr_assert_eq(json_array_size(json_object_get(p, "availability")), 1);
	cr_assert(json_is_false(json_object_get(p, "onsite")), "an unticked box is false");
	response_free(r);
	free(csrf);
	client_free(c);
}

Test(profiles, form_shows_reasons_on_422)
{
	struct account a;
	struct client *c = logged_in("specialist", &a);
	client_set_lang(c, "en");
	struct response *r = client_get(c, "/profile");
	char *csrf = html_find_csrf(r->body.data);
	response_free(r);
	r = client_post_form(c, "/profile", "csrf", csrf, "headline", "Kept headline", "years_experience", "99",
			     "languages", "en", "day_0", "1", "start_0", "09:00", "end_0", "08:00", NULL);
	assert_status(r, 422);
	cr_assert(strstr(r->body.data, "years-error"), "no years error");
	cr_assert(strstr(r->body.data, "availability-error"), "no availability error");
	cr_assert(strstr(r->body.data, "remote-error"), "no remote/on-site error");
	cr_assert(strstr(r->body.data, "value=\"Kept headline\""), "typed headline lost");
	cr_assert(strstr(r->body.data, "alert-error"));
	response_free(r);
	free(csrf);
	client_free(c);
}

Test(profiles, public_page_in_arabic_and_english)
{
	struct account a;
	struct client *c = logged_in("specialist", &a);
	struct response *r = put_profile(c, doctor_json());
	assert_status(r, 200);
	response_free(r);

	char path[64];
	snprintf(path, sizeof path, "/specialists/%lld", (long long)a.id);
	struct client *v = client_new();
	r = client_get(v, path);
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "<html lang=\"ar\" dir=\"rtl\""));
	cr_assert(strstr(r->body.data, "الأحد"), "no Sunday in Arabic");
	cr_assert(strstr(r->body.data, "الخميس"), "no Thursday in Arabic");
	cr_assert(strstr(r->body.data, "الرياض"), "no city in Arabic");
	cr_assert(strstr(r->body.data, "09:00–12:00"));
	cr_assert(strstr(r->body.data, "طبيبة أسرة"));
	cr_assert_null(strstr(r->body.data, a.email), "e-mail on the public page");
	cr_assert_null(strstr(r->body.data, "badge-success"), "licence badge without a licence");
	response_free(r);

	snprintf(path, sizeof path, "/specialists/%lld?lang=en", (long long)a.id);
	r = client_get(v, path);
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "<html lang=\"en\" dir=\"ltr\""));
	cr_assert(strstr(r->body.data, "Sunday"));
	cr_assert(strstr(r->body.data, "Thursday"));
	cr_assert(strstr(r->body.data, "Riyadh"));
	response_free(r);

	/* A moderator approved a licence: the badge shows. */
	db_conn *conn = server_db();
	if (conn) {
		cr_assert_eq(db_exec(conn, "INSERT INTO credentials (user_id, kind, file_hash, file_type, file_size, status, "
					 "created_at) VALUES (?, 'licence', 'ab', 'application/pdf', 1, 'approved', ?)",
				     DB_PARAMS(DB_INT(a.id), DB_INT(time(NULL))), NULL), DB_OK);
		server_db_close(conn);
		r = client_get(v, path);
		assert_status(r, 200);
		cr_assert(strstr(r->body.data, "badge-success"), "no licence badge");
		cr_assert(strstr(r->body.data, "Licence verified"));
		response_free(r);
		snprintf(path, sizeof path, "/api/v1/specialists/%lld", (long long)a.id);
		r = client_get(v, path);
		cr_assert(json_is_true(json_object_get(json_object_get(r->json, "specialist"), "licence_verified")));
		response_free(r);
	}
	client_free(v);
	client_free(c);
}

/* ======================================================= consistency */

/* put_body: PUT /me/profile with a JSON text, in `lang`. */
static struct response *put_body(struct client *c, const char *json, const char *lang)
{
	json_error_t err;
	json_t *body = json_loads(json, 0, &err);
	cr_assert_not_null(body, "%s", err.text);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/me/profile?lang=%s", lang);
	struct response *r = client_put_json(c, path, body);
	json_decref(body);
	return r;
}

static double number_at(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	cr_assert(json_is_number(v), "%s is not a number", key);
	return json_number_value(v);
}

Test(profiles, the_domain_must_be_the_professions)
{
	struct account a;
	struct client *c = logged_in("specialist", &a);
	struct response *r = put_body(c, "{\"profession\": \"dentist\", \"domain\": \"arts_media\"}", "en");
	assert_error_field(r, "domain");
	cr_assert(strstr(response_error_field(r, "domain"), "domain"), "%s", response_error_field(r, "domain"));
	response_free(r);
	r = put_body(c, "{\"profession\": \"dentist\", \"domain\": \"arts_media\"}", "ar");
	assert_error_field(r, "domain");
	cr_assert(has_arabic_letters(response_error_field(r, "domain")), "%s", response_error_field(r, "domain"));
	response_free(r);
	/* Nothing was saved; the right domain, or none, is taken. */
	r = client_get(c, "/api/v1/me/profile");
	cr_assert(json_is_null(json_object_get(profile_of(r), "profession")));
	response_free(r);
	r = put_body(c, "{\"profession\": \"dentist\", \"domain\": \"health\"}", "en");
	assert_status(r, 200);
	cr_assert_str_eq(str_at(profile_of(r), "domain"), "health");
	response_free(r);
	r = put_body(c, "{\"profession\": \"lawyer\"}", "en");
	assert_status(r, 200);
	cr_assert_str_eq(str_at(profile_of(r), "domain"), "law");
	response_free(r);
	client_free(c);
}

Test(profiles, coordinates_must_lie_near_the_city)
{
	struct account a;
	struct client *c = logged_in("specialist", &a);
	/* Jeddah's coordinates with Riyadh as the city: some 850 km apart. */
	struct response *r = put_body(c, "{\"city\": \"riyadh\", \"lat\": 21.4858, \"lon\": 39.1925}", "en");
	assert_error_field(r, "lat");
	assert_error_field(r, "lon");
	cr_assert(strstr(response_error_field(r, "lat"), "100 km"), "%s", response_error_field(r, "lat"));
	response_free(r);
	r = put_body(c, "{\"city\": \"riyadh\", \"lat\": 21.4858, \"lon\": 39.1925}", "ar");
	assert_error_field(r, "lat");
	cr_assert(has_arabic_letters(response_error_field(r, "lon")));
	response_free(r);
	/* A district of Riyadh is fine and kept as given; no city, any place. */
	r = put_body(c, "{\"city\": \"riyadh\", \"lat\": 24.8, \"lon\": 46.64}", "en");
	assert_status(r, 200);
	cr_assert_float_eq(number_at(profile_of(r), "lat"), 24.8, 1e-9);
	cr_assert_float_eq(number_at(profile_of(r), "lon"), 46.64, 1e-9);
	response_free(r);
	r = put_body(c, "{\"lat\": 21.4858, \"lon\": 39.1925}", "en");
	assert_status(r, 200);
	response_free(r);
	client_free(c);
}

/* form_post: POST /profile with the fields a person leaves as they are,
 * and city, lat, lon as given (NULL: the field is not sent). */
static struct response *form_post(struct client *c, const char *csrf, const char *city, const char *lat,
				  const char *lon)
{
	const char *fields[] = { "csrf", csrf, "headline", "Family doctor", "profession", "doctor", "domain", "",
				 "city", city, "remote", "1", "onsite", "1", "languages", "ar",
				 "max_hours_month", "10", "public", "1", "lat", lat, "lon", lon };
	size_t n = sizeof fields / sizeof fields[0] - (lat ? 0 : 4);
	buf body = BUF_INIT;
	for (size_t i = 0; i < n; i += 2) {
		char *v = curl_easy_escape(NULL, fields[i + 1], 0);
		buf_printf(&body, "%s%s=%s", i ? "&" : "", fields[i], v);
		curl_free(v);
	}
	struct response *r = client_request(c, "POST", "/profile", "application/x-www-form-urlencoded", body.data,
					    body.len);
	buf_free(&body);
	return r;
}

/* own_coordinates: lat and lon of GET /me/profile. */
static void own_coordinates(struct client *c, double *lat, double *lon)
{
	struct response *r = client_get(c, "/api/v1/me/profile");
	assert_status(r, 200);
	*lat = number_at(profile_of(r), "lat");
	*lon = number_at(profile_of(r), "lon");
	response_free(r);
}

Test(profiles, the_form_keeps_and_sets_coordinates)
{
	struct account a;
	struct client *c = logged_in("specialist", &a);
	client_set_lang(c, "en");
	struct response *r = put_body(c, "{\"profession\": \"doctor\", \"city\": \"riyadh\", \"lat\": 24.8, \"lon\": 46.64}", "en");
	assert_status(r, 200);
	response_free(r);
	r = client_get(c, "/profile?lang=en");
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "up to 30 skills"), "the hint does not name the limit");
	cr_assert(strstr(r->body.data, "name=\"lat\"") && strstr(r->body.data, "value=\"24.800000\""),
		  "the form does not show the saved latitude");
	char *csrf = html_find_csrf(r->body.data);
	response_free(r);

	/* Same city, coordinate fields not sent (or left empty): kept. */
	double lat, lon;
	r = form_post(c, csrf, "riyadh", NULL, NULL);
	cr_assert_eq(r->status, 303, "POST /profile answered %ld: %.500s", r->status, r->body.data);
	response_free(r);
	own_coordinates(c, &lat, &lon);
	cr_assert_float_eq(lat, 24.8, 1e-9, "the form replaced the saved coordinates (%f)", lat);
	cr_assert_float_eq(lon, 46.64, 1e-9);
	r = form_post(c, csrf, "riyadh", "", "");
	cr_assert_eq(r->status, 303);
	response_free(r);
	own_coordinates(c, &lat, &lon);
	cr_assert_float_eq(lat, 24.8, 1e-9);

	/* Set through the form; far from the city is a 422 shown on the fields. */
	r = form_post(c, csrf, "riyadh", "24.6", "46.75");
	cr_assert_eq(r->status, 303);
	response_free(r);
	own_coordinates(c, &lat, &lon);
	cr_assert_float_eq(lat, 24.6, 1e-9);
	cr_assert_float_eq(lon, 46.75, 1e-9);
	r = form_post(c, csrf, "riyadh", "21.4858", "39.1925");
	assert_status(r, 422);
	cr_assert(strstr(r->body.data, "id=\"lat-error\""), "no reason under the latitude");
	cr_assert(strstr(r->body.data, "aria-invalid=\"true\""));
	response_free(r);
	r = form_post(c, csrf, "riyadh", "north", "46.75");
	assert_status(r, 422);
	cr_assert(strstr(r->body.data, "id=\"lat-error\""));
	response_free(r);

	/* A new city with the old coordinates the form showed: the new city's. */
	r = form_post(c, csrf, "jeddah", "24.600000", "46.750000");
	cr_assert_eq(r->status, 303, "POST /profile answered %ld: %.500s", r->status, r->body.data);
	response_free(r);
	own_coordinates(c, &lat, &lon);
	cr_assert_float_eq(lat, 21.4858, 1e-6);
	cr_assert_float_eq(lon, 39.1925, 1e-6);
	free(csrf);
	client_free(c);
}

/* ==================================================== credential files */

/* upload_licence: POST /api/v1/me/credentials with a licence file. */
static struct response *upload_licence(struct client *c, const char *name, const char *type, const void *data,
				       size_t len)
{
	static const char *const fields[] = { "kind", "licence", "issuer", "الهيئة السعودية للتخصصات الصحية",
					      "number", "SCFHS-1234", NULL };
	return client_post_multipart(c, "/api/v1/me/credentials", fields, "file", name, type, data, len);
}

/* A one-page PDF with the frame filetype_detect asks for. */
static const char licence_pdf[] = "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
				   "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
				   "xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n"
				   "trailer << /Size 3 /Root 1 0 R >>\nstartxref\n110\n%%EOF\n";

/* grey_png: a 200×150 PNG built with libvips; g_free it. */
static void *grey_png(size_t *len)
{
	cr_assert(image_init(""), "libvips did not start");
	VipsImage *im = NULL;
	cr_assert_eq(vips_black(&im, 200, 150, NULL), 0);
	void *out = NULL;
	cr_assert_eq(vips_pngsave_buffer(im, &out, len, NULL), 0);
	g_object_unref(im);
	return out;
}

Test(profiles, credential_files_are_checked_for_real)
{
	struct account a;
	struct client *c = logged_in("specialist", &a);
	client_set_lang(c, "en");
	static const char fake_pdf[] = "%PDF-<html><script>alert(document.cookie)</script></html>";
	struct response *r = upload_licence(c, "licence.pdf", "application/pdf", fake_pdf, sizeof fake_pdf - 1);
	assert_error(r, 415, "unsupported_media_type");
	response_free(r);
	static const char fake_jpeg[] = "\xff\xd8\xffjunk";
	r = upload_licence(c, "licence.jpg", "image/jpeg", fake_jpeg, sizeof fake_jpeg - 1);
	assert_error(r, 415, "unsupported_media_type");
	response_free(r);
	size_t len;
	void *png = grey_png(&len);
	r = upload_licence(c, "licence.png", "image/png", png, len / 2);
	assert_error(r, 415, "unsupported_media_type");
	response_free(r);
	r = client_get(c, "/api/v1/me/credentials");
	cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0, "a refused file was kept");
	response_free(r);

	/* The whole PNG and a real PDF are taken, typed from their bytes. */
	r = upload_licence(c, "scan.bin", "application/octet-stream", png, len);
	assert_status(r, 201);
	cr_assert_str_eq(str_at(json_object_get(r->json, "credential"), "file_type"), "image/png");
	response_free(r);
	g_free(png);
	r = upload_licence(c, "licence.pdf", "application/pdf", licence_pdf, sizeof licence_pdf - 1);
	assert_status(r, 201);
	cr_assert_str_eq(str_at(json_object_get(r->json, "credential"), "file_type"), "application/pdf");
	response_free(r);
	client_free(c);
}

/* ================================================ the verification path */

/* licensed_specialist: a new specialist with a public profile in `profession`
 * who uploaded a licence through the API; its id into *credential. */
static struct client *licensed_specialist(const char *profession, struct account *a, int64_t *credential)
{
	struct client *c = logged_in("specialist", a);
	char json[160];
	snprintf(json, sizeof json, "{\"profession\": \"%s\", \"city\": \"riyadh\", \"public\": true}", profession);
	struct response *r = put_body(c, json, "en");
	assert_status(r, 200);
	cr_assert(json_is_false(json_object_get(profile_of(r), "licence_verified")));
	response_free(r);
	r = upload_licence(c, "licence.pdf", "application/pdf", licence_pdf, sizeof licence_pdf - 1);
	assert_status(r, 201);
	const json_t *cred = json_object_get(r->json, "credential");
	cr_assert_str_eq(str_at(cred, "status"), "pending");
	*credential = json_integer_value(json_object_get(cred, "id"));
	response_free(r);
	return c;
}

/* licence_verified: what GET /specialists/{id} (public) and GET /me/profile
 * (the owner) say; asserts they agree. */
static bool licence_verified(struct client *owner, int64_t id)
{
	struct client *v = client_new();
	char path[64];
	snprintf(path, sizeof path, "/api/v1/specialists/%lld", (long long)id);
	struct response *r = client_get(v, path);
	assert_status(r, 200);
	const json_t *pub = json_object_get(json_object_get(r->json, "specialist"), "licence_verified");
	cr_assert(json_is_boolean(pub));
	bool verified = json_is_true(pub);
	response_free(r);
	client_free(v);
	r = client_get(owner, "/api/v1/me/profile");
	assert_status(r, 200);
	cr_assert_eq(json_is_true(json_object_get(profile_of(r), "licence_verified")), verified,
		     "the public and the own profile disagree");
	response_free(r);
	return verified;
}

/* decide: POST /admin/credentials/{id}/verify {approved, reason}. */
static struct response *decide(struct client *c, int64_t id, bool approved, const char *reason)
{
	char path[80];
	snprintf(path, sizeof path, "/api/v1/admin/credentials/%lld/verify", (long long)id);
	json_t *body = json_pack("{s:b, s:s}", "approved", approved, "reason", reason);
	struct response *r = client_post_json(c, path, body);
	json_decref(body);
	return r;
}

Test(profiles, a_licence_approved_by_a_moderator_is_verified)
{
	struct account doctor, other, mod = client_make_moderator();
	int64_t cred;
	struct client *c = licensed_specialist("doctor", &doctor, &cred);
	cr_assert_not(licence_verified(c, doctor.id), "verified before any review");

	/* Neither the owner nor another specialist may decide. */
	struct response *r = decide(c, cred, true, "");
	assert_status(r, 403);
	response_free(r);
	struct client *o = logged_in("specialist", &other);
	r = decide(o, cred, true, "");
	assert_status(r, 403);
	response_free(r);
	client_free(o);
	cr_assert_not(licence_verified(c, doctor.id));

	struct client *m = client_new();
	client_login(m, &mod);
	r = decide(m, cred, true, "");
	assert_status(r, 200);
	cr_assert_str_eq(str_at(json_object_get(r->json, "credential"), "status"), "approved");
	response_free(r);
	cr_assert(licence_verified(c, doctor.id), "an approved licence is not shown as verified");
	client_free(m);
	client_free(c);
}

Test(profiles, a_rejected_licence_is_not_verified_and_the_owner_sees_why)
{
	struct account lawyer, mod = client_make_moderator();
	int64_t cred;
	struct client *c = licensed_specialist("lawyer", &lawyer, &cred);
	struct client *m = client_new();
	client_login(m, &mod);
	struct response *r = decide(m, cred, false, "");
	assert_error_field(r, "reason"); /* a rejection says why */
	response_free(r);
	r = decide(m, cred, false, "The scan is unreadable");
	assert_status(r, 200);
	cr_assert_str_eq(str_at(json_object_get(r->json, "credential"), "status"), "rejected");
	response_free(r);
	client_free(m);
	cr_assert_not(licence_verified(c, lawyer.id), "a rejected licence is shown as verified");

	r = client_get(c, "/api/v1/me/credentials");
	assert_status(r, 200);
	const json_t *item = json_array_get(json_object_get(r->json, "items"), 0);
	cr_assert_str_eq(str_at(item, "status"), "rejected");
	cr_assert_str_eq(str_at(item, "reason"), "The scan is unreadable");
	response_free(r);
	r = client_get(c, "/credentials?lang=en");
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "The scan is unreadable"), "the reason is not on the owner's page");
	response_free(r);
	client_free(c);
}
