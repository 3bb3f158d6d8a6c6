/*
 * filetype_test.c — recognising uploads from their first bytes (store/files.h)
 * and rendering notifications in each language (auth/notify.h).
 */
#include "auth/notify.h"
#include "store/files.h"

#include <criterion/criterion.h>
#include <string.h>

Test(filetype, recognises_the_three_formats)
{
	cr_assert_str_eq(filetype_detect("%PDF-1.7\n…", 10), "application/pdf");
	cr_assert_str_eq(filetype_detect("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), "image/png");
	cr_assert_str_eq(filetype_detect("\xff\xd8\xff\xe0\0\x10JFIF", 10), "image/jpeg");
	cr_assert_str_eq(filetype_extension("application/pdf"), ".pdf");
	cr_assert_str_eq(filetype_extension("image/png"), ".png");
	cr_assert_str_eq(filetype_extension("image/jpeg"), ".jpg");
	cr_assert_str_eq(filetype_extension(NULL), ".bin");
}

Test(filetype, refuses_other_bytes_whatever_they_claim)
{
	static const char *const others[] = {
		"<!doctype html><title>licence.pdf</title>", "<?xml version=\"1.0\"?><svg/>", "GIF89a", "PK\x03\x04",
		" %PDF-1.4", "%pdf-1.4", "\x89PNG\r\n\x1a", "MZ\x90",
	};
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
		cr_expect_null(filetype_detect(others[i], strlen(others[i])), "accepted %s", others[i]);
	cr_assert_null(filetype_detect(NULL, 10));
	cr_assert_null(filetype_detect("", 0));
}

Test(filetype, truncated_signatures_are_not_enough)
{
	static const char pdf[] = "%PDF-";
	static const char png[] = "\x89PNG\r\n\x1a\n";
	static const char jpeg[] = "\xff\xd8\xff";
	for (size_t n = 0; n < sizeof pdf - 1; n++)
		cr_expect_null(filetype_detect(pdf, n), "a PDF of %zu bytes", n);
	for (size_t n = 0; n < sizeof png - 1; n++)
		cr_expect_null(filetype_detect(png, n), "a PNG of %zu bytes", n);
	for (size_t n = 0; n < sizeof jpeg - 1; n++)
		cr_expect_null(filetype_detect(jpeg, n), "a JPEG of %zu bytes", n);
	/* The whole signature alone is enough to be recognised (and is then a
	 * moderator's problem, not a parser's). */
	cr_assert_str_eq(filetype_detect(pdf, 5), "application/pdf");
	cr_assert_str_eq(filetype_detect(png, 8), "image/png");
	cr_assert_str_eq(filetype_detect(jpeg, 3), "image/jpeg");
}

Test(filetype, hashes_that_may_become_paths)
{
	cr_assert(files_hash_valid("56c2ac043c28d3543275a6f50b593a6beb0b6888ed8159ac02e3e7f4a32ccb26"));
	cr_assert_not(files_hash_valid("56C2AC043C28D3543275A6F50B593A6BEB0B6888ED8159AC02E3E7F4A32CCB26"));
	cr_assert_not(files_hash_valid("../../etc/passwd"));
	cr_assert_not(files_hash_valid(""));
	cr_assert_not(files_hash_valid(NULL));
}

Test(notify, renders_each_kind_with_its_params)
{
	buf b = BUF_INIT;
	notify_text(LANG_EN, "credential_rejected", "{\"kind\":\"licence\",\"reason\":\"Unreadable scan\"}", &b);
	cr_assert(strstr(b.data, "professional licence"), "%s", b.data);
	cr_assert(strstr(b.data, "Unreadable scan"), "%s", b.data);
	cr_assert_null(strstr(b.data, "{"), "a slot was left: %s", b.data);
	buf_reset(&b);
	notify_text(LANG_EN, "org_verified", "{\"org\":\"Al-Birr\"}", &b);
	cr_assert(strncmp(b.data, "Al-Birr", 7) == 0, "%s", b.data);
	buf_reset(&b);
	notify_text(LANG_EN, "no_such_kind", "not json", &b);
	cr_assert(b.len > 0);
	buf_reset(&b);
	notify_text(LANG_EN, "org_rejected", "not json", &b);
	cr_assert_null(strstr(b.data, "{"), "%s", b.data);
	buf_free(&b);
}
