/*
 * ical.c — a person's events as iCalendar text, built with libical (see
 * ical.h for the rules the output keeps).
 *
 * libical escapes TEXT values (commas, semicolons, backslashes, newlines) and
 * folds long lines without splitting a UTF-8 character; what it does not do
 * is refuse bytes a calendar app would choke on, so every text goes through
 * ical_clean_text first.
 */
#include "domain/ical.h"

#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utf8.h>

#define ICAL_PRODID "-//Khibra//Khibra//AR"
#define ICAL_TIME_MAX INT64_C(253402300799) /* 9999-12-31T23:59:59Z */

static void *ical_alloc(size_t n)
{
	void *p = malloc(n);
	if (!p)
		abort();
	return p;
}

char *ical_clean_text(const char *s)
{
	if (!s)
		s = "";
	size_t len = strlen(s);
	/* At worst every byte becomes U+FFFD (3 bytes). */
	char *out = ical_alloc((len < ICAL_TEXT_MAX ? len : ICAL_TEXT_MAX) * 3 + 4);
	size_t o = 0;
	const uint8_t *p = (const uint8_t *)s;
	if (len > INT32_MAX)
		len = INT32_MAX;
	int32_t i = 0;
	while (i < (int32_t)len) {
		int32_t at = i;
		UChar32 cp;
		U8_NEXT(p, i, (int32_t)len, cp); /* negative for ill-formed UTF-8 */
		const char *piece = (const char *)p + at;
		size_t plen = (size_t)(i - at);
		if (cp < 0) {
			piece = "\xEF\xBF\xBD", plen = 3; /* U+FFFD for the ill-formed bytes */
		} else if (cp == '\t') {
			piece = " ", plen = 1;
		} else if ((cp < 0x20 && cp != '\n') || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
			plen = 0; /* control characters go */
		}
		if (o + plen > ICAL_TEXT_MAX)
			break;
		memcpy(out + o, piece, plen);
		o += plen;
	}
	/* Spaces and new lines at either end go: a value of spaces alone would
	 * not parse back. */
	while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '\n'))
		o--;
	out[o] = '\0';
	size_t lead = strspn(out, " \n");
	if (lead)
		memmove(out, out + lead, o - lead + 1);
	return out;
}

/* clean_uri: a URI keeps only printable ASCII without spaces (it is not
 * escaped by libical, being of type URI). */
static char *clean_uri(const char *s)
{
	size_t len = strlen(s);
	if (len > ICAL_TEXT_MAX)
		len = ICAL_TEXT_MAX;
	char *out = ical_alloc(len + 1);
	size_t o = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] > 0x20 && s[i] < 0x7F)
			out[o++] = s[i];
	out[o] = '\0';
	return out;
}

static icaltimetype utc_time(int64_t t)
{
	if (t < 0)
		t = 0;
	if (t > ICAL_TIME_MAX)
		t = ICAL_TIME_MAX;
	return icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
}

/* add_text: a TEXT property (made by `make` from the cleaned value), with a
 * LANGUAGE parameter when lang is given. */
static void add_text(icalcomponent *comp, icalproperty *(*make)(const char *), const char *value, const char *lang)
{
	char *clean = ical_clean_text(value);
	if (*clean) { /* an empty value would not parse back: leave the property out */
		icalproperty *prop = make(clean);
		if (lang && *lang)
			icalproperty_add_parameter(prop, icalparameter_new_language(lang));
		icalcomponent_add_property(comp, prop);
	}
	free(clean);
}

/* add_x: an X- property holding text.  libical writes X- values as they
 * are, unescaped, so the characters that would need escaping become spaces. */
static void add_x(icalcomponent *comp, const char *name, const char *value)
{
	char *clean = ical_clean_text(value);
	for (char *p = clean; *p; p++)
		if (*p == '\n' || *p == ',' || *p == ';' || *p == '\\')
			*p = ' ';
	icalproperty *prop = icalproperty_new_x(*clean ? clean : "Khibra");
	icalproperty_set_x_name(prop, name);
	icalcomponent_add_property(comp, prop);
	free(clean);
}

static icalcomponent *vevent(const struct ical_calendar *cal, const struct ical_event *e, size_t index)
{
	icalcomponent *ev = icalcomponent_new_vevent();
	char *uid = ical_clean_text(e->uid);
	if (*uid) {
		icalcomponent_add_property(ev, icalproperty_new_uid(uid));
	} else { /* a UID is required; the callers always give one */
		char fallback[64];
		snprintf(fallback, sizeof fallback, "event-%zu@khibra", index);
		icalcomponent_add_property(ev, icalproperty_new_uid(fallback));
	}
	free(uid);
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc_time(cal->now)));
	icalcomponent_add_property(ev, icalproperty_new_dtstart(utc_time(e->starts_at)));
	if (e->ends_at > e->starts_at)
		icalcomponent_add_property(ev, icalproperty_new_dtend(utc_time(e->ends_at)));
	icalcomponent_add_property(ev, icalproperty_new_sequence(e->sequence > 0 ? e->sequence : 0));
	icalcomponent_add_property(ev, icalproperty_new_status(e->cancelled ? ICAL_STATUS_CANCELLED
									   : ICAL_STATUS_CONFIRMED));
	add_text(ev, icalproperty_new_summary, e->summary, cal->lang);
	add_text(ev, icalproperty_new_location, e->location, cal->lang);
	add_text(ev, icalproperty_new_description, e->description, cal->lang);
	if (e->url && *e->url) {
		char *uri = clean_uri(e->url);
		if (*uri)
			icalcomponent_add_property(ev, icalproperty_new_url(uri));
		free(uri);
	}
	return ev;
}

char *ical_render(const struct ical_calendar *cal, const struct ical_event *events, size_t count)
{
	icalcomponent *root = icalcomponent_new_vcalendar();
	icalcomponent_add_property(root, icalproperty_new_prodid(ICAL_PRODID));
	icalcomponent_add_property(root, icalproperty_new_version("2.0"));
	icalcomponent_add_property(root, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(root, icalproperty_new_method(ICAL_METHOD_PUBLISH));
	add_x(root, "X-WR-CALNAME", cal->name && *cal->name ? cal->name : "Khibra");
	add_x(root, "X-WR-TIMEZONE", "Asia/Riyadh");
	for (size_t i = 0; i < count; i++)
		icalcomponent_add_component(root, vevent(cal, &events[i], i));
	char *text = icalcomponent_as_ical_string_r(root);
	icalcomponent_free(root);
	if (!text)
		abort();
	/* libical's buffer comes from malloc(); hand back our own copy anyway so
	 * that free() is right whatever allocator libical was built with. */
	size_t len = strlen(text);
	char *out = ical_alloc(len + 1);
	memcpy(out, text, len + 1);
	icalmemory_free_buffer(text);
	return out;
}

void ical_uid(const char *kind, int64_t id, const char *public_url, char *out, size_t outlen)
{
	char host[128] = "";
	const char *s = public_url ? public_url : "";
	const char *scheme = strstr(s, "://");
	if (scheme)
		s = scheme + 3;
	size_t n = strcspn(s, "/?#");
	const char *at = memchr(s, '@', n);
	if (at) {
		n -= (size_t)(at + 1 - s);
		s = at + 1;
	}
	if (n > 0 && s[0] == '[') {             /* [::1]:8080 */
		const char *close = memchr(s, ']', n);
		n = close ? (size_t)(close - s) + 1 : n;
	} else {
		const char *colon = memchr(s, ':', n);
		if (colon)
			n = (size_t)(colon - s);
	}
	if (n >= sizeof host)
		n = sizeof host - 1;
	memcpy(host, s, n);
	host[n] = '\0';
	snprintf(out, outlen, "%s-%lld@%s", kind, (long long)id, *host ? host : "khibra");
}
