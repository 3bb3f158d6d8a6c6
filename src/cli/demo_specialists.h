/*
 * demo_specialists.h — the demo specialists as data (demo_specialists.c),
 * loaded by demo_profiles.c: who they are and what their profile says.
 */
#ifndef KHIBRA_DEMO_SPECIALISTS_H
#define KHIBRA_DEMO_SPECIALISTS_H

#include <stdbool.h>
#include <stddef.h>

struct demo_slot { int weekday; const char *start, *end; };

struct demo_specialist {
	const char *email;
	const char *name;   /* NULL: a person of src/cli/demo.c, created there */
	const char *locale; /* ar | en, for those created here */
	const char *headline;
	const char *bio;
	const char *profession; /* a professions slug */
	const char *city;       /* a cities slug */
	int years;
	bool remote, onsite;
	bool hidden;            /* a private profile (public = false) */
	const char *languages[3];
	struct { const char *slug; int level; } skills[4];
	struct demo_slot slots[4];
	int max_hours;
};

extern const struct demo_specialist demo_specialists[];
extern const size_t demo_specialists_count;

#endif
