/*
 * opportunity_test.c — the pure rules of opportunities (domain/opportunity.h):
 * validation, status transitions, RFC 3339 times, cursors, distance and the
 * plain text filter.
 */
#include "domain/opportunity.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#define T0 1796360400 /* 2026-12-04T08:00:00+03:00 */

/* valid: a valid on-site campaign in Riyadh, 08:00-14:00, with one shift. */
static void valid(struct opportunity *o)
{
	opportunity_init(o);
	opportunity_set_text(&o->kind, "campaign");
	opportunity_set_text(&o->domain, "health");
	opportunity_set_text(&o->title, "قافلة طبية");
	opportunity_set_text(&o->city, "riyadh");
	o->starts_at = T0;
	o->ends_at = T0 + 6 * 3600;
	opportunity_add_skill(o, "dentistry");
	opportunity_add_shift(o, 0, T0, T0 + 6 * 3600, 3, "Dentist", "dentistry");
}

static void assert_only(const struct opportunity *o, const char *field)
{
	struct opp_errors e = { 0 };
	cr_assert_not(opportunity_validate(o, &e), "expected an error on %s", field);
	cr_assert_not_null(opp_error_for(&e, field), "no reason for %s (first: %s)", field, e.n ? e.e[0].field : "-");
	cr_assert_eq(e.n, 1, "more than one reason: %s, %s", e.e[0].field, e.n > 1 ? e.e[1].field : "");
}

Test(opportunity, a_valid_one_passes)
{
	struct opportunity o;
	valid(&o);
	struct opp_errors e = { 0 };
	cr_assert(opportunity_validate(&o, &e), "%s: %s", e.n ? e.e[0].field : "", e.n ? e.e[0].reason : "");
	opportunity_free(&o);
}

Test(opportunity, kind_and_domain_must_be_known)
{
	struct opportunity o;
	valid(&o);
	opportunity_set_text(&o.kind, "party");
	assert_only(&o, "kind");
	opportunity_set_text(&o.kind, "workshop");
	opportunity_set_text(&o.domain, "cooking");
	assert_only(&o, "domain");
	opportunity_free(&o);
}

Test(opportunity, title_is_3_to_160_characters)
{
	struct opportunity o;
	valid(&o);
	opportunity_set_text(&o.title, "ab");
	assert_only(&o, "title");
	opportunity_set_text(&o.title, "طبي"); /* three Arabic letters are enough */
	struct opp_errors e = { 0 };
	cr_assert(opportunity_validate(&o, &e));
	char long_title[200];
	memset(long_title, 'x', 161);
	long_title[161] = '\0';
	opportunity_set_text(&o.title, long_title);
	assert_only(&o, "title");
	long_title[160] = '\0';
	opportunity_set_text(&o.title, long_title);
	e.n = 0;
	cr_assert(opportunity_validate(&o, &e));
	opportunity_free(&o);
}

Test(opportunity, ends_must_follow_starts_but_the_past_is_fine)
{
	struct opportunity o;
	valid(&o);
	o.ends_at = o.starts_at;
	assert_only(&o, "ends_at");
	o.ends_at = o.starts_at - 1;
	assert_only(&o, "ends_at");
	/* 2001: dates may lie in the past (work already done). */
	o.starts_at = o.shifts[0].starts_at = 1000000000;
	o.ends_at = o.shifts[0].ends_at = 1000003600;
	struct opp_errors e = { 0 };
	cr_assert(opportunity_validate(&o, &e));
	opportunity_free(&o);
}

Test(opportunity, on_site_needs_a_place_and_coordinates_in_range)
{
	struct opportunity o;
	valid(&o);
	opportunity_set_text(&o.city, "");
	assert_only(&o, "city");
	o.remote = true;
	struct opp_errors e = { 0 };
	cr_assert(opportunity_validate(&o, &e), "remote needs no city");
	o.remote = false;
	o.has_coords = true;
	o.lat = 24.7;
	o.lon = 46.7;
	e.n = 0;
	cr_assert(opportunity_validate(&o, &e), "coordinates are enough");
	o.lat = 91;
	assert_only(&o, "lat");
	o.lat = 0;
	o.lon = -181;
	assert_only(&o, "lon");
	opportunity_free(&o);
}

Test(opportunity, skills_are_slugs_and_at_most_20)
{
	struct opportunity o;
	valid(&o);
	opportunity_add_skill(&o, "Not A Slug");
	assert_only(&o, "skills");
	opportunity_clear_skills(&o);
	char slug[16];
	for (int i = 0; i < 21; i++) {
		snprintf(slug, sizeof slug, "skill-%d", i);
		opportunity_add_skill(&o, slug);
	}
	assert_only(&o, "skills");
	opportunity_add_skill(&o, "skill-3"); /* duplicates are dropped */
	cr_assert_eq(o.nskills, 21);
	opportunity_free(&o);
}

Test(opportunity, shifts_lie_within_the_span_with_sane_capacity)
{
	struct opportunity o;
	valid(&o);
	o.shifts[0].ends_at = o.shifts[0].starts_at;
	assert_only(&o, "shifts");
	o.shifts[0].ends_at = o.ends_at + 60; /* past the opportunity's end */
	assert_only(&o, "shifts");
	o.shifts[0].ends_at = o.ends_at;
	o.shifts[0].capacity = 0;
	assert_only(&o, "shifts");
	o.shifts[0].capacity = 10001;
	assert_only(&o, "shifts");
	o.shifts[0].capacity = 10000;
	opportunity_set_text(&o.shifts[0].skill, "Bad Slug");
	assert_only(&o, "shifts");
	opportunity_set_text(&o.shifts[0].skill, NULL);
	char role[100];
	memset(role, 'r', 81);
	role[81] = '\0';
	opportunity_set_text(&o.shifts[0].role, role);
	assert_only(&o, "shifts");
	opportunity_free(&o);
}

Test(opportunity, at_most_50_shifts)
{
	struct opportunity o;
	valid(&o);
	for (int i = 0; i < 50; i++)
		opportunity_add_shift(&o, 0, T0, T0 + 3600, 1, "", NULL);
	assert_only(&o, "shifts");
	opportunity_free(&o);
}

Test(opportunity, default_shift_spans_the_opportunity)
{
	struct opportunity p;
	opportunity_init(&p);
	opportunity_set_text(&p.kind, "workshop");
	p.starts_at = T0;
	p.ends_at = T0 + 3600;
	opportunity_default_shift(&p, 25);
	cr_assert_eq(p.nshifts, 1);
	cr_assert_eq(p.shifts[0].capacity, 25);
	cr_assert_eq(p.shifts[0].starts_at, T0);
	cr_assert_eq(p.shifts[0].ends_at, T0 + 3600);
	opportunity_default_shift(&p, 7); /* only when there is none */
	cr_assert_eq(p.nshifts, 1);
	opportunity_free(&p);
	opportunity_init(&p);
	opportunity_set_text(&p.kind, "consultation");
	opportunity_default_shift(&p, 25);
	cr_assert_eq(p.shifts[0].capacity, 1, "a consultation is one to one");
	opportunity_free(&p);
}

Test(opportunity, status_transitions)
{
	cr_assert_str_eq(opportunity_transition("draft", OPP_PUBLISH), "open");
	cr_assert_str_eq(opportunity_transition("closed", OPP_PUBLISH), "open");
	cr_assert_null(opportunity_transition("open", OPP_PUBLISH));
	cr_assert_str_eq(opportunity_transition("open", OPP_CLOSE), "closed");
	cr_assert_null(opportunity_transition("draft", OPP_CLOSE));
	cr_assert_str_eq(opportunity_transition("open", OPP_COMPLETE), "completed");
	cr_assert_str_eq(opportunity_transition("closed", OPP_COMPLETE), "completed");
	cr_assert_null(opportunity_transition("draft", OPP_COMPLETE));
	cr_assert_str_eq(opportunity_transition("draft", OPP_CANCEL), "cancelled");
	cr_assert_str_eq(opportunity_transition("open", OPP_CANCEL), "cancelled");
	cr_assert_str_eq(opportunity_transition("closed", OPP_CANCEL), "cancelled");
	const char *final[] = { "completed", "cancelled" };
	for (int i = 0; i < 2; i++)
		for (int a = OPP_PUBLISH; a <= OPP_CANCEL; a++)
			cr_assert_null(opportunity_transition(final[i], (enum opp_action)a), "%s is final", final[i]);
	enum opp_action act;
	cr_assert(opportunity_action_parse("complete", &act) && act == OPP_COMPLETE);
	cr_assert_not(opportunity_action_parse("reopen", &act));
	cr_assert_not(opportunity_is_public("draft"));
	cr_assert(opportunity_is_public("cancelled"));
}

Test(opportunity, cursors_round_trip_and_refuse_junk)
{
	char c[OPP_CURSOR_MAX];
	int64_t start, id;
	opportunity_cursor_encode(T0, 42, c);
	cr_assert(opportunity_cursor_decode(c, &start, &id));
	cr_assert_eq(start, T0);
	cr_assert_eq(id, 42);
	opportunity_cursor_encode(-5, 7, c);
	cr_assert(opportunity_cursor_decode(c, &start, &id) && start == -5 && id == 7);
	cr_assert_not(opportunity_cursor_decode("zz", &start, &id));
	cr_assert_not(opportunity_cursor_decode("", &start, &id));
	cr_assert_not(opportunity_cursor_decode("3132", &start, &id)); /* "12": no id */
}

Test(opportunity, distance_and_text)
{
	/* Riyadh to Jeddah is about 850 km as the crow flies. */
	double d = opportunity_distance_km(24.7136, 46.6753, 21.4858, 39.1925);
	cr_assert(d > 840 && d < 860, "got %f", d);
	cr_assert_float_eq(opportunity_distance_km(24.7, 46.7, 24.7, 46.7), 0.0, 1e-9);
	cr_assert(opportunity_text_matches("dental CARAVAN", "Dental caravan", ""));
	cr_assert(opportunity_text_matches("caravan village", "Caravan", "in a village"));
	cr_assert_not(opportunity_text_matches("caravan lawyer", "Caravan", "in a village"));
	cr_assert(opportunity_text_matches("قافلة", "قافلة طبية", ""));
	cr_assert(opportunity_text_matches("  ", "x", "y"));
}
