/* demo_moderation.h — demo data for credentials and moderation (khibra demo). */
#ifndef KHIBRA_DEMO_MODERATION_H
#define KHIBRA_DEMO_MODERATION_H

#include "store/db.h"

#include <stdint.h>

/* demo_moderation: licences and degrees of the demo specialists, each a
 * small valid PDF or PNG stored under data_dir/files — five waiting for a
 * moderator, four decided — and the demo moderator's decisions on them and
 * on the demo organisations (some verified, one rejected, the rest left in
 * the queue), each recorded in the audit log with its reason.  Idempotent: a
 * credential the person already has (same kind and number) is not uploaded
 * again, and a decision already in the audit log is not taken again.  Runs
 * after the organisations and the profiles; 0 on success. */
int demo_moderation(db_conn *c, int64_t now, const char *data_dir);

#endif
