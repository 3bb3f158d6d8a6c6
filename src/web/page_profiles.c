/*
 * page_profiles.c — the profile form and the public profile page.
 *
 * The form works without JavaScript: skills are PROFILE_FORM_SKILL_ROWS rows
 * of two select boxes (skill_N, level_N), availability is
 * PROFILE_FORM_SLOT_ROWS rows of a weekday and two times (day_N, start_N,
 * end_N); empty rows are ignored.  Languages are checkboxes sharing one name,
 * which req_str() cannot read (it gives the first), so the form is read here
 * by walking r->fields.  Latitude and longitude are optional text fields
 * (see form_coordinates for how they meet the saved ones).  Saving goes
 * through profile_submit(), as the API.
 */
#include "web/page_profiles.h"
#include "api/api_profiles.h"
#include "store/profiles.h"
#include "web/pages.h"
#include "web/page_taxonomy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROFILE_FORM_SKILL_ROWS 8
#define PROFILE_FORM_SLOT_ROWS 7

static const char *const level_labels[5] = {
	N_("1 · Beginner"), N_("2 · Basic"), N_("3 · Competent"), N_("4 · Advanced"), N_("5 · Expert"),
};

/* ---- reading the form ---- */

/* form_int: a whole number from a form field; empty → fallback; else -1. */
static int form_int(const char *s, int fallback)
{
	if (!s || !*s)
		return fallback;
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || v < 0 || v > 100000)
		return -1;
	return (int)v;
}

/* row_index: N when `name` is prefix followed by a small number N, else -1. */
static int row_index(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(name, prefix, n) != 0 || !name[n] || strlen(name + n) > 2)
		return -1;
	return form_int(name + n, -1);
}

/* field_at: the value of field prefix+N, or "". */
static const char *field_at(request *r, const char *prefix, int n)
{
	char name[32];
	snprintf(name, sizeof name, "%s%d", prefix, n);
	const char *v = req_str(r, name);
	return v ? v : "";
}

static char *slug_or_null(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

/* form_coord: a coordinate field; empty or absent → false; not a finite
 * number → false with a reason on `field`. */
static bool form_coord(request *r, const char *field, double *out, struct profile_errors *errs)
{
	const char *s = req_str(r, field);
	if (!s || !*s)
		return false;
	char *end;
	*out = strtod(s, &end);
	if (*end || !isfinite(*out)) {
		specialist_profile_error(errs, field, N_("Enter the coordinate as a decimal number, for example 24.7136."));
		return false;
	}
	return true;
}

static bool same_place(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* form_coordinates: lat and lon from the form, against the saved profile.
 * With the city unchanged, empty fields keep the saved coordinates (set here
 * or through the API) instead of the city's centre; with a new city, the
 * saved coordinates the form showed unchanged give way to the new city's. */
static void form_coordinates(request *r, struct profile *p, struct profile_errors *errs)
{
	p->has_lat = form_coord(r, "lat", &p->lat, errs);
	p->has_lon = form_coord(r, "lon", &p->lon, errs);
	struct profile saved;
	if (store_profile_load(req_db(r), r->user->id, &saved) == DB_OK && saved.has_lat && saved.has_lon) {
		bool city_same = same_place(saved.city, p->city);
		bool untouched = p->has_lat && p->has_lon && fabs(p->lat - saved.lat) < 1e-6 &&
				 fabs(p->lon - saved.lon) < 1e-6;
		if (city_same && !p->has_lat && !p->has_lon && !specialist_profile_error_for(errs, "lat") &&
		    !specialist_profile_error_for(errs, "lon")) {
			p->has_lat = p->has_lon = true;
			p->lat = saved.lat;
			p->lon = saved.lon;
		} else if (!city_same && untouched) {
			p->has_lat = p->has_lon = false;
		}
	}
	specialist_profile_free(&saved);
}

/* profile_from_form: the posted form as a profile; unreadable numbers → errs. */
static void profile_from_form(request *r, struct profile *p, struct profile_errors *errs)
{
	const char *headline = req_str(r, "headline"), *bio = req_str(r, "bio");
	specialist_profile_set_text(&p->headline, headline ? headline : "");
	specialist_profile_set_text(&p->bio, bio ? bio : "");
	p->profession = slug_or_null(req_str(r, "profession"));
	p->domain = slug_or_null(req_str(r, "domain"));
	p->city = slug_or_null(req_str(r, "city"));
	p->years_experience = form_int(req_str(r, "years_experience"), 0);
	p->max_hours_month = form_int(req_str(r, "max_hours_month"), 0);
	bool present;
	p->remote = req_bool(r, "remote", &present);
	p->onsite = req_bool(r, "onsite", &present);
	p->public = req_bool(r, "public", &present);
	form_coordinates(r, p, errs);
	p->nlanguages = 0;
	for (int i = 0; i < r->nfields; i++) {
		const char *name = r->fields[i].name, *value = r->fields[i].value;
		int n;
		if (strcmp(name, "languages") == 0) {
			if (strlen(value) > 3 || !specialist_profile_add_language(p, value))
				specialist_profile_error(errs, "languages", N_("Choose languages from the list."));
		} else if ((n = row_index(name, "skill_")) >= 0 && *value) {
			int level = form_int(field_at(r, "level_", n), 3);
			specialist_profile_add_skill(p, value, level > 5 ? -1 : level);
		} else if ((n = row_index(name, "day_")) >= 0) {
			const char *start = field_at(r, "start_", n), *end = field_at(r, "end_", n);
			if (!*value && !*start && !*end)
				continue;
			int day = form_int(value, -1);
			specialist_profile_add_slot(p, day > 6 ? -1 : day, specialist_profile_parse_time(start), specialist_profile_parse_time(end));
		}
	}
}

/* ---- rendering the form ---- */

static const char *pick(request *r, const char *ar, const char *en)
{
	return r->lang == LANG_AR ? ar : en;
}

static bool same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* grouped_options: choices as [{label, options: [{slug, name, selected}]}]
 * grouped by domain, `chosen` selected. */
static json_t *grouped_options(request *r, const struct profile_choice *list, int n, const char *chosen)
{
	json_t *groups = json_array();
	json_t *options = NULL;
	for (int i = 0; i < n; i++) {
		if (i == 0 || strcmp(list[i].domain, list[i - 1].domain) != 0) {
			const char *label = specialist_profile_domain_label(list[i].domain);
			options = json_array();
			json_array_append_new(groups, json_pack("{s:s, s:o}", "label", label ? tr(r, label) : "",
								"options", options));
		}
		json_array_append_new(options, json_pack("{s:s, s:s, s:b}", "slug", list[i].slug, "name",
							 pick(r, list[i].name_ar, list[i].name_en),
							 "selected", same(list[i].slug, chosen)));
	}
	return groups;
}

static json_t *skill_rows(request *r, const struct profile *p, const struct profile_choice *skills, int nskills)
{
	json_t *rows = json_array();
	int count = p->nskills + 1 > PROFILE_FORM_SKILL_ROWS ? p->nskills + 1 : PROFILE_FORM_SKILL_ROWS;
	for (int i = 0; i < count; i++) {
		const struct profile_skill *s = i < p->nskills ? &p->skills[i] : NULL;
		json_t *levels = json_array();
		for (int l = 1; l <= 5; l++)
			json_array_append_new(levels, json_pack("{s:i, s:s, s:b}", "value", l, "label",
								tr(r, level_labels[l - 1]),
								"selected", s ? s->level == l : l == 3));
		json_array_append_new(rows, json_pack("{s:i, s:i, s:o, s:o}", "n", i, "number", i + 1, "groups",
						      grouped_options(r, skills, nskills, s ? s->slug : NULL),
						      "levels", levels));
	}
	return rows;
}

static json_t *slot_rows(request *r, const struct profile *p)
{
	json_t *rows = json_array();
	int count = p->nslots + 1 > PROFILE_FORM_SLOT_ROWS ? p->nslots + 1 : PROFILE_FORM_SLOT_ROWS;
	for (int i = 0; i < count; i++) {
		const struct profile_slot *s = i < p->nslots ? &p->slots[i] : NULL;
		json_t *days = json_array();
		for (int d = 0; d < 7; d++)
			json_array_append_new(days, json_pack("{s:i, s:s, s:b}", "value", d, "label",
							      tr(r, specialist_profile_weekday_label(d)),
							      "selected", s && s->weekday == d));
		char start[6] = "", end[6] = "";
		if (s && s->start >= 0)
			specialist_profile_format_time(s->start, start);
		if (s && s->end >= 0)
			specialist_profile_format_time(s->end, end);
		json_array_append_new(rows, json_pack("{s:i, s:i, s:o, s:s, s:s}", "n", i, "number", i + 1,
						      "days", days, "start", start, "end", end));
	}
	return rows;
}

/* form_lists: the select boxes and checkboxes, `p`'s values chosen. */
static void form_lists(request *r, json_t *ctx, const struct profile *p)
{
	db_conn *c = req_db(r);
	struct profile_choice *list = NULL;
	int n = 0;
	store_profile_choices(c, CHOICE_PROFESSIONS, &list, &n);
	json_object_set_new(ctx, "profession_groups", grouped_options(r, list, n, p->profession));
	profile_choices_free(list, n);

	json_object_set_new(ctx, "cities", taxonomy_city_options(r, p->city));

	store_profile_choices(c, CHOICE_SKILLS, &list, &n);
	json_object_set_new(ctx, "skill_rows", skill_rows(r, p, list, n));
	profile_choices_free(list, n);

	json_t *domains = json_array();
	for (int i = 0; i < 6; i++)
		json_array_append_new(domains, json_pack("{s:s, s:s, s:b}", "value", specialist_profile_domains[i], "label",
							 tr(r, specialist_profile_domain_label(specialist_profile_domains[i])),
							 "selected", same(specialist_profile_domains[i], p->domain)));
	json_object_set_new(ctx, "domains", domains);

	json_t *languages = json_array();
	for (int i = 0; i < PROFILE_LANGUAGES_MAX; i++) {
		bool checked = false;
		for (int j = 0; j < p->nlanguages; j++)
			checked |= strcmp(p->languages[j], specialist_profile_languages[i].code) == 0;
		json_array_append_new(languages, json_pack("{s:s, s:s, s:b}", "code", specialist_profile_languages[i].code,
							   "native", specialist_profile_languages[i].native, "checked", checked));
	}
	json_object_set_new(ctx, "languages", languages);
	json_object_set_new(ctx, "slot_rows", slot_rows(r, p));
}

/* skills_hint: the hint above the skill rows, naming the real limit. */
static json_t *skills_hint(request *r)
{
	const char *text = tr(r, N_("You can list up to {max} skills, each with how well you master it. Leave the rows you do not need empty; save to get another row."));
	const char *slot = strstr(text, "{max}");
	if (!slot)
		return json_string(text);
	return json_sprintf("%.*s%d%s", (int)(slot - text), text, PROFILE_SKILLS_MAX, slot + strlen("{max}"));
}

/* coord_text: a coordinate as the form shows it, "" when there is none. */
static void coord_text(bool has, double v, char out[32])
{
	out[0] = '\0';
	if (has && isfinite(v))
		snprintf(out, 32, "%.6f", v);
}

static void render_form(request *r, int status, const struct profile *p, json_t *errors)
{
	json_t *ctx = page_form_ctx(r, N_("My specialist profile"));
	char lat[32], lon[32];
	coord_text(p->has_lat, p->lat, lat);
	coord_text(p->has_lon, p->lon, lon);
	json_object_set_new(ctx, "profile",
			    json_pack("{s:I, s:s, s:s, s:i, s:i, s:b, s:b, s:b, s:b}", "id", (json_int_t)r->user->id,
				      "headline", p->headline ? p->headline : "", "bio", p->bio ? p->bio : "",
				      "years_experience", p->years_experience, "max_hours_month", p->max_hours_month,
				      "remote", p->remote, "onsite", p->onsite, "public", p->public,
				      "licence_verified", p->licence_verified));
	json_object_set_new(json_object_get(ctx, "profile"), "lat", json_string(lat));
	json_object_set_new(json_object_get(ctx, "profile"), "lon", json_string(lon));
	json_object_set_new(ctx, "skills_hint", skills_hint(r));
	form_lists(r, ctx, p);
	json_object_set_new(ctx, "saved", json_boolean(status == 200 && req_query(r, "saved")));
	if (errors) {
		json_object_set_new(ctx, "error", json_string(tr(r, N_("Some fields need your attention."))));
		json_object_set_new(ctx, "fields", errors);
	}
	respond_page(r, status, "profile_edit", ctx);
}

void page_profile_form(request *r)
{
	struct profile p;
	int st = store_profile_load(req_db(r), r->user->id, &p);
	if (st != DB_OK && st != STORE_NOT_FOUND) {
		specialist_profile_free(&p);
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	render_form(r, 200, &p, NULL);
	specialist_profile_free(&p);
}

void page_profile_save(request *r)
{
	struct profile p;
	struct profile_errors errs = { 0 };
	specialist_profile_init(&p);
	profile_from_form(r, &p, &errs);
	struct outcome o;
	profile_submit(r, &p, &errs, &o);
	if (o.status == 422) {
		json_t *fields = o.fields;
		o.fields = NULL;
		render_form(r, 422, &p, fields);
	} else if (o.status != 200) {
		respond_outcome(r, &o);
	} else {
		respond_redirect(r, "/profile?saved=1");
	}
	outcome_clear(&o);
	specialist_profile_free(&p);
}

/* ---- the public profile ---- */

/* week_rows: [{day, ranges: [{start, end}]}] for the weekdays with time. */
static json_t *week_rows(request *r, const struct profile *p)
{
	json_t *rows = json_array();
	for (int d = 0; d < 7; d++) {
		json_t *ranges = json_array();
		for (int i = 0; i < p->nslots; i++) {
			if (p->slots[i].weekday != d)
				continue;
			char start[6], end[6];
			specialist_profile_format_time(p->slots[i].start, start);
			specialist_profile_format_time(p->slots[i].end, end);
			json_array_append_new(ranges, json_pack("{s:s, s:s}", "start", start, "end", end));
		}
		if (json_array_size(ranges) == 0)
			json_decref(ranges);
		else
			json_array_append_new(rows, json_pack("{s:s, s:o}", "day", tr(r, specialist_profile_weekday_label(d)),
							      "ranges", ranges));
	}
	return rows;
}

static json_t *specialist_ctx(request *r, const struct profile *p)
{
	json_t *ctx = page_ctx(r, N_("Specialist"));
	json_object_set_new(ctx, "title", json_string(p->name ? p->name : ""));
	json_t *skills = json_array();
	for (int i = 0; i < p->nskills; i++)
		json_array_append_new(skills, json_pack("{s:s, s:s}", "name",
							pick(r, p->skills[i].name_ar, p->skills[i].name_en),
							"level", tr(r, level_labels[p->skills[i].level - 1])));
	json_t *languages = json_array();
	for (int i = 0; i < p->nlanguages; i++)
		for (int j = 0; j < PROFILE_LANGUAGES_MAX; j++)
			if (strcmp(p->languages[i], specialist_profile_languages[j].code) == 0)
				json_array_append_new(languages, json_pack("{s:s, s:s}", "code", specialist_profile_languages[j].code,
									   "native", specialist_profile_languages[j].native));
	const char *domain = specialist_profile_domain_label(p->domain);
	json_t *week = week_rows(r, p);
	json_object_set_new(ctx, "specialist",
			    json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s, s:i, s:b, s:b, s:b, s:b, s:o, s:o, s:b, s:o}",
				      "name", p->name ? p->name : "", "headline", p->headline,
				      "profession", p->profession ? pick(r, p->profession_ar, p->profession_en) : NULL,
				      "city", p->city ? pick(r, p->city_ar, p->city_en) : NULL,
				      "domain", domain ? tr(r, domain) : NULL, "bio", p->bio,
				      "years_experience", p->years_experience, "remote", p->remote, "onsite", p->onsite,
				      "licence_verified", p->licence_verified, "has_skills", p->nskills > 0, "skills", skills, "languages", languages,
				      "has_week", json_array_size(week) > 0, "week", week));
	return ctx;
}

void page_specialist(request *r)
{
	int64_t id;
	if (!req_param_id(r, 0, &id)) {
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	struct profile p;
	int st = store_profile_public(req_db(r), id, &p);
	if (st == DB_OK)
		respond_page(r, 200, "specialist", specialist_ctx(r, &p));
	else if (st == STORE_NOT_FOUND)
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
	else
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
	specialist_profile_free(&p);
}
