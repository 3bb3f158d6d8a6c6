// fuzz-sources: src/domain/profile.c src/domain/profile_json.c src/domain/opportunity.c src/domain/booking.c src/core/xalloc.c src/core/timefmt.c
// fuzz-libs: jansson
/*
 * json_body_fuzz.c — libFuzzer target for the pure checks every JSON request
 * body about profiles, opportunities and applications goes through
 * (domain/profile.h, domain/opportunity.h, domain/booking.h).
 *
 * The input is parsed with jansson as the server does (json_loadb, any
 * value).  The object is mapped onto a `struct profile` by the API's own
 * profile_from_json (domain/profile_json.c) and onto a `struct opportunity`
 * as opportunities/opportunity_actions.c (opp_from_json, which sits in a file
 * that needs the request and the store) does — that mapping below is a copy,
 * kept short — and the validators run on the result.  The raw bytes
 * (up to the first NUL) also go to the RFC 3339, date, "HH:MM" and cursor
 * parsers and to the status and action names.
 *
 * Checked besides "no crash, no leak, no undefined behaviour":
 *   - an accepted RFC 3339 time formats (opportunity_format_time and
 *     booking_format_time agree) and, when the formatted year is 1900…9999,
 *     parses back to the same instant; with allow_local, a time accepted
 *     without it is accepted with it and means the same;
 *   - an accepted "HH:MM" lies in 0…1440 and formats back to the same text;
 *   - an accepted cursor has a positive id and re-encodes to a cursor that
 *     decodes to the same key;
 *   - a parsed status or action name prints back as the same name;
 *   - validators add at most their error capacity and say "valid" exactly
 *     when they added nothing.
 */
#include "domain/booking.h"
#include "core/timefmt.h"
#include "domain/opportunity.h"
#include "domain/profile_json.h"
#include "domain/profile.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

/* ---- raw strings ---- */

static void check_rfc3339(const char *s)
{
	int64_t t = 0, local = 0;
	bool strict = time_parse_rfc3339(s, false, &t);
	bool loose = time_parse_rfc3339(s, true, &local);
	if (strict)
		CHECK(loose && local == t);
	if (!loose)
		return;
	char a[64], b[64];
	time_rfc3339(local, a, sizeof a);
	booking_format_time(local, b, sizeof b);
	CHECK(strcmp(a, b) == 0);
	int year = atoi(a);
	if (year >= 1900 && year <= 9999 && strlen(a) == 25) {
		int64_t again = 0;
		CHECK(time_parse_rfc3339(a, false, &again) && again == local);
		char l[32];
		time_local_minute(local, l, sizeof l);
		CHECK(time_parse_rfc3339(l, true, &again) && again / 60 == local / 60 - (local % 60 < 0));
	}
	(void)booking_month_of(local);
}

static void check_date(const char *s)
{
	int64_t t;
	if (!time_parse_date(s, &t))
		return;
	char a[64];
	time_rfc3339(t, a, sizeof a);
	/* Midnight in Riyadh, on the very day that was written. */
	CHECK(strlen(s) == 10 && strncmp(a, s, 10) == 0 && strcmp(a + 10, "T00:00:00+03:00") == 0);
}

static void check_hhmm(const char *s)
{
	int m = specialist_profile_parse_time(s);
	if (m < 0)
		return;
	CHECK(m <= 1440);
	char out[6];
	specialist_profile_format_time(m, out);
	CHECK(strcmp(out, s) == 0);
}

static void check_cursor(const char *s)
{
	int64_t start, id;
	if (!opportunity_cursor_decode(s, &start, &id))
		return;
	CHECK(id > 0);
	char out[OPP_CURSOR_MAX];
	opportunity_cursor_encode(start, id, out);
	int64_t start2, id2;
	CHECK(opportunity_cursor_decode(out, &start2, &id2) && start2 == start && id2 == id);
}

static void check_names(const char *s)
{
	enum app_status st;
	if (booking_status_parse(s, &st))
		CHECK(st < APP_STATUS_COUNT && strcmp(booking_status_name(st), s) == 0);
	enum app_action ac;
	if (booking_action_parse(s, &ac))
		CHECK(ac < ACT_COUNT && strcmp(booking_action_name(ac), s) == 0);
	enum opp_action oa;
	(void)opportunity_action_parse(s, &oa);
	(void)opportunity_kind_valid(s);
	(void)opportunity_domain_valid(s);
	(void)opportunity_slug_valid(s);
	(void)specialist_profile_domain_valid(s);
	(void)specialist_profile_language_known(s);
	(void)profile_utf8_length(s, true);
	(void)opportunity_text_matches(s, "Teach coding in Jeddah", s);
}

static void check_string(const char *s)
{
	check_rfc3339(s);
	check_date(s);
	check_hhmm(s);
	check_cursor(s);
	check_names(s);
}

/* ---- JSON → profile (as api/api_profiles.c) ---- */

static void o_text(json_t *body, const char *name, char **field, bool nullable, struct opp_errors *errs)
{
	json_t *v = json_object_get(body, name);
	if (!v)
		return;
	if (json_is_string(v))
		opportunity_set_text(field, json_string_value(v));
	else if (json_is_null(v) && nullable)
		opportunity_set_text(field, "");
	else
		opp_error(errs, name, "text");
}

static void o_time(json_t *body, const char *name, int64_t *t, struct opp_errors *errs)
{
	json_t *v = json_object_get(body, name);
	if (v && (!json_is_string(v) || !time_parse_rfc3339(json_string_value(v), false, t)))
		opp_error(errs, name, "time");
}

static bool o_int_in(json_t *v, long long lo, long long hi, int *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return false;
	*out = (int)json_integer_value(v);
	return true;
}

static void o_shift(json_t *item, struct opportunity *o, struct opp_errors *errs)
{
	if (!json_is_object(item))
		return;
	json_t *idv = json_object_get(item, "id"), *v;
	struct opp_shift *s;
	if (idv && !json_is_null(idv)) {
		s = json_is_integer(idv) ? opportunity_find_shift(o, json_integer_value(idv)) : NULL;
		if (!s)
			return;
	} else {
		if (!json_object_get(item, "starts_at") || !json_object_get(item, "ends_at"))
			return;
		s = opportunity_add_shift(o, 0, 0, 0, 1, "", NULL);
	}
	if ((v = json_object_get(item, "starts_at")) &&
	    (!json_is_string(v) || !time_parse_rfc3339(json_string_value(v), false, &s->starts_at)))
		opp_error(errs, "shifts", "time");
	if ((v = json_object_get(item, "ends_at")) &&
	    (!json_is_string(v) || !time_parse_rfc3339(json_string_value(v), false, &s->ends_at)))
		opp_error(errs, "shifts", "time");
	if ((v = json_object_get(item, "capacity")) && !o_int_in(v, 1, OPP_CAPACITY_MAX, &s->capacity))
		opp_error(errs, "shifts", "capacity");
	if ((v = json_object_get(item, "role")) && json_is_string(v))
		opportunity_set_text(&s->role, json_string_value(v));
	if ((v = json_object_get(item, "skill")) && (json_is_string(v) || json_is_null(v)))
		opportunity_set_text(&s->skill, json_is_string(v) && *json_string_value(v) ? json_string_value(v) : NULL);
}

static void opportunity_from_json(json_t *body, struct opportunity *o, struct opp_errors *errs)
{
	o_text(body, "kind", &o->kind, false, errs);
	o_text(body, "domain", &o->domain, false, errs);
	o_text(body, "title", &o->title, false, errs);
	o_text(body, "description", &o->description, true, errs);
	o_text(body, "city", &o->city, true, errs);
	o_text(body, "address", &o->address, true, errs);
	o_time(body, "starts_at", &o->starts_at, errs);
	o_time(body, "ends_at", &o->ends_at, errs);
	json_t *lat = json_object_get(body, "lat"), *lon = json_object_get(body, "lon"), *v;
	if (json_is_number(lat) && json_is_number(lon)) {
		o->has_coords = true;
		o->lat = json_number_value(lat);
		o->lon = json_number_value(lon);
	}
	if ((v = json_object_get(body, "remote")) && json_is_boolean(v))
		o->remote = json_is_true(v);
	if ((v = json_object_get(body, "expected_beneficiaries")))
		(void)o_int_in(v, 0, OPP_BENEFICIARIES_MAX, &o->expected_beneficiaries);
	int capacity = 1;
	if ((v = json_object_get(body, "capacity")))
		(void)o_int_in(v, 1, OPP_CAPACITY_MAX, &capacity);
	size_t i;
	json_t *item;
	if ((v = json_object_get(body, "skills")) && json_is_array(v)) {
		opportunity_clear_skills(o);
		json_array_foreach(v, i, item) {
			if (!json_is_string(item) || i >= 2 * OPP_SKILLS_MAX)
				break;
			opportunity_add_skill(o, json_string_value(item));
		}
	}
	json_t *shifts = json_object_get(body, "shifts");
	if (json_is_array(shifts) && json_array_size(shifts) <= OPP_SHIFTS_MAX)
		json_array_foreach(shifts, i, item)
			o_shift(item, o, errs);
	/* What the create handler does next. */
	if (o->nshifts == 0 && o->ends_at > o->starts_at)
		opportunity_default_shift(o, capacity);
}

/* ---- the object as a whole ---- */

static void check_object(json_t *body)
{
	struct profile p;
	specialist_profile_init(&p);
	struct profile_errors perrs = { 0 };
	profile_from_json(body, &p, &perrs);
	int before = perrs.n;
	bool ok = specialist_profile_validate(&p, &perrs);
	CHECK(perrs.n >= before && perrs.n <= PROFILE_ERRORS_MAX);
	CHECK(ok == (perrs.n == before));
	for (int i = 0; i < p.nslots; i++) {
		char a[6];
		specialist_profile_format_time(p.slots[i].start, a);
		specialist_profile_format_time(p.slots[i].end, a);
	}
	(void)specialist_profile_domain_label(p.domain);
	specialist_profile_free(&p);

	struct opportunity o;
	opportunity_init(&o);
	/* An update finds the saved shifts by id: give it one to find. */
	opportunity_add_shift(&o, 7, 1796360400, 1796374800, 3, "Mentor", NULL);
	struct opp_errors oerrs = { 0 };
	opportunity_from_json(body, &o, &oerrs);
	before = oerrs.n;
	ok = opportunity_validate(&o, &oerrs);
	CHECK(oerrs.n >= before && oerrs.n <= OPP_ERRORS_MAX);
	CHECK(ok == (oerrs.n == before));
	if (o.has_coords)
		(void)opportunity_distance_km(o.lat, o.lon, 24.7136, 46.6753);
	struct booking_span spans[OPP_SHIFTS_MAX + 2];
	int n = 0;
	for (int i = 0; i < o.nshifts && n < OPP_SHIFTS_MAX + 2; i++)
		spans[n++] = (struct booking_span){ o.shifts[i].starts_at, o.shifts[i].ends_at };
	if (n > 0) {
		int64_t minutes = booking_month_minutes(spans, n, booking_month_of(spans[0].starts_at));
		CHECK(minutes >= 0);
		(void)booking_within_cap(minutes, 60, PROFILE_HOURS_MAX);
		(void)booking_overlaps(spans[0].starts_at, spans[0].ends_at, o.starts_at, o.ends_at);
	}
	opportunity_free(&o);

	/* Every string member goes to the string parsers too. */
	const char *key;
	json_t *v;
	json_object_foreach(body, key, v) {
		if (json_is_string(v))
			check_string(json_string_value(v));
		check_string(key);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	check_string(text);
	free(text);

	json_error_t error;
	json_t *body = json_loadb((const char *)data, size, JSON_DECODE_ANY, &error);
	if (body && json_is_object(body))
		check_object(body);
	json_decref(body);
	return 0;
}
