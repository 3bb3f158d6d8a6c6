/*
 * api_profiles.c — a specialist's own profile (GET/PUT /me/profile) and the
 * public profile (GET /specialists/{id}) as JSON; profile_submit(), the
 * saving step shared with the HTML form (web/page_profiles.c).
 */
#include "api/api_profiles.h"
#include "domain/profile_json.h"
#include "store/profiles.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>


/* ---- profile → JSON ---- */

static json_t *languages_json(const struct profile *p)
{
	json_t *a = json_array();
	for (int i = 0; i < p->nlanguages; i++)
		json_array_append_new(a, json_string(p->languages[i]));
	return a;
}

static json_t *skills_json(const struct profile *p)
{
	json_t *a = json_array();
	for (int i = 0; i < p->nskills; i++) {
		const struct profile_skill *s = &p->skills[i];
		json_array_append_new(a, json_pack("{s:s, s:i, s:s?, s:s?}", "slug", s->slug, "level", s->level,
						   "name_ar", s->name_ar, "name_en", s->name_en));
	}
	return a;
}

static json_t *availability_json(const struct profile *p)
{
	json_t *a = json_array();
	for (int i = 0; i < p->nslots; i++) {
		char start[6], end[6];
		specialist_profile_format_time(p->slots[i].start, start);
		specialist_profile_format_time(p->slots[i].end, end);
		json_array_append_new(a, json_pack("{s:i, s:s, s:s}", "weekday", p->slots[i].weekday, "start", start,
						   "end", end));
	}
	return a;
}

/* own_profile_json: the owner's view, with the slugs the PUT takes back. */
json_t *own_profile_json(const struct profile *p)
{
	bool coords = p->has_lat && p->has_lon;
	return json_pack("{s:s, s:s?, s:s?, s:s, s:i, s:s?, s:o, s:o, s:b, s:b, s:o, s:o, s:o, s:i, s:b, s:b}",
			 "headline", p->headline, "profession", p->profession, "domain", p->domain, "bio", p->bio,
			 "years_experience", p->years_experience, "city", p->city,
			 "lat", coords ? json_real(p->lat) : json_null(), "lon", coords ? json_real(p->lon) : json_null(),
			 "remote", p->remote, "onsite", p->onsite, "languages", languages_json(p),
			 "skills", skills_json(p), "availability", availability_json(p),
			 "max_hours_month", p->max_hours_month, "public", p->public,
			 "licence_verified", p->licence_verified);
}

/* named: {slug, name_ar, name_en}, or null when there is no slug. */
static json_t *named(const char *slug, const char *name_ar, const char *name_en)
{
	if (!slug)
		return json_null();
	return json_pack("{s:s, s:s, s:s}", "slug", slug, "name_ar", name_ar ? name_ar : "", "name_en",
			 name_en ? name_en : "");
}

/* public_profile_json: what anyone may see — no e-mail, no coordinates, no
 * hour cap. */
static json_t *public_profile_json(const struct profile *p)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:s?, s:s, s:i, s:o, s:b, s:b, s:o, s:o, s:o, s:b}",
			 "id", (json_int_t)p->user_id, "name", p->name ? p->name : "", "headline", p->headline,
			 "profession", named(p->profession, p->profession_ar, p->profession_en), "domain", p->domain,
			 "bio", p->bio, "years_experience", p->years_experience,
			 "city", named(p->city, p->city_ar, p->city_en), "remote", p->remote, "onsite", p->onsite,
			 "languages", languages_json(p), "skills", skills_json(p),
			 "availability", availability_json(p), "licence_verified", p->licence_verified);
}

json_t *profile_errors_json(request *r, const struct profile_errors *errs)
{
	json_t *fields = json_object();
	for (int i = 0; i < errs->n; i++)
		json_object_set_new(fields, errs->e[i].field, json_string(tr(r, errs->e[i].reason)));
	return fields;
}

/* check_references: the slugs exist; the domain is the profession's and
 * the coordinates lie near the city; fill the domain and coordinates the
 * caller left out from the profession and the city. */
static int check_references(db_conn *c, struct profile *p, struct profile_errors *errs)
{
	int st;
	if (p->profession) {
		char domain[16];
		st = store_profile_profession(c, p->profession, domain);
		if (st < 0)
			return st;
		if (st == STORE_NOT_FOUND)
			specialist_profile_error(errs, "profession", N_("Choose a profession from the list."));
		else
			specialist_profile_match_domain(p, domain, errs);
	}
	if (p->city) {
		double lat = 0, lon = 0;
		st = store_profile_city(c, p->city, &lat, &lon);
		if (st < 0)
			return st;
		if (st == STORE_NOT_FOUND) {
			specialist_profile_error(errs, "city", N_("Choose a city from the list."));
		} else if (!p->has_lat && !p->has_lon) {
			p->has_lat = p->has_lon = true;
			p->lat = lat;
			p->lon = lon;
		} else {
			specialist_profile_near_city(p, lat, lon, errs);
		}
	}
	for (int i = 0; i < p->nskills && !specialist_profile_error_for(errs, "skills"); i++) {
		st = store_profile_skill_exists(c, p->skills[i].slug);
		if (st < 0)
			return st;
		if (st == STORE_NOT_FOUND)
			specialist_profile_error(errs, "skills", N_("Choose skills from the list."));
	}
	return DB_OK;
}

void profile_submit(request *r, struct profile *p, struct profile_errors *errs, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	p->user_id = r->user->id;
	specialist_profile_validate(p, errs);
	db_conn *c = req_db(r);
	int st = check_references(c, p, errs);
	if (st == DB_OK && errs->n > 0) {
		o->status = 422;
		o->code = "invalid";
		o->message = N_("Some fields need your attention.");
		o->fields = profile_errors_json(r, errs);
		return;
	}
	if (st == DB_OK)
		st = store_profile_save(c, p, time(NULL));
	if (st != DB_OK) {
		o->status = 500;
		o->code = "internal";
		o->message = N_("Something went wrong on our side. Please try again.");
		return;
	}
	o->status = 200;
}

/* ---- handlers ---- */

void api_profile_get(request *r)
{
	struct profile p;
	int st = store_profile_load(req_db(r), r->user->id, &p);
	if (st != DB_OK && st != STORE_NOT_FOUND) {
		specialist_profile_free(&p);
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	respond_json(r, 200, json_pack("{s:o}", "profile", own_profile_json(&p)));
	specialist_profile_free(&p);
}

void api_profile_put(request *r)
{
	if (r->body_kind != BODY_JSON) {
		respond_error(r, 415, "unsupported_media_type", N_("Send the profile as JSON (application/json)."), NULL);
		return;
	}
	struct profile p;
	struct profile_errors errs = { 0 };
	specialist_profile_init(&p);
	profile_from_json(r->json, &p, &errs);
	struct outcome o;
	profile_submit(r, &p, &errs, &o);
	specialist_profile_free(&p);
	if (o.status != 200) {
		respond_outcome(r, &o);
		return;
	}
	/* Answer with what was stored, names and all. */
	int st = store_profile_load(req_db(r), r->user->id, &p);
	if (st != DB_OK) {
		specialist_profile_free(&p);
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	respond_json(r, 200, json_pack("{s:o}", "profile", own_profile_json(&p)));
	specialist_profile_free(&p);
}

void api_specialist_get(request *r)
{
	int64_t id;
	if (!req_param_id(r, 0, &id)) {
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	struct profile p;
	int st = store_profile_public(req_db(r), id, &p);
	if (st != DB_OK) {
		specialist_profile_free(&p);
		if (st == STORE_NOT_FOUND)
			respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		else
			respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	respond_json(r, 200, json_pack("{s:o}", "specialist", public_profile_json(&p)));
	specialist_profile_free(&p);
}
