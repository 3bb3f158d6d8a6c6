// fuzz-sources: src/domain/email.c
/*
 * email_fuzz.c — libFuzzer target for email_normalise (domain/email.h), the
 * check every address typed into a form goes through.
 * Checked besides "no crash, no undefined behaviour": an accepted address is
 * NUL-terminated within the buffer, lower-case, has exactly one '@', and is
 * accepted again unchanged (normalising is idempotent).
 */
#include "domain/email.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	char out[300], again[300];
	size_t outlen = size % 2 ? sizeof out : 40; /* a small buffer too */
	if (email_normalise(text, out, outlen)) {
		size_t n = strnlen(out, outlen);
		if (n == outlen)
			abort();
		int ats = 0;
		for (size_t i = 0; i < n; i++) {
			if (out[i] >= 'A' && out[i] <= 'Z')
				abort();
			ats += out[i] == '@';
		}
		if (ats != 1 || !email_normalise(out, again, sizeof again) || strcmp(out, again) != 0)
			abort();
	}
	free(text);
	return 0;
}
