/*
 * demo_orgs.h — demo organisations beyond the two of demo.c, with owners and
 * coordinators drawn from the demo people (who must exist already).
 */
#ifndef KHIBRA_DEMO_ORGS_H
#define KHIBRA_DEMO_ORGS_H

#include "store/db.h"

#include <stdint.h>

/* demo_orgs: create the organisations that are not there yet (by name);
 * 0 on success, 1 (with a line on stderr) on failure. */
int demo_orgs(db_conn *c, int64_t now);

#endif
