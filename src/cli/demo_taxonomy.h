/*
 * demo_taxonomy.h — the taxonomy's part of `khibra demo`.
 */
#ifndef KHIBRA_DEMO_TAXONOMY_H
#define KHIBRA_DEMO_TAXONOMY_H

#include "store/db.h"

#include <stdint.h>

/* demo_taxonomy: the taxonomy's data comes with migration 0004, so there is
 * nothing to insert: this checks that skills, professions and cities are
 * there for the other demo data to use.  Read-only, hence idempotent;
 * 0 on success, -1 (with one line on stderr) when the data is missing. */
int demo_taxonomy(db_conn *c, int64_t now);

#endif
