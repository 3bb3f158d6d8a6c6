/*
 * ical.h — a person's events as an iCalendar (RFC 5545) document, built with
 * libical.  Pure: no I/O, no database, no translation; the callers hand in
 * text already in the reader's language.
 *
 * Rules the output keeps, so that calendar apps subscribing to the feed
 * behave:
 *  - every VEVENT has a UID that the caller makes stable (ical_uid), so an
 *    app replaces an event on refresh instead of adding a duplicate;
 *  - DTSTART, DTEND and DTSTAMP are written in UTC ("…Z"): no TZID that
 *    would need a VTIMEZONE; X-WR-TIMEZONE tells apps to show Asia/Riyadh;
 *  - text is cleaned before libical escapes it: invalid UTF-8 becomes
 *    U+FFFD, control characters other than newline are dropped, tabs
 *    become spaces, spaces and new lines at either end are trimmed, and
 *    each field is cut (on a character boundary) at ICAL_TEXT_MAX bytes.
 */
#ifndef KHIBRA_ICAL_H
#define KHIBRA_ICAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ICAL_TEXT_MAX 2000  /* bytes kept of one text field */
#define ICAL_UID_MAX  200   /* bytes of a UID buffer */

/* One event.  Strings are borrowed; any may be NULL or empty: the property
 * is then left out (an empty UID becomes "event-N@khibra": one is required). */
struct ical_event {
	const char *uid;
	const char *summary;
	const char *location;
	const char *description;
	const char *url;
	int64_t starts_at, ends_at;  /* Unix seconds */
	int sequence;                /* grows when the event changes */
	bool cancelled;              /* STATUS:CANCELLED, else CONFIRMED */
};

/* The calendar around the events. */
struct ical_calendar {
	const char *name;     /* X-WR-CALNAME */
	const char *lang;     /* "ar" / "en": LANGUAGE of the text properties */
	int64_t now;          /* DTSTAMP of every event */
};

/* ical_render: the VCALENDAR (PRODID "-//Khibra//Khibra//AR", VERSION 2.0,
 * CALSCALE GREGORIAN, METHOD PUBLISH) with one VEVENT per event, as
 * NUL-terminated text the caller frees with free().  Aborts if memory runs
 * out; never returns NULL. */
char *ical_render(const struct ical_calendar *cal, const struct ical_event *events, size_t count);

/* ical_uid: "KIND-ID@HOST" into out, HOST being the host of public_url
 * ("https://khibra.example:8443/x" → "khibra.example"), or "khibra" when
 * there is none. */
void ical_uid(const char *kind, int64_t id, const char *public_url, char *out, size_t outlen);

/* ical_clean_text: the cleaning described above, into a new string the
 * caller frees (exposed for the tests). */
char *ical_clean_text(const char *s);

#endif
