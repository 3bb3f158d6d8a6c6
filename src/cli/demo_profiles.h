/*
 * demo_profiles.h — the specialist profiles' part of `khibra demo`.
 */
#ifndef KHIBRA_DEMO_PROFILES_H
#define KHIBRA_DEMO_PROFILES_H

#include "store/db.h"

#include <stdint.h>

/* demo_profiles: profiles, skills and weekly availability for the demo
 * specialists (dr.sara, lawyer.khalid, eng.omar, dev.layla, teacher.huda).
 * A person who already has a profile is left as they are (idempotent); a
 * demo person missing from the database is skipped, as are skill, profession
 * and city slugs the taxonomy does not have.  0 on success, -1 on a database
 * error (with one line on stderr). */
int demo_profiles(db_conn *c, int64_t now);

#endif
