/*
 * opportunities_test.c — opportunities and shifts over HTTP: creating drafts,
 * who may see and change them, publishing (verified organisations only),
 * status changes, the public search, and the pages in Arabic and English.
 */
#include "client.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An organisation's owner, logged in, with the organisation's id. */
struct org_owner {
	struct client *c;
	struct account a;
	int64_t org;
};

static struct org_owner new_org(bool verified)
{
	struct org_owner o = { .c = client_new() };
	o.a = client_register(o.c, "organisation");
	client_login(o.c, &o.a);
	char name[64];
	random_hex(name, 6);
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", name, "kind", "charity", "registration_no",
				 "NC-1", "city", "Riyadh", "description", "جمعية للاختبار");
	struct response *r = client_post_json(o.c, "/api/v1/orgs", body);
	assert_status(r, 201);
	o.org = json_integer_value(json_object_get(json_object_get(r->json, "org"), "id"));
	response_free(r);
	json_decref(body);
	if (verified)
		test_org_verify(o.org);
	return o;
}

static void org_owner_free(struct org_owner *o)
{
	client_free(o->c);
}

static struct client *someone(void)
{
	struct client *c = client_new();
	struct account a = client_register(c, "specialist");
	client_login(c, &a);
	return c;
}

__attribute__((format(printf, 1, 2))) static char *path(const char *fmt, ...)
{
	static char paths[4][256];
	static int turn;
	char *p = paths[turn++ % 4];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p, sizeof paths[0], fmt, ap);
	va_end(ap);
	return p;
}

/* caravan: a valid campaign body with three dentists and two nurses. */
static json_t *caravan(const char *title)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s, s], s:[{s:s, s:s, s:i, s:s, s:s}, {s:s, s:s, s:i, s:s, s:s}]}",
			 "kind", "campaign", "domain", "health", "title", title, "city", "riyadh", "description",
			 "Free screenings in a village near Riyadh", "starts_at", "2026-12-04T08:00:00+03:00", "ends_at",
			 "2026-12-04T14:00:00+03:00", "skills", "dentistry", "nursing", "shifts", "starts_at",
			 "2026-12-04T08:00:00+03:00", "ends_at", "2026-12-04T14:00:00+03:00", "capacity", 3, "role",
			 "Dentist", "skill", "dentistry", "starts_at", "2026-12-04T08:00:00+03:00", "ends_at",
			 "2026-12-04T14:00:00+03:00", "capacity", 2, "role", "Nurse", "skill", "nursing");
}

/* create: POST the body as the org's owner, asserting 201; the new id. */
static int64_t create(struct org_owner *o, json_t *body)
{
	struct response *r = client_post_json(o->c, path("/api/v1/orgs/%lld/opportunities", (long long)o->org), body);
	assert_status(r, 201);
	int64_t id = json_integer_value(json_object_get(json_object_get(r->json, "opportunity"), "id"));
	response_free(r);
	json_decref(body);
	cr_assert_gt(id, 0);
	return id;
}

static const char *status_of(const struct response *r)
{
	return json_string_value(json_object_get(json_object_get(r->json, "opportunity"), "status"));
}

static void act(struct client *c, int64_t id, const char *action, int expect)
{
	struct response *r = client_post_json(c, path("/api/v1/opportunities/%lld/%s", (long long)id, action), NULL);
	assert_status(r, expect);
	response_free(r);
}

Test(opportunities, owner_creates_a_draft_with_its_shifts)
{
	struct org_owner o = new_org(false);
	json_t *body = caravan("Medical caravan");
	struct response *r = client_post_json(o.c, path("/api/v1/orgs/%lld/opportunities", (long long)o.org), body);
	json_decref(body);
	assert_status(r, 201);
	json_t *opp = json_object_get(r->json, "opportunity");
	cr_assert_str_eq(json_string_value(json_object_get(opp, "status")), "draft");
	cr_assert_str_eq(json_string_value(json_object_get(opp, "kind")), "campaign");
	cr_assert_str_eq(json_string_value(json_object_get(opp, "starts_at")), "2026-12-04T08:00:00+03:00");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(opp, "org"), "id")), o.org);
	cr_assert_eq(json_array_size(json_object_get(opp, "skills")), 2);
	cr_assert(json_is_null(json_object_get(opp, "published_at")));
	json_t *shifts = json_object_get(r->json, "shifts");
	cr_assert_eq(json_array_size(shifts), 2);
	json_t *first = json_array_get(shifts, 0);
	cr_assert_eq(json_integer_value(json_object_get(first, "capacity")), 3);
	cr_assert_eq(json_integer_value(json_object_get(first, "taken")), 0);
	cr_assert_str_eq(json_string_value(json_object_get(first, "role")), "Dentist");
	cr_assert_str_eq(json_string_value(json_object_get(first, "skill")), "dentistry");
	response_free(r);
	org_owner_free(&o);
}

Test(opportunities, without_shifts_one_spans_the_opportunity)
{
	struct org_owner o = new_org(false);
	json_t *body = json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:i}", "kind", "workshop", "domain", "arts_media", "title",
				 "Photography workshop", "remote", 1, "starts_at", "2026-12-10T16:00:00+03:00", "ends_at",
				 "2026-12-10T19:00:00+03:00", "capacity", 15);
	int64_t id = create(&o, body);
	struct response *r = client_get(o.c, path("/api/v1/opportunities/%lld", (long long)id));
	assert_status(r, 200);
	json_t *shifts = json_object_get(r->json, "shifts");
	cr_assert_eq(json_array_size(shifts), 1);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(shifts, 0), "capacity")), 15);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(shifts, 0), "ends_at")), "2026-12-10T19:00:00+03:00");
	response_free(r);
	org_owner_free(&o);
}

Test(opportunities, a_coordinator_creates_others_may_not)
{
	struct org_owner o = new_org(false);
	struct client *coord = client_new();
	struct account ca = client_register(coord, "organisation");
	client_login(coord, &ca);
	/* Membership is by consent: invited, then accepted. */
	test_org_join(o.c, o.org, coord, ca.email, "coordinator");
	json_t *body = caravan("By the coordinator");
	struct response *r = client_post_json(coord, path("/api/v1/orgs/%lld/opportunities", (long long)o.org), body);
	assert_status(r, 201);
	response_free(r);

	struct client *stranger = someone();
	r = client_post_json(stranger, path("/api/v1/orgs/%lld/opportunities", (long long)o.org), body);
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = client_post_json(stranger, "/api/v1/orgs/999999999/opportunities", body);
	assert_error(r, 404, "not_found");
	response_free(r);
	struct client *visitor = client_new();
	r = client_post_json(visitor, path("/api/v1/orgs/%lld/opportunities", (long long)o.org), body);
	assert_status(r, 401);
	response_free(r);
	json_decref(body);
	client_free(visitor);
	client_free(stranger);
	client_free(coord);
	org_owner_free(&o);
}

Test(opportunities, invalid_input_gets_422_per_field)
{
	struct org_owner o = new_org(false);
	json_t *body = caravan("x");
	json_object_set_new(body, "ends_at", json_string("2026-12-03T08:00:00+03:00"));
	json_object_set_new(body, "kind", json_string("party"));
	json_object_set_new(body, "skills", json_pack("[s]", "no-such-skill"));
	client_set_lang(o.c, "en");
	struct response *r = client_post_json(o.c, path("/api/v1/orgs/%lld/opportunities", (long long)o.org), body);
	assert_error_field(r, "ends_at");
	assert_error_field(r, "title");
	assert_error_field(r, "kind");
	cr_assert_str_eq(response_error_code(r), "invalid");
	response_free(r);
	json_decref(body);
	body = caravan("Bad times");
	json_object_set_new(body, "starts_at", json_string("2026-12-04 08:00"));
	r = client_post_json(o.c, path("/api/v1/orgs/%lld/opportunities", (long long)o.org), body);
	assert_error_field(r, "starts_at");
	response_free(r);
	json_decref(body);
	body = caravan("Shift outside");
	json_object_set_new(json_array_get(json_object_get(body, "shifts"), 0), "ends_at",
			    json_string("2026-12-05T08:00:00+03:00"));
	r = client_post_json(o.c, path("/api/v1/orgs/%lld/opportunities", (long long)o.org), body);
	assert_error_field(r, "shifts");
	response_free(r);
	json_decref(body);
	org_owner_free(&o);
}

Test(opportunities, drafts_are_for_the_organisation_only)
{
	struct org_owner o = new_org(false);
	int64_t id = create(&o, caravan("Secret draft"));
	struct client *visitor = client_new(), *stranger = someone();
	struct response *r = client_get(visitor, path("/api/v1/opportunities/%lld", (long long)id));
	assert_error(r, 404, "not_found");
	response_free(r);
	r = client_get(stranger, path("/api/v1/opportunities/%lld", (long long)id));
	assert_error(r, 404, "not_found");
	response_free(r);
	r = client_get(visitor, path("/opportunities/%lld", (long long)id));
	assert_status(r, 404);
	response_free(r);
	r = client_get(o.c, path("/api/v1/opportunities/%lld", (long long)id));
	assert_status(r, 200);
	response_free(r);
	/* The organisation's list: members see the draft, others do not. */
	r = client_get(visitor, path("/api/v1/orgs/%lld/opportunities", (long long)o.org));
	assert_status(r, 200);
	cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0);
	response_free(r);
	r = client_get(o.c, path("/api/v1/orgs/%lld/opportunities", (long long)o.org));
	assert_status(r, 200);
	cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 1);
	response_free(r);
	client_free(visitor);
	client_free(stranger);
	org_owner_free(&o);
}

Test(opportunities, only_verified_organisations_publish)
{
	struct org_owner o = new_org(false);
	int64_t id = create(&o, caravan("Waiting for verification"));
	struct response *r = client_post_json(o.c, path("/api/v1/opportunities/%lld/publish", (long long)id), NULL);
	assert_error(r, 403, "org_unverified");
	response_free(r);
	test_org_verify(o.org);
	r = client_post_json(o.c, path("/api/v1/opportunities/%lld/publish", (long long)id), NULL);
	assert_status(r, 200);
	cr_assert_str_eq(status_of(r), "open");
	cr_assert(json_is_string(json_object_get(json_object_get(r->json, "opportunity"), "published_at")));
	response_free(r);
	struct client *visitor = client_new();
	r = client_get(visitor, path("/api/v1/opportunities/%lld", (long long)id));
	assert_status(r, 200);
	response_free(r);
	/* Someone outside the organisation may not change its status. */
	struct client *stranger = someone();
	r = client_post_json(stranger, path("/api/v1/opportunities/%lld/close", (long long)id), NULL);
	assert_error(r, 403, "forbidden");
	response_free(r);
	client_free(stranger);
	client_free(visitor);
	org_owner_free(&o);
}

Test(opportunities, status_moves_and_wrong_state)
{
	struct org_owner o = new_org(true);
	int64_t id = create(&o, caravan("Life cycle"));
	act(o.c, id, "close", 409);
	act(o.c, id, "publish", 200);
	act(o.c, id, "close", 200);
	act(o.c, id, "publish", 200); /* reopen */
	act(o.c, id, "complete", 200);
	struct response *r = client_post_json(o.c, path("/api/v1/opportunities/%lld/cancel", (long long)id), NULL);
	assert_error(r, 409, "wrong_state");
	response_free(r);
	int64_t other = create(&o, caravan("To cancel"));
	json_t *reason = json_pack("{s:s}", "reason", "الطقس");
	r = client_post_json(o.c, path("/api/v1/opportunities/%lld/cancel", (long long)other), reason);
	assert_status(r, 200);
	cr_assert_str_eq(status_of(r), "cancelled");
	response_free(r);
	json_decref(reason);
	org_owner_free(&o);
}

Test(opportunities, patch_by_its_organisation_only)
{
	struct org_owner o = new_org(true), other = new_org(true);
	int64_t id = create(&o, caravan("Before the edit"));
	act(o.c, id, "publish", 200);
	json_t *patch = json_pack("{s:s, s:[{s:s, s:s, s:i, s:s}]}", "title", "After the edit", "shifts", "starts_at",
				  "2026-12-04T09:00:00+03:00", "ends_at", "2026-12-04T12:00:00+03:00", "capacity", 1,
				  "role", "Pharmacist");
	struct response *r = client_patch_json(other.c, path("/api/v1/opportunities/%lld", (long long)id), patch);
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = client_patch_json(o.c, path("/api/v1/opportunities/%lld", (long long)id), patch);
	assert_status(r, 200);
	json_t *opp = json_object_get(r->json, "opportunity");
	cr_assert_str_eq(json_string_value(json_object_get(opp, "title")), "After the edit");
	cr_assert_str_eq(json_string_value(json_object_get(opp, "domain")), "health", "fields not given are kept");
	cr_assert_eq(json_array_size(json_object_get(r->json, "shifts")), 3);
	response_free(r);
	json_decref(patch);
	patch = json_pack("{s:s}", "ends_at", "2026-12-01T08:00:00+03:00");
	r = client_patch_json(o.c, path("/api/v1/opportunities/%lld", (long long)id), patch);
	assert_error_field(r, "ends_at");
	response_free(r);
	json_decref(patch);
	org_owner_free(&other);
	org_owner_free(&o);
}

Test(opportunities, search_filters_and_bad_parameters)
{
	struct org_owner o = new_org(true);
	char word[16], title[64];
	random_hex(word, 6);
	snprintf(title, sizeof title, "Caravan %s", word);
	int64_t id = create(&o, caravan(title));
	act(o.c, id, "publish", 200);
	struct client *visitor = client_new();
	struct response *r = client_get(visitor, path("/api/v1/opportunities?q=%s&domain=health&city=riyadh"
						      "&from=2026-12-04&to=2026-12-04&near=24.71,46.67&radius_km=30",
						      word));
	assert_status(r, 200);
	json_t *items = json_object_get(r->json, "items");
	cr_assert_eq(json_array_size(items), 1, "%s", r->body.data);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(items, 0), "id")), id);
	cr_assert(json_is_null(json_object_get(r->json, "next_cursor")));
	response_free(r);
	const char *misses[] = { "domain=law", "remote=true", "from=2026-12-05", "to=2026-12-03", "near=21.48,39.19",
				 "skill=programming" };
	for (size_t i = 0; i < sizeof misses / sizeof misses[0]; i++) {
		r = client_get(visitor, path("/api/v1/opportunities?q=%s&%s", word, misses[i]));
		assert_status(r, 200);
		cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0, "%s found it", misses[i]);
		response_free(r);
	}
	client_set_lang(visitor, "en");
	r = client_get(visitor, "/api/v1/opportunities?near=north&radius_km=-1&from=tomorrow&domain=cooking&cursor=xyz");
	assert_error_field(r, "near");
	assert_error_field(r, "radius_km");
	assert_error_field(r, "from");
	assert_error_field(r, "domain");
	assert_error_field(r, "cursor");
	response_free(r);
	client_free(visitor);
	org_owner_free(&o);
}

/* Work already done (dates in the past) stays out of the public list until
 * someone asks for its dates; the organisation's own list keeps it. */
Test(opportunities, public_list_shows_what_has_not_ended)
{
	struct org_owner o = new_org(true);
	char word[16], title[64];
	random_hex(word, 6);
	snprintf(title, sizeof title, "Past caravan %s", word);
	json_t *body = caravan(title);
	json_object_set_new(body, "starts_at", json_string("2025-03-02T08:00:00+03:00"));
	json_object_set_new(body, "ends_at", json_string("2025-03-02T14:00:00+03:00"));
	json_object_del(body, "shifts");
	int64_t id = create(&o, body);
	act(o.c, id, "publish", 200);
	struct client *visitor = client_new();
	const char *dates[] = { "", "&from=2025-03-01", "&to=2025-03-02", "&from=2026-01-01" };
	const size_t expect[] = { 0, 1, 1, 0 };
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		struct response *r = client_get(visitor, path("/api/v1/opportunities?q=%s%s", word, dates[i]));
		assert_status(r, 200);
		cr_assert_eq(json_array_size(json_object_get(r->json, "items")), expect[i], "dates '%s'", dates[i]);
		response_free(r);
	}
	struct response *r = client_get(visitor, path("/opportunities?lang=en&q=%s", word));
	assert_status(r, 200);
	cr_assert_not(html_has_href_containing(r->body.data, path("/opportunities/%lld", (long long)id)));
	cr_assert(strstr(r->body.data, "only opportunities that have not ended"), "the page says why");
	response_free(r);
	r = client_get(visitor, path("/opportunities?lang=en&q=%s&from=2025-03-02", word));
	assert_status(r, 200);
	cr_assert(html_has_href_containing(r->body.data, path("/opportunities/%lld", (long long)id)));
	response_free(r);
	r = client_get(visitor, path("/api/v1/orgs/%lld/opportunities", (long long)o.org));
	assert_status(r, 200);
	cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 1, "the organisation's list keeps it");
	response_free(r);
	client_free(visitor);
	org_owner_free(&o);
}

Test(opportunities, pages_in_arabic_and_english)
{
	struct org_owner o = new_org(true);
	int64_t id = create(&o, caravan("Page caravan"));
	act(o.c, id, "publish", 200);
	struct client *visitor = client_new();
	struct response *r = client_get(visitor, "/opportunities");
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "lang=\"ar\"") && has_arabic_letters(r->body.data));
	response_free(r);
	r = client_get(visitor, "/opportunities?lang=en&q=Page+caravan&from=2026-12-04");
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "lang=\"en\""));
	cr_assert(html_has_href_containing(r->body.data, path("/opportunities/%lld", (long long)id)));
	response_free(r);
	r = client_get(visitor, path("/opportunities/%lld?lang=en", (long long)id));
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "Page caravan") && strstr(r->body.data, "Dentist"));
	cr_assert(strstr(r->body.data, "AH"), "the Hijri date is shown");
	cr_assert_null(strstr(r->body.data, "/close\""), "no management for visitors");
	response_free(r);
	r = client_get(o.c, path("/opportunities/%lld", (long long)id));
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, path("/opportunities/%lld/close\"", (long long)id)));
	cr_assert(strstr(r->body.data, "هـ"), "the Hijri date in Arabic");
	response_free(r);
	r = client_get(visitor, "/opportunities?from=someday");
	assert_status(r, 422);
	response_free(r);
	client_free(visitor);
	org_owner_free(&o);
}

Test(opportunities, page_forms_create_and_act)
{
	struct org_owner o = new_org(false);
	struct response *r = client_get(o.c, path("/orgs/%lld/opportunities/new", (long long)o.org));
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "shift_6_role"), "six shift rows");
	response_free(r);
	r = client_post_form(o.c, path("/orgs/%lld/opportunities/new", (long long)o.org), "kind", "consultation",
			     "domain", "law", "title", "استشارات قانونية", "remote", "true", "starts_at", "2026-12-01T18:00",
			     "ends_at", "2026-12-01T20:00", "skills", "legal-consultation", "shift_1_role", "محامٍ",
			     "shift_1_starts_at", "2026-12-01T18:00", "shift_1_ends_at", "2026-12-01T19:00",
			     "shift_1_capacity", "1", NULL);
	assert_status(r, 303);
	char *to = response_location(r);
	cr_assert(to && strstr(to, "notice=created"), "went to %s", to ? to : "(none)");
	int64_t id = strtoll(to + strlen("/opportunities/"), NULL, 10);
	free(to);
	response_free(r);
	r = client_get(o.c, path("/api/v1/opportunities/%lld", (long long)id));
	assert_status(r, 200);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "opportunity"), "starts_at")),
			 "2026-12-01T18:00:00+03:00");
	cr_assert_eq(json_array_size(json_object_get(r->json, "shifts")), 1);
	response_free(r);
	r = client_post_form(o.c, path("/orgs/%lld/opportunities/new", (long long)o.org), "kind", "consultation",
			     "domain", "law", "title", "x", "starts_at", "2026-12-01T18:00", "ends_at", "2026-12-01T17:00",
			     NULL);
	assert_status(r, 422);
	cr_assert(strstr(r->body.data, "aria-invalid"));
	response_free(r);
	/* Publishing from the page: the organisation is not verified. */
	r = client_post_form(o.c, path("/opportunities/%lld/publish", (long long)id), "x", "1", NULL);
	assert_status(r, 403);
	cr_assert(response_content_type_is(r, "text/html"));
	response_free(r);
	test_org_verify(o.org);
	r = client_post_form(o.c, path("/opportunities/%lld/publish", (long long)id), "x", "1", NULL);
	assert_status(r, 303);
	to = response_location(r);
	cr_assert(to && strstr(to, "notice=published"));
	free(to);
	response_free(r);
	r = client_get(o.c, path("/opportunities/%lld/edit", (long long)id));
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "2026-12-01T18:00"));
	response_free(r);
	struct client *stranger = someone();
	r = client_get(stranger, path("/opportunities/%lld/edit", (long long)id));
	assert_status(r, 403);
	response_free(r);
	client_free(stranger);
	org_owner_free(&o);
}

Test(opportunities, home_page_shows_the_soonest_open_ones)
{
	struct org_owner o = new_org(true);
	char title[64];
	random_hex(title, 6);
	/* Started long ago and still running: the soonest start of all the open
	 * opportunities other tests make at the same time. */
	int64_t id = create(&o, json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s}", "kind", "project", "domain", "law",
					  "title", title, "description", "By-laws for small charities", "remote", 1,
					  "starts_at", "2001-01-01T08:00:00+03:00", "ends_at", "2099-12-31T14:00:00+03:00"));
	/* A draft is not shown; once open it is (the logged-in home page is not cached). */
	struct response *r = client_get(o.c, "/");
	assert_status(r, 200);
	cr_assert_null(strstr(r->body.data, title), "a draft on the home page");
	response_free(r);
	act(o.c, id, "publish", 200);
	r = client_get(o.c, "/?lang=en");
	assert_status(r, 200);
	cr_assert_not_null(strstr(r->body.data, title), "the open opportunity is not on the home page");
	cr_assert_not_null(strstr(r->body.data, path("/opportunities/%lld", (long long)id)));
	response_free(r);
	org_owner_free(&o);
}
