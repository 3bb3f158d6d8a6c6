/*
 * booking.h — the rules of applications and booking, as pure functions (no
 * I/O): who may move an application from which status to which, whether two
 * time ranges overlap, and how a month's booked minutes are counted against
 * a specialist's monthly hour cap.  store/applications.c applies them inside
 * its transactions; tests/unit/booking_test.c checks them.
 *
 * The state diagram (0010_opportunities.sql):
 *   invited    → accepted (the person accepts, capacity-checked) | declined
 *   applied    → accepted | declined | waitlisted (the organisation) | withdrawn
 *   waitlisted → offered (a place freed; the offer holds it) | declined | withdrawn
 *   offered    → accepted (the person confirms: the place is already theirs,
 *                only overlap, hour cap and licence are checked) | declined
 *                (by the person, or by the platform when the offer expires
 *                after BOOKING_OFFER_HOLD_SECONDS; the place passes on)
 *   accepted   → completed | no_show (the organisation) | withdrawn (frees the place)
 *   no_show    → no_show, with the person's contest recorded
 * Check-in keeps an accepted application accepted and stamps it.
 */
#ifndef KHIBRA_BOOKING_H
#define KHIBRA_BOOKING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum app_status {
	APP_INVITED, APP_APPLIED, APP_ACCEPTED, APP_DECLINED, APP_WITHDRAWN,
	APP_WAITLISTED, APP_OFFERED, APP_COMPLETED, APP_NO_SHOW, APP_CANCELLED,
	APP_STATUS_COUNT
};

/* What someone does to an existing application (applying and inviting create one). */
enum app_action {
	ACT_ACCEPT, ACT_DECLINE, ACT_WITHDRAW, ACT_WAITLIST, ACT_COMPLETE,
	ACT_NO_SHOW, ACT_CONTEST, ACT_CHECKIN, ACT_OFFER, ACT_EXPIRE,
	ACT_COUNT
};

enum app_actor {
	ACTOR_SPECIALIST,   /* the applicant */
	ACTOR_ORG,          /* a member of the opportunity's organisation */
	ACTOR_SYSTEM,       /* the platform itself (waiting-list offers) */
};

/* Names as stored and as in the API ("applied", "no_show"); NULL / false when unknown. */
const char *booking_status_name(enum app_status s);
bool booking_status_parse(const char *name, enum app_status *out);
/* Action names as in the URLs: "accept", "decline", "withdraw", "waitlist",
 * "complete", "no-show", "contest", "checkin" ("offer" and "expire" are the
 * system's only). */
const char *booking_action_name(enum app_action a);
bool booking_action_parse(const char *name, enum app_action *out);

/* booking_transition: may `actor` do `action` to an application in `from`?
 * If so, true with the new status in *to. */
bool booking_transition(enum app_status from, enum app_actor actor, enum app_action action,
			enum app_status *to);
/* booking_actor_may: is `action` ever `actor`'s to do (in some status)?  Tells
 * "wrong state" (409) from "not yours to do" (403). */
bool booking_actor_may(enum app_actor actor, enum app_action action);
/* booking_takes_place / booking_frees_place: does this move add / remove one
 * from the shift's taken count? */
bool booking_takes_place(enum app_status from, enum app_status to);
bool booking_frees_place(enum app_status from, enum app_status to);
/* booking_place_delta: how this move changes the shift's `taken`: +1, -1
 * or 0.  `taken` counts accepted places AND offered ones: an offer holds its
 * place until it is confirmed (offered → accepted: 0, the place is already
 * held), declined or expired (-1, the place passes on).  Becoming accepted
 * from invited or applied takes a place (+1), as does being offered one;
 * withdrawing an accepted application frees it (-1). */
int booking_place_delta(enum app_status from, enum app_status to);

/* booking_overlaps: do [a_start, a_end) and [b_start, b_end) share a moment?
 * Back-to-back ranges ([a,b) and [b,c)) do not. */
bool booking_overlaps(int64_t a_start, int64_t a_end, int64_t b_start, int64_t b_end);

/* booking_month_of: the calendar month (year * 12 + month - 1) of Unix time t
 * in Asia/Riyadh (UTC+3 all year, no daylight saving). */
int booking_month_of(int64_t t);

struct booking_span { int64_t starts_at, ends_at; };
/* booking_month_minutes: the minutes of the spans whose START falls in
 * `month` (booking_month_of); a span is counted wholly in its start month. */
int64_t booking_month_minutes(const struct booking_span *spans, int n, int month);
/* booking_within_cap: do `booked` minutes plus `extra` stay within
 * max_hours hours? */
bool booking_within_cap(int64_t booked_minutes, int64_t extra_minutes, int max_hours);

/* booking_format_time: Unix seconds as RFC 3339 in Asia/Riyadh,
 * "2026-11-25T18:00:00+03:00", into out (at least 26 bytes). */
void booking_format_time(int64_t t, char *out, size_t size);

#define BOOKING_DEFAULT_MAX_HOURS 10   /* specialist_profiles.max_hours_month default */
#define BOOKING_RIYADH_OFFSET (3 * 3600)
/* How long a waiting-list offer holds its place before it expires. */
#define BOOKING_OFFER_HOLD_SECONDS (48 * 3600)

/* application_status_label: the msgid naming an application's status
 * ("Place offered" for offered, …); the status itself when unknown. */
const char *application_status_label(const char *status);

#endif
