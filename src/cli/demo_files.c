/*
 * demo_files.c — generated PDF and PNG documents for the demo (demo_files.h).
 */
#include "cli/demo_files.h"
#include "core/image.h"
#include "core/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void demo_pdf(const char *title, buf *out)
{
	char content[256];
	int clen = snprintf(content, sizeof content, "BT /F1 12 Tf 40 780 Td (%s) Tj ET", title);
	const char *objects[5];
	char page_content[400];
	snprintf(page_content, sizeof page_content, "<< /Length %d >>\nstream\n%s\nendstream", clen, content);
	objects[0] = "<< /Type /Catalog /Pages 2 0 R >>";
	objects[1] = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
	objects[2] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
		     "/Resources << /Font << /F1 5 0 R >> >> >>";
	objects[3] = page_content;
	objects[4] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
	size_t offsets[5];
	buf_puts(out, "%PDF-1.4\n");
	for (int i = 0; i < 5; i++) {
		offsets[i] = out->len;
		buf_printf(out, "%d 0 obj\n%s\nendobj\n", i + 1, objects[i]);
	}
	size_t xref = out->len;
	buf_puts(out, "xref\n0 6\n0000000000 65535 f \n");
	for (int i = 0; i < 5; i++)
		buf_printf(out, "%010zu 00000 n \n", offsets[i]);
	/* No line end after %%EOF: the file ends with the marker itself. */
	buf_printf(out, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF", xref);
}

#define PNG_W 480
#define PNG_H 340

/* fill: paint the rectangle [x0,x1)×[y0,y1) of the RGB pixels `raw`. */
static void fill(unsigned char *raw, int x0, int y0, int x1, int y1, const unsigned char rgb[3])
{
	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++)
			memcpy(raw + ((size_t)y * PNG_W + (size_t)x) * 3, rgb, 3);
}

/* draw: the certificate: paper, border, heading band, text lines, seal. */
static void draw(unsigned char *raw, const char *title)
{
	static const unsigned char paper[3] = { 250, 247, 238 }, green[3] = { 0, 98, 65 },
				   ink[3] = { 90, 90, 90 }, gold[3] = { 191, 150, 60 };
	fill(raw, 0, 0, PNG_W, PNG_H, paper);
	fill(raw, 10, 10, PNG_W - 10, 18, green);
	fill(raw, 10, PNG_H - 18, PNG_W - 10, PNG_H - 10, green);
	fill(raw, 10, 10, 18, PNG_H - 10, green);
	fill(raw, PNG_W - 18, 10, PNG_W - 10, PNG_H - 10, green);
	fill(raw, 60, 40, PNG_W - 60, 70, green);
	uint32_t h = 2166136261u; /* FNV-1a of the title: each document its own lines */
	size_t n = strlen(title);
	for (int line = 0; line < 7; line++) {
		for (size_t i = 0; i < n; i++)
			h = (h ^ (unsigned char)title[i]) * 16777619u;
		int len = 180 + (int)(h % 220);
		fill(raw, PNG_W - 50 - len, 100 + line * 24, PNG_W - 50, 108 + line * 24, ink); /* right to left */
	}
	for (int y = -30; y <= 30; y++)
		for (int x = -30; x <= 30; x++)
			if (x * x + y * y <= 900)
				fill(raw, 90 + x, 280 + y, 91 + x, 281 + y, gold);
}

bool demo_png(const char *title, buf *out)
{
	unsigned char *raw = xmalloc((size_t)PNG_W * PNG_H * 3);
	draw(raw, title);
	void *png;
	size_t len;
	bool ok = image_png_from_rgb(raw, PNG_W, PNG_H, &png, &len);
	if (ok) {
		buf_append(out, png, len);
		free(png);
	}
	free(raw);
	return ok;
}
