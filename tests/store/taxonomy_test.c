/*
 * taxonomy_test.c — the taxonomy's data (migration 0004) and its store
 * functions (store/taxonomy.h), on the database named by KHIBRA_TEST_DB:
 * run once on SQLite and once on PostgreSQL.  Read only.
 */
#include "store/taxonomy.h"
#include "cli/demo_taxonomy.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static db *tdb;
static db_conn *tc;

static void setup(void)
{
	const char *url = getenv("KHIBRA_TEST_DB");
	cr_assert_not_null(url, "set KHIBRA_TEST_DB");
	char err[256];
	tdb = db_open(url, 2, err, sizeof err);
	cr_assert_not_null(tdb, "%s", err);
	/* Tests run in parallel processes on one fresh database: on SQLite two of
	 * them may both start migrating; the loser's second try finds the schema
	 * up to date. */
	if (store_migrate(tdb, false, err, sizeof err) != DB_OK)
		cr_assert_eq(store_migrate(tdb, false, err, sizeof err), DB_OK, "%s", err);
	tc = db_acquire(tdb);
}

static void teardown(void)
{
	db_release(tc);
	db_close(tdb);
}

TestSuite(taxonomy, .init = setup, .fini = teardown);

/* has_arabic: some code point in U+0600–U+06FF (UTF-8 lead bytes D8–DB). */
static bool has_arabic(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p >= 0xD8 && *p <= 0xDB && (p[1] & 0xC0) == 0x80)
			return true;
	return false;
}

/* is_slug: lowercase ASCII letters, digits and single inner hyphens. */
static bool is_slug(const char *s)
{
	if (!*s || *s == '-')
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || (*p == '-' && p[1] && p[1] != '-')))
			return false;
	return true;
}

static const struct taxonomy_skill *find_skill(const struct taxonomy_skill *s, int n, const char *slug)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s[i].slug, slug))
			return &s[i];
	return NULL;
}

Test(taxonomy, domains_table)
{
	cr_assert(taxonomy_domain_valid("health"));
	cr_assert(taxonomy_domain_valid("arts_media"));
	cr_assert_not(taxonomy_domain_valid("nope"));
	cr_assert_not(taxonomy_domain_valid(""));
	cr_assert_not(taxonomy_domain_valid(NULL));
	cr_assert_not(taxonomy_domain_valid("Health"), "domains are case-sensitive slugs");
	const struct taxonomy_domain *d = taxonomy_domain_find("law");
	cr_assert_not_null(d);
	cr_assert_str_eq(d->name_en, "Law");
	cr_assert_str_eq(d->name_ar, "القانون");
	for (int i = 0; i < TAXONOMY_DOMAIN_COUNT; i++)
		cr_assert(has_arabic(taxonomy_domains[i].name_ar), "%s", taxonomy_domains[i].slug);
}

Test(taxonomy, skills_are_complete_and_consistent)
{
	struct taxonomy_skill *s;
	int n;
	cr_assert_eq(store_skills_list(tc, NULL, &s, &n), DB_OK);
	cr_assert_geq(n, 150, "only %d skills", n);
	int per_domain[TAXONOMY_DOMAIN_COUNT] = { 0 };
	int last_domain = 0;
	for (int i = 0; i < n; i++) {
		cr_assert(is_slug(s[i].slug), "bad slug \"%s\"", s[i].slug);
		cr_assert(has_arabic(s[i].name_ar), "%s: name_ar \"%s\" has no Arabic letters", s[i].slug, s[i].name_ar);
		cr_assert(*s[i].name_en && !has_arabic(s[i].name_en), "%s: name_en \"%s\"", s[i].slug, s[i].name_en);
		cr_assert(taxonomy_domain_valid(s[i].domain), "%s: domain %s", s[i].slug, s[i].domain);
		int d = (int)(taxonomy_domain_find(s[i].domain) - taxonomy_domains);
		cr_assert_geq(d, last_domain, "skills are not listed domain by domain (%s)", s[i].slug);
		last_domain = d;
		per_domain[d]++;
		if (s[i].parent_slug) {
			const struct taxonomy_skill *p = find_skill(s, i, s[i].parent_slug);
			cr_assert_not_null(p, "%s: parent %s missing or listed after it", s[i].slug, s[i].parent_slug);
			cr_assert_str_eq(p->domain, s[i].domain, "%s: parent %s in another domain", s[i].slug, p->slug);
		}
	}
	for (int d = 0; d < TAXONOMY_DOMAIN_COUNT; d++)
		cr_assert_geq(per_domain[d], 15, "domain %s has only %d skills", taxonomy_domains[d].slug, per_domain[d]);
	taxonomy_skills_free(s, n);
}

Test(taxonomy, api_md_slugs_exist)
{
	static const char *const fixed[] = {
		"general-medicine", "dentistry", "nursing", "pharmacy", "legal-consultation", "contract-drafting",
		"teaching-mathematics", "cv-coaching", "civil-engineering", "renewable-energy", "programming",
		"web-development", "graphic-design", "photography",
	};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		struct taxonomy_skill s;
		cr_assert_eq(store_skill_by_slug(tc, fixed[i], &s), DB_OK, "skill %s is missing", fixed[i]);
		cr_assert_str_eq(s.slug, fixed[i]);
		taxonomy_skill_free(&s);
	}
	struct taxonomy_skill s;
	cr_assert_eq(store_skill_by_slug(tc, "dentistry", &s), DB_OK);
	cr_assert_str_eq(s.domain, "health");
	cr_assert_str_eq(s.name_en, "Dentistry");
	cr_assert_str_eq(s.name_ar, "طب الأسنان");
	cr_assert_str_eq(s.parent_slug, "oral-health");
	taxonomy_skill_free(&s);
	cr_assert_eq(store_skill_by_slug(tc, "medicine", &s), DB_OK);
	cr_assert_null(s.parent_slug, "a top-level skill has no parent");
	taxonomy_skill_free(&s);
	cr_assert_eq(store_skill_by_slug(tc, "no-such-skill", &s), STORE_NOT_FOUND);
}

Test(taxonomy, skills_by_domain)
{
	struct taxonomy_skill *all, *law;
	int nall, nlaw;
	cr_assert_eq(store_skills_list(tc, NULL, &all, &nall), DB_OK);
	cr_assert_eq(store_skills_list(tc, "law", &law, &nlaw), DB_OK);
	int expected = 0;
	for (int i = 0; i < nall; i++)
		expected += !strcmp(all[i].domain, "law");
	cr_assert_eq(nlaw, expected);
	cr_assert_gt(nlaw, 0);
	for (int i = 0; i < nlaw; i++) {
		cr_assert_str_eq(law[i].domain, "law");
		if (i > 0)
			cr_assert_geq(law[i].position, law[i - 1].position, "law skills out of order");
	}
	taxonomy_skills_free(all, nall);
	taxonomy_skills_free(law, nlaw);
	struct taxonomy_skill *none;
	int nnone;
	cr_assert_eq(store_skills_list(tc, "nope", &none, &nnone), DB_OK);
	cr_assert_eq(nnone, 0);
	free(none);
}

Test(taxonomy, professions_have_skills)
{
	struct taxonomy_skill *s;
	int ns;
	cr_assert_eq(store_skills_list(tc, NULL, &s, &ns), DB_OK);
	struct taxonomy_profession *p;
	int n;
	cr_assert_eq(store_professions_list(tc, NULL, &p, &n), DB_OK);
	cr_assert_geq(n, 40, "only %d professions", n);
	bool licensed_seen = false, unlicensed_seen = false;
	for (int i = 0; i < n; i++) {
		cr_assert(is_slug(p[i].slug), "bad slug %s", p[i].slug);
		cr_assert(taxonomy_domain_valid(p[i].domain), "%s: domain %s", p[i].slug, p[i].domain);
		cr_assert(has_arabic(p[i].name_ar), "%s: name_ar", p[i].slug);
		cr_assert_geq(p[i].nskills, 3, "%s has %d skills", p[i].slug, p[i].nskills);
		cr_assert_leq(p[i].nskills, 8, "%s has %d skills", p[i].slug, p[i].nskills);
		for (int k = 0; k < p[i].nskills; k++)
			cr_assert_not_null(find_skill(s, ns, p[i].skills[k]), "%s: unknown skill %s", p[i].slug,
					   p[i].skills[k]);
		licensed_seen |= p[i].licensed;
		unlicensed_seen |= !p[i].licensed;
	}
	cr_assert(licensed_seen && unlicensed_seen);
	taxonomy_professions_free(p, n);
	taxonomy_skills_free(s, ns);

	struct taxonomy_profession one;
	cr_assert_eq(store_profession_by_slug(tc, "dentist", &one), DB_OK);
	cr_assert(one.licensed, "dentists need a verified licence");
	cr_assert_str_eq(one.domain, "health");
	bool has_dentistry = false;
	for (int k = 0; k < one.nskills; k++)
		has_dentistry |= !strcmp(one.skills[k], "dentistry");
	cr_assert(has_dentistry);
	taxonomy_profession_free(&one);
	cr_assert_eq(store_profession_by_slug(tc, "lawyer", &one), DB_OK);
	cr_assert(one.licensed);
	taxonomy_profession_free(&one);
	cr_assert_eq(store_profession_by_slug(tc, "graphic-designer", &one), DB_OK);
	cr_assert_not(one.licensed);
	taxonomy_profession_free(&one);
	cr_assert_eq(store_profession_by_slug(tc, "wizard", &one), STORE_NOT_FOUND);

	cr_assert_eq(store_professions_list(tc, "technology", &p, &n), DB_OK);
	cr_assert_gt(n, 0);
	for (int i = 0; i < n; i++)
		cr_assert_str_eq(p[i].domain, "technology");
	taxonomy_professions_free(p, n);
}

Test(taxonomy, cities_have_coordinates)
{
	struct taxonomy_city *c;
	int n;
	cr_assert_eq(store_cities_list(tc, &c, &n), DB_OK);
	cr_assert_geq(n, 60, "only %d cities", n);
	int saudi = 0;
	for (int i = 0; i < n; i++) {
		cr_assert(is_slug(c[i].slug), "bad slug %s", c[i].slug);
		cr_assert(c[i].lat >= -90 && c[i].lat <= 90 && c[i].lon >= -180 && c[i].lon <= 180,
			  "%s: %f, %f", c[i].slug, c[i].lat, c[i].lon);
		cr_assert(c[i].lat != 0 || c[i].lon != 0, "%s at 0, 0", c[i].slug);
		cr_assert_eq(strlen(c[i].country_code), 2, "%s: country %s", c[i].slug, c[i].country_code);
		cr_assert(has_arabic(c[i].name_ar) && has_arabic(c[i].country_ar), "%s: Arabic names", c[i].slug);
		saudi += !strcmp(c[i].country_code, "SA");
		/* Saudi cities lie within the Kingdom's box; the Arab world within its own. */
		if (!strcmp(c[i].country_code, "SA"))
			cr_assert(c[i].lat > 16 && c[i].lat < 33 && c[i].lon > 34 && c[i].lon < 56, "%s outside Saudi Arabia",
				  c[i].slug);
		else
			cr_assert(c[i].lat > -13 && c[i].lat < 38 && c[i].lon > -18 && c[i].lon < 60, "%s outside the Arab world",
				  c[i].slug);
	}
	cr_assert_geq(saudi, 30);
	cr_assert_str_eq(c[0].slug, "riyadh", "Riyadh comes first");
	taxonomy_cities_free(c, n);

	struct taxonomy_city one;
	cr_assert_eq(store_city_by_slug(tc, "jeddah", &one), DB_OK);
	cr_assert_float_eq(one.lat, 21.4858, 1e-6);
	cr_assert_float_eq(one.lon, 39.1925, 1e-6);
	cr_assert_str_eq(one.name_ar, "جدة");
	cr_assert_str_eq(one.country_en, "Saudi Arabia");
	taxonomy_city_free(&one);
	cr_assert_eq(store_city_by_slug(tc, "casablanca", &one), DB_OK);
	cr_assert_lt(one.lon, 0, "west of Greenwich");
	cr_assert_str_eq(one.country_code, "MA");
	taxonomy_city_free(&one);
	cr_assert_eq(store_city_by_slug(tc, "atlantis", &one), STORE_NOT_FOUND);
}

Test(taxonomy, demo_finds_the_data)
{
	cr_assert_eq(demo_taxonomy(tc, 0), 0);
	cr_assert_eq(demo_taxonomy(tc, 0), 0, "idempotent");
}
