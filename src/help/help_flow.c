/*
 * help_flow.c — help-request actions shared by the API and the pages
 * (help_flow.h).
 */
#include "help/help_flow.h"
#include "auth/sealed.h"
#include "http/app.h"
#include "core/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


static const struct { const char *domain; const char *label; } domain_labels[] = {
	{ "health", N_("Health") },
	{ "education", N_("Education and training") },
	{ "law", N_("Law") },
	{ "engineering", N_("Engineering and design") },
	{ "technology", N_("Technology") },
	{ "arts_media", N_("Arts and media") },
};

const char *help_domain_label(const char *domain)
{
	for (size_t i = 0; i < sizeof domain_labels / sizeof domain_labels[0]; i++)
		if (strcmp(domain_labels[i].domain, domain) == 0)
			return domain_labels[i].label;
	return domain;
}

/* text_ok: trimmed length within 1..max (0..max when optional), and no
 * control characters but, when multiline, new lines and tabs. */
static bool text_ok(const char *s, size_t max, bool optional, bool multiline)
{
	if (!s)
		return optional;
	size_t n = strlen(s), start = 0;
	while (start < n && isspace((unsigned char)s[start]))
		start++;
	if (start == n)
		return optional;
	if (n > max)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch < ' ' || ch == 0x7f) && !(multiline && (ch == '\n' || ch == '\r' || ch == '\t')))
			return false;
	}
	return true;
}

void help_store_outcome(request *r, int st, struct outcome *o)
{
	switch (st) {
	case DB_OK:
		o->status = 200;
		return;
	case STORE_NOT_FOUND:
		outcome_fail(o, 404, "not_found", N_("There is no such help request."));
		return;
	case HELP_FORBIDDEN:
		outcome_fail(o, 403, "forbidden", N_("Your part in this request does not allow this action."));
		return;
	case HELP_NOT_SPECIALIST:
		outcome_field(r, o, "specialist_id", N_("Choose a person registered as a specialist."));
		return;
	case HELP_LICENCE_REQUIRED:
		outcome_fail(o, 409, "licence_required",
		     N_("Health and law consultations need a specialist whose licence has been verified."));
		return;
	case HELP_OUTSIDE_AVAILABILITY:
		outcome_fail(o, 409, "outside_availability", N_("The session is outside the specialist's weekly availability."));
		return;
	case HELP_WRONG_STATE:
		outcome_fail(o, 409, "wrong_state", N_("This request is not at a stage that allows this action."));
		return;
	case HELP_BAD_ORG:
		outcome_field(r, o, "org_id", N_("Choose one of the verified organisations."));
		return;
	case HELP_NO_KEY:
	default:
		outcome_fail(o, 500, "internal", N_("Something went wrong on our side. Please try again."));
		return;
	}
}

/* key_ready: the sealing key, loaded at start-up (or now, the first time). */
static bool key_ready(request *r)
{
	return sealed_key() || (r->app && sealed_key_ensure(r->app->cfg.data_dir));
}

static bool parse_id_text(const char *s, int64_t *out)
{
	char *end = NULL;
	if (!s || !isdigit((unsigned char)*s))
		return false;
	long long v = strtoll(s, &end, 10);
	if (*end || v <= 0)
		return false;
	*out = v;
	return true;
}

void help_create(request *r, const struct help_input *in, int64_t *id, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	if (!help_domain_ok(in->domain))
		outcome_field(r, o, "domain", N_("Choose one of the six domains."));
	if (!text_ok(in->title, HELP_TITLE_MAX, false, false))
		outcome_field(r, o, "title", N_("Write a short title of up to 200 characters."));
	if (!text_ok(in->details, HELP_DETAILS_MAX, false, true))
		outcome_field(r, o, "details", N_("Describe what you need in up to 8000 characters."));
	if (!text_ok(in->city, HELP_CITY_MAX, true, false))
		outcome_field(r, o, "city", N_("The city must be at most 120 characters."));
	const char *urgency = in->urgency && *in->urgency ? in->urgency : "normal";
	if (!help_urgency_ok(urgency))
		outcome_field(r, o, "urgency", N_("Choose low, normal or urgent."));
	int64_t org_id = 0;
	if (in->org_id_json && !json_is_null(in->org_id_json)) {
		if (!json_is_integer(in->org_id_json) || json_integer_value(in->org_id_json) <= 0)
			outcome_field(r, o, "org_id", N_("Choose one of the verified organisations."));
		else
			org_id = json_integer_value(in->org_id_json);
	} else if (in->org_id && *in->org_id && !parse_id_text(in->org_id, &org_id)) {
		outcome_field(r, o, "org_id", N_("Choose one of the verified organisations."));
	}
	if (o->status)
		return;
	if (!key_ready(r)) {
		outcome_fail(o, 503, "unavailable", N_("The service is busy. Please try again in a moment."));
		return;
	}
	int st = store_help_create(req_db(r), r->user->id, org_id, in->domain, in->title, in->details,
				   in->city ? in->city : "", urgency, time(NULL), id);
	help_store_outcome(r, st, o);
	if (st == DB_OK)
		o->status = 201;
}

void help_get(request *r, int64_t id, struct help_request *out, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	memset(out, 0, sizeof *out);
	if (!key_ready(r)) {
		outcome_fail(o, 503, "unavailable", N_("The service is busy. Please try again in a moment."));
		return;
	}
	int st = store_help_get(req_db(r), id, r->user->id, r->user->roles, NULL, r->client_addr, time(NULL), out);
	help_store_outcome(r, st, o);
}

void help_reload(request *r, int64_t id, struct help_request *out, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	int st = store_help_summary(req_db(r), id, r->user->id, r->user->roles, out);
	help_store_outcome(r, st, o);
}

void help_assign(request *r, int64_t id, int64_t specialist_id, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	if (specialist_id <= 0) {
		outcome_field(r, o, "specialist_id", N_("Choose a person registered as a specialist."));
		return;
	}
	help_store_outcome(r, store_help_assign(req_db(r), id, r->user->id, r->user->roles, specialist_id, time(NULL)), o);
}

void help_book(request *r, int64_t id, int64_t starts_at, int64_t ends_at, const char *mode, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	if (!starts_at)
		outcome_field(r, o, "starts_at", N_("Give the start as a date and time."));
	if (!ends_at)
		outcome_field(r, o, "ends_at", N_("Give the end as a date and time."));
	else if (starts_at && ends_at <= starts_at)
		outcome_field(r, o, "ends_at", N_("The end must come after the start."));
	else if (starts_at && ends_at - starts_at > 8 * 3600)
		outcome_field(r, o, "ends_at", N_("A session lasts at most eight hours."));
	if (!help_mode_ok(mode))
		outcome_field(r, o, "mode", N_("Choose video, phone or in person."));
	if (o->status)
		return;
	help_store_outcome(r, store_help_book(req_db(r), id, r->user->id, r->user->roles, starts_at, ends_at, mode,
					 time(NULL)), o);
}

void help_resolve(request *r, int64_t id, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	help_store_outcome(r, store_help_resolve(req_db(r), id, r->user->id, r->user->roles, time(NULL)), o);
}

void help_rate(request *r, int64_t id, int rating, const char *comment, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	if (rating < 1 || rating > 5)
		outcome_field(r, o, "rating", N_("Give a rating from 1 to 5."));
	if (!text_ok(comment, HELP_COMMENT_MAX, true, true))
		outcome_field(r, o, "comment", N_("The comment must be at most 1000 characters."));
	if (o->status)
		return;
	help_store_outcome(r, store_help_rate(req_db(r), id, r->user->id, r->user->roles, rating, comment ? comment : "",
					 time(NULL)), o);
}

/* ---- times ---- */

bool help_parse_local(const char *date, const char *time_of_day, int64_t *out)
{
	if (!date || !time_of_day || strlen(date) != 10 || (strlen(time_of_day) != 5 && strlen(time_of_day) != 8))
		return false;
	char when[24];
	snprintf(when, sizeof when, "%sT%s", date, time_of_day);
	return time_parse_rfc3339(when, true, out);
}

json_t *help_json(const struct help_request *h, bool with_details)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)h->id,
			      "domain", h->domain, "title", h->title, "city", h->city, "urgency", h->urgency,
			      "status", h->status, "org_id", h->org_id ? json_integer(h->org_id) : json_null(),
			      "created_at", time_json(h->created_at), "updated_at", time_json(h->updated_at));
	if (!with_details)
		return o;
	json_object_set_new(o, "details", json_string(h->details ? h->details : ""));
	json_object_set_new(o, "org", h->org_id ? json_pack("{s:I, s:s}", "id", (json_int_t)h->org_id, "name",
								    h->org_name) : json_null());
	json_object_set_new(o, "assigned_specialist",
			    h->specialist_id ? json_pack("{s:I, s:s}", "id", (json_int_t)h->specialist_id, "name",
							 h->specialist_name) : json_null());
	json_object_set_new(o, "session", h->session_starts_at ?
			    json_pack("{s:o, s:o, s:s}", "starts_at", time_json(h->session_starts_at), "ends_at",
				      time_json(h->session_ends_at), "mode", h->session_mode) : json_null());
	json_object_set_new(o, "rating", h->rating ? json_pack("{s:i, s:s}", "rating", h->rating, "comment",
								  h->rating_comment) : json_null());
	json_object_set_new(o, "resolved_at", time_json(h->resolved_at));
	return o;
}
