/*
 * booking_test.c — the application state machine, overlaps and monthly hour
 * sums of domain/booking.c.
 */
#include "domain/booking.h"

#include <criterion/criterion.h>
#include <string.h>
#include <time.h>

/* riyadh: Unix time of a wall-clock moment in Asia/Riyadh (UTC+3). */
static int64_t riyadh(int y, int mo, int d, int h, int mi)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi };
	return (int64_t)timegm(&tm) - 3 * 3600;
}

Test(booking, names_round_trip)
{
	for (int s = 0; s < APP_STATUS_COUNT; s++) {
		enum app_status back;
		cr_assert(booking_status_parse(booking_status_name((enum app_status)s), &back));
		cr_assert_eq(back, s);
	}
	enum app_action a;
	cr_assert(booking_action_parse("no-show", &a));
	cr_assert_eq(a, ACT_NO_SHOW);
	cr_assert_not(booking_action_parse("no_show", &a));
	cr_assert_not(booking_status_parse("bogus", (enum app_status *)&a));
	cr_assert_str_eq(booking_status_name(APP_NO_SHOW), "no_show");
}

Test(booking, specialist_moves)
{
	enum app_status to;
	cr_assert(booking_transition(APP_INVITED, ACTOR_SPECIALIST, ACT_ACCEPT, &to));
	cr_assert_eq(to, APP_ACCEPTED);
	cr_assert(booking_transition(APP_OFFERED, ACTOR_SPECIALIST, ACT_ACCEPT, &to));
	cr_assert_eq(to, APP_ACCEPTED);
	cr_assert(booking_transition(APP_INVITED, ACTOR_SPECIALIST, ACT_DECLINE, &to));
	cr_assert_eq(to, APP_DECLINED);
	cr_assert(booking_transition(APP_OFFERED, ACTOR_SPECIALIST, ACT_DECLINE, &to));
	cr_assert(booking_transition(APP_ACCEPTED, ACTOR_SPECIALIST, ACT_WITHDRAW, &to));
	cr_assert_eq(to, APP_WITHDRAWN);
	cr_assert(booking_transition(APP_NO_SHOW, ACTOR_SPECIALIST, ACT_CONTEST, &to));
	cr_assert_eq(to, APP_NO_SHOW);
	/* A specialist cannot accept their own application, nor complete it. */
	cr_assert_not(booking_transition(APP_APPLIED, ACTOR_SPECIALIST, ACT_ACCEPT, &to));
	cr_assert_not(booking_transition(APP_ACCEPTED, ACTOR_SPECIALIST, ACT_COMPLETE, &to));
	cr_assert_not(booking_transition(APP_COMPLETED, ACTOR_SPECIALIST, ACT_WITHDRAW, &to));
	cr_assert_not(booking_transition(APP_WITHDRAWN, ACTOR_SPECIALIST, ACT_WITHDRAW, &to));
}

Test(booking, organisation_moves)
{
	enum app_status to;
	cr_assert(booking_transition(APP_APPLIED, ACTOR_ORG, ACT_ACCEPT, &to));
	cr_assert_eq(to, APP_ACCEPTED);
	cr_assert(booking_transition(APP_APPLIED, ACTOR_ORG, ACT_WAITLIST, &to));
	cr_assert_eq(to, APP_WAITLISTED);
	cr_assert(booking_transition(APP_APPLIED, ACTOR_ORG, ACT_DECLINE, &to));
	cr_assert_eq(to, APP_DECLINED);
	cr_assert(booking_transition(APP_ACCEPTED, ACTOR_ORG, ACT_COMPLETE, &to));
	cr_assert_eq(to, APP_COMPLETED);
	cr_assert(booking_transition(APP_ACCEPTED, ACTOR_ORG, ACT_NO_SHOW, &to));
	cr_assert_eq(to, APP_NO_SHOW);
	cr_assert(booking_transition(APP_ACCEPTED, ACTOR_ORG, ACT_CHECKIN, &to));
	cr_assert_eq(to, APP_ACCEPTED);
	/* The organisation cannot accept for an invited person, nor withdraw for them. */
	cr_assert_not(booking_transition(APP_INVITED, ACTOR_ORG, ACT_ACCEPT, &to));
	cr_assert_not(booking_transition(APP_OFFERED, ACTOR_ORG, ACT_ACCEPT, &to));
	cr_assert_not(booking_transition(APP_APPLIED, ACTOR_ORG, ACT_WITHDRAW, &to));
	cr_assert_not(booking_transition(APP_APPLIED, ACTOR_ORG, ACT_COMPLETE, &to));
	cr_assert_not(booking_transition(APP_COMPLETED, ACTOR_ORG, ACT_NO_SHOW, &to));
	/* Only the platform offers a freed place. */
	cr_assert(booking_transition(APP_WAITLISTED, ACTOR_SYSTEM, ACT_OFFER, &to));
	cr_assert_eq(to, APP_OFFERED);
	cr_assert_not(booking_transition(APP_WAITLISTED, ACTOR_ORG, ACT_OFFER, &to));
}

Test(booking, whose_action)
{
	cr_assert(booking_actor_may(ACTOR_SPECIALIST, ACT_WITHDRAW));
	cr_assert_not(booking_actor_may(ACTOR_ORG, ACT_WITHDRAW));
	cr_assert(booking_actor_may(ACTOR_ORG, ACT_COMPLETE));
	cr_assert_not(booking_actor_may(ACTOR_SPECIALIST, ACT_COMPLETE));
	cr_assert(booking_takes_place(APP_OFFERED, APP_ACCEPTED));
	cr_assert_not(booking_takes_place(APP_ACCEPTED, APP_ACCEPTED)); /* check-in */
	cr_assert(booking_frees_place(APP_ACCEPTED, APP_WITHDRAWN));
	cr_assert_not(booking_frees_place(APP_APPLIED, APP_WITHDRAWN));
	cr_assert_not(booking_frees_place(APP_ACCEPTED, APP_NO_SHOW));
}

Test(booking, overlaps_but_not_back_to_back)
{
	cr_assert(booking_overlaps(100, 200, 150, 250));
	cr_assert(booking_overlaps(150, 250, 100, 200));
	cr_assert(booking_overlaps(100, 200, 120, 180)); /* inside */
	cr_assert(booking_overlaps(100, 200, 100, 200)); /* the same */
	cr_assert_not(booking_overlaps(100, 200, 200, 300)); /* back to back */
	cr_assert_not(booking_overlaps(200, 300, 100, 200));
	cr_assert_not(booking_overlaps(100, 200, 300, 400));
}

Test(booking, months_are_riyadh_months)
{
	/* 31 Jan 2027 23:30 in Riyadh is still January there, though 20:30 UTC. */
	cr_assert_eq(booking_month_of(riyadh(2027, 1, 31, 23, 30)), 2027 * 12 + 0);
	/* 1 Feb 2027 01:00 in Riyadh is 31 Jan 22:00 UTC, but February in Riyadh. */
	cr_assert_eq(booking_month_of(riyadh(2027, 2, 1, 1, 0)), 2027 * 12 + 1);
	cr_assert_eq(booking_month_of(riyadh(2026, 12, 31, 23, 59)) + 1, booking_month_of(riyadh(2027, 1, 1, 0, 0)));
}

Test(booking, month_sums_across_a_boundary)
{
	struct booking_span spans[] = {
		{ riyadh(2027, 1, 10, 8, 0), riyadh(2027, 1, 10, 14, 0) },   /* 6 h in January */
		{ riyadh(2027, 1, 31, 22, 0), riyadh(2027, 2, 1, 2, 0) },    /* 4 h, starts in January */
		{ riyadh(2027, 2, 1, 0, 30), riyadh(2027, 2, 1, 1, 30) },    /* 1 h in February (21:30 UTC Jan 31) */
		{ riyadh(2027, 3, 1, 8, 0), riyadh(2027, 3, 1, 9, 0) },      /* March */
	};
	int jan = booking_month_of(riyadh(2027, 1, 15, 12, 0)), feb = jan + 1;
	cr_assert_eq(booking_month_minutes(spans, 4, jan), 600);
	cr_assert_eq(booking_month_minutes(spans, 4, feb), 60);
	cr_assert_eq(booking_month_minutes(spans, 0, jan), 0);
}

Test(booking, hour_cap)
{
	cr_assert(booking_within_cap(540, 60, 10));      /* exactly 10 h */
	cr_assert_not(booking_within_cap(541, 60, 10));
	cr_assert_not(booking_within_cap(0, 1, 0));       /* a cap of 0 takes nothing */
	cr_assert(booking_within_cap(0, 0, 0));
}

Test(booking, rfc3339_in_riyadh)
{
	char s[40];
	booking_format_time(riyadh(2026, 11, 25, 18, 0), s, sizeof s);
	cr_assert_str_eq(s, "2026-11-25T18:00:00+03:00");
}
