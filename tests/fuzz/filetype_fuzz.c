// fuzz-sources: src/store/files.c src/core/image.c src/core/buf.c src/core/xalloc.c src/core/log.c
// fuzz-libs: libsodium jansson vips
/*
 * filetype_fuzz.c — libFuzzer target for filetype_detect (store/files.h), the
 * check that decides from an upload's bytes whether it is a PDF, a PNG or a
 * JPEG, whatever name or type the client claimed.  PNG and JPEG go through
 * libvips (core/image.h: image_probe), so the fuzzer also feeds libvips'
 * loaders whatever starts with their signatures.
 *
 * Checked besides "no crash, no undefined behaviour":
 *   - the answer is NULL or one of the three types, always the same pointer
 *     for the same type (a string with static lifetime);
 *   - a PDF answer means the frame is there: "%PDF-" and a version 1.0 … 1.7
 *     or 2.0 at the start, "%%EOF" among the last 1,024 bytes, "startxref"
 *     in the file (a necessary condition, not the whole rule); a PNG answer means the PNG signature, a JPEG answer the JPEG
 *     one; anything that starts with none of the three signatures is NULL;
 *   - the answer depends only on the bytes: an exact-size heap copy (so ASan
 *     sees a read past `len`) asked twice gives the same answer;
 *   - filetype_extension maps the answer to ".pdf", ".png", ".jpg", and
 *     anything else (NULL, the raw input) to ".bin".
 */
#include "store/files.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool starts_with(const uint8_t *data, size_t size, const char *magic, size_t len)
{
	return size >= len && memcmp(data, magic, len) == 0;
}

/* has_pdf_frame: the oracle's own, simpler reading of the PDF rule. */
static bool has_pdf_frame(const uint8_t *data, size_t size)
{
	static const char *const headers[] = { "%PDF-1.0", "%PDF-1.1", "%PDF-1.2", "%PDF-1.3", "%PDF-1.4",
					       "%PDF-1.5", "%PDF-1.6", "%PDF-1.7", "%PDF-2.0" };
	bool header = false;
	for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++)
		header |= starts_with(data, size, headers[i], 8);
	size_t from = size > FILES_PDF_TAIL ? size - FILES_PDF_TAIL : 0;
	return header && memmem(data + from, size - from, "%%EOF", 5) && memmem(data, size, "startxref", 9);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size heap copy: any read past `size` is a heap overflow. */
	uint8_t *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	if (size)
		memcpy(copy, data, size);

	const char *type = filetype_detect(copy, size);
	bool pdf = type && strcmp(type, "application/pdf") == 0;
	bool png = type && strcmp(type, "image/png") == 0;
	bool jpeg = type && strcmp(type, "image/jpeg") == 0;
	if (type && !pdf && !png && !jpeg)
		abort();
	if (pdf && !has_pdf_frame(copy, size))
		abort();
	if (png && !starts_with(copy, size, "\x89PNG\r\n\x1a\n", 8))
		abort();
	if (jpeg && !starts_with(copy, size, "\xff\xd8\xff", 3))
		abort();
	if (!starts_with(copy, size, "%PDF-", 5) && !starts_with(copy, size, "\x89PNG\r\n\x1a\n", 8) &&
	    !starts_with(copy, size, "\xff\xd8\xff", 3) && type)
		abort();

	const char *ext = filetype_extension(type);
	if ((!type && strcmp(ext, ".bin") != 0) || (pdf && strcmp(ext, ".pdf") != 0) ||
	    (png && strcmp(ext, ".png") != 0) || (jpeg && strcmp(ext, ".jpg") != 0))
		abort();

	/* Stable: asking again gives the very same static string. */
	if (filetype_detect(copy, size) != type)
		abort();
	/* NULL data is "not a known type", whatever the length says. */
	if (filetype_detect(NULL, size) != NULL)
		abort();

	/* The input taken as a claimed type name (NUL-terminated) is never a
	 * known extension unless it is exactly one of the three type names. */
	char *name = malloc(size + 1);
	if (name) {
		memcpy(name, data, size);
		name[size] = '\0';
		ext = filetype_extension(name);
		bool known = strcmp(name, "application/pdf") == 0 || strcmp(name, "image/png") == 0 ||
			     strcmp(name, "image/jpeg") == 0;
		if (!known && strcmp(ext, ".bin") != 0)
			abort();
		free(name);
	}
	free(copy);
	return 0;
}
