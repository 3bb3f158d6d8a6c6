/* demo_moderation.h — demo data for credentials and moderation (khibra demo). */
#ifndef KHIBRA_DEMO_MODERATION_H
#define KHIBRA_DEMO_MODERATION_H

#include "store/db.h"

#include <stdint.h>

/* demo_moderation: pending licences for the demo specialists dr.sara and
 * lawyer.khalid, each a small valid PDF stored under data_dir/files, so the
 * moderators' queue has work in it.  Idempotent (a specialist who already has
 * a licence is left alone); 0 on success. */
int demo_moderation(db_conn *c, int64_t now, const char *data_dir);

#endif
