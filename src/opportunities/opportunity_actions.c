/*
 * opportunity_actions.c — opportunity actions shared by the API and the pages
 * (opportunity_actions.h).
 */
#include "opportunities/opportunity_actions.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "domain/profile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const MSG_INVALID = N_("Some fields need your attention.");
static const char *const MSG_NOT_FOUND = N_("There is nothing at this address.");
static const char *const MSG_INTERNAL = N_("Something went wrong on our side. Please try again.");
static const char *const MSG_TIME = N_("Give a date and time with its offset, for example 2026-12-04T08:00:00+03:00.");

static void fail(struct outcome *o, int status, const char *code, const char *message)
{
	*o = (struct outcome){ .status = status, .code = code, .message = message };
}

static void succeed(struct outcome *o, int status)
{
	*o = (struct outcome){ .status = status };
}

json_t *opp_errors_json(request *r, const struct opp_errors *errs)
{
	json_t *fields = json_object();
	for (int i = 0; i < errs->n; i++)
		json_object_set_new(fields, errs->e[i].field, json_string(tr(r, errs->e[i].reason)));
	return fields;
}

static void fail_invalid(request *r, struct outcome *o, const struct opp_errors *errs)
{
	fail(o, 422, "invalid", MSG_INVALID);
	o->fields = opp_errors_json(r, errs);
}

/* ---- reading JSON ---- */

/* json_text: a string field into *field ("" for null when nullable). */
static void json_text(const json_t *body, const char *name, char **field, bool nullable, struct opp_errors *errs)
{
	json_t *v = json_object_get(body, name);
	if (!v)
		return;
	if (json_is_string(v))
		opportunity_set_text(field, json_string_value(v));
	else if (json_is_null(v) && nullable)
		opportunity_set_text(field, "");
	else
		opp_error(errs, name, N_("This must be text."));
}

static void json_time(const json_t *body, const char *name, bool required, int64_t *t, struct opp_errors *errs)
{
	json_t *v = json_object_get(body, name);
	if (!v && !required)
		return;
	if (!json_is_string(v) || !time_parse_rfc3339(json_string_value(v), false, t))
		opp_error(errs, name, MSG_TIME);
}

static bool json_int_in(const json_t *v, long long lo, long long hi, int *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return false;
	*out = (int)json_integer_value(v);
	return true;
}

static void json_coords(const json_t *body, struct opportunity *o, struct opp_errors *errs)
{
	json_t *lat = json_object_get(body, "lat"), *lon = json_object_get(body, "lon");
	if (!lat && !lon)
		return;
	if (json_is_null(lat) && json_is_null(lon)) {
		o->has_coords = false;
		return;
	}
	if (!json_is_number(lat))
		opp_error(errs, "lat", N_("Give the latitude and the longitude as numbers."));
	if (!json_is_number(lon))
		opp_error(errs, "lon", N_("Give the latitude and the longitude as numbers."));
	if (json_is_number(lat) && json_is_number(lon)) {
		o->has_coords = true;
		o->lat = json_number_value(lat);
		o->lon = json_number_value(lon);
	}
}

static void json_skills(const json_t *body, struct opportunity *o, struct opp_errors *errs)
{
	json_t *v = json_object_get(body, "skills"), *item;
	size_t i;
	if (!v)
		return;
	if (!json_is_array(v)) {
		opp_error(errs, "skills", N_("Give the skills as a list of slugs."));
		return;
	}
	opportunity_clear_skills(o);
	json_array_foreach(v, i, item) {
		if (!json_is_string(item) || i >= 2 * OPP_SKILLS_MAX) {
			opp_error(errs, "skills", N_("Give the skills as a list of slugs."));
			return;
		}
		opportunity_add_skill(o, json_string_value(item));
	}
}

/* json_shift: one item of "shifts": an id names a saved shift to change
 * (only the fields given); without one it is a new shift. */
static void json_shift(const json_t *item, struct opportunity *o, struct opp_errors *errs)
{
	if (!json_is_object(item)) {
		opp_error(errs, "shifts", N_("Each shift is an object with starts_at, ends_at and capacity."));
		return;
	}
	json_t *idv = json_object_get(item, "id");
	struct opp_shift *s;
	if (idv && !json_is_null(idv)) {
		s = json_is_integer(idv) ? opportunity_find_shift(o, json_integer_value(idv)) : NULL;
		if (!s) {
			opp_error(errs, "shifts", N_("This opportunity has no shift with that id."));
			return;
		}
	} else {
		if (!json_object_get(item, "starts_at") || !json_object_get(item, "ends_at")) {
			opp_error(errs, "shifts", N_("Each new shift needs starts_at and ends_at."));
			return;
		}
		s = opportunity_add_shift(o, 0, 0, 0, 1, "", NULL);
	}
	json_t *v;
	if ((v = json_object_get(item, "starts_at")) &&
	    (!json_is_string(v) || !time_parse_rfc3339(json_string_value(v), false, &s->starts_at)))
		opp_error(errs, "shifts", MSG_TIME);
	if ((v = json_object_get(item, "ends_at")) &&
	    (!json_is_string(v) || !time_parse_rfc3339(json_string_value(v), false, &s->ends_at)))
		opp_error(errs, "shifts", MSG_TIME);
	if ((v = json_object_get(item, "capacity")) && !json_int_in(v, 1, OPP_CAPACITY_MAX, &s->capacity))
		opp_error(errs, "shifts", N_("Each shift needs between 1 and 10,000 places."));
	if ((v = json_object_get(item, "role"))) {
		if (json_is_string(v))
			opportunity_set_text(&s->role, json_string_value(v));
		else
			opp_error(errs, "shifts", N_("A shift's role is plain text of at most 80 characters."));
	}
	if ((v = json_object_get(item, "skill"))) {
		if (json_is_string(v) || json_is_null(v))
			opportunity_set_text(&s->skill, json_is_string(v) && *json_string_value(v) ? json_string_value(v) : NULL);
		else
			opp_error(errs, "shifts", N_("Choose each shift's skill from the list."));
	}
}

void opp_from_json(request *r, const json_t *body, bool create, struct opportunity *o, int *capacity,
		   struct opp_errors *errs)
{
	(void)r;
	*capacity = 1;
	if (!json_is_object(body))
		return;
	json_text(body, "kind", &o->kind, false, errs);
	json_text(body, "domain", &o->domain, false, errs);
	json_text(body, "title", &o->title, false, errs);
	json_text(body, "description", &o->description, true, errs);
	json_text(body, "city", &o->city, true, errs);
	json_text(body, "address", &o->address, true, errs);
	json_time(body, "starts_at", create, &o->starts_at, errs);
	json_time(body, "ends_at", create, &o->ends_at, errs);
	json_coords(body, o, errs);
	json_t *v;
	if ((v = json_object_get(body, "remote"))) {
		if (json_is_boolean(v))
			o->remote = json_is_true(v);
		else
			opp_error(errs, "remote", N_("Answer true or false."));
	}
	if ((v = json_object_get(body, "expected_beneficiaries")) &&
	    !json_int_in(v, 0, OPP_BENEFICIARIES_MAX, &o->expected_beneficiaries))
		opp_error(errs, "expected_beneficiaries", N_("Give a number between 0 and 1,000,000."));
	if ((v = json_object_get(body, "capacity")) && !json_int_in(v, 1, OPP_CAPACITY_MAX, capacity))
		opp_error(errs, "capacity", N_("Give a number of places between 1 and 10,000."));
	json_skills(body, o, errs);
	json_t *shifts = json_object_get(body, "shifts"), *item;
	size_t i;
	if (shifts && !json_is_array(shifts))
		opp_error(errs, "shifts", N_("Each shift is an object with starts_at, ends_at and capacity."));
	else if (json_array_size(shifts) > OPP_SHIFTS_MAX)
		opp_error(errs, "shifts", N_("An opportunity has at most 50 shifts."));
	else
		json_array_foreach(shifts, i, item)
			json_shift(item, o, errs);
}

/* ---- reading the form ---- */

/* form_int: a whole number in [lo, hi], or `fallback` when empty; false if bad. */
static bool form_int(const char *s, int lo, int hi, int fallback, int *out)
{
	if (!s || !*s) {
		*out = fallback;
		return true;
	}
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || v < lo || v > hi)
		return false;
	*out = (int)v;
	return true;
}

static const char *form_value(request *r, const char *name)
{
	const char *v = req_str(r, name);
	return v ? v : "";
}

static bool form_time(const char *s, int64_t *t)
{
	return time_parse_rfc3339(s, true, t);
}

static void form_shift_row(request *r, int n, struct opportunity *o, struct opp_errors *errs)
{
	char name[40];
#define ROW(field) (snprintf(name, sizeof name, "shift_%d_" field, n), form_value(r, name))
	const char *id = ROW("id"), *start = ROW("starts_at"), *end = ROW("ends_at"), *cap = ROW("capacity"),
		   *role = ROW("role"), *skill = ROW("skill");
#undef ROW
	if (!*id && !*start && !*end && !*role && !*skill)
		return;
	struct opp_shift *s = NULL;
	if (*id) {
		s = opportunity_find_shift(o, strtoll(id, NULL, 10));
		if (!s) {
			opp_error(errs, "shifts", N_("This opportunity has no shift with that id."));
			return;
		}
	} else {
		s = opportunity_add_shift(o, 0, 0, 0, 1, "", NULL);
	}
	if (!form_time(start, &s->starts_at) || !form_time(end, &s->ends_at))
		opp_error(errs, "shifts", N_("Give each shift's start and end as a date and time."));
	if (!form_int(cap, 1, OPP_CAPACITY_MAX, 1, &s->capacity))
		opp_error(errs, "shifts", N_("Each shift needs between 1 and 10,000 places."));
	opportunity_set_text(&s->role, role);
	opportunity_set_text(&s->skill, *skill ? skill : NULL);
}

void opp_from_form(request *r, struct opportunity *o, int *capacity, struct opp_errors *errs)
{
	const char *kind = form_value(r, "kind"), *domain = form_value(r, "domain");
	opportunity_set_text(&o->kind, *kind ? kind : NULL);
	opportunity_set_text(&o->domain, *domain ? domain : NULL);
	opportunity_set_text(&o->title, form_value(r, "title"));
	opportunity_set_text(&o->description, form_value(r, "description"));
	opportunity_set_text(&o->city, form_value(r, "city"));
	opportunity_set_text(&o->address, form_value(r, "address"));
	if (!form_time(form_value(r, "starts_at"), &o->starts_at))
		opp_error(errs, "starts_at", N_("Give the start as a date and time."));
	if (!form_time(form_value(r, "ends_at"), &o->ends_at))
		opp_error(errs, "ends_at", N_("Give the end as a date and time."));
	const char *lat = form_value(r, "lat"), *lon = form_value(r, "lon");
	o->has_coords = *lat || *lon;
	if (o->has_coords) {
		char *e1, *e2;
		o->lat = strtod(lat, &e1);
		o->lon = strtod(lon, &e2);
		if (!*lat || *e1)
			opp_error(errs, "lat", N_("Give the latitude and the longitude as numbers."));
		if (!*lon || *e2)
			opp_error(errs, "lon", N_("Give the latitude and the longitude as numbers."));
	}
	bool present;
	o->remote = req_bool(r, "remote", &present);
	if (!form_int(req_str(r, "expected_beneficiaries"), 0, OPP_BENEFICIARIES_MAX, 0, &o->expected_beneficiaries))
		opp_error(errs, "expected_beneficiaries", N_("Give a number between 0 and 1,000,000."));
	if (!form_int(req_str(r, "capacity"), 1, OPP_CAPACITY_MAX, 1, capacity))
		opp_error(errs, "capacity", N_("Give a number of places between 1 and 10,000."));
	opportunity_clear_skills(o);
	for (int i = 0; i < r->nfields; i++)
		if (strcmp(r->fields[i].name, "skills") == 0 && *r->fields[i].value)
			opportunity_add_skill(o, r->fields[i].value);
	for (int n = 1; n <= OPP_SHIFTS_MAX; n++)
		form_shift_row(r, n, o, errs);
}

/* ---- checks shared by create and save ---- */

/* check_against_store: skills known, the city resolved to a slug when one fits. */
static bool check_against_store(request *r, struct opportunity *o, struct opp_errors *errs, struct outcome *out)
{
	const char *unknown = NULL;
	int st = store_skills_unknown(req_db(r), o->skills, o->nskills, &unknown);
	if (st == DB_OK && unknown)
		opp_error(errs, "skills", N_("Choose skills from the list."));
	for (int i = 0; st == DB_OK && i < o->nshifts; i++) {
		if (!o->shifts[i].skill)
			continue;
		st = store_skills_unknown(req_db(r), &o->shifts[i].skill, 1, &unknown);
		if (st == DB_OK && unknown)
			opp_error(errs, "shifts", N_("Choose each shift's skill from the list."));
	}
	char slug[64];
	if (st == DB_OK && *o->city && store_org_city_slug(req_db(r), o->city, slug, sizeof slug) == DB_OK)
		opportunity_set_text(&o->city, slug);
	if (st != DB_OK) {
		fail(out, 500, "internal", MSG_INTERNAL);
		return false;
	}
	if (errs->n) {
		fail_invalid(r, out, errs);
		return false;
	}
	return true;
}

void opp_create(request *r, int64_t org_id, struct opportunity *o, int capacity, const struct opp_errors *parse_errs,
		int64_t *id, struct outcome *out)
{
	struct org_record org;
	int st = store_org_get(req_db(r), org_id, &org);
	if (st != DB_OK) {
		if (st == STORE_NOT_FOUND)
			fail(out, 404, "not_found", MSG_NOT_FOUND);
		else
			fail(out, 500, "internal", MSG_INTERNAL);
		return;
	}
	org_record_free(&org);
	if (org_standing_of(r, org_id) == ORG_OUTSIDER) {
		fail(out, 403, "forbidden", N_("Only the organisation's owners and coordinators may do this."));
		return;
	}
	struct opp_errors errs = *parse_errs;
	opportunity_validate(o, &errs);
	if (!check_against_store(r, o, &errs, out))
		return;
	/* Added once the rest is valid: it spans the opportunity, so it is too. */
	opportunity_default_shift(o, capacity);
	o->org_id = org_id;
	o->created_by = r->user->id;
	if (store_opportunity_create(req_db(r), o, time(NULL), id) != DB_OK) {
		fail(out, 500, "internal", MSG_INTERNAL);
		return;
	}
	char target[48];
	snprintf(target, sizeof target, "opportunity:%lld", (long long)*id);
	store_audit(req_db(r), r->user->id, "opportunity.create", target, "", r->client_addr, time(NULL));
	succeed(out, 201);
}

void opp_load(request *r, int64_t id, struct opportunity *o, enum org_standing *standing, struct outcome *out)
{
	int st = store_opportunity_get(req_db(r), id, o);
	if (st != DB_OK) {
		if (st == STORE_NOT_FOUND)
			fail(out, 404, "not_found", MSG_NOT_FOUND);
		else
			fail(out, 500, "internal", MSG_INTERNAL);
		return;
	}
	enum org_standing who = org_standing_of(r, o->org_id);
	if (!opportunity_is_public(o->status) && who == ORG_OUTSIDER) {
		opportunity_free(o);
		fail(out, 404, "not_found", MSG_NOT_FOUND);
		return;
	}
	if (standing)
		*standing = who;
	succeed(out, 200);
}

void opp_load_for_edit(request *r, int64_t id, struct opportunity *o, struct outcome *out)
{
	enum org_standing standing = ORG_OUTSIDER;
	opp_load(r, id, o, &standing, out);
	if (out->status == 200 && standing == ORG_OUTSIDER) {
		opportunity_free(o);
		fail(out, 403, "forbidden", N_("Only the organisation's owners and coordinators may do this."));
	}
}

void opp_save(request *r, struct opportunity *o, const struct opp_errors *parse_errs, struct outcome *out)
{
	struct opp_errors errs = *parse_errs;
	if (strcmp(o->status, "completed") == 0 || strcmp(o->status, "cancelled") == 0) {
		fail(out, 409, "wrong_state", N_("A completed or cancelled opportunity can no longer be edited."));
		return;
	}
	opportunity_validate(o, &errs);
	if (!check_against_store(r, o, &errs, out))
		return;
	int st = store_opportunity_update(req_db(r), o, time(NULL));
	if (st == STORE_SHIFT_TAKEN) {
		fail(out, 409, "shift_taken", N_("A shift with accepted people cannot be changed."));
		return;
	}
	if (st != DB_OK) {
		fail(out, st == STORE_NOT_FOUND ? 404 : 500, st == STORE_NOT_FOUND ? "not_found" : "internal",
		     st == STORE_NOT_FOUND ? MSG_NOT_FOUND : MSG_INTERNAL);
		return;
	}
	succeed(out, 200);
}

void opp_change_status(request *r, int64_t id, enum opp_action action, const char *reason, struct outcome *out)
{
	struct opportunity o;
	opp_load_for_edit(r, id, &o, out);
	if (out->status != 200)
		return;
	const char *to = opportunity_transition(o.status, action);
	bool verified = false;
	if (to && action == OPP_PUBLISH && store_org_is_verified(req_db(r), o.org_id, &verified) == DB_OK && !verified) {
		fail(out, 403, "org_unverified",
		     N_("Only verified organisations may publish. A moderator must verify your organisation first."));
	} else if (!to) {
		fail(out, 409, "wrong_state", N_("This cannot be done in the opportunity's current state."));
	} else if (reason && profile_utf8_length(reason, true) > OPP_REASON_MAX) {
		struct opp_errors errs = { 0 };
		opp_error(&errs, "reason", N_("The reason is limited to 500 characters."));
		fail_invalid(r, out, &errs);
	} else {
		int st = store_opportunity_set_status(req_db(r), id, o.status, to, reason, time(NULL));
		if (st == STORE_WRONG_STATE)
			fail(out, 409, "wrong_state", N_("This cannot be done in the opportunity's current state."));
		else if (st != DB_OK)
			fail(out, 500, "internal", MSG_INTERNAL);
		else
			succeed(out, 200);
		if (st == DB_OK) {
			char target[48];
			snprintf(target, sizeof target, "opportunity:%lld", (long long)id);
			store_audit(req_db(r), r->user->id, "opportunity.status", target, to, r->client_addr, time(NULL));
		}
	}
	opportunity_free(&o);
}

/* ---- list filters ---- */

void opp_filter_from_query(request *r, struct opp_filter *f, char *city_slug, size_t city_len,
			   struct opp_errors *errs)
{
	*f = (struct opp_filter){ .remote = -1, .radius_km = OPP_RADIUS_DEFAULT, .limit = req_limit(r) };
	const char *v;
#define Q(name) ((v = req_query(r, name)) && *v)
	if (Q("q")) {
		if (strlen(v) > OPP_Q_MAX || profile_utf8_length(v, false) < 0)
			opp_error(errs, "q", N_("Search with at most 200 characters of plain text."));
		f->q = v;
	}
	if (Q("domain")) {
		if (!opportunity_domain_valid(v))
			opp_error(errs, "domain", N_("Choose one of the six domains."));
		f->domain = v;
	}
	if (Q("skill")) {
		if (!opportunity_slug_valid(v))
			opp_error(errs, "skill", N_("Choose skills from the list."));
		f->skill = v;
	}
	if (Q("city")) {
		if (strlen(v) > OPP_CITY_MAX * 4)
			opp_error(errs, "city", N_("The city is limited to 80 characters."));
		else if (store_org_city_slug(req_db(r), v, city_slug, city_len) == DB_OK)
			f->city = city_slug;
		else
			f->city = v;
	}
	if (Q("remote")) {
		if (!strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "on"))
			f->remote = 1;
		else if (!strcmp(v, "false") || !strcmp(v, "0"))
			f->remote = 0;
		else
			opp_error(errs, "remote", N_("Answer true or false."));
	}
	if (Q("near")) {
		char *end;
		f->lat = strtod(v, &end);
		bool ok = *end == ',';
		if (ok)
			f->lon = strtod(end + 1, &end);
		if (!ok || *end || !isfinite(f->lat) || !isfinite(f->lon) || fabs(f->lat) > 90 || fabs(f->lon) > 180)
			opp_error(errs, "near", N_("Give a place as LATITUDE,LONGITUDE, for example 24.71,46.67."));
		f->near = true;
	}
	if (Q("radius_km")) {
		char *end;
		f->radius_km = strtod(v, &end);
		if (*end || !(f->radius_km > 0 && f->radius_km <= OPP_RADIUS_MAX))
			opp_error(errs, "radius_km", N_("Give a radius between 0 and 2,000 km."));
	}
	if (Q("from")) {
		f->has_from = true;
		if (!time_parse_date(v, &f->from) && !time_parse_rfc3339(v, false, &f->from))
			opp_error(errs, "from", N_("Give a date as YYYY-MM-DD."));
	}
	if (Q("to")) {
		f->has_to = true;
		if (time_parse_date(v, &f->to))
			f->to += 86400 - 1; /* the whole day */
		else if (!time_parse_rfc3339(v, false, &f->to))
			opp_error(errs, "to", N_("Give a date as YYYY-MM-DD."));
	}
	if (f->has_from && f->has_to && f->to < f->from && !opp_error_for(errs, "from") && !opp_error_for(errs, "to"))
		opp_error(errs, "to", N_("The end must come after the start."));
	if (Q("cursor")) {
		f->has_cursor = opportunity_cursor_decode(v, &f->cursor_start, &f->cursor_id);
		if (!f->has_cursor)
			opp_error(errs, "cursor", N_("This cursor is not one we gave out."));
	}
#undef Q
}

void opp_filter_upcoming(struct opp_filter *f, int64_t now)
{
	if (!f->has_from && !f->has_to)
		f->not_before = now;
}

/* ---- JSON views ---- */

json_t *opp_json(const struct opportunity *o)
{
	json_t *skills = json_array();
	for (int i = 0; i < o->nskills; i++)
		json_array_append_new(skills, json_string(o->skills[i]));
	return json_pack("{s:I, s:{s:I, s:s, s:s}, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:b, s:o, s:o, s:s, s:o,"
			 " s:i, s:o, s:i, s:i}",
			 "id", (json_int_t)o->id, "org", "id", (json_int_t)o->org_id, "name", o->org_name ? o->org_name : "",
			 "name_en", o->org_name_en ? o->org_name_en : "", "kind", o->kind, "domain", o->domain, "title",
			 o->title, "description", o->description, "city", o->city, "address", o->address, "lat",
			 o->has_coords ? json_real(o->lat) : json_null(), "lon",
			 o->has_coords ? json_real(o->lon) : json_null(), "remote", o->remote, "starts_at",
			 time_json(o->starts_at), "ends_at", time_json(o->ends_at), "status", o->status,
			 "skills", skills, "expected_beneficiaries", o->expected_beneficiaries, "published_at",
			 o->published_at ? time_json(o->published_at) : json_null(), "places_left", o->places_left,
			 "capacity", o->capacity_total);
}

json_t *opp_shifts_json(const struct opportunity *o)
{
	json_t *list = json_array();
	for (int i = 0; i < o->nshifts; i++) {
		const struct opp_shift *s = &o->shifts[i];
		json_array_append_new(list, json_pack("{s:I, s:o, s:o, s:i, s:i, s:s, s:o}", "id", (json_int_t)s->id,
						      "starts_at", time_json(s->starts_at), "ends_at",
						      time_json(s->ends_at), "capacity", s->capacity, "taken",
						      s->taken, "role", s->role, "skill",
						      s->skill ? json_string(s->skill) : json_null()));
	}
	return list;
}
