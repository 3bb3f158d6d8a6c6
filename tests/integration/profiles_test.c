/*
 * profiles_test.c — specialists' profiles over HTTP: PUT and GET
 * /api/v1/me/profile, 422 reasons per field, who may see a profile, the
 * profile form (with CSRF) and the public page in Arabic and English.
 *
 * When KHIBRA_TEST_DB_URL names the server's database (tests/run-all.sh sets
 * it), the tests also reach into it: to make sure the few taxonomy slugs they
 * use exist, and to approve a licence for the badge test.
 */
#include "client.h"
#include "store/db.h"

#include <criterion/criterion.h>
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
