/*
 * opportunity.c — the rules of an opportunity and its shifts (opportunity.h).
 * Pure: no I/O.
 */
#include "domain/opportunity.h"
#include "core/xalloc.h"
#include "domain/profile.h"
#include "i18n/i18n.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const opportunity_kinds[4] = { "consultation", "project", "campaign", "workshop" };
static const char *const kind_labels[4] = { N_("Consultation"), N_("Project"), N_("Campaign"), N_("Workshop") };
const char *const opportunity_statuses[5] = { "draft", "open", "closed", "completed", "cancelled" };
static const char *const status_labels[5] = { N_("Draft"), N_("Open"), N_("Closed"), N_("Completed"),
					      N_("Cancelled") };
static const char *const domains[6] = { "health", "education", "law", "engineering", "technology", "arts_media" };

void opportunity_init(struct opportunity *o)
{
	memset(o, 0, sizeof *o);
	o->title = xstrdup("");
	o->description = xstrdup("");
	o->city = xstrdup("");
	o->address = xstrdup("");
	o->cancel_reason = xstrdup("");
	o->status = xstrdup("draft");
}

void opportunity_clear_skills(struct opportunity *o)
{
	for (int i = 0; i < o->nskills; i++)
		free(o->skills[i]);
	free(o->skills);
	o->skills = NULL;
	o->nskills = 0;
}

void opportunity_free(struct opportunity *o)
{
	char **texts[] = { &o->org_name, &o->org_name_en, &o->kind, &o->domain, &o->title, &o->description,
			   &o->city, &o->address, &o->status, &o->cancel_reason };
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		free(*texts[i]);
	opportunity_clear_skills(o);
	for (int i = 0; i < o->nshifts; i++) {
		free(o->shifts[i].role);
		free(o->shifts[i].skill);
	}
	free(o->shifts);
	memset(o, 0, sizeof *o);
}

void opportunity_set_text(char **field, const char *value)
{
	free(*field);
	*field = value ? xstrdup(value) : NULL;
}

void opportunity_add_skill(struct opportunity *o, const char *slug)
{
	for (int i = 0; i < o->nskills; i++)
		if (strcmp(o->skills[i], slug) == 0)
			return;
	o->skills = xreallocarray(o->skills, (size_t)o->nskills + 1, sizeof *o->skills);
	o->skills[o->nskills++] = xstrdup(slug);
}

struct opp_shift *opportunity_add_shift(struct opportunity *o, int64_t id, int64_t starts_at, int64_t ends_at,
					int capacity, const char *role, const char *skill)
{
	o->shifts = xreallocarray(o->shifts, (size_t)o->nshifts + 1, sizeof *o->shifts);
	struct opp_shift *s = &o->shifts[o->nshifts++];
	*s = (struct opp_shift){ .id = id, .starts_at = starts_at, .ends_at = ends_at, .capacity = capacity,
				 .role = xstrdup(role ? role : ""), .skill = skill && *skill ? xstrdup(skill) : NULL };
	return s;
}

struct opp_shift *opportunity_find_shift(struct opportunity *o, int64_t id)
{
	for (int i = 0; i < o->nshifts; i++)
		if (o->shifts[i].id == id)
			return &o->shifts[i];
	return NULL;
}

void opportunity_default_shift(struct opportunity *o, int capacity)
{
	if (o->nshifts > 0)
		return;
	if (o->kind && strcmp(o->kind, "consultation") == 0)
		capacity = 1;
	opportunity_add_shift(o, 0, o->starts_at, o->ends_at, capacity, "", NULL);
}

/* ---- errors ---- */

void opp_error(struct opp_errors *errs, const char *field, const char *reason)
{
	if (opp_error_for(errs, field) || errs->n >= OPP_ERRORS_MAX)
		return;
	snprintf(errs->e[errs->n].field, sizeof errs->e[errs->n].field, "%s", field);
	errs->e[errs->n].reason = reason;
	errs->n++;
}

const char *opp_error_for(const struct opp_errors *errs, const char *field)
{
	for (int i = 0; i < errs->n; i++)
		if (strcmp(errs->e[i].field, field) == 0)
			return errs->e[i].reason;
	return NULL;
}

/* ---- names ---- */

static int index_of(const char *const *list, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(list[i], s) == 0)
			return i;
	return -1;
}

bool opportunity_kind_valid(const char *kind) { return index_of(opportunity_kinds, 4, kind) >= 0; }
bool opportunity_domain_valid(const char *domain) { return index_of(domains, 6, domain) >= 0; }

const char *opportunity_kind_label(const char *kind)
{
	int i = index_of(opportunity_kinds, 4, kind);
	return i < 0 ? NULL : kind_labels[i];
}

const char *opportunity_status_label(const char *status)
{
	int i = index_of(opportunity_statuses, 5, status);
	return i < 0 ? NULL : status_labels[i];
}

bool opportunity_slug_valid(const char *slug)
{
	size_t n = slug ? strlen(slug) : 0;
	if (n == 0 || n > OPP_SLUG_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)slug[i]) || isdigit((unsigned char)slug[i]) || slug[i] == '-'))
			return false;
	return true;
}

/* ---- validation ---- */

/* check_text: at most `max` characters of plain text (newlines only where allowed). */
static void check_text(struct opp_errors *errs, const char *field, const char *value, long max, bool newlines,
		       const char *too_long)
{
	long len = profile_utf8_length(value ? value : "", newlines);
	if (len < 0)
		opp_error(errs, field, N_("Use plain text, without control characters."));
	else if (len > max)
		opp_error(errs, field, too_long);
}

static void check_shifts(const struct opportunity *o, struct opp_errors *errs)
{
	if (o->nshifts > OPP_SHIFTS_MAX) {
		opp_error(errs, "shifts", N_("An opportunity has at most 50 shifts."));
		return;
	}
	bool span_ok = o->ends_at > o->starts_at;
	for (int i = 0; i < o->nshifts; i++) {
		const struct opp_shift *s = &o->shifts[i];
		if (s->ends_at <= s->starts_at)
			opp_error(errs, "shifts", N_("Each shift must end after it starts."));
		else if (span_ok && (s->starts_at < o->starts_at || s->ends_at > o->ends_at))
			opp_error(errs, "shifts", N_("Each shift must lie within the opportunity's dates."));
		else if (s->capacity < 1 || s->capacity > OPP_CAPACITY_MAX)
			opp_error(errs, "shifts", N_("Each shift needs between 1 and 10,000 places."));
		else if (s->capacity < s->taken)
			opp_error(errs, "shifts", N_("A shift cannot have fewer places than people already accepted."));
		else if (profile_utf8_length(s->role, false) < 0 || profile_utf8_length(s->role, false) > OPP_ROLE_MAX)
			opp_error(errs, "shifts", N_("A shift's role is plain text of at most 80 characters."));
		else if (s->skill && !opportunity_slug_valid(s->skill))
			opp_error(errs, "shifts", N_("Choose each shift's skill from the list."));
	}
}

bool opportunity_validate(const struct opportunity *o, struct opp_errors *errs)
{
	int before = errs->n;
	if (!opportunity_kind_valid(o->kind))
		opp_error(errs, "kind", N_("Choose a consultation, a project, a campaign or a workshop."));
	if (!opportunity_domain_valid(o->domain))
		opp_error(errs, "domain", N_("Choose one of the six domains."));
	long title = profile_utf8_length(o->title, false);
	if (title < 0)
		opp_error(errs, "title", N_("Use plain text, without control characters."));
	else if (title < OPP_TITLE_MIN || title > OPP_TITLE_MAX)
		opp_error(errs, "title", N_("Give a title of 3 to 160 characters."));
	check_text(errs, "description", o->description, OPP_DESCRIPTION_MAX, true,
		   N_("The description is limited to 5,000 characters."));
	check_text(errs, "city", o->city, OPP_CITY_MAX, false, N_("The city is limited to 80 characters."));
	check_text(errs, "address", o->address, OPP_ADDRESS_MAX, false, N_("The address is limited to 300 characters."));
	if (o->has_coords) {
		if (!isfinite(o->lat) || o->lat < -90 || o->lat > 90)
			opp_error(errs, "lat", N_("The latitude must lie between -90 and 90."));
		if (!isfinite(o->lon) || o->lon < -180 || o->lon > 180)
			opp_error(errs, "lon", N_("The longitude must lie between -180 and 180."));
	}
	if (!o->remote && !*o->city && !o->has_coords)
		opp_error(errs, "city", N_("An on-site opportunity needs a city or a place on the map."));
	if (o->ends_at <= o->starts_at)
		opp_error(errs, "ends_at", N_("The end must come after the start."));
	if (o->expected_beneficiaries < 0 || o->expected_beneficiaries > OPP_BENEFICIARIES_MAX)
		opp_error(errs, "expected_beneficiaries", N_("Give a number between 0 and 1,000,000."));
	if (o->nskills > OPP_SKILLS_MAX)
		opp_error(errs, "skills", N_("Choose at most 20 skills."));
	for (int i = 0; i < o->nskills; i++)
		if (!opportunity_slug_valid(o->skills[i]))
			opp_error(errs, "skills", N_("Choose skills from the list."));
	check_shifts(o, errs);
	return errs->n == before;
}

/* ---- status ---- */

bool opportunity_action_parse(const char *name, enum opp_action *out)
{
	static const char *const names[] = { "publish", "close", "complete", "cancel" };
	int i = index_of(names, 4, name);
	if (i < 0)
		return false;
	*out = (enum opp_action)i;
	return true;
}

const char *opportunity_transition(const char *from, enum opp_action action)
{
	bool draft = from && strcmp(from, "draft") == 0, open = from && strcmp(from, "open") == 0,
	     closed = from && strcmp(from, "closed") == 0;
	switch (action) {
	case OPP_PUBLISH:
		return draft || closed ? "open" : NULL;
	case OPP_CLOSE:
		return open ? "closed" : NULL;
	case OPP_COMPLETE:
		return open || closed ? "completed" : NULL;
	case OPP_CANCEL:
		return draft || open || closed ? "cancelled" : NULL;
	}
	return NULL;
}

bool opportunity_is_public(const char *status)
{
	return index_of(opportunity_statuses, 5, status) > 0;
}

/* ---- search helpers ---- */

double opportunity_distance_km(double lat1, double lon1, double lat2, double lon2)
{
	const double rad = M_PI / 180.0;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double a = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
	return 2 * 6371.0 * atan2(sqrt(a), sqrt(1 - a));
}

/* contains_ci: needle (n bytes) occurs in haystack, ASCII case ignored. */
static bool contains_ci(const char *haystack, const char *needle, size_t n)
{
	for (const char *h = haystack; *h; h++) {
		size_t i = 0;
		while (i < n && h[i] && tolower((unsigned char)h[i]) == tolower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return true;
	}
	return false;
}

bool opportunity_text_matches(const char *q, const char *title, const char *description)
{
	const char *p = q ? q : "";
	for (;;) {
		while (*p && isspace((unsigned char)*p))
			p++;
		if (!*p)
			return true;
		size_t n = 0;
		while (p[n] && !isspace((unsigned char)p[n]))
			n++;
		if (!contains_ci(title, p, n) && !contains_ci(description, p, n))
			return false;
		p += n;
	}
}

void opportunity_cursor_encode(int64_t starts_at, int64_t id, char out[OPP_CURSOR_MAX])
{
	char plain[48];
	int n = snprintf(plain, sizeof plain, "%" PRId64 ":%" PRId64, starts_at, id);
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < n; i++) {
		out[2 * i] = hex[(unsigned char)plain[i] >> 4];
		out[2 * i + 1] = hex[(unsigned char)plain[i] & 15];
	}
	out[2 * n] = '\0';
}

bool opportunity_cursor_decode(const char *s, int64_t *starts_at, int64_t *id)
{
	size_t len = s ? strlen(s) : 0;
	if (len == 0 || len % 2 || len >= OPP_CURSOR_MAX)
		return false;
	char plain[OPP_CURSOR_MAX / 2 + 1];
	for (size_t i = 0; i < len / 2; i++) {
		int v = 0;
		for (int k = 0; k < 2; k++) {
			char c = s[2 * i + (size_t)k];
			int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
			if (d < 0)
				return false;
			v = v * 16 + d;
		}
		plain[i] = (char)v;
	}
	plain[len / 2] = '\0';
	long long a, b;
	int used = 0;
	if (sscanf(plain, "%lld:%lld%n", &a, &b, &used) != 2 || (size_t)used != len / 2 || b <= 0)
		return false;
	*starts_at = a;
	*id = b;
	return true;
}
