/*
 * opportunities_test.c — store/opportunities.h on the database named by
 * KHIBRA_TEST_DB (run on SQLite and on PostgreSQL).  Every test makes its own
 * organisation and filters its lists by it, so tests can run in parallel on
 * one database.
 */
#include "store/opportunities.h"
#include "core/timefmt.h"
#include "cli/demo_opportunities.h"

#include "store_fixture.h"

#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define T0 1796360400 /* 2026-12-04T08:00:00+03:00 */
#define HOUR 3600
#define DAY 86400

static struct store_fixture fixture;
static db *odb;
static db_conn *oc;

static void setup(void)
{
	store_fixture_open_pool(&fixture, false, 2);
	odb = fixture.db;
	oc = fixture.c;
	/* The taxonomy data migration provides these; a no-op then. */
	db_exec(oc, "INSERT INTO skills (slug, domain, name_ar, name_en) VALUES ('dentistry', 'health', 'طب الأسنان', "
		    "'Dentistry'), ('nursing', 'health', 'التمريض', 'Nursing'), ('general-medicine', 'health', "
		    "'الطب العام', 'General medicine') ON CONFLICT DO NOTHING",
		DB_NO_PARAMS, NULL);
	db_exec(oc, "INSERT INTO cities (slug, name_ar, name_en, country_code, country_ar, country_en, lat, lon) VALUES "
		    "('riyadh', 'الرياض', 'Riyadh', 'SA', 'السعودية', 'Saudi Arabia', 24.7136, 46.6753), "
		    "('jeddah', 'جدة', 'Jeddah', 'SA', 'السعودية', 'Saudi Arabia', 21.4858, 39.1925) ON CONFLICT DO NOTHING",
		DB_NO_PARAMS, NULL);
}

static void teardown(void)
{
	store_fixture_close(&fixture);
}

TestSuite(opportunities, .init = setup, .fini = teardown);

static int64_t make_user(void)
{
	char email[64];
	snprintf(email, sizeof email, "o-%08x%08x@example.org", randombytes_random(), randombytes_random());
	int64_t id = 0;
	cr_assert_eq(store_user_create(oc, email, "منسقة", "hash", "ar", "organisation", time(NULL), &id), DB_OK);
	return id;
}

static int64_t make_org(int64_t owner)
{
	char name[64];
	snprintf(name, sizeof name, "جمعية %08x", randombytes_random());
	int64_t id = 0;
	cr_assert_eq(store_org_create(oc, name, "Test society", "charity", "R-1", "Riyadh", "", time(NULL), &id), DB_OK);
	cr_assert_eq(store_org_add_member(oc, id, owner, "owner", time(NULL)), DB_OK);
	return id;
}

/* draft: a valid on-site health campaign of `org` in `city`, starting at `start`. */
static void draft(struct opportunity *o, int64_t org, const char *title, const char *city, int64_t start)
{
	opportunity_init(o);
	o->org_id = org;
	opportunity_set_text(&o->kind, "campaign");
	opportunity_set_text(&o->domain, "health");
	opportunity_set_text(&o->title, title);
	opportunity_set_text(&o->city, city);
	o->starts_at = start;
	o->ends_at = start + 6 * HOUR;
}

static int64_t create(struct opportunity *o, bool open)
{
	int64_t id = 0;
	if (o->nshifts == 0)
		opportunity_default_shift(o, 1);
	cr_assert_eq(store_opportunity_create(oc, o, time(NULL), &id), DB_OK);
	cr_assert_gt(id, 0);
	if (open)
		cr_assert_eq(store_opportunity_set_status(oc, id, "draft", "open", NULL, time(NULL)), DB_OK);
	opportunity_free(o);
	return id;
}

Test(opportunities, create_and_get_round_trip)
{
	int64_t user = make_user(), org = make_org(user);
	struct opportunity o;
	draft(&o, org, "قافلة طبية في قرية الحائر", "riyadh", T0);
	opportunity_set_text(&o.description, "فحوصات مجانية\nوعلاج بسيط");
	opportunity_set_text(&o.address, "قرية الحائر");
	o.has_coords = true;
	o.lat = 24.38;
	o.lon = 46.83;
	o.expected_beneficiaries = 300;
	o.created_by = user;
	opportunity_add_skill(&o, "nursing");
	opportunity_add_skill(&o, "dentistry");
	opportunity_add_shift(&o, 0, T0, T0 + 6 * HOUR, 3, "طبيب أسنان", "dentistry");
	opportunity_add_shift(&o, 0, T0, T0 + 6 * HOUR, 2, "ممرض", "nursing");
	int64_t id = create(&o, false);

	struct opportunity g;
	cr_assert_eq(store_opportunity_get(oc, id, &g), DB_OK);
	cr_assert_eq(g.org_id, org);
	cr_assert_str_eq(g.status, "draft");
	cr_assert_str_eq(g.kind, "campaign");
	cr_assert_str_eq(g.title, "قافلة طبية في قرية الحائر");
	cr_assert_str_eq(g.description, "فحوصات مجانية\nوعلاج بسيط");
	cr_assert_str_eq(g.address, "قرية الحائر");
	cr_assert(g.has_coords);
	cr_assert_float_eq(g.lat, 24.38, 1e-9);
	cr_assert_eq(g.expected_beneficiaries, 300);
	cr_assert_eq(g.starts_at, T0);
	cr_assert_eq(g.published_at, 0);
	cr_assert_eq(g.nskills, 2);
	cr_assert_eq(g.nshifts, 2);
	cr_assert_str_eq(g.shifts[0].role, "طبيب أسنان");
	cr_assert_str_eq(g.shifts[0].skill, "dentistry");
	cr_assert_eq(g.shifts[0].capacity, 3);
	cr_assert_eq(g.shifts[1].taken, 0);
	cr_assert_eq(g.places_left, 5);
	cr_assert_eq(g.capacity_total, 5);
	opportunity_free(&g);
	cr_assert_eq(store_opportunity_get(oc, id + 1000000, &g), STORE_NOT_FOUND);
}

Test(opportunities, unknown_skills_are_named)
{
	char a[] = "dentistry", b[] = "no-such-skill";
	char *slugs[] = { a, b };
	const char *unknown = NULL;
	cr_assert_eq(store_skills_unknown(oc, slugs, 2, &unknown), DB_OK);
	cr_assert_str_eq(unknown, "no-such-skill");
	cr_assert_eq(store_skills_unknown(oc, slugs, 1, &unknown), DB_OK);
	cr_assert_null(unknown);
}

Test(opportunities, status_changes_and_cancel_notifies_accepted_people)
{
	int64_t user = make_user(), org = make_org(user), volunteer = make_user();
	struct opportunity o;
	draft(&o, org, "Campaign", "riyadh", T0);
	int64_t id = create(&o, false);
	cr_assert_eq(store_opportunity_set_status(oc, id, "open", "closed", NULL, 100), STORE_WRONG_STATE);
	cr_assert_eq(store_opportunity_set_status(oc, id, "draft", "open", NULL, 100), DB_OK);
	cr_assert_eq(store_opportunity_set_status(oc, id, "open", "closed", NULL, 200), DB_OK);
	cr_assert_eq(store_opportunity_set_status(oc, id, "closed", "open", NULL, 300), DB_OK);
	struct opportunity g;
	cr_assert_eq(store_opportunity_get(oc, id, &g), DB_OK);
	cr_assert_str_eq(g.status, "open");
	cr_assert_eq(g.published_at, 100, "the first publication is kept");
	int64_t shift = g.shifts[0].id;
	opportunity_free(&g);
	/* An accepted participant (applications are another module's: a row by hand). */
	cr_assert_eq(db_exec(oc, "INSERT INTO applications (opportunity_id, shift_id, user_id, status, created_at, updated_at) "
				 "VALUES (?, ?, ?, 'accepted', 1, 1)",
			     DB_PARAMS(DB_INT(id), DB_INT(shift), DB_INT(volunteer)), NULL),
		     DB_OK);
	cr_assert_eq(store_opportunity_set_status(oc, id, "open", "cancelled", "المطر", 400), DB_OK);
	cr_assert_eq(store_opportunity_get(oc, id, &g), DB_OK);
	cr_assert_str_eq(g.status, "cancelled");
	cr_assert_str_eq(g.cancel_reason, "المطر");
	opportunity_free(&g);
	int64_t n = 0;
	cr_assert_eq(db_query_int(oc, "SELECT count(*) FROM notifications WHERE user_id = ? AND kind = 'opportunity_cancelled' "
				      "AND params LIKE '%Campaign%'",
				  DB_PARAMS(DB_INT(volunteer)), &n),
		     DB_OK);
	cr_assert_eq(n, 1);
}

Test(opportunities, update_changes_fields_and_protects_taken_shifts)
{
	int64_t user = make_user(), org = make_org(user), volunteer = make_user();
	struct opportunity o;
	draft(&o, org, "Before", "riyadh", T0);
	opportunity_add_skill(&o, "dentistry");
	int64_t id = create(&o, true);
	struct opportunity g;
	cr_assert_eq(store_opportunity_get(oc, id, &g), DB_OK);
	opportunity_set_text(&g.title, "After");
	opportunity_clear_skills(&g);
	opportunity_add_skill(&g, "nursing");
	g.shifts[0].capacity = 4;
	opportunity_add_shift(&g, 0, T0 + HOUR, T0 + 2 * HOUR, 2, "Nurse", "nursing");
	cr_assert_eq(store_opportunity_update(oc, &g, 500), DB_OK);
	opportunity_free(&g);
	cr_assert_eq(store_opportunity_get(oc, id, &g), DB_OK);
	cr_assert_str_eq(g.title, "After");
	cr_assert_eq(g.nskills, 1);
	cr_assert_str_eq(g.skills[0], "nursing");
	cr_assert_eq(g.nshifts, 2);
	cr_assert_eq(g.shifts[0].capacity, 4);
	cr_assert_str_eq(g.shifts[1].role, "Nurse");
	/* Someone is accepted on the first shift: it may no longer change. */
	cr_assert_eq(db_exec(oc, "INSERT INTO applications (opportunity_id, shift_id, user_id, status, created_at, updated_at) "
				 "VALUES (?, ?, ?, 'accepted', 1, 1)",
			     DB_PARAMS(DB_INT(id), DB_INT(g.shifts[0].id), DB_INT(volunteer)), NULL),
		     DB_OK);
	g.shifts[0].capacity = 9;
	opportunity_set_text(&g.title, "Not saved");
	cr_assert_eq(store_opportunity_update(oc, &g, 600), STORE_SHIFT_TAKEN);
	g.shifts[0].capacity = 4; /* unchanged: the rest may change */
	g.shifts[1].capacity = 3;
	cr_assert_eq(store_opportunity_update(oc, &g, 700), DB_OK);
	opportunity_free(&g);
	cr_assert_eq(store_opportunity_get(oc, id, &g), DB_OK);
	cr_assert_str_eq(g.title, "Not saved");
	cr_assert_eq(g.shifts[1].capacity, 3);
	opportunity_free(&g);
}

/* ids: the ids of one list call for this organisation and filter. */
static int list_ids(struct opp_filter *f, int64_t *ids, int max)
{
	struct opportunity *list = NULL;
	int n = 0;
	char next[OPP_CURSOR_MAX];
	cr_assert_eq(store_opportunities_list(oc, f, &list, &n, next), DB_OK);
	cr_assert_leq(n, max);
	for (int i = 0; i < n; i++)
		ids[i] = list[i].id;
	opportunities_free(list, n);
	return n;
}

static bool has(const int64_t *ids, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

Test(opportunities, filters)
{
	int64_t user = make_user(), org = make_org(user);
	struct opportunity o;
	draft(&o, org, "Dental caravan", "riyadh", T0);
	opportunity_add_skill(&o, "dentistry");
	int64_t riyadh = create(&o, true);
	draft(&o, org, "Nursing day", "jeddah", T0 + 10 * DAY);
	opportunity_set_text(&o.domain, "education");
	int64_t jeddah = create(&o, true);
	draft(&o, org, "Remote lecture", "", T0 + 20 * DAY);
	o.remote = true;
	int64_t remote = create(&o, true);
	draft(&o, org, "Village clinic", "", T0 + 5 * DAY);
	o.has_coords = true; /* 40 km south of Riyadh */
	o.lat = 24.35;
	o.lon = 46.6753;
	int64_t village = create(&o, true);
	draft(&o, org, "Draft caravan", "riyadh", T0);
	int64_t hidden = create(&o, false);

	int64_t ids[16];
	struct opp_filter f = { .remote = -1, .org_id = org, .limit = 10 };
	int n = list_ids(&f, ids, 16);
	cr_assert_eq(n, 4, "drafts are not public");
	cr_assert(ids[0] == riyadh && ids[1] == village && ids[2] == jeddah && ids[3] == remote, "soonest first");
	cr_assert_not(has(ids, n, hidden));
	f.scope = OPP_SCOPE_ALL;
	cr_assert_eq(list_ids(&f, ids, 16), 5, "members see drafts");
	f.scope = OPP_SCOPE_OPEN;

	f.domain = "education";
	n = list_ids(&f, ids, 16);
	cr_assert(n == 1 && ids[0] == jeddah);
	f.domain = NULL;
	f.skill = "dentistry";
	n = list_ids(&f, ids, 16);
	cr_assert(n == 1 && ids[0] == riyadh);
	f.skill = NULL;
	f.city = "jeddah";
	n = list_ids(&f, ids, 16);
	cr_assert(n == 1 && ids[0] == jeddah);
	f.city = NULL;
	f.remote = 1;
	n = list_ids(&f, ids, 16);
	cr_assert(n == 1 && ids[0] == remote);
	f.remote = 0;
	cr_assert_eq(list_ids(&f, ids, 16), 3);
	f.remote = -1;
	f.q = "CARAVAN dental";
	n = list_ids(&f, ids, 16);
	cr_assert(n == 1 && ids[0] == riyadh, "q: all words, any case");
	f.q = NULL;

	/* near Riyadh: the city itself (its coordinates) and the village 40 km away. */
	f.near = true;
	f.lat = 24.7136;
	f.lon = 46.6753;
	f.radius_km = 50;
	n = list_ids(&f, ids, 16);
	cr_assert(n == 2 && has(ids, n, riyadh) && has(ids, n, village), "got %d", n);
	f.radius_km = 20;
	n = list_ids(&f, ids, 16);
	cr_assert(n == 1 && ids[0] == riyadh, "the village lies outside 20 km");
	f.remote = 1;
	n = list_ids(&f, ids, 16);
	cr_assert(n == 2 && has(ids, n, remote), "remote=true adds the remote ones");
	f.remote = -1;
	f.near = false;

	/* from/to: the span meets the range. */
	f.has_from = true;
	f.from = T0 + 3 * HOUR; /* during the first one */
	f.has_to = true;
	f.to = T0 + 6 * DAY;
	n = list_ids(&f, ids, 16);
	cr_assert(n == 2 && ids[0] == riyadh && ids[1] == village, "got %d", n);
	f.from = T0 + 7 * HOUR;
	n = list_ids(&f, ids, 16);
	cr_assert(n == 1 && ids[0] == village);
}

Test(opportunities, cursor_pages_have_no_gaps_or_duplicates)
{
	int64_t user = make_user(), org = make_org(user);
	int64_t made[23];
	for (int i = 0; i < 23; i++) {
		struct opportunity o;
		char title[32];
		snprintf(title, sizeof title, "Session %d", i);
		/* Groups of equal start times test the id tie-break. */
		draft(&o, org, title, "riyadh", T0 + (i / 4) * DAY);
		made[i] = create(&o, true);
	}
	for (int with_q = 0; with_q < 2; with_q++) {
		struct opp_filter f = { .remote = -1, .org_id = org, .limit = 5, .q = with_q ? "session" : NULL };
		int64_t seen[32];
		int total = 0, pages = 0;
		int64_t last_start = 0, last_id = 0;
		for (;;) {
			struct opportunity *list = NULL;
			int n = 0;
			char next[OPP_CURSOR_MAX];
			cr_assert_eq(store_opportunities_list(oc, &f, &list, &n, next), DB_OK);
			pages++;
			for (int i = 0; i < n; i++) {
				cr_assert_lt(total, 32);
				cr_assert(list[i].starts_at > last_start || (list[i].starts_at == last_start && list[i].id > last_id),
					  "out of order");
				last_start = list[i].starts_at;
				last_id = list[i].id;
				seen[total++] = list[i].id;
			}
			opportunities_free(list, n);
			if (!*next)
				break;
			cr_assert(opportunity_cursor_decode(next, &f.cursor_start, &f.cursor_id));
			f.has_cursor = true;
			cr_assert_lt(pages, 10);
		}
		cr_assert_eq(total, 23);
		cr_assert_eq(pages, 5);
		for (int i = 0; i < 23; i++)
			cr_assert(has(seen, total, made[i]), "missing %lld", (long long)made[i]);
		for (int i = 0; i < total; i++)
			for (int k = i + 1; k < total; k++)
				cr_assert_neq(seen[i], seen[k], "duplicate");
	}
}

Test(opportunities, featured_are_open_and_not_over)
{
	int64_t user = make_user(), org = make_org(user);
	struct opportunity o;
	draft(&o, org, "Past", "riyadh", 1000000000);
	int64_t past = create(&o, true);
	draft(&o, org, "Future", "riyadh", T0 + 300 * DAY);
	int64_t future = create(&o, true);
	struct opportunity *list = NULL;
	int n = 0;
	cr_assert_eq(store_opportunities_featured(oc, 100, T0, &list, &n), DB_OK);
	bool saw_future = false;
	for (int i = 0; i < n; i++) {
		cr_assert_neq(list[i].id, past);
		cr_assert_str_eq(list[i].status, "open");
		saw_future = saw_future || list[i].id == future;
	}
	opportunities_free(list, n);
	(void)saw_future; /* other tests' opportunities may fill the first 100 */
}

Test(opportunities, demo_data_is_idempotent)
{
	/* The demo organisation and its coordinator, as `khibra demo` makes them. */
	int64_t org = 0, user = 0;
	struct user_record u;
	if (store_user_by_email(oc, "coordinator@khibra.local", &u) == DB_OK) {
		user = u.id;
		user_record_free(&u);
	} else {
		store_user_create(oc, "coordinator@khibra.local", "فاطمة الدوسري", "hash", "ar", "organisation", 1, &user);
	}
	if (store_org_by_name(oc, "جمعية البر الخيرية", &org) != DB_OK) {
		cr_assert_eq(store_org_create(oc, "جمعية البر الخيرية", "Al-Birr Charity Society", "charity", "NCNP-1021",
					      "Riyadh", "", 1, &org), DB_OK);
		store_org_add_member(oc, org, user, "owner", 1);
		cr_assert_eq(store_org_set_verified(oc, org, 1), DB_OK);
	}
	cr_assert_eq(demo_opportunities(oc, T0), 0);
	cr_assert_eq(demo_opportunities(oc, T0), 0);
	int64_t n = 0, id = 0;
	cr_assert_eq(db_query_int(oc, "SELECT count(*) FROM opportunities WHERE org_id = ? AND title = ?",
				  DB_PARAMS(DB_INT(org), DB_TEXT("قافلة طبية مجانية في قرية الحائر")), &n), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert_eq(db_query_int(oc, "SELECT id FROM opportunities WHERE org_id = ? AND title = ?",
				  DB_PARAMS(DB_INT(org), DB_TEXT("قافلة طبية مجانية في قرية الحائر")), &id), DB_OK);
	struct opportunity g;
	cr_assert_eq(store_opportunity_get(oc, id, &g), DB_OK);
	cr_assert_str_eq(g.status, "open");
	cr_assert_str_eq(g.kind, "campaign");
	cr_assert_eq(g.nshifts, 3);
	cr_assert_eq(g.shifts[0].capacity + g.shifts[1].capacity + g.shifts[2].capacity, 6);
	char when[40];
	time_rfc3339(g.starts_at, when, sizeof when);
	cr_assert(strstr(when, "T08:00:00+03:00"), "starts %s", when);
	/* A Friday: days since the epoch (a Thursday) + 4, mod 7, is 5. */
	cr_assert_eq(((g.starts_at + OPP_RIYADH_OFFSET) / DAY + 4) % 7, 5);
	opportunity_free(&g);
}
