/*
 * profile_test.c — the rules of a specialist's profile (domain/profile.c):
 * every validation rule with its boundary, and "HH:MM" parsing.
 */
#include "domain/profile.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* valid: a complete profile that passes every rule. */
static void valid(struct profile *p)
{
	specialist_profile_init(p);
	specialist_profile_set_text(&p->headline, "طبيبة أسرة متطوعة");
	specialist_profile_set_text(&p->bio, "سطر أول\nسطر ثان");
	specialist_profile_set_text(&p->domain, "health");
	p->years_experience = 12;
	p->onsite = true;
	p->has_lat = p->has_lon = true;
	p->lat = 24.7;
	p->lon = 46.7;
	specialist_profile_add_language(p, "en");
	specialist_profile_add_skill(p, "general-medicine", 5);
	specialist_profile_add_skill(p, "nursing", 1);
	specialist_profile_add_slot(p, 0, 9 * 60, 12 * 60);
	specialist_profile_add_slot(p, 0, 12 * 60, 14 * 60); /* touches the first: allowed */
	specialist_profile_add_slot(p, 5, 16 * 60, 1440);
}

/* only_error: validation fails with exactly one field, `field`. */
static void only_error(struct profile *p, const char *field)
{
	struct profile_errors errs = { 0 };
	cr_assert_not(specialist_profile_validate(p, &errs), "expected an error on %s", field);
	cr_assert_eq(errs.n, 1, "expected only %s, got %d errors (first %s)", field, errs.n, errs.e[0].field);
	cr_assert_str_eq(errs.e[0].field, field);
	cr_assert_not_null(errs.e[0].reason);
	specialist_profile_free(p);
}

static char *repeat(const char *s, int n)
{
	size_t w = strlen(s);
	char *out = malloc(w * (size_t)n + 1);
	for (int i = 0; i < n; i++)
		memcpy(out + w * (size_t)i, s, w);
	out[w * (size_t)n] = '\0';
	return out;
}

Test(profile, a_complete_profile_is_valid)
{
	struct profile p;
	valid(&p);
	struct profile_errors errs = { 0 };
	cr_assert(specialist_profile_validate(&p, &errs), "unexpected error on %s", errs.e[0].field);
	specialist_profile_free(&p);
}

Test(profile, defaults_are_valid)
{
	struct profile p;
	specialist_profile_init(&p);
	struct profile_errors errs = { 0 };
	cr_assert(specialist_profile_validate(&p, &errs));
	cr_assert(p.remote && !p.onsite && p.public);
	cr_assert_eq(p.nlanguages, 1);
	cr_assert_str_eq(p.languages[0], "ar");
	cr_assert_eq(p.max_hours_month, 10);
	specialist_profile_free(&p);
}

Test(profile, headline_counts_characters_not_bytes)
{
	struct profile p;
	valid(&p);
	char *s = repeat("ع", 120); /* 240 bytes, 120 characters */
	specialist_profile_set_text(&p.headline, s);
	struct profile_errors errs = { 0 };
	cr_assert(specialist_profile_validate(&p, &errs));
	free(s);
	s = repeat("ع", 121);
	specialist_profile_set_text(&p.headline, s);
	free(s);
	only_error(&p, "headline");
}

Test(profile, headline_refuses_control_characters_and_bad_utf8)
{
	struct profile p;
	valid(&p);
	specialist_profile_set_text(&p.headline, "line\nbreak");
	only_error(&p, "headline");
	valid(&p);
	specialist_profile_set_text(&p.headline, "\xc3\x28");
	only_error(&p, "headline");
	valid(&p);
	specialist_profile_set_text(&p.bio, "overlong \xc0\xaf slash");
	only_error(&p, "bio");
}

Test(profile, bio_up_to_2000_characters)
{
	struct profile p;
	valid(&p);
	char *s = repeat("a", 2000);
	specialist_profile_set_text(&p.bio, s);
	free(s);
	struct profile_errors errs = { 0 };
	cr_assert(specialist_profile_validate(&p, &errs));
	s = repeat("a", 2001);
	specialist_profile_set_text(&p.bio, s);
	free(s);
	only_error(&p, "bio");
}

Test(profile, years_and_hours_ranges)
{
	struct profile p;
	int ok_years[] = { 0, 70 }, bad_years[] = { -1, 71 };
	for (int i = 0; i < 2; i++) {
		valid(&p);
		p.years_experience = ok_years[i];
		struct profile_errors errs = { 0 };
		cr_assert(specialist_profile_validate(&p, &errs), "years %d refused", ok_years[i]);
		specialist_profile_free(&p);
		valid(&p);
		p.years_experience = bad_years[i];
		only_error(&p, "years_experience");
	}
	valid(&p);
	p.max_hours_month = 200;
	struct profile_errors errs = { 0 };
	cr_assert(specialist_profile_validate(&p, &errs));
	p.max_hours_month = 201;
	only_error(&p, "max_hours_month");
	valid(&p);
	p.max_hours_month = -1;
	only_error(&p, "max_hours_month");
}

Test(profile, languages_known_unique_and_not_empty)
{
	struct profile p;
	valid(&p);
	p.nlanguages = 0;
	only_error(&p, "languages");
	valid(&p);
	specialist_profile_add_language(&p, "de");
	only_error(&p, "languages");
	valid(&p);
	specialist_profile_add_language(&p, "ar");
	only_error(&p, "languages");
	valid(&p);
	p.nlanguages = 0;
	static const char *all[] = { "ar", "en", "fr", "ur", "hi", "bn", "tl", "id", "fa", "tr", "so", "am", "sw" };
	for (int i = 0; i < 13; i++)
		cr_assert(specialist_profile_add_language(&p, all[i]));
	cr_assert_not(specialist_profile_add_language(&p, "ar"), "a 14th language fitted");
	struct profile_errors errs = { 0 };
	cr_assert(specialist_profile_validate(&p, &errs));
	specialist_profile_free(&p);
}

Test(profile, skills_levels_duplicates_and_count)
{
	struct profile p;
	valid(&p);
	specialist_profile_add_skill(&p, "dentistry", 0);
	only_error(&p, "skills");
	valid(&p);
	specialist_profile_add_skill(&p, "dentistry", 6);
	only_error(&p, "skills");
	valid(&p);
	specialist_profile_add_skill(&p, "general-medicine", 3);
	only_error(&p, "skills");
	valid(&p);
	specialist_profile_add_skill(&p, "", 3);
	only_error(&p, "skills");

	specialist_profile_init(&p);
	char slug[16];
	for (int i = 0; i < 30; i++) {
		snprintf(slug, sizeof slug, "s%d", i);
		specialist_profile_add_skill(&p, slug, 1 + i % 5);
	}
	struct profile_errors errs = { 0 };
	cr_assert(specialist_profile_validate(&p, &errs), "30 skills refused");
	specialist_profile_add_skill(&p, "s30", 2);
	only_error(&p, "skills");
}

Test(profile, availability_rules)
{
	struct profile p;
	valid(&p);
	specialist_profile_add_slot(&p, 7, 60, 120);
	only_error(&p, "availability");
	valid(&p);
	specialist_profile_add_slot(&p, -1, 60, 120);
	only_error(&p, "availability");
	valid(&p);
	specialist_profile_add_slot(&p, 2, 600, 600); /* empty */
	only_error(&p, "availability");
	valid(&p);
	specialist_profile_add_slot(&p, 2, 700, 600); /* backwards */
	only_error(&p, "availability");
	valid(&p);
	specialist_profile_add_slot(&p, 2, -1, 600); /* unreadable time */
	only_error(&p, "availability");
	valid(&p);
	specialist_profile_add_slot(&p, 0, 11 * 60, 13 * 60); /* overlaps 09–12 and 12–14 on Sunday */
	only_error(&p, "availability");
	valid(&p);
	specialist_profile_add_slot(&p, 1, 11 * 60, 13 * 60); /* the same hours on Monday: fine */
	specialist_profile_add_slot(&p, 0, 8 * 60, 9 * 60);   /* touches 09:00 from before: fine */
	struct profile_errors errs = { 0 };
	cr_assert(specialist_profile_validate(&p, &errs), "refused: %s", errs.n ? errs.e[0].reason : "");
	specialist_profile_free(&p);

	specialist_profile_init(&p);
	for (int i = 0; i < 21; i++)
		specialist_profile_add_slot(&p, i % 7, (i / 7) * 60, (i / 7) * 60 + 60);
	struct profile_errors errs2 = { 0 };
	cr_assert(specialist_profile_validate(&p, &errs2), "21 ranges refused");
	specialist_profile_add_slot(&p, 6, 600, 660);
	only_error(&p, "availability");
}

Test(profile, coordinates_both_or_neither_and_in_range)
{
	struct profile p;
	valid(&p);
	p.lat = 90.5;
	only_error(&p, "lat");
	valid(&p);
	p.lon = -180.5;
	only_error(&p, "lon");
	valid(&p);
	p.has_lon = false;
	only_error(&p, "lon");
	valid(&p);
	p.has_lat = false;
	only_error(&p, "lat");
	valid(&p);
	p.has_lat = p.has_lon = false;
	struct profile_errors errs = { 0 };
	cr_assert(specialist_profile_validate(&p, &errs));
	p.has_lat = p.has_lon = true;
	p.lat = -90;
	p.lon = 180;
	cr_assert(specialist_profile_validate(&p, &errs));
	specialist_profile_free(&p);
}

Test(profile, remote_or_onsite_and_domain)
{
	struct profile p;
	valid(&p);
	p.remote = p.onsite = false;
	only_error(&p, "remote");
	valid(&p);
	p.remote = false;
	struct profile_errors errs = { 0 };
	cr_assert(specialist_profile_validate(&p, &errs), "on-site only refused");
	specialist_profile_free(&p);
	valid(&p);
	specialist_profile_set_text(&p.domain, "cooking");
	only_error(&p, "domain");
	for (int i = 0; i < 6; i++)
		cr_assert(specialist_profile_domain_valid(specialist_profile_domains[i]));
	cr_assert_not(specialist_profile_domain_valid(NULL));
}

Test(profile, several_errors_are_all_reported)
{
	struct profile p;
	valid(&p);
	p.years_experience = 99;
	p.max_hours_month = 999;
	p.remote = p.onsite = false;
	struct profile_errors errs = { 0 };
	cr_assert_not(specialist_profile_validate(&p, &errs));
	cr_assert_eq(errs.n, 3);
	cr_assert_not_null(specialist_profile_error_for(&errs, "years_experience"));
	cr_assert_not_null(specialist_profile_error_for(&errs, "max_hours_month"));
	cr_assert_not_null(specialist_profile_error_for(&errs, "remote"));
	specialist_profile_free(&p);
}

Test(profile, parse_and_format_times)
{
	cr_assert_eq(specialist_profile_parse_time("00:00"), 0);
	cr_assert_eq(specialist_profile_parse_time("09:30"), 570);
	cr_assert_eq(specialist_profile_parse_time("23:59"), 1439);
	cr_assert_eq(specialist_profile_parse_time("24:00"), 1440);
	const char *bad[] = { NULL, "", "9:30", "09:3", "09:60", "24:01", "25:00", "0930", "09-30", "09:30 ", "ab:cd", "٠٩:٣٠" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		cr_assert_eq(specialist_profile_parse_time(bad[i]), -1, "accepted %s", bad[i] ? bad[i] : "NULL");
	char out[6];
	specialist_profile_format_time(570, out);
	cr_assert_str_eq(out, "09:30");
	specialist_profile_format_time(1440, out);
	cr_assert_str_eq(out, "24:00");
	specialist_profile_format_time(0, out);
	cr_assert_str_eq(out, "00:00");
}

Test(profile, weekday_labels)
{
	cr_assert_str_eq(specialist_profile_weekday_label(0), "Sunday");
	cr_assert_str_eq(specialist_profile_weekday_label(6), "Saturday");
	cr_assert_null(specialist_profile_weekday_label(7));
	cr_assert_null(specialist_profile_weekday_label(-1));
}

/* The one UTF-8 check of the project's text fields (profiles, credentials,
 * moderation reasons, messages, search words): code points, not bytes, and
 * -1 for anything that is not well-formed UTF-8 or holds control characters. */
Test(profile, utf8_length_counts_code_points_and_refuses_ill_formed_text)
{
	cr_assert_eq(profile_utf8_length("", false), 0);
	cr_assert_eq(profile_utf8_length("خبرة", false), 4);
	cr_assert_eq(profile_utf8_length("a\xF0\x9F\x98\x80", false), 2, "a 4-byte emoji is one code point");
	cr_assert_eq(profile_utf8_length("\xC0\xAF", false), -1, "an overlong form");
	cr_assert_eq(profile_utf8_length("\xED\xA0\x80", false), -1, "a UTF-16 surrogate");
	cr_assert_eq(profile_utf8_length("\xF4\x90\x80\x80", false), -1, "past U+10FFFF");
	cr_assert_eq(profile_utf8_length("\xD8", false), -1, "a sequence cut short");
	cr_assert_eq(profile_utf8_length("a\x7F", false), -1, "DEL");
	cr_assert_eq(profile_utf8_length("a\nb", false), -1, "a new line in a one-line field");
	cr_assert_eq(profile_utf8_length("a\nb\tc", true), 5, "new lines and tabs in a multi-line field");
	cr_assert_eq(profile_utf8_length("a\x01", true), -1, "other control characters never");
}

Test(profile, the_domain_is_the_professions)
{
	struct profile p;
	struct profile_errors errs = { 0 };
	specialist_profile_init(&p);
	specialist_profile_match_domain(&p, "health", &errs); /* none given: the profession's */
	cr_assert_eq(errs.n, 0);
	cr_assert_str_eq(p.domain, "health");
	specialist_profile_match_domain(&p, "health", &errs); /* the same: fine */
	cr_assert_eq(errs.n, 0);
	specialist_profile_set_text(&p.domain, "arts_media"); /* a dentist in arts and media */
	specialist_profile_match_domain(&p, "health", &errs);
	cr_assert_eq(errs.n, 1);
	cr_assert_str_eq(errs.e[0].field, "domain");
	cr_assert_str_eq(p.domain, "arts_media", "the caller's choice is shown back, not replaced");
	specialist_profile_free(&p);
}

Test(profile, coordinates_lie_within_100_km_of_the_city)
{
	struct profile p;
	struct profile_errors errs = { 0 };
	specialist_profile_init(&p);
	const double riyadh_lat = 24.7136, riyadh_lon = 46.6753;
	cr_assert(specialist_profile_near_city(&p, riyadh_lat, riyadh_lon, &errs), "no coordinates: nothing to check");
	p.has_lat = p.has_lon = true;
	p.lat = 24.80; /* Riyadh's north, about 10 km */
	p.lon = 46.64;
	cr_assert(specialist_profile_near_city(&p, riyadh_lat, riyadh_lon, &errs));
	p.lat = riyadh_lat + 0.85; /* about 95 km north */
	p.lon = riyadh_lon;
	cr_assert(specialist_profile_near_city(&p, riyadh_lat, riyadh_lon, &errs));
	p.lat = riyadh_lat + 0.95; /* about 106 km north */
	cr_assert_not(specialist_profile_near_city(&p, riyadh_lat, riyadh_lon, &errs));
	cr_assert_eq(errs.n, 2);
	cr_assert_not_null(specialist_profile_error_for(&errs, "lat"));
	cr_assert_not_null(specialist_profile_error_for(&errs, "lon"));
	struct profile_errors more = { 0 };
	p.lat = 21.4858; /* Jeddah, some 850 km away */
	p.lon = 39.1925;
	cr_assert_not(specialist_profile_near_city(&p, riyadh_lat, riyadh_lon, &more));
	specialist_profile_free(&p);
}
