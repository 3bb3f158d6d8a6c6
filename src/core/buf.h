/*
 * buf.h — Khibra's one growable byte buffer.
 *
 * Contract:
 *  - After buf_init() (or BUF_INIT), `data` is never NULL and always points at
 *    `len` bytes followed by a NUL, so `data` can be used as a C string.
 *  - The buffer owns `data`.  buf_free() releases it and leaves an empty
 *    buffer; buf_detach() is the one way to take ownership of the bytes.
 *  - Growth checks for overflow and aborts on allocation failure (xalloc.h).
 */
#ifndef KHIBRA_BUF_H
#define KHIBRA_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
	char *data;
	size_t len;
	size_t cap;
} buf;

extern char buf_empty_string[];
#define BUF_INIT { buf_empty_string, 0, 0 }

void buf_init(buf *b);
void buf_free(buf *b);
void buf_reset(buf *b);                     /* len = 0, keeps the memory */
void buf_grow(buf *b, size_t extra);        /* room for `extra` more bytes */
void buf_append(buf *b, const void *data, size_t len);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* buf_detach: hand the bytes (NUL-terminated, heap) to the caller; the buffer
 * is left empty.  `len` may be NULL. */
char *buf_detach(buf *b, size_t *len);

#endif
