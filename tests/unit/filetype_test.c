/*
 * filetype_test.c — recognising uploads from their bytes (store/files.h):
 * a PDF by its frame, a PNG or JPEG by libvips reading it whole; and
 * rendering notifications in each language (auth/notify.h).
 */
#include "auth/notify.h"
#include "core/image.h"
#include "store/files.h"

#include <criterion/criterion.h>
#include <vips/vips.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A small PDF with the frame every PDF has; `version` is "1.4", "2.0" … */
static size_t make_pdf(const char *version, char *out, size_t size)
{
	int n = snprintf(out, size,
			 "%%PDF-%s\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
			 "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
			 "xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n"
			 "trailer << /Size 3 /Root 1 0 R >>\nstartxref\n110\n%%%%EOF\n", version);
	cr_assert(n > 0 && (size_t)n < size);
	return (size_t)n;
}

/* make_image: a w×h grey image encoded as PNG or JPEG, from image_test.c;
 * g_free the result. */
void *make_image(int w, int h, bool jpeg, size_t *len);

Test(filetype, recognises_real_pdfs_of_each_version)
{
	static const char *const versions[] = { "1.0", "1.4", "1.7", "2.0" };
	char pdf[512];
	for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
		size_t n = make_pdf(versions[i], pdf, sizeof pdf);
		cr_expect_str_eq(filetype_detect(pdf, n), "application/pdf", "PDF %s", versions[i]);
	}
	/* The marker may end the file without a line end, and a comment may follow it. */
	size_t n = make_pdf("1.4", pdf, sizeof pdf);
	cr_assert_str_eq(filetype_detect(pdf, n - 1), "application/pdf");
	strcat(pdf, "% appended by a scanner\n");
	cr_assert_str_eq(filetype_detect(pdf, strlen(pdf)), "application/pdf");
	cr_assert_str_eq(filetype_extension(filetype_detect(pdf, strlen(pdf))), ".pdf");
}

Test(filetype, refuses_what_only_starts_like_a_pdf)
{
	static const char *const fakes[] = {
		"%PDF-<html><script>alert(1)</script></html>",                 /* the audit's case */
		"%PDF-1.4\n<html><script>alert(1)</script></html>",            /* no frame at all */
		"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n",      /* no startxref */
		"%PDF-1.4\n1 0 obj << >> endobj\nstartxref\n12\n",             /* no %%EOF */
		"%PDF-1.4\n1 0 obj << >> endobj\nstartxref\n%%EOF\n",          /* no offset */
		"%PDF-1.4\n1 0 obj << >> endobj\nstartxref\n99999\n%%EOF\n",   /* offset past the end */
		"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\nstartxref\n12\n",      /* in the wrong order */
		"%PDF-1.8\nstartxref\n0\n%%EOF\n", "%PDF-2.1\nstartxref\n0\n%%EOF\n", "%PDF-3.0\nstartxref\n0\n%%EOF\n",
		"%PDF-1.4<html>\nstartxref\n0\n%%EOF\n", " %PDF-1.4\nstartxref\n0\n%%EOF\n",
		"%pdf-1.4\nstartxref\n0\n%%EOF\n", "<!doctype html><title>licence.pdf</title>",
	};
	for (size_t i = 0; i < sizeof fakes / sizeof fakes[0]; i++)
		cr_expect_null(filetype_detect(fakes[i], strlen(fakes[i])), "accepted %s", fakes[i]);
}

Test(filetype, the_end_marker_must_be_near_the_end)
{
	char head[512];
	size_t n = make_pdf("1.7", head, sizeof head); /* ends with "%%EOF\n" */
	/* Padded with line ends so that "%%EOF" starts exactly FILES_PDF_TAIL
	 * bytes from the end (accepted), then one byte farther (refused). */
	size_t pad = FILES_PDF_TAIL - strlen("%%EOF\n");
	char *pdf = malloc(n + pad + 1);
	memcpy(pdf, head, n);
	memset(pdf + n, '\n', pad + 1);
	cr_assert_str_eq(filetype_detect(pdf, n + pad), "application/pdf");
	cr_assert_null(filetype_detect(pdf, n + pad + 1));
	free(pdf);
}

Test(filetype, recognises_png_and_jpeg_that_libvips_reads_whole)
{
	size_t len;
	void *png = make_image(40, 30, false, &len);
	cr_assert_str_eq(filetype_detect(png, len), "image/png");
	cr_assert_str_eq(filetype_extension("image/png"), ".png");
	g_free(png);
	void *jpeg = make_image(40, 30, true, &len);
	cr_assert_str_eq(filetype_detect(jpeg, len), "image/jpeg");
	cr_assert_str_eq(filetype_extension("image/jpeg"), ".jpg");
	g_free(jpeg);
}

Test(filetype, refuses_signatures_without_an_image_behind_them)
{
	static const char jpeg_junk[] = "\xff\xd8\xffjunk";   /* the audit's case */
	static const char png_junk[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR junk that is no header at all";
	cr_assert_null(filetype_detect(jpeg_junk, sizeof jpeg_junk - 1));
	cr_assert_null(filetype_detect(png_junk, sizeof png_junk - 1));
	cr_assert_null(filetype_detect("\xff\xd8\xff", 3));
	cr_assert_null(filetype_detect("\x89PNG\r\n\x1a\n", 8));
}

Test(filetype, refuses_a_truncated_png_and_jpeg)
{
	size_t len;
	void *png = make_image(300, 200, false, &len);
	cr_assert_str_eq(filetype_detect(png, len), "image/png");
	/* The header is whole, the pixels are not. */
	cr_assert_null(filetype_detect(png, len / 2), "a PNG cut in half was accepted");
	cr_assert_null(filetype_detect(png, 40), "a PNG cut after its header was accepted");
	g_free(png);
	void *jpeg = make_image(300, 200, true, &len);
	cr_assert_null(filetype_detect(jpeg, len / 2), "a JPEG cut in half was accepted");
	g_free(jpeg);
}

Test(filetype, a_scan_may_be_large_but_not_huge)
{
	size_t len;
	void *scan = make_image(IMAGE_MAX_SIDE + 1, 2, false, &len); /* too big for a logo, fine for a scan */
	cr_assert_str_eq(filetype_detect(scan, len), "image/png");
	g_free(scan);
	void *png = make_image(IMAGE_SCAN_MAX_SIDE + 1, 2, false, &len);
	cr_assert_null(filetype_detect(png, len));
	g_free(png);
}

Test(filetype, refuses_other_bytes_whatever_they_claim)
{
	static const char *const others[] = {
		"<!doctype html><title>licence.pdf</title>", "<?xml version=\"1.0\"?><svg/>", "GIF89a", "PK\x03\x04",
		"\x89PNG\r\n\x1a", "MZ\x90",
	};
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
		cr_expect_null(filetype_detect(others[i], strlen(others[i])), "accepted %s", others[i]);
	cr_assert_null(filetype_detect(NULL, 10));
	cr_assert_null(filetype_detect("", 0));
	cr_assert_str_eq(filetype_extension(NULL), ".bin");
	cr_assert_str_eq(filetype_extension("text/html"), ".bin");
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
