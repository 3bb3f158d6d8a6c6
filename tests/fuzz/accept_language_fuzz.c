// fuzz-sources: src/i18n/i18n.c src/core/buf.c src/core/xalloc.c src/core/log.c
// fuzz-libs: icu-i18n icu-uc jansson
/*
 * accept_language_fuzz.c — libFuzzer target for the language negotiation
 * that reads client headers, cookies and query strings (i18n.h).
 * Checked besides "no crash, no leak, no undefined behaviour": the answer is
 * always one of the languages Khibra speaks.
 */
#include "i18n/i18n.h"

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
	enum lang l = LANG_DEFAULT;
	if (i18n_accept_language(text, &l) && l != LANG_AR && l != LANG_EN)
		abort();
	if (i18n_parse(text, &l) && l != LANG_AR && l != LANG_EN)
		abort();
	/* The same bytes as every source at once. */
	l = i18n_negotiate(text, text, text, text);
	if (l != LANG_AR && l != LANG_EN)
		abort();
	free(text);
	return 0;
}
