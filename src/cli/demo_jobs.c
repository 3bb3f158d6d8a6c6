/* demo_jobs.c — reminders and nudges for the demo data (demo_jobs.h). */
#include "cli/demo_jobs.h"
#include "jobs/worker.h"

int demo_jobs(db_conn *c, int64_t now)
{
	return jobs_scan(c, now) == DB_OK ? 0 : 1;
}
