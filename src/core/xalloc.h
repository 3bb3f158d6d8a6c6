/*
 * xalloc.h — allocation that never returns NULL.
 *
 * Khibra treats running out of memory as fatal: every allocation goes through
 * these wrappers, which print one line and abort() on failure.  Callers never
 * check for NULL.  Sizes are checked for overflow before multiplying.
 */
#ifndef KHIBRA_XALLOC_H
#define KHIBRA_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* xreallocarray: realloc for count * size, aborting if the product overflows. */
void *xreallocarray(void *ptr, size_t count, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* xasprintf: printf into a new heap string the caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
