/*
 * image_test.c — re-encoding uploaded pictures (core/image.h): scaled to
 * fit, written as a fresh PNG without metadata, and nothing but small PNG
 * and JPEG images accepted.
 */
#include "core/image.h"
#include "store/files.h"

#include <criterion/criterion.h>
#include <vips/vips.h>

#include <stdlib.h>
#include <string.h>

/* make_image: a w×h grey image encoded as PNG (or JPEG); g_free the result.
 * Shared with filetype_test.c (the same test binary). */
void *make_image(int w, int h, bool jpeg, size_t *len);
void *make_image(int w, int h, bool jpeg, size_t *len)
{
	cr_assert(image_init(""), "libvips did not start");
	VipsImage *black = NULL, *grey = NULL;
	cr_assert_eq(vips_black(&black, w, h, "bands", 3, NULL), 0);
	cr_assert_eq(vips_linear1(black, &grey, 1.0, 128.0, NULL), 0);
	g_object_unref(black);
	void *out = NULL;
	int rc = jpeg ? vips_jpegsave_buffer(grey, &out, len, NULL) : vips_pngsave_buffer(grey, &out, len, NULL);
	g_object_unref(grey);
	cr_assert_eq(rc, 0, "could not build a test image: %s", vips_error_buffer());
	return out;
}

/* size_of_png: the width and height of an encoded image. */
static void size_of_png(const void *data, size_t len, int *w, int *h)
{
	VipsImage *im = vips_image_new_from_buffer(data, len, "", NULL);
	cr_assert_not_null(im);
	*w = vips_image_get_width(im);
	*h = vips_image_get_height(im);
	g_object_unref(im);
}

static bool contains(const void *hay, size_t n, const char *needle)
{
	return memmem(hay, n, needle, strlen(needle)) != NULL;
}

Test(image, scales_a_png_down_to_fit_and_strips_it)
{
	size_t len;
	void *png = make_image(600, 300, false, &len);
	/* Something glued after the image's end, as a polyglot file would. */
	static const char hidden[] = "<script>KHIBRA-HIDDEN</script>";
	char *in = g_malloc(len + sizeof hidden);
	memcpy(in, png, len);
	memcpy(in + len, hidden, sizeof hidden);
	len += sizeof hidden;
	g_free(png);
	void *out;
	size_t out_len;
	char err[160] = "";
	cr_assert(image_reencode_png(in, len, 256, &out, &out_len, err, sizeof err), "%s", err);
	cr_assert_str_eq(filetype_detect(out, out_len), "image/png");
	int w, h;
	size_of_png(out, out_len, &w, &h);
	cr_assert_eq(w, 256);
	cr_assert_eq(h, 128);
	cr_assert(!contains(out, out_len, "KHIBRA-HIDDEN"), "the hidden bytes survived re-encoding");
	free(out);
	g_free(in);
}

Test(image, turns_a_jpeg_into_a_png_and_never_scales_up)
{
	size_t len;
	void *in = make_image(40, 20, true, &len);
	void *out;
	size_t out_len;
	char err[160] = "";
	cr_assert(image_reencode_png(in, len, 256, &out, &out_len, err, sizeof err), "%s", err);
	cr_assert_str_eq(filetype_detect(out, out_len), "image/png");
	int w, h;
	size_of_png(out, out_len, &w, &h);
	cr_assert_eq(w, 40);
	cr_assert_eq(h, 20);
	free(out);
	g_free(in);
}

Test(image, refuses_what_is_not_a_png_or_jpeg)
{
	static const char html[] = "<!doctype html><script>alert(1)</script>";
	static const char pdf[] = "%PDF-1.7\n1 0 obj\n";
	void *out = (void *)1;
	size_t out_len = 1;
	char err[160] = "";
	cr_assert(!image_reencode_png(html, sizeof html - 1, 256, &out, &out_len, err, sizeof err));
	cr_assert_null(out);
	cr_assert_eq(out_len, 0);
	cr_assert(*err);
	cr_assert(!image_reencode_png(pdf, sizeof pdf - 1, 256, &out, &out_len, err, sizeof err));
	cr_assert(!image_reencode_png("", 0, 256, &out, &out_len, err, sizeof err));
	/* A PNG signature with nothing decodable behind it. */
	static const char fake_png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDRgarbage-garbage-garbage";
	cr_assert(!image_reencode_png(fake_png, sizeof fake_png - 1, 256, &out, &out_len, err, sizeof err));
	cr_assert_null(out);
}

Test(image, refuses_a_truncated_png)
{
	size_t len;
	void *in = make_image(300, 300, false, &len);
	void *out;
	size_t out_len;
	char err[160] = "";
	cr_assert(!image_reencode_png(in, len / 2, 256, &out, &out_len, err, sizeof err));
	cr_assert_null(out);
	g_free(in);
}

Test(image, refuses_huge_images_from_their_header)
{
	size_t len;
	void *in = make_image(5000, 5000, false, &len);
	cr_assert_lt(len, 1024 * 1024, "a flat 5000x5000 PNG compresses well (%zu bytes)", len);
	void *out;
	size_t out_len;
	char err[160] = "";
	cr_assert(!image_reencode_png(in, len, 256, &out, &out_len, err, sizeof err));
	cr_assert_str_eq(err, "too many pixels");
	g_free(in);
	in = make_image(4001, 10, false, &len);
	cr_assert(!image_reencode_png(in, len, 256, &out, &out_len, err, sizeof err));
	cr_assert_str_eq(err, "too many pixels");
	g_free(in);
	in = make_image(4000, 4000, false, &len); /* 16 megapixels: allowed */
	cr_assert(image_reencode_png(in, len, 256, &out, &out_len, err, sizeof err), "%s", err);
	free(out);
	g_free(in);
}
