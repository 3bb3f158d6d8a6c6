/*
 * calendar.h — a person's calendar in the store (calendar.c): the shifts of
 * their accepted applications and the help-request sessions booked for them,
 * and the private iCalendar feed's token.
 *
 * Privacy: a help-request session carries no text of the request (its title
 * is seen only by the request's circle, and a feed address may travel): only
 * its id, times, mode and status.
 *
 * Conventions are store.h's.
 */
#ifndef KHIBRA_STORE_CALENDAR_H
#define KHIBRA_STORE_CALENDAR_H

#include "store/store.h"

#include <stdbool.h>
#include <stdint.h>

#define CALENDAR_MAX_EVENTS 500  /* events of one answer, at most */

enum calendar_kind { CAL_SHIFT, CAL_SESSION };

struct calendar_event {
	enum calendar_kind kind;
	int64_t id;             /* the application (shift) or help request (session) */
	int64_t link_id;        /* the opportunity (shift) or help request (session) */
	char *title;            /* the opportunity's title; "" for sessions */
	char *role;             /* the shift's role; "" */
	char *org_name;         /* the organisation's name (Arabic / as registered); "" for sessions */
	char *org_name_en;      /* its English name; "" when none */
	char *city_ar, *city_en; /* the city's names when it is a known city, else its text twice */
	char *address;          /* "" when none */
	bool remote;            /* remote opportunity, or a video / phone session */
	char mode[12];          /* sessions: "video", "phone", "in_person" */
	int64_t starts_at, ends_at;
	int sequence;           /* grows with every change (from updated_at) */
	bool cancelled;         /* the application or the opportunity was cancelled */
};
void calendar_events_free(struct calendar_event *list, int count);

/* store_calendar_events: the person's events whose time meets [from, to),
 * soonest first, at most CALENDAR_MAX_EVENTS: shifts of applications that are
 * accepted or completed, sessions of help requests where they are the
 * requester or the assigned specialist; and, marked cancelled, shifts whose
 * application or opportunity was cancelled at or after `cancelled_since`.
 * The array is owned by the caller (calendar_events_free). */
int store_calendar_events(db_conn *c, int64_t user_id, int64_t from, int64_t to, int64_t cancelled_since,
			  struct calendar_event **out, int *count);

/* ---- the private feed ---- */
/* store_calendar_feed_set: the person's feed token is now this one (the
 * previous one, if any, stops working). */
int store_calendar_feed_set(db_conn *c, int64_t user_id, const char *token_hash, int64_t now);
/* store_calendar_feed_delete: stop the person's feed; STORE_NOT_FOUND when
 * there was none. */
int store_calendar_feed_delete(db_conn *c, int64_t user_id);
/* store_calendar_feed_get: when the person's live feed was made;
 * STORE_NOT_FOUND when they have none. */
int store_calendar_feed_get(db_conn *c, int64_t user_id, int64_t *created_at);
/* store_calendar_feed_find: the owner of a feed token and their language
 * ("ar"/"en", locale ≥ 8 bytes); STORE_NOT_FOUND for an unknown token or an
 * erased person. */
int store_calendar_feed_find(db_conn *c, const char *token_hash, int64_t *user_id, char *locale, size_t localelen);

#endif
