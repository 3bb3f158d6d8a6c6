/*
 * files.h — uploaded files (licences, degrees, logos) on disk, addressed by
 * their content, and the recognition of their type from their bytes.
 *
 * A file is kept once, whoever uploads it, as DATA/files/<2 hex>/<sha256 hex>
 * (directories 0700, files 0600): the same content is the same file.  The
 * database keeps only the hash, the detected type and the size.
 *
 * The type is read from the bytes, never from the name or the type the
 * client claimed, and from more than the first few: a PNG or a JPEG must be
 * one libvips reads in full (core/image.h), a PDF must have the frame of one
 * (header line, "startxref", "%%EOF" at the end).  A page of HTML renamed
 * "licence.pdf", or "%PDF-" glued before one, is not a PDF.
 */
#ifndef KHIBRA_FILES_H
#define KHIBRA_FILES_H

#include "core/buf.h"

#include <stdbool.h>
#include <stddef.h>

#define FILES_HASH_HEX 65 /* 64 hex digits and the NUL */

#define FILES_PDF_TAIL 1024 /* bytes at the end where "%%EOF" must be */

/* filetype_detect: one of three static strings, or NULL for anything else —
 *   "application/pdf": the header line "%PDF-1.0" … "%PDF-1.7" or "%PDF-2.0"
 *       (then white space), and within the last FILES_PDF_TAIL bytes
 *       "startxref", a byte offset smaller than the file, then "%%EOF";
 *   "image/png", "image/jpeg": starts with that format's signature and
 *       image_probe() (core/image.h) says the same: libvips' PNG or JPEG
 *       loader reads a header of a sane size and decodes every pixel.
 * Images are decoded, so the call costs the time of one decode (milliseconds
 * for a scan) and starts libvips on first use. */
const char *filetype_detect(const void *data, size_t len);
/* filetype_extension: ".pdf", ".png", ".jpg" for a type filetype_detect
 * gives, ".bin" otherwise. */
const char *filetype_extension(const char *type);

/* files_hash_valid: exactly 64 lower-case hex digits (safe in a path). */
bool files_hash_valid(const char *hash);
/* files_store: write `len` bytes under data_dir as described above — to a
 * temporary name, synced, then renamed — unless the file is already there.
 * Fills hash (FILES_HASH_HEX bytes).  False, with a log line, on failure. */
bool files_store(const char *data_dir, const void *data, size_t len, char *hash);
/* files_read: the bytes of a stored file into out; false when the hash is
 * not valid or the file cannot be read. */
bool files_read(const char *data_dir, const char *hash, buf *out);

#endif
