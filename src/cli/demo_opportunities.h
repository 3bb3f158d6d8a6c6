/*
 * demo_opportunities.h — demo opportunities of the four kinds for the demo
 * organisations (called by `khibra demo` after the people and organisations).
 */
#ifndef KHIBRA_DEMO_OPPORTUNITIES_H
#define KHIBRA_DEMO_OPPORTUNITIES_H

#include "store/db.h"

#include <stdint.h>

/* demo_opportunities: create the opportunities not there yet (by organisation
 * and title), open for verified organisations, drafts otherwise; an
 * organisation that does not exist is skipped.  0 on success, 1 (with a line
 * on stderr) on failure. */
int demo_opportunities(db_conn *c, int64_t now);

#endif
