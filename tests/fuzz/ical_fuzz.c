// fuzz-sources: src/domain/ical.c
// fuzz-libs: libical
/*
 * ical_fuzz.c — libFuzzer target for ical_render (domain/ical.h), the
 * iCalendar output of the private calendar feed.
 * The input is split on 0x00 bytes into fields; each group of five fields
 * (summary, location, description, url, uid) plus eight bytes of times makes
 * one event, so titles and places hold arbitrary bytes — bad UTF-8, control
 * characters, commas, semicolons, backslashes, long Arabic runs.
 * Checked besides "no crash, no leak, no undefined behaviour": the output
 * parses back with libical as one VCALENDAR holding exactly as many VEVENTs
 * as were given, each with a DTSTART in UTC.
 */
#include "domain/ical.h"

#include <libical/ical.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EVENTS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* next_field: the bytes up to the next NUL (or the end) as a new string. */
static char *next_field(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *start = *p, *stop = memchr(start, 0, (size_t)(end - start));
	if (!stop)
		stop = end;
	size_t n = (size_t)(stop - start);
	char *s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, start, n);
	s[n] = '\0';
	*p = stop < end ? stop + 1 : end;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ical_event events[MAX_EVENTS];
	char *strings[MAX_EVENTS * 5 + 1];
	int nstrings = 0;
	size_t n = 0;
	const uint8_t *p = data, *end = data + size;
	strings[nstrings++] = next_field(&p, end); /* the calendar's name */
	while (p < end && n < MAX_EVENTS) {
		char **f = &strings[nstrings];
		for (int k = 0; k < 5; k++)
			strings[nstrings++] = next_field(&p, end);
		uint32_t start = 0, length = 0;
		for (int k = 0; k < 4 && p < end; k++)
			start = start << 8 | *p++;
		for (int k = 0; k < 4 && p < end; k++)
			length = length << 8 | *p++;
		events[n++] = (struct ical_event){ .summary = f[0], .location = f[1], .description = f[2], .url = f[3],
						   .uid = f[4], .starts_at = (int64_t)start * 2,
						   .ends_at = (int64_t)start * 2 + (int32_t)length,
						   .sequence = (int)(length & 0xFFFF), .cancelled = length & 1 };
	}
	struct ical_calendar cal = { .name = strings[0], .lang = size % 2 ? "ar" : "en", .now = 1796360400 };
	char *text = ical_render(&cal, events, n);
	icalcomponent *root = icalparser_parse_string(text);
	if (!root || icalcomponent_isa(root) != ICAL_VCALENDAR_COMPONENT)
		abort();
	if ((size_t)icalcomponent_count_components(root, ICAL_VEVENT_COMPONENT) != n)
		abort();
	for (icalcomponent *ev = icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT); ev;
	     ev = icalcomponent_get_next_component(root, ICAL_VEVENT_COMPONENT)) {
		if (icalcomponent_get_first_property(ev, ICAL_XLICERROR_PROPERTY))
			abort();
		if (!icaltime_is_utc(icalcomponent_get_dtstart(ev)))
			abort();
	}
	icalcomponent_free(root);
	free(text);
	for (int i = 0; i < nstrings; i++)
		free(strings[i]);
	return 0;
}
