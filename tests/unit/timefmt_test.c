/*
 * timefmt_test.c — RFC 3339 times in and out (core/timefmt.c) and the help
 * form's date + time fields (help_parse_local).
 */
#include "core/timefmt.h"
#include "help/help_flow.h"

#include <criterion/criterion.h>

#define T0 1796360400 /* 2026-12-04T08:00:00+03:00 */

Test(timefmt, parses_rfc3339_with_offsets)
{
	int64_t t;
	const char *same[] = { "2026-12-04T08:00:00+03:00", "2026-12-04T05:00:00Z", "2026-12-04t05:00:00z",
			       "2026-12-04 05:00:00Z", "2026-12-04T05:00:00.250Z", "2026-12-03T21:00:00-08:00",
			       "2026-12-04T05:00Z", "2026-12-04T05:00:60Z" /* leap second read as :59 */ };
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		cr_assert(time_parse_rfc3339(same[i], false, &t), "refused %s", same[i]);
		cr_assert_eq(t, T0 + (i == 7 ? 59 : 0), "%s", same[i]);
	}
	cr_assert(time_parse_rfc3339("1999-01-01T00:00:00+00:00", false, &t), "the past is allowed");
	cr_assert_eq(t, 915148800);
	cr_assert_not(time_parse_rfc3339("2026-12-04T08:00:00", false, &t), "no offset");
	cr_assert(time_parse_rfc3339("2026-12-04T08:00", true, &t), "datetime-local in Riyadh");
	cr_assert_eq(t, T0);
	cr_assert(time_parse_rfc3339("2028-02-29T00:00:00Z", false, &t), "a leap day");
}

Test(timefmt, refuses_what_is_not_a_time)
{
	int64_t t = 7;
	const char *bad[] = { "", "2026-12-04", "2026-02-30T08:00:00Z", "2027-02-29T08:00:00Z", "2026-12-04T24:00:00Z",
			      "2026-12-04T08:60:00Z", "2026-12-04T08:00:61Z", "2026-13-04T08:00:00Z", "2026-00-04T08:00:00Z",
			      "2026-12-04T08:00:00+3:00", "2026-12-04T08:00:00+24:00", "2026-12-04T08:00:00Zjunk",
			      "2026-12-04T08:00:00.Z", "2026-+1-04T08:00:00Z", " 2026-12-04T08:00:00Z",
			      "2026-12-04X08:00:00Z", "1899-12-31T23:00:00Z", "tomorrow" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_assert_not(time_parse_rfc3339(bad[i], true, &t), "accepted %s", bad[i]);
	cr_assert_not(time_parse_rfc3339(NULL, true, &t));
	cr_assert_eq(t, 7, "a refusal leaves the output alone");
}

Test(timefmt, dates_are_midnight_in_riyadh)
{
	int64_t t;
	cr_assert(time_parse_date("2026-12-04", &t));
	cr_assert_eq(t, T0 - 8 * 3600);
	const char *bad[] = { "2026-12-4", "2026-12-04T00:00", "2026-02-29", "12/04/2026", "" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_assert_not(time_parse_date(bad[i], &t), "accepted %s", bad[i]);
}

Test(timefmt, formats_in_riyadh_time)
{
	char s[40];
	time_rfc3339(T0, s, sizeof s);
	cr_assert_str_eq(s, "2026-12-04T08:00:00+03:00");
	time_rfc3339(T0 + 16 * 3600, s, sizeof s); /* past midnight in Riyadh */
	cr_assert_str_eq(s, "2026-12-05T00:00:00+03:00");
	time_local_minute(T0, s, sizeof s);
	cr_assert_str_eq(s, "2026-12-04T08:00");
	char date[16], clock[8];
	time_riyadh_date_clock(T0 + 16 * 3600 + 90, date, clock);
	cr_assert_str_eq(date, "2026-12-05");
	cr_assert_str_eq(clock, "00:01");
	int64_t back;
	time_rfc3339(951782400, s, sizeof s); /* 2000-02-29 leap day */
	cr_assert(time_parse_rfc3339(s, false, &back));
	cr_assert_eq(back, 951782400);
}

Test(timefmt, help_form_date_and_time)
{
	int64_t t;
	cr_assert(help_parse_local("2026-12-04", "08:00", &t));
	cr_assert_eq(t, T0);
	cr_assert(help_parse_local("2026-12-04", "08:00:00", &t), "with seconds, as some browsers send it");
	cr_assert_eq(t, T0);
	const char *times[] = { "8:00", "08:00Z", "08:00+03", "24:00", "", "08:00:00+03:00" };
	for (size_t i = 0; i < sizeof times / sizeof times[0]; i++)
		cr_assert_not(help_parse_local("2026-12-04", times[i], &t), "accepted %s", times[i]);
	cr_assert_not(help_parse_local("2026-12-04T", "08:00", &t));
	cr_assert_not(help_parse_local(NULL, "08:00", &t));
}
