/*
 * api_calendar.h — a person's calendar over JSON (routes section "calendar"),
 * and what the calendar page and the iCalendar feed share with it: the text
 * of an event in a language, its link and UID, and making a feed token.
 */
#ifndef KHIBRA_API_CALENDAR_H
#define KHIBRA_API_CALENDAR_H

#include "auth/secret.h"
#include "http/request.h"
#include "store/calendar.h"

#define CALENDAR_DAY 86400
#define CALENDAR_CANCELLED_DAYS 30   /* cancelled events stay this long, so apps remove them */
#define CALENDAR_API_DEFAULT_DAYS 90
#define CALENDAR_API_MAX_DAYS 400
#define CALENDAR_FEED_PAST_DAYS 30
#define CALENDAR_FEED_AHEAD_DAYS 365

void api_calendar_get(request *r);          /* GET /me/calendar?from=&to= */
void api_calendar_feed_create(request *r);  /* POST /me/calendar/feed */
void api_calendar_feed_delete(request *r);  /* DELETE /me/calendar/feed */

/* calendar_event_title: the event's title in `lang`: the opportunity's title
 * (with " — role" when with_role and the shift has one), or a neutral
 * "Consultation session" — never a help request's own words. */
void calendar_event_title(enum lang lang, const struct calendar_event *e, bool with_role, buf *out);
/* calendar_event_location: "Remote" / the city and address / the session's mode. */
void calendar_event_location(enum lang lang, const struct calendar_event *e, buf *out);
/* calendar_event_org: the organisation's name in `lang` ("" for sessions). */
const char *calendar_event_org(enum lang lang, const struct calendar_event *e);
/* calendar_event_link: "/opportunities/ID" or "/requests/ID" (out ≥ 48 bytes). */
void calendar_event_link(const struct calendar_event *e, char *out, size_t outlen);
/* calendar_event_uid: the stable UID, "shift-<application>@host" or
 * "session-<request>@host" (out ≥ ICAL_UID_MAX bytes). */
void calendar_event_uid(request *r, const struct calendar_event *e, char *out, size_t outlen);

/* calendar_feed_create: a new feed token for the caller (replacing any
 * other), written to the audit log; false on a store error. */
bool calendar_feed_create(request *r, char token[SECRET_TOKEN_SIZE]);
/* calendar_public_url: the configured base of absolute links ("" when none). */
const char *calendar_public_url(request *r);
/* calendar_absolute_url: public_url (without a trailing '/') + path. */
void calendar_absolute_url(request *r, const char *path, buf *out);
/* calendar_feed_url: the feed's absolute address, public_url/calendar/TOKEN.ics. */
void calendar_feed_url(request *r, const char *token, buf *out);

#endif
