/* demo_jobs.h — the job queue's part of `khibra demo` (demo_jobs.c). */
#ifndef KHIBRA_DEMO_JOBS_H
#define KHIBRA_DEMO_JOBS_H

#include "store/db.h"

#include <stdint.h>

/* demo_jobs: queue the reminders and nudges the demo data calls for (shifts
 * within 24 hours, applications unanswered for three days), each once by its
 * dedupe key, so the first tick of `khibra serve` sends them.  Idempotent;
 * 0 on success. */
int demo_jobs(db_conn *c, int64_t now);

#endif
