/*
 * image.c — re-encoding uploaded pictures with libvips (image.h).
 *
 * The order of the checks is the point: the loader libvips would pick for
 * the bytes (its PNG or JPEG one, nothing else), then the size from the
 * header (libvips reads images lazily, so opening one reads only its
 * header), and only then the decoding — of every pixel by image_probe(), or
 * while shrinking by vips_thumbnail_buffer().
 */
#include "core/image.h"
#include "core/xalloc.h"

#include <vips/vips.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t image_once = PTHREAD_ONCE_INIT;
static const char *image_argv0 = "";
static bool image_started;

/* image_start: run once.  Operations are not cached (each upload is seen
 * once; the cache would only keep decoded pixels alive), run on one thread
 * each, and the loaders
 * libvips marks untrusted (ImageMagick, PDF, …) are blocked even though we
 * only ever ask for PNG and JPEG. */
static void image_start(void)
{
	if (VIPS_INIT(image_argv0) != 0) {
		vips_error_clear();
		return;
	}
	vips_cache_set_max(0);
	/* One worker per operation: the server runs requests in parallel
	 * already, and with several workers libvips 8.14 sometimes lets an
	 * operation succeed although a tile of a corrupt file failed to decode
	 * (found by tests/fuzz/filetype), which would make image_probe's
	 * answer depend on timing. */
	vips_concurrency_set(1);
	vips_block_untrusted_set(TRUE);
	image_started = true;
}

bool image_init(const char *argv0)
{
	if (argv0)
		image_argv0 = argv0;
	pthread_once(&image_once, image_start);
	return image_started;
}

void image_shutdown(void)
{
	if (image_started)
		vips_shutdown();
}

/* hand_back: libvips' buffer as memory the caller frees with free(), not g_free(). */
static void hand_back(void *png, size_t png_len, void **out, size_t *out_len)
{
	*out = xmalloc(png_len ? png_len : 1);
	memcpy(*out, png, png_len);
	*out_len = png_len;
	g_free(png);
}

static bool image_fail(char *err, size_t errlen, const char *why)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", why);
	return false;
}

/* image_vips_fail: a libvips failure; its message goes to err and the global
 * error buffer is cleared for the next caller. */
static bool image_vips_fail(char *err, size_t errlen, const char *what)
{
	if (err && errlen) {
		snprintf(err, errlen, "%s: %s", what, vips_error_buffer());
		char *nl = strchr(err, '\n');
		if (nl)
			*nl = '\0';
	}
	vips_error_clear();
	return false;
}

/* loader_type: "image/png" or "image/jpeg" when the loader libvips picks
 * for these bytes is its PNG or JPEG one; NULL for any other loader. */
static const char *loader_type(const void *data, size_t len)
{
	const char *loader = vips_foreign_find_load_buffer(data, len);
	if (!loader) {
		vips_error_clear();
		return NULL;
	}
	if (strcmp(loader, "VipsForeignLoadPngBuffer") == 0)
		return "image/png";
	if (strcmp(loader, "VipsForeignLoadJpegBuffer") == 0)
		return "image/jpeg";
	return NULL;
}

/* header_type: the loader's type when it also reads a header of at most
 * max_side pixels a side and max_pixels in all (the pixels are not decoded);
 * NULL otherwise, with the reason in err. */
static const char *header_type(const void *data, size_t len, int64_t max_side, int64_t max_pixels, char *err,
			       size_t errlen)
{
	if (!data || len == 0) {
		image_fail(err, errlen, "empty");
		return NULL;
	}
	if (!image_init(NULL)) {
		image_fail(err, errlen, "libvips could not start");
		return NULL;
	}
	const char *type = loader_type(data, len);
	if (!type) {
		image_fail(err, errlen, "no PNG or JPEG loader for these bytes");
		return NULL;
	}
	VipsImage *header = vips_image_new_from_buffer(data, len, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
	if (!header) {
		image_vips_fail(err, errlen, "header");
		return NULL;
	}
	int64_t w = vips_image_get_width(header), h = vips_image_get_height(header);
	g_object_unref(header);
	if (w < 1 || h < 1 || w > max_side || h > max_side || w * h > max_pixels) {
		image_fail(err, errlen, "too many pixels");
		return NULL;
	}
	return type;
}

const char *image_probe(const void *data, size_t len)
{
	const char *type = header_type(data, len, IMAGE_SCAN_MAX_SIDE, IMAGE_SCAN_MAX_PIXELS, NULL, 0);
	if (!type)
		return NULL;
	/* Every pixel, in one sequential pass that keeps only a few lines in
	 * memory: a file cut short or corrupt after a good header fails here. */
	VipsImage *im = vips_image_new_from_buffer(data, len, "", "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
						   VIPS_FAIL_ON_TRUNCATED, NULL);
	double avg = 0;
	bool ok = im && vips_avg(im, &avg, NULL) == 0;
	if (im)
		g_object_unref(im);
	if (!ok)
		vips_error_clear();
	return ok ? type : NULL;
}

bool image_reencode_png(const void *data, size_t len, int max_side, void **out, size_t *out_len, char *err,
			size_t errlen)
{
	*out = NULL;
	*out_len = 0;
	if (max_side < 1 || max_side > IMAGE_MAX_SIDE)
		return image_fail(err, errlen, "bad max_side");
	/* The header only: the pixels are not decoded by this call. */
	if (!header_type(data, len, IMAGE_MAX_SIDE, IMAGE_MAX_PIXELS, err, errlen))
		return false;

	/* vips_thumbnail_buffer takes a non-const pointer but only reads it. */
	VipsImage *thumb = NULL;
	if (vips_thumbnail_buffer((void *)data, len, &thumb, max_side, "height", max_side, "size", VIPS_SIZE_DOWN,
				  "option_string", "[fail_on=truncated]", NULL) != 0)
		return image_vips_fail(err, errlen, "decode");
	void *png = NULL;
	size_t png_len = 0;
	int rc = vips_pngsave_buffer(thumb, &png, &png_len, "strip", TRUE, NULL);
	g_object_unref(thumb);
	if (rc != 0) {
		g_free(png);
		return image_vips_fail(err, errlen, "encode");
	}
	hand_back(png, png_len, out, out_len);
	return true;
}

bool image_png_from_rgb(const unsigned char *rgb, int width, int height, void **out, size_t *out_len)
{
	*out = NULL;
	*out_len = 0;
	if (!image_init(NULL) || width < 1 || height < 1)
		return false;
	VipsImage *im = vips_image_new_from_memory(rgb, (size_t)width * (size_t)height * 3, width, height, 3,
						   VIPS_FORMAT_UCHAR);
	if (!im)
		return false;
	void *png = NULL;
	size_t png_len = 0;
	int rc = vips_pngsave_buffer(im, &png, &png_len, "strip", TRUE, NULL);
	g_object_unref(im);
	if (rc != 0) {
		g_free(png);
		vips_error_clear();
		return false;
	}
	hand_back(png, png_len, out, out_len);
	return true;
}
