/*
 * demo_applications.h — demo applications in every state (called by `khibra demo`).
 */
#ifndef KHIBRA_DEMO_APPLICATIONS_H
#define KHIBRA_DEMO_APPLICATIONS_H

#include "store/db.h"

#include <stdint.h>

/* demo_applications: the demo specialists' applications on the open
 * opportunities of جمعية البر الخيرية (coordinator@khibra.local), driven
 * through the real booking rules: applied, invited, accepted, declined with a
 * reason, waitlisted, offered, withdrawn, completed, no-show with a contest.
 * Skips quietly when the opportunities or people are absent; does nothing
 * when the demo specialists already applied there (idempotent).  0 on success. */
int demo_applications(db_conn *c, int64_t now);

#endif
