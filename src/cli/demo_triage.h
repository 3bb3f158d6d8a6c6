/*
 * demo_triage.h — demo triage of help requests (called by `khibra demo`
 * after demo_help).
 */
#ifndef KHIBRA_DEMO_TRIAGE_H
#define KHIBRA_DEMO_TRIAGE_H

#include "store/db.h"

#include <stdint.h>

/* demo_triage: جمعية البر الخيرية has reviewed family.ahmad's legal request
 * (status "triaged").  Idempotent; 0 on success (also when demo_help has
 * not run: there is then nothing to triage). */
int demo_triage(db_conn *c, int64_t now);

#endif
