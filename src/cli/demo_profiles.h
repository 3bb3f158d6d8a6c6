/*
 * demo_profiles.h — the specialists' part of `khibra demo`.
 */
#ifndef KHIBRA_DEMO_PROFILES_H
#define KHIBRA_DEMO_PROFILES_H

#include "store/db.h"

#include <stdint.h>

/* demo_profiles: the demo specialists of demo_specialists.c: an account for
 * those demo.c does not create (e-mail verified, the demo password), and a
 * profile with skills and weekly availability for each.  A person who already
 * has a profile is left as they are (idempotent); a person of demo.c missing
 * from the database is skipped, as are skill, profession and city slugs the
 * taxonomy does not have.  Prints one line with the number of specialists.
 * 0 on success, -1 on a database error (with one line on stderr). */
int demo_profiles(db_conn *c, int64_t now);

#endif
