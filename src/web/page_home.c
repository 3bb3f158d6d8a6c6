/*
 * page_home.c — the home page: what Khibra is, its numbers, the six domains
 * of the article on specialist volunteering, and the ways in.
 *
 * The numbers change slowly and the home page is the busiest page, so they
 * are counted at most once every STATS_TTL seconds per process.
 */
#include "web/pages.h"
#include "core/xalloc.h"
#include "store/opportunities.h"
#include "store/taxonomy.h"

#include <pthread.h>
#include <time.h>

#define STATS_TTL 30
#define FEATURED_COUNT 6

static const struct {
	const char *slug;
	const char *name;
	const char *description;
} domains[] = {
	{ "health", N_("Health"), N_("Free consultations for families, medical caravans, awareness of chronic disease.") },
	{ "education", N_("Education and training"), N_("Lessons for students, vocational workshops, CV and interview coaching.") },
	{ "law", N_("Law"), N_("Free legal consultations, contracts and by-laws for charities.") },
	{ "engineering", N_("Engineering and design"), N_("Village infrastructure, renewable energy and sustainability advice.") },
	{ "technology", N_("Technology"), N_("Teaching young people to code, websites and apps for non-profits.") },
	{ "arts_media", N_("Arts and media"), N_("Drawing, creative writing and photography workshops, awareness campaigns.") },
};

static struct {
	pthread_mutex_t lock;
	time_t at;
	int64_t specialists, organisations, beneficiaries;
} stats = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0 };

static void load_stats(request *r, int64_t *specialists, int64_t *organisations, int64_t *beneficiaries)
{
	time_t now = time(NULL);
	pthread_mutex_lock(&stats.lock);
	bool fresh = stats.at && now - stats.at < STATS_TTL;
	*specialists = stats.specialists;
	*organisations = stats.organisations;
	*beneficiaries = stats.beneficiaries;
	pthread_mutex_unlock(&stats.lock);
	if (fresh)
		return;
	db_conn *c = req_db(r);
	if (!c)
		return;
	store_user_count(c, "specialist", specialists);
	store_user_count(c, "beneficiary", beneficiaries);
	*organisations = 0;
	db_query_int(c, "SELECT count(*) FROM orgs WHERE verified_at IS NOT NULL", DB_NO_PARAMS, organisations);
	pthread_mutex_lock(&stats.lock);
	stats.at = now;
	stats.specialists = *specialists;
	stats.organisations = *organisations;
	stats.beneficiaries = *beneficiaries;
	pthread_mutex_unlock(&stats.lock);
}

/* Visitors all see the same home page in their language: it is rendered at
 * most once every STATS_TTL seconds per language and process. */
static struct {
	pthread_mutex_t lock;
	time_t at[LANG_COUNT];
	buf html[LANG_COUNT];
} visitor_cache = { .lock = PTHREAD_MUTEX_INITIALIZER };

static bool serve_cached(request *r)
{
	bool hit = false;
	pthread_mutex_lock(&visitor_cache.lock);
	if (visitor_cache.at[r->lang] && time(NULL) - visitor_cache.at[r->lang] < STATS_TTL) {
		respond_bytes(r, 200, "text/html; charset=utf-8", visitor_cache.html[r->lang].data,
			      visitor_cache.html[r->lang].len);
		hit = true;
	}
	pthread_mutex_unlock(&visitor_cache.lock);
	return hit;
}

static void remember(request *r)
{
	pthread_mutex_lock(&visitor_cache.lock);
	buf_reset(&visitor_cache.html[r->lang]);
	buf_append(&visitor_cache.html[r->lang], r->out.data, r->out.len);
	visitor_cache.at[r->lang] = time(NULL);
	pthread_mutex_unlock(&visitor_cache.lock);
}

void page_home_cache_free(void)
{
	for (int i = 0; i < LANG_COUNT; i++) {
		buf_free(&visitor_cache.html[i]);
		visitor_cache.at[i] = 0;
	}
}

/* featured: the soonest open opportunities, as cards. */
static json_t *featured(request *r)
{
	json_t *list = json_array();
	struct opportunity *o = NULL;
	int n = 0;
	db_conn *c = req_db(r);
	if (!c || store_opportunities_featured(c, FEATURED_COUNT, time(NULL), &o, &n) != DB_OK)
		return list;
	for (int i = 0; i < n; i++) {
		buf date = BUF_INIT;
		i18n_format_date(r->lang, (time_t)o[i].starts_at, false, &date);
		const char *org = r->lang == LANG_EN && o[i].org_name_en && *o[i].org_name_en ? o[i].org_name_en
											: o[i].org_name;
		struct taxonomy_city city;
		json_t *place;
		if (o[i].remote)
			place = json_string(tr(r, N_("Remote")));
		else if (*o[i].city && store_city_by_slug(c, o[i].city, &city) == DB_OK) {
			place = json_string(r->lang == LANG_EN ? city.name_en : city.name_ar);
			taxonomy_city_free(&city);
		} else
			place = json_string(o[i].city);
		const char *kind = opportunity_kind_label(o[i].kind);
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:o, s:s, s:s}", "id", (json_int_t)o[i].id,
						      "title", o[i].title, "org_name", org ? org : "", "city", place,
						      "kind_label", kind ? tr(r, kind) : "", "date", date.data));
		buf_free(&date);
	}
	opportunities_free(o, n);
	return list;
}

void page_home(request *r)
{
	if (!r->user && serve_cached(r))
		return;
	int64_t specialists = 0, organisations = 0, beneficiaries = 0;
	load_stats(r, &specialists, &organisations, &beneficiaries);
	json_t *ctx = page_ctx(r, N_("Skilled volunteering"));
	json_object_set_new(ctx, "stats", json_pack("{s:o, s:o, s:o}", "specialists", page_number(r, specialists),
						    "organisations", page_number(r, organisations),
						    "beneficiaries", page_number(r, beneficiaries)));
	json_t *list = json_array();
	for (size_t i = 0; i < sizeof domains / sizeof domains[0]; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "slug", domains[i].slug,
						      "name", tr(r, domains[i].name),
						      "description", tr(r, domains[i].description)));
	json_object_set_new(ctx, "domains", list);
	json_object_set_new(ctx, "featured", featured(r));
	respond_page(r, 200, "home", ctx);
	if (!r->user && r->status == 200)
		remember(r);
}
