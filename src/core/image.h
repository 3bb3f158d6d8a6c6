/*
 * image.h — re-encoding uploaded pictures (organisation logos) with libvips.
 *
 * An uploaded image is never served as it came: it is decoded and written
 * again as a fresh PNG without metadata, so whatever else the file carried
 * (EXIF with a location, comments, a second format glued to the end, a
 * script for a browser that sniffs) is gone.
 *
 * libvips is started once per process.  image_reencode_png() starts it
 * itself on first use, under pthread_once: libvips documents that
 * VIPS_INIT() may run on any thread as long as no two threads run it at the
 * same time, which pthread_once guarantees.  A program may still call
 * image_init() early, from main(), to find a broken installation at start-up
 * rather than at the first upload; image_shutdown() at exit is optional
 * (it lets leak checkers see libvips' caches freed) and nothing may use
 * libvips after it: libvips cannot be started twice.
 */
#ifndef KHIBRA_IMAGE_H
#define KHIBRA_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

#define IMAGE_MAX_SIDE 4000              /* pixels, either side, read from the header */
#define IMAGE_MAX_PIXELS (20 * 1000 * 1000) /* 20 megapixels */
#define IMAGE_LOGO_SIDE 256              /* a logo is scaled down to fit 256×256 */
/* A document scanned or photographed (a licence, a degree) may be larger
 * than a picture we re-encode: an A4 page at 600 dpi is 4961 × 7016 pixels,
 * 35 megapixels.  Above these, image_probe refuses it from the header. */
#define IMAGE_SCAN_MAX_SIDE 10000
#define IMAGE_SCAN_MAX_PIXELS (50 * 1000 * 1000)

/* image_init: start libvips (once; later calls only report how the first
 * went).  `argv0` helps libvips find its own files; "" will do. */
bool image_init(const char *argv0);
/* image_shutdown: stop libvips if it was started; the last libvips call. */
void image_shutdown(void);

/* image_probe: "image/png" or "image/jpeg" when libvips picks its PNG or
 * JPEG loader for these bytes, reads a header of 1 … IMAGE_SCAN_MAX_SIDE
 * pixels a side and at most IMAGE_SCAN_MAX_PIXELS in all, then decodes every pixel
 * without error (one sequential pass: a few lines in memory at a time, so a
 * file cut short or corrupt after a good header is refused); NULL for
 * anything else.  The answer is a static string.  Starts libvips if needed. */
const char *image_probe(const void *data, size_t len);

/* image_reencode_png: decode a PNG or JPEG (recognised by the loader libvips
 * picks for its bytes, as in image_probe) of at most IMAGE_MAX_SIDE pixels a side and
 * IMAGE_MAX_PIXELS in all — both read from the header, before any pixel is
 * decoded — scale it down to fit max_side × max_side (never up), and write
 * it as a PNG without metadata.  On success *out is a malloc'd buffer of
 * *out_len bytes for the caller to free().  On failure false, *out NULL, and
 * a short English reason for the log in err (never shown to users). */
bool image_reencode_png(const void *data, size_t len, int max_side, void **out, size_t *out_len, char *err,
			size_t errlen);

/* image_png_from_rgb: write width × height pixels of 8-bit RGB (rows of
 * width * 3 bytes, top first) as a PNG with libvips.  As image_reencode_png,
 * *out is malloc'd for the caller to free(); false when libvips fails. */
bool image_png_from_rgb(const unsigned char *rgb, int width, int height, void **out, size_t *out_len);

#endif
