// fuzz-sources: src/store/files.c src/core/buf.c src/core/xalloc.c src/core/log.c
// fuzz-libs: libsodium jansson
/*
 * filetype_fuzz.c — libFuzzer target for filetype_detect (store/files.h), the
 * check that decides from an upload's first bytes whether it is a PDF, a PNG
 * or a JPEG, whatever name or type the client claimed.
 *
 * Checked besides "no crash, no undefined behaviour":
 *   - the answer is NULL or one of the three types, and always the same
 *     pointer for the same type (callers compare it with strcmp, but the
 *     answer must be a string with static lifetime);
 *   - each type is answered exactly when the input starts with its whole
 *     signature ("%PDF-", "\x89PNG\r\n\x1a\n", "\xff\xd8\xff"); shorter
 *     inputs and every other start give NULL;
 *   - the answer depends only on the bytes: the same bytes in a buffer that
 *     ends exactly where they end (so ASan sees a read past `len`) give the
 *     same answer, and every prefix gives NULL or the same answer;
 *   - filetype_extension maps the answer to ".pdf", ".png", ".jpg", and
 *     anything else (NULL, the raw input) to ".bin".
 *
 * Only the pure part of files.c runs here; the file links libsodium, log and
 * xalloc for files_store/files_read, which this target never calls.
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

/* expected: the type the signatures alone say the bytes are, or NULL. */
static const char *expected(const uint8_t *data, size_t size)
{
	if (starts_with(data, size, "%PDF-", 5))
		return "application/pdf";
	if (starts_with(data, size, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	if (starts_with(data, size, "\xff\xd8\xff", 3))
		return "image/jpeg";
	return NULL;
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
	const char *want = expected(copy, size);
	if ((type == NULL) != (want == NULL))
		abort();
	if (type && strcmp(type, want) != 0)
		abort();

	const char *ext = filetype_extension(type);
	if (!type && strcmp(ext, ".bin") != 0)
		abort();
	if (type && strcmp(type, "application/pdf") == 0 && strcmp(ext, ".pdf") != 0)
		abort();
	if (type && strcmp(type, "image/png") == 0 && strcmp(ext, ".png") != 0)
		abort();
	if (type && strcmp(type, "image/jpeg") == 0 && strcmp(ext, ".jpg") != 0)
		abort();

	/* Stable: asking again gives the very same static string. */
	if (filetype_detect(copy, size) != type)
		abort();

	/* Every prefix is NULL or the same type: a signature cannot be read
	 * from bytes that are not there. */
	for (size_t n = 0; n < size && n <= 16; n++) {
		const char *t = filetype_detect(copy, n);
		if (t && t != type)
			abort();
	}

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
