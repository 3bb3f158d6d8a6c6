/*
 * demo_files.h — small, valid documents for the demo credentials
 * (demo_files.c): what the server's file check accepts from an upload.
 */
#ifndef KHIBRA_DEMO_FILES_H
#define KHIBRA_DEMO_FILES_H

#include "core/buf.h"

#include <stdbool.h>

/* demo_pdf: a one-page PDF 1.4 showing `title` (ASCII, no parentheses or
 * backslashes), with a correct xref table, startxref and %%EOF at the very
 * end. */
void demo_pdf(const char *title, buf *out);

/* demo_png: a 480×340 RGB PNG that looks like a scanned certificate (a
 * border, a heading band, lines of "text" and a seal), its lines drawn from
 * `title` so that each document differs; written by libvips.  False if it fails. */
bool demo_png(const char *title, buf *out);

#endif
