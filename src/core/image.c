/*
 * image.c — re-encoding uploaded pictures with libvips (image.h).
 *
 * The order of the checks is the point: the type from the first bytes, then
 * the loader libvips would pick, then the size from the header (libvips
 * reads images lazily, so opening one reads only its header), and only then
 * the decoding, which vips_thumbnail_buffer() does while shrinking.
 */
#include "core/image.h"
#include "core/xalloc.h"
#include "store/files.h"

#include <vips/vips.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t image_once = PTHREAD_ONCE_INIT;
static const char *image_argv0 = "";
static bool image_started;

/* image_start: run once.  Operations are not cached (each upload is seen
 * once; the cache would only keep decoded pixels alive), and the loaders
 * libvips marks untrusted (ImageMagick, PDF, …) are blocked even though we
 * only ever ask for PNG and JPEG. */
static void image_start(void)
{
	if (VIPS_INIT(image_argv0) != 0) {
		vips_error_clear();
		return;
	}
	vips_cache_set_max(0);
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

/* loader_ok: the loader libvips picks for these bytes is its PNG or JPEG one. */
static bool loader_ok(const void *data, size_t len)
{
	const char *loader = vips_foreign_find_load_buffer(data, len);
	if (!loader) {
		vips_error_clear();
		return false;
	}
	return strcmp(loader, "VipsForeignLoadPngBuffer") == 0 || strcmp(loader, "VipsForeignLoadJpegBuffer") == 0;
}

bool image_reencode_png(const void *data, size_t len, int max_side, void **out, size_t *out_len, char *err,
			size_t errlen)
{
	*out = NULL;
	*out_len = 0;
	if (max_side < 1 || max_side > IMAGE_MAX_SIDE)
		return image_fail(err, errlen, "bad max_side");
	const char *type = filetype_detect(data, len);
	if (!type || (strcmp(type, "image/png") != 0 && strcmp(type, "image/jpeg") != 0))
		return image_fail(err, errlen, "not a PNG or JPEG");
	if (!image_init(NULL))
		return image_fail(err, errlen, "libvips could not start");
	if (!loader_ok(data, len))
		return image_fail(err, errlen, "no PNG or JPEG loader for these bytes");

	/* The header only: the pixels are not decoded by this call. */
	VipsImage *header = vips_image_new_from_buffer(data, len, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
	if (!header)
		return image_vips_fail(err, errlen, "header");
	int64_t w = vips_image_get_width(header), h = vips_image_get_height(header);
	g_object_unref(header);
	if (w < 1 || h < 1 || w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE || w * h > IMAGE_MAX_PIXELS)
		return image_fail(err, errlen, "too many pixels");

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
	/* Hand back memory the caller frees with free(), not g_free(). */
	*out = xmalloc(png_len ? png_len : 1);
	memcpy(*out, png, png_len);
	*out_len = png_len;
	g_free(png);
	return true;
}
