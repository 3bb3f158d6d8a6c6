/*
 * files.c — content-addressed storage of uploads and type detection (files.h).
 */
#include "store/files.h"
#include "core/image.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	const char *type;
	const char *extension;
	const unsigned char *magic;
	size_t len;
} signatures[] = {
	{ "application/pdf", ".pdf", (const unsigned char *)"%PDF-", 5 },
	{ "image/png", ".png", (const unsigned char *)"\x89PNG\r\n\x1a\n", 8 },
	{ "image/jpeg", ".jpg", (const unsigned char *)"\xff\xd8\xff", 3 },
};
#define NSIGNATURES (sizeof signatures / sizeof signatures[0])

static bool starts_with_signature(const unsigned char *p, size_t len, size_t i)
{
	return len >= signatures[i].len && memcmp(p, signatures[i].magic, signatures[i].len) == 0;
}

static bool pdf_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\0';
}

/* last_in: the last occurrence of `word` in p[0, len), or NULL. */
static const unsigned char *last_in(const unsigned char *p, size_t len, const char *word)
{
	const unsigned char *found = NULL, *at = p;
	size_t n = strlen(word);
	while ((at = memmem(at, len - (size_t)(at - p), word, n)) != NULL)
		found = at++;
	return found;
}

/* pdf_structure_ok: the frame every PDF has, which a page of HTML or a
 * script behind "%PDF-" lacks: the header line "%PDF-1.0" … "%PDF-1.7" or
 * "%PDF-2.0", a "%%EOF" marker within the last FILES_PDF_TAIL bytes, and
 * just before it (white space only between) "startxref" and the byte offset
 * of the cross-reference section, a decimal number smaller than the file. */
static bool pdf_structure_ok(const unsigned char *p, size_t len)
{
	if (len < 9 || !starts_with_signature(p, len, 0))
		return false;
	bool v1 = p[5] == '1' && p[6] == '.' && p[7] >= '0' && p[7] <= '7';
	bool v2 = p[5] == '2' && p[6] == '.' && p[7] == '0';
	if (!(v1 || v2) || !pdf_space(p[8]))
		return false;
	size_t tail_len = len < FILES_PDF_TAIL ? len : FILES_PDF_TAIL;
	const unsigned char *tail = p + len - tail_len;
	const unsigned char *eof = last_in(tail, tail_len, "%%EOF");
	const unsigned char *xref = eof ? last_in(p, (size_t)(eof - p), "startxref") : NULL;
	if (!xref)
		return false;
	const unsigned char *q = xref + strlen("startxref");
	if (q >= eof || !pdf_space(*q))
		return false;
	while (q < eof && pdf_space(*q))
		q++;
	size_t offset = 0, digits = 0;
	for (; q < eof && *q >= '0' && *q <= '9' && digits < 19; q++, digits++)
		offset = offset * 10 + (size_t)(*q - '0');
	if (digits == 0 || offset >= len || q == eof || !pdf_space(*q))
		return false;
	while (q < eof && pdf_space(*q)) /* only white space up to the marker */
		q++;
	return q == eof;
}

const char *filetype_detect(const void *data, size_t len)
{
	const unsigned char *p = data;
	if (!p || len == 0)
		return NULL;
	if (pdf_structure_ok(p, len))
		return signatures[0].type;
	/* Only what starts like a PNG or a JPEG goes to libvips, and it must be
	 * the image its first bytes announce. */
	for (size_t i = 1; i < NSIGNATURES; i++) {
		if (!starts_with_signature(p, len, i))
			continue;
		const char *probed = image_probe(p, len);
		return probed && strcmp(probed, signatures[i].type) == 0 ? signatures[i].type : NULL;
	}
	return NULL;
}

const char *filetype_extension(const char *type)
{
	for (size_t i = 0; type && i < NSIGNATURES; i++)
		if (strcmp(type, signatures[i].type) == 0)
			return signatures[i].extension;
	return ".bin";
}

bool files_hash_valid(const char *hash)
{
	if (!hash || strlen(hash) != 64)
		return false;
	for (const char *p = hash; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

/* make_dir: mkdir with mode 0700, fine if it already exists. */
static bool make_dir(const char *path)
{
	if (mkdir(path, 0700) == 0 || errno == EEXIST)
		return true;
	log_error("files", "cannot create %s: %s", path, strerror(errno));
	return false;
}

/* write_all: the whole buffer to fd, retrying short writes. */
static bool write_all(int fd, const unsigned char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

bool files_store(const char *data_dir, const void *data, size_t len, char *hash)
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, data, len);
	sodium_bin2hex(hash, FILES_HASH_HEX, digest, sizeof digest);

	char rnd[17];
	unsigned char raw[8];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(rnd, sizeof rnd, raw, sizeof raw);
	char *top = xasprintf("%s/files", data_dir);
	char *dir = xasprintf("%s/files/%.2s", data_dir, hash);
	char *path = xasprintf("%s/%s", dir, hash);
	char *tmp = xasprintf("%s/.tmp-%s", dir, rnd);
	bool ok = make_dir(data_dir) && make_dir(top) && make_dir(dir);
	struct stat st;
	if (ok && !(stat(path, &st) == 0 && (size_t)st.st_size == len)) { /* same content, same file */
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		ok = fd >= 0;
		if (ok) {
			ok = write_all(fd, data, len) && fsync(fd) == 0;
			ok = close(fd) == 0 && ok;
			ok = ok && rename(tmp, path) == 0;
		}
		if (!ok) {
			log_error("files", "cannot store %s: %s", path, strerror(errno));
			unlink(tmp);
		}
	}
	free(top);
	free(dir);
	free(path);
	free(tmp);
	return ok;
}

bool files_read(const char *data_dir, const char *hash, buf *out)
{
	if (!files_hash_valid(hash))
		return false;
	char *path = xasprintf("%s/files/%.2s/%s", data_dir, hash, hash);
	FILE *f = fopen(path, "rb");
	free(path);
	if (!f)
		return false;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(out, chunk, n);
	bool ok = !ferror(f);
	fclose(f);
	return ok;
}
