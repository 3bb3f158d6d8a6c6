/*
 * demo_help.h — demo help requests (called by `khibra demo`).
 */
#ifndef KHIBRA_DEMO_HELP_H
#define KHIBRA_DEMO_HELP_H

#include "store/db.h"

#include <stdint.h>

/* demo_help: a few sealed help requests from the demo beneficiaries; loads
 * (or creates) DATA_DIR/keys/secretbox.key to seal them.  Idempotent; 0 on
 * success. */
int demo_help(db_conn *c, int64_t now, const char *data_dir);

#endif
