/*
 * embedded.h — files compiled into the binary (templates, static assets and
 * their gzip forms, SQL migrations).  The table is generated at build time by
 * tools/embed.c into build/gen/embedded.c, sorted by name.
 */
#ifndef KHIBRA_EMBEDDED_H
#define KHIBRA_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name;          /* path as in the source tree, e.g. "templates/home.html" */
	const unsigned char *data; /* followed by a NUL byte, so text is a C string */
	size_t len;
};

extern const struct embedded_file embedded_files[];
extern const size_t embedded_files_count;

/* embedded_find: the file with that exact name, or NULL. */
const struct embedded_file *embedded_find(const char *name);

#endif
