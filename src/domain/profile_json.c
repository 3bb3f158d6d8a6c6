/*
 * profile_json.c — a JSON body (PUT /api/v1/me/profile) onto a struct
 * profile.  Pure: no request, no store — so tests/fuzz/json_body fuzzes the
 * very code the API runs.  Type errors go into the profile_errors.
 */
#include "domain/profile_json.h"
#include "i18n/i18n.h"

#define WRONG_TYPE N_("This value has the wrong type.")

/* ---- JSON → profile ---- */

/* get_text: a string member (or null → NULL); *bad on another type. */
static const char *get_text(json_t *body, const char *name, const char *fallback, struct profile_errors *errs)
{
	json_t *v = json_object_get(body, name);
	if (!v || json_is_null(v))
		return fallback;
	if (!json_is_string(v)) {
		specialist_profile_error(errs, name, WRONG_TYPE);
		return fallback;
	}
	return json_string_value(v);
}

/* get_slug: like get_text, "" read as none. */
static void get_slug(json_t *body, const char *name, char **field, struct profile_errors *errs)
{
	const char *s = get_text(body, name, NULL, errs);
	specialist_profile_set_text(field, s && *s ? s : NULL);
}

static void get_int(json_t *body, const char *name, int *field, struct profile_errors *errs)
{
	json_t *v = json_object_get(body, name);
	if (!v)
		return;
	if (!json_is_integer(v)) {
		specialist_profile_error(errs, name, WRONG_TYPE);
		return;
	}
	json_int_t n = json_integer_value(v);
	*field = n < -1000000 ? -1000000 : n > 1000000 ? 1000000 : (int)n;
}

static void get_bool(json_t *body, const char *name, bool *field, struct profile_errors *errs)
{
	json_t *v = json_object_get(body, name);
	if (!v)
		return;
	if (!json_is_boolean(v))
		specialist_profile_error(errs, name, WRONG_TYPE);
	else
		*field = json_is_true(v);
}

static void get_coord(json_t *body, const char *name, bool *has, double *field, struct profile_errors *errs)
{
	json_t *v = json_object_get(body, name);
	if (!v || json_is_null(v))
		return;
	if (!json_is_number(v)) {
		specialist_profile_error(errs, name, WRONG_TYPE);
		return;
	}
	*has = true;
	*field = json_number_value(v);
}

static void get_languages(json_t *body, struct profile *p, struct profile_errors *errs)
{
	json_t *list = json_object_get(body, "languages");
	if (!list)
		return;
	p->nlanguages = 0;
	if (!json_is_array(list)) {
		specialist_profile_error(errs, "languages", WRONG_TYPE);
		return;
	}
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		if (!json_is_string(v) || json_string_length(v) > 3)
			specialist_profile_error(errs, "languages", N_("Choose languages from the list."));
		else if (!specialist_profile_add_language(p, json_string_value(v)))
			specialist_profile_error(errs, "languages", N_("List each language once."));
	}
}

static void get_skills(json_t *body, struct profile *p, struct profile_errors *errs)
{
	json_t *list = json_object_get(body, "skills");
	if (!list || json_is_null(list))
		return;
	if (!json_is_array(list)) {
		specialist_profile_error(errs, "skills", WRONG_TYPE);
		return;
	}
	if (json_array_size(list) > PROFILE_SKILLS_MAX) {
		specialist_profile_error(errs, "skills", N_("Add at most 30 skills."));
		return;
	}
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		json_t *slug = json_object_get(v, "slug"), *level = json_object_get(v, "level");
		if (!json_is_string(slug) || !json_is_integer(level)) {
			specialist_profile_error(errs, "skills", N_("Give each skill as a slug and a level from 1 to 5."));
			continue;
		}
		json_int_t n = json_integer_value(level);
		specialist_profile_add_skill(p, json_string_value(slug), n < 0 || n > 100 ? -1 : (int)n);
	}
}

static void get_availability(json_t *body, struct profile *p, struct profile_errors *errs)
{
	json_t *list = json_object_get(body, "availability");
	if (!list || json_is_null(list))
		return;
	if (!json_is_array(list)) {
		specialist_profile_error(errs, "availability", WRONG_TYPE);
		return;
	}
	if (json_array_size(list) > PROFILE_SLOTS_MAX) {
		specialist_profile_error(errs, "availability", N_("Add at most 21 time ranges."));
		return;
	}
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		json_t *day = json_object_get(v, "weekday");
		json_int_t d = json_is_integer(day) ? json_integer_value(day) : -1;
		specialist_profile_add_slot(p, d < 0 || d > 6 ? -1 : (int)d,
				 specialist_profile_parse_time(json_string_value(json_object_get(v, "start"))),
				 specialist_profile_parse_time(json_string_value(json_object_get(v, "end"))));
	}
}

/* profile_from_json: the PUT body over the defaults; type errors into errs. */
void profile_from_json(json_t *body, struct profile *p, struct profile_errors *errs)
{
	specialist_profile_set_text(&p->headline, get_text(body, "headline", "", errs));
	specialist_profile_set_text(&p->bio, get_text(body, "bio", "", errs));
	get_slug(body, "profession", &p->profession, errs);
	get_slug(body, "domain", &p->domain, errs);
	get_slug(body, "city", &p->city, errs);
	get_int(body, "years_experience", &p->years_experience, errs);
	get_int(body, "max_hours_month", &p->max_hours_month, errs);
	get_coord(body, "lat", &p->has_lat, &p->lat, errs);
	get_coord(body, "lon", &p->has_lon, &p->lon, errs);
	get_bool(body, "remote", &p->remote, errs);
	get_bool(body, "onsite", &p->onsite, errs);
	get_bool(body, "public", &p->public, errs);
	get_languages(body, p, errs);
	get_skills(body, p, errs);
	get_availability(body, p, errs);
}

/* ---- shared with the form ---- */

