/*
 * profile.c — the rules of a specialist's profile (profile.h).  Pure: no I/O.
 */
#include "domain/profile.h"
#include "domain/opportunity.h"
#include "core/xalloc.h"
#include "i18n/i18n.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utf8.h>

const char *const specialist_profile_domains[6] = { "health", "education", "law", "engineering", "technology", "arts_media" };

static const char *const domain_labels[6] = {
	N_("Health"), N_("Education and training"), N_("Law"),
	N_("Engineering and design"), N_("Technology"), N_("Arts and media"),
};

const struct profile_language specialist_profile_languages[PROFILE_LANGUAGES_MAX] = {
	{ "ar", "العربية" }, { "en", "English" }, { "fr", "Français" }, { "ur", "اردو" },
	{ "hi", "हिन्दी" }, { "bn", "বাংলা" }, { "tl", "Tagalog" }, { "id", "Bahasa Indonesia" },
	{ "fa", "فارسی" }, { "tr", "Türkçe" }, { "so", "Soomaali" }, { "am", "አማርኛ" },
	{ "sw", "Kiswahili" },
};

static const char *const weekday_labels[7] = {
	N_("Sunday"), N_("Monday"), N_("Tuesday"), N_("Wednesday"),
	N_("Thursday"), N_("Friday"), N_("Saturday"),
};

void specialist_profile_init(struct profile *p)
{
	memset(p, 0, sizeof *p);
	p->headline = xstrdup("");
	p->bio = xstrdup("");
	p->remote = true;
	p->onsite = false;
	strcpy(p->languages[0], "ar");
	p->nlanguages = 1;
	p->max_hours_month = 10;
	p->public = true;
}

void specialist_profile_free(struct profile *p)
{
	char **texts[] = { &p->name, &p->headline, &p->profession, &p->profession_ar, &p->profession_en,
			   &p->domain, &p->bio, &p->city, &p->city_ar, &p->city_en };
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		free(*texts[i]);
	for (int i = 0; i < p->nskills; i++) {
		free(p->skills[i].slug);
		free(p->skills[i].name_ar);
		free(p->skills[i].name_en);
	}
	free(p->skills);
	free(p->slots);
	memset(p, 0, sizeof *p);
}

void specialist_profile_set_text(char **field, const char *value)
{
	free(*field);
	*field = value ? xstrdup(value) : NULL;
}

void specialist_profile_add_skill(struct profile *p, const char *slug, int level)
{
	p->skills = xreallocarray(p->skills, (size_t)p->nskills + 1, sizeof *p->skills);
	p->skills[p->nskills++] = (struct profile_skill){ .slug = xstrdup(slug), .level = level };
}

void specialist_profile_add_slot(struct profile *p, int weekday, int start, int end)
{
	p->slots = xreallocarray(p->slots, (size_t)p->nslots + 1, sizeof *p->slots);
	p->slots[p->nslots++] = (struct profile_slot){ weekday, start, end };
}

bool specialist_profile_add_language(struct profile *p, const char *code)
{
	if (p->nlanguages >= PROFILE_LANGUAGES_MAX)
		return false;
	snprintf(p->languages[p->nlanguages++], sizeof p->languages[0], "%.3s", code);
	return true;
}

void specialist_profile_error(struct profile_errors *errs, const char *field, const char *reason)
{
	if (specialist_profile_error_for(errs, field) || errs->n >= PROFILE_ERRORS_MAX)
		return;
	snprintf(errs->e[errs->n].field, sizeof errs->e[0].field, "%s", field);
	errs->e[errs->n].reason = reason;
	errs->n++;
}

const char *specialist_profile_error_for(const struct profile_errors *errs, const char *field)
{
	for (int i = 0; i < errs->n; i++)
		if (strcmp(errs->e[i].field, field) == 0)
			return errs->e[i].reason;
	return NULL;
}

bool specialist_profile_domain_valid(const char *domain)
{
	return specialist_profile_domain_label(domain) != NULL;
}

const char *specialist_profile_domain_label(const char *domain)
{
	for (int i = 0; domain && i < 6; i++)
		if (strcmp(specialist_profile_domains[i], domain) == 0)
			return domain_labels[i];
	return NULL;
}

bool specialist_profile_language_known(const char *code)
{
	for (int i = 0; i < PROFILE_LANGUAGES_MAX; i++)
		if (strcmp(specialist_profile_languages[i].code, code) == 0)
			return true;
	return false;
}

const char *specialist_profile_weekday_label(int weekday)
{
	return weekday >= 0 && weekday <= 6 ? weekday_labels[weekday] : NULL;
}

int specialist_profile_parse_time(const char *s)
{
	if (!s || strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0');
	int m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

void specialist_profile_format_time(int minutes, char out[6])
{
	if (minutes < 0 || minutes > 1440)
		minutes = 0;
	snprintf(out, 6, "%02d:%02d", (minutes / 60) % 100, minutes % 60);
}

long profile_utf8_length(const char *s, bool allow_newlines)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t size = strlen(s);
	if (size > INT32_MAX)
		return -1;
	int32_t len = (int32_t)size, i = 0;
	long n = 0;
	while (i < len) {
		UChar32 c;
		U8_NEXT(p, i, len, c); /* negative for ill-formed UTF-8: overlong, surrogate, past U+10FFFF */
		if (c < 0 || (c < 0x20 && !(allow_newlines && (c == '\n' || c == '\r' || c == '\t'))) || c == 0x7f)
			return -1;
		n++;
	}
	return n;
}

/* check_text: a text field of at most `max` characters. */
static void check_text(const char *value, const char *field, long max, bool newlines, const char *too_long,
		       struct profile_errors *errs)
{
	long len = profile_utf8_length(value ? value : "", newlines);
	if (len < 0)
		specialist_profile_error(errs, field, N_("Use plain text, without control characters."));
	else if (len > max)
		specialist_profile_error(errs, field, too_long);
}

static void check_languages(const struct profile *p, struct profile_errors *errs)
{
	if (p->nlanguages == 0)
		specialist_profile_error(errs, "languages", N_("Choose at least one language."));
	for (int i = 0; i < p->nlanguages; i++) {
		if (!specialist_profile_language_known(p->languages[i]))
			specialist_profile_error(errs, "languages", N_("Choose languages from the list."));
		for (int j = 0; j < i; j++)
			if (strcmp(p->languages[i], p->languages[j]) == 0)
				specialist_profile_error(errs, "languages", N_("List each language once."));
	}
}

/* The messages name the limits; these keep them honest. */
_Static_assert(PROFILE_SKILLS_MAX == 30, "the messages say at most 30 skills");
_Static_assert(PROFILE_CITY_RADIUS_KM == 100, "the message says 100 km");

static void check_skills(const struct profile *p, struct profile_errors *errs)
{
	if (p->nskills > PROFILE_SKILLS_MAX)
		specialist_profile_error(errs, "skills", N_("Add at most 30 skills."));
	for (int i = 0; i < p->nskills; i++) {
		const struct profile_skill *s = &p->skills[i];
		if (!s->slug || !*s->slug || strlen(s->slug) > PROFILE_SLUG_MAX)
			specialist_profile_error(errs, "skills", N_("Choose skills from the list."));
		if (s->level < 1 || s->level > 5)
			specialist_profile_error(errs, "skills", N_("Give each skill a level from 1 to 5."));
		for (int j = 0; j < i && s->slug; j++)
			if (p->skills[j].slug && strcmp(s->slug, p->skills[j].slug) == 0)
				specialist_profile_error(errs, "skills", N_("List each skill once."));
	}
}

static int slot_order(const void *a, const void *b)
{
	const struct profile_slot *x = a, *y = b;
	if (x->weekday != y->weekday)
		return x->weekday - y->weekday;
	return x->start - y->start;
}

static void check_availability(const struct profile *p, struct profile_errors *errs)
{
	if (p->nslots > PROFILE_SLOTS_MAX) {
		specialist_profile_error(errs, "availability", N_("Add at most 21 time ranges."));
		return;
	}
	for (int i = 0; i < p->nslots; i++) {
		const struct profile_slot *s = &p->slots[i];
		if (s->weekday < 0 || s->weekday > 6)
			specialist_profile_error(errs, "availability", N_("Choose a day of the week."));
		else if (s->start < 0 || s->end < 0 || s->start > 1440 || s->end > 1440)
			specialist_profile_error(errs, "availability", N_("Enter times as HH:MM, for example 09:30."));
		else if (s->start >= s->end)
			specialist_profile_error(errs, "availability", N_("Each time range must end after it starts."));
	}
	if (specialist_profile_error_for(errs, "availability") || p->nslots < 2)
		return;
	/* Sorted by day and start, a range overlaps another of the same day
	 * exactly when it starts before its predecessor ends (touching is fine). */
	struct profile_slot sorted[PROFILE_SLOTS_MAX];
	memcpy(sorted, p->slots, (size_t)p->nslots * sizeof *sorted);
	qsort(sorted, (size_t)p->nslots, sizeof *sorted, slot_order);
	for (int i = 1; i < p->nslots; i++)
		if (sorted[i].weekday == sorted[i - 1].weekday && sorted[i].start < sorted[i - 1].end)
			specialist_profile_error(errs, "availability", N_("Time ranges on the same day must not overlap."));
}

static void check_place(const struct profile *p, struct profile_errors *errs)
{
	if (p->has_lat && (!isfinite(p->lat) || p->lat < -90 || p->lat > 90))
		specialist_profile_error(errs, "lat", N_("Latitude must be between -90 and 90."));
	if (p->has_lon && (!isfinite(p->lon) || p->lon < -180 || p->lon > 180))
		specialist_profile_error(errs, "lon", N_("Longitude must be between -180 and 180."));
	if (p->has_lat != p->has_lon)
		specialist_profile_error(errs, p->has_lat ? "lon" : "lat", N_("Give both latitude and longitude, or neither."));
	if (!p->remote && !p->onsite)
		specialist_profile_error(errs, "remote", N_("Choose remote, on-site or both."));
}

bool specialist_profile_validate(const struct profile *p, struct profile_errors *errs)
{
	int before = errs->n;
	check_text(p->headline, "headline", PROFILE_HEADLINE_MAX, false,
		   N_("Keep the headline to 120 characters."), errs);
	check_text(p->bio, "bio", PROFILE_BIO_MAX, true, N_("Keep the bio to 2000 characters."), errs);
	if (p->years_experience < 0 || p->years_experience > PROFILE_YEARS_MAX)
		specialist_profile_error(errs, "years_experience", N_("Enter a whole number of years from 0 to 70."));
	if (p->max_hours_month < 0 || p->max_hours_month > PROFILE_HOURS_MAX)
		specialist_profile_error(errs, "max_hours_month", N_("Enter a whole number of hours from 0 to 200."));
	if (p->domain && !specialist_profile_domain_valid(p->domain))
		specialist_profile_error(errs, "domain", N_("Choose one of the six domains."));
	check_languages(p, errs);
	check_skills(p, errs);
	check_availability(p, errs);
	check_place(p, errs);
	return errs->n == before;
}

void specialist_profile_match_domain(struct profile *p, const char *profession_domain, struct profile_errors *errs)
{
	if (!p->domain)
		specialist_profile_set_text(&p->domain, profession_domain);
	else if (!profession_domain || strcmp(p->domain, profession_domain) != 0)
		specialist_profile_error(errs, "domain",
					 N_("Your profession belongs to another domain. Choose its domain, or leave the domain empty."));
}

bool specialist_profile_near_city(const struct profile *p, double city_lat, double city_lon,
				  struct profile_errors *errs)
{
	if (!p->has_lat || !p->has_lon || !isfinite(p->lat) || !isfinite(p->lon))
		return true;
	if (opportunity_distance_km(p->lat, p->lon, city_lat, city_lon) <= PROFILE_CITY_RADIUS_KM)
		return true;
	const char *why = N_("These coordinates are more than 100 km from your city. Correct them, or leave them empty to use the city's.");
	specialist_profile_error(errs, "lat", why);
	specialist_profile_error(errs, "lon", why);
	return false;
}
