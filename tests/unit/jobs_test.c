/*
 * jobs_test.c — the retry back-off of the job queue (store/jobs.c):
 * a minute, doubling with each failed try, never more than six hours.
 */
#include "store/jobs.h"

#include <criterion/criterion.h>

Test(jobs_backoff, doubles_from_a_minute)
{
	cr_assert_eq(job_backoff_seconds(1), 60);
	cr_assert_eq(job_backoff_seconds(2), 120);
	cr_assert_eq(job_backoff_seconds(3), 240);
	cr_assert_eq(job_backoff_seconds(4), 480);
	cr_assert_eq(job_backoff_seconds(9), 60 * 256);
}

Test(jobs_backoff, capped_at_six_hours)
{
	cr_assert_eq(job_backoff_seconds(10), 6 * 3600); /* 60 × 512 = 30720 > 21600 */
	cr_assert_eq(job_backoff_seconds(50), 6 * 3600);
	cr_assert_eq(job_backoff_seconds(1000000), 6 * 3600);
}

Test(jobs_backoff, never_less_than_a_minute)
{
	cr_assert_eq(job_backoff_seconds(0), 60);
	cr_assert_eq(job_backoff_seconds(-3), 60);
}

Test(jobs_backoff, never_decreases)
{
	for (int a = 1; a < 40; a++)
		cr_assert_leq(job_backoff_seconds(a), job_backoff_seconds(a + 1));
}
