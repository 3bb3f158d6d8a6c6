/*
 * booking.c — the application state machine, overlaps and monthly hour sums
 * (booking.h).  Pure: no I/O, no clock.
 */
#include "domain/booking.h"
#include "core/timefmt.h"
#include "i18n/i18n.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const status_names[APP_STATUS_COUNT] = {
	"invited", "applied", "accepted", "declined", "withdrawn",
	"waitlisted", "offered", "completed", "no_show", "cancelled",
};

static const char *const action_names[ACT_COUNT] = {
	"accept", "decline", "withdraw", "waitlist", "complete",
	"no-show", "contest", "checkin", "offer", "expire",
};

const char *booking_status_name(enum app_status s)
{
	return (unsigned)s < APP_STATUS_COUNT ? status_names[s] : NULL;
}

bool booking_status_parse(const char *name, enum app_status *out)
{
	for (int i = 0; name && i < APP_STATUS_COUNT; i++)
		if (strcmp(name, status_names[i]) == 0) {
			*out = (enum app_status)i;
			return true;
		}
	return false;
}

const char *booking_action_name(enum app_action a)
{
	return (unsigned)a < ACT_COUNT ? action_names[a] : NULL;
}

bool booking_action_parse(const char *name, enum app_action *out)
{
	for (int i = 0; name && i < ACT_COUNT; i++)
		if (strcmp(name, action_names[i]) == 0) {
			*out = (enum app_action)i;
			return true;
		}
	return false;
}

/* The whole diagram as data: one row per allowed move. */
static const struct move {
	enum app_actor actor;
	enum app_action action;
	enum app_status from, to;
} moves[] = {
	/* the specialist */
	{ ACTOR_SPECIALIST, ACT_ACCEPT, APP_INVITED, APP_ACCEPTED },
	{ ACTOR_SPECIALIST, ACT_ACCEPT, APP_OFFERED, APP_ACCEPTED },
	{ ACTOR_SPECIALIST, ACT_DECLINE, APP_INVITED, APP_DECLINED },
	{ ACTOR_SPECIALIST, ACT_DECLINE, APP_OFFERED, APP_DECLINED },
	{ ACTOR_SPECIALIST, ACT_WITHDRAW, APP_APPLIED, APP_WITHDRAWN },
	{ ACTOR_SPECIALIST, ACT_WITHDRAW, APP_WAITLISTED, APP_WITHDRAWN },
	{ ACTOR_SPECIALIST, ACT_WITHDRAW, APP_ACCEPTED, APP_WITHDRAWN },
	{ ACTOR_SPECIALIST, ACT_CONTEST, APP_NO_SHOW, APP_NO_SHOW },
	/* the organisation */
	{ ACTOR_ORG, ACT_ACCEPT, APP_APPLIED, APP_ACCEPTED },
	{ ACTOR_ORG, ACT_DECLINE, APP_APPLIED, APP_DECLINED },
	{ ACTOR_ORG, ACT_DECLINE, APP_WAITLISTED, APP_DECLINED },
	{ ACTOR_ORG, ACT_WAITLIST, APP_APPLIED, APP_WAITLISTED },
	{ ACTOR_ORG, ACT_COMPLETE, APP_ACCEPTED, APP_COMPLETED },
	{ ACTOR_ORG, ACT_NO_SHOW, APP_ACCEPTED, APP_NO_SHOW },
	{ ACTOR_ORG, ACT_CHECKIN, APP_ACCEPTED, APP_ACCEPTED },
	/* the platform: a place freed on a shift with a waiting list */
	{ ACTOR_SYSTEM, ACT_OFFER, APP_WAITLISTED, APP_OFFERED },
	/* the platform: an offer not confirmed in time */
	{ ACTOR_SYSTEM, ACT_EXPIRE, APP_OFFERED, APP_DECLINED },
};

bool booking_transition(enum app_status from, enum app_actor actor, enum app_action action,
			enum app_status *to)
{
	for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
		if (moves[i].actor == actor && moves[i].action == action && moves[i].from == from) {
			*to = moves[i].to;
			return true;
		}
	return false;
}

bool booking_actor_may(enum app_actor actor, enum app_action action)
{
	for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
		if (moves[i].actor == actor && moves[i].action == action)
			return true;
	return false;
}

bool booking_takes_place(enum app_status from, enum app_status to)
{
	return from != APP_ACCEPTED && to == APP_ACCEPTED;
}

bool booking_frees_place(enum app_status from, enum app_status to)
{
	return from == APP_ACCEPTED && to == APP_WITHDRAWN;
}

int booking_place_delta(enum app_status from, enum app_status to)
{
	if (to == APP_OFFERED && from != APP_OFFERED)
		return 1;
	if (to == APP_ACCEPTED && from != APP_ACCEPTED && from != APP_OFFERED)
		return 1;
	if (from == APP_ACCEPTED && to == APP_WITHDRAWN)
		return -1;
	if (from == APP_OFFERED && (to == APP_DECLINED || to == APP_WITHDRAWN))
		return -1;
	return 0;
}

bool booking_overlaps(int64_t a_start, int64_t a_end, int64_t b_start, int64_t b_end)
{
	return a_start < b_end && b_start < a_end;
}

int booking_month_of(int64_t t)
{
	time_t local = (time_t)(t + BOOKING_RIYADH_OFFSET);
	struct tm tm;
	if (!gmtime_r(&local, &tm))
		return 0;
	return (tm.tm_year + 1900) * 12 + tm.tm_mon;
}

int64_t booking_month_minutes(const struct booking_span *spans, int n, int month)
{
	int64_t minutes = 0;
	for (int i = 0; i < n; i++)
		if (spans[i].ends_at > spans[i].starts_at && booking_month_of(spans[i].starts_at) == month)
			minutes += (spans[i].ends_at - spans[i].starts_at) / 60;
	return minutes;
}

bool booking_within_cap(int64_t booked_minutes, int64_t extra_minutes, int max_hours)
{
	return booked_minutes + extra_minutes <= (int64_t)max_hours * 60;
}

void booking_format_time(int64_t t, char *out, size_t size)
{
	time_rfc3339(t, out, size);
}

const char *application_status_label(const char *status)
{
	static const struct { const char *status, *label; } labels[] = {
		{ "invited", N_("Invited") },       { "applied", N_("Applied") },
		{ "accepted", N_("Accepted") },     { "declined", N_("Declined") },
		{ "withdrawn", N_("Withdrawn") },   { "waitlisted", N_("On the waiting list") },
		{ "offered", N_("Place offered") }, { "completed", N_("Completed") },
		{ "no_show", N_("Did not attend") }, { "cancelled", N_("Cancelled") },
	};
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].status, status) == 0)
			return labels[i].label;
	return status;
}
