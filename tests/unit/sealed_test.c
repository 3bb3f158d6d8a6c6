/*
 * sealed_test.c — sealing private fields (auth/sealed.c) and the key file,
 * and the Asia/Riyadh availability check of help requests (help_slot_fits).
 */
#include "auth/sealed.h"
#include "store/help.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* temp_dir: a fresh empty folder (caller frees the path). */
static char *temp_dir(void)
{
	char *dir = strdup("/tmp/khibra-sealed-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	return dir;
}

static void key_path(const char *dir, char *out, size_t n)
{
	snprintf(out, n, "%s/keys/secretbox.key", dir);
}

static void remove_tree(const char *dir)
{
	char path[512];
	key_path(dir, path, sizeof path);
	unlink(path);
	snprintf(path, sizeof path, "%s/keys", dir);
	rmdir(path);
	rmdir(dir);
}

Test(sealed, round_trip_with_a_fresh_nonce)
{
	cr_assert_geq(sodium_init(), 0);
	unsigned char key[SEALED_KEY_BYTES];
	randombytes_buf(key, sizeof key);
	const char *text = "عقد إيجار: المالك يرفض إعادة التأمين";
	unsigned char *a = NULL, *b = NULL;
	size_t na = 0, nb = 0;
	cr_assert(sealed_seal(key, text, strlen(text), &a, &na));
	cr_assert(sealed_seal(key, text, strlen(text), &b, &nb));
	cr_assert_eq(na, strlen(text) + SEALED_OVERHEAD);
	cr_assert(memcmp(a, b, na) != 0, "two seals of one text must differ (random nonce)");
	cr_assert_null(memmem(a, na, text, strlen(text)), "plaintext visible in the sealed value");
	size_t len = 0;
	char *plain = sealed_open(key, a, na, &len);
	cr_assert_not_null(plain);
	cr_assert_eq(len, strlen(text));
	cr_assert_str_eq(plain, text);
	sealed_free(plain);
	free(a);
	free(b);
}

Test(sealed, tampering_or_another_key_fails)
{
	cr_assert_geq(sodium_init(), 0);
	unsigned char key[SEALED_KEY_BYTES], other[SEALED_KEY_BYTES];
	randombytes_buf(key, sizeof key);
	randombytes_buf(other, sizeof other);
	unsigned char *box = NULL;
	size_t n = 0;
	cr_assert(sealed_seal(key, "private", 7, &box, &n));
	cr_assert_null(sealed_open(other, box, n, NULL), "opened under another key");
	for (size_t i = 0; i < n; i += 5) {
		box[i] ^= 0x01;
		cr_assert_null(sealed_open(key, box, n, NULL), "tampered byte %zu went unnoticed", i);
		box[i] ^= 0x01;
	}
	cr_assert_null(sealed_open(key, box, SEALED_OVERHEAD - 1, NULL), "too short accepted");
	char *plain = sealed_open(key, box, n, NULL);
	cr_assert_str_eq(plain, "private");
	sealed_free(plain);
	free(box);
}

Test(sealed, key_file_created_0600_in_0700_and_reused)
{
	char *dir = temp_dir();
	char err[512] = "", path[512];
	cr_assert(sealed_key_load(dir, err, sizeof err), "%s", err);
	key_path(dir, path, sizeof path);
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600, "key mode %o", st.st_mode & 0777);
	cr_assert_eq(st.st_size, SEALED_KEY_BYTES);
	char keys[512];
	snprintf(keys, sizeof keys, "%s/keys", dir);
	cr_assert_eq(stat(keys, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700, "folder mode %o", st.st_mode & 0777);

	/* A value sealed now opens after a reload of the same file. */
	unsigned char *box = NULL;
	size_t n = 0;
	cr_assert(sealed_seal(sealed_key(), "x1", 2, &box, &n));
	sealed_key_unload();
	cr_assert_null(sealed_key());
	cr_assert(sealed_key_load(dir, err, sizeof err), "%s", err);
	char *plain = sealed_open(sealed_key(), box, n, NULL);
	cr_assert_not_null(plain, "the key changed on reload");
	sealed_free(plain);
	free(box);
	sealed_key_unload();
	remove_tree(dir);
	free(dir);
}

Test(sealed, wrong_size_or_open_key_file_refused)
{
	char *dir = temp_dir();
	char err[512] = "", path[512], keys[512];
	snprintf(keys, sizeof keys, "%s/keys", dir);
	cr_assert_eq(mkdir(keys, 0700), 0);
	key_path(dir, path, sizeof path);
	int fd = open(path, O_WRONLY | O_CREAT, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "short", 5), 5);
	close(fd);
	cr_assert_not(sealed_key_load(dir, err, sizeof err));
	cr_assert_not_null(strstr(err, "bytes"), "unclear message: %s", err);
	cr_assert_null(strchr(err, '\n'));
	cr_assert_null(sealed_key());

	/* The right size but readable by others: refused too. */
	unsigned char key[SEALED_KEY_BYTES] = { 0 };
	fd = open(path, O_WRONLY | O_TRUNC);
	cr_assert_eq(write(fd, key, sizeof key), (ssize_t)sizeof key);
	close(fd);
	chmod(path, 0644);
	err[0] = '\0';
	cr_assert_not(sealed_key_load(dir, err, sizeof err));
	cr_assert_not_null(strstr(err, "0600"), "unclear message: %s", err);
	chmod(path, 0600);
	cr_assert(sealed_key_load(dir, err, sizeof err), "%s", err);
	sealed_key_unload();
	remove_tree(dir);
	free(dir);
}

/* ---- availability in Asia/Riyadh ---- */

/* Sunday 2026-11-22 00:00 in Riyadh is 2026-11-21 21:00 UTC. */
#define SUNDAY_RIYADH_MIDNIGHT 1795294800LL

Test(sealed, slot_fits_riyadh_weekdays)
{
	struct help_availability week[] = {
		{ 0, 9 * 60, 12 * 60 },   /* Sunday 09:00–12:00 */
		{ 6, 22 * 60, 1440 },     /* Saturday 22:00–24:00 */
	};
	int64_t sun = SUNDAY_RIYADH_MIDNIGHT;
	cr_assert(help_slot_fits(week, 2, sun + 9 * 3600, sun + 10 * 3600));
	cr_assert(help_slot_fits(week, 2, sun + 11 * 3600, sun + 12 * 3600), "ending on the range's end fits");
	cr_assert_not(help_slot_fits(week, 2, sun + 8 * 3600 + 59 * 60, sun + 10 * 3600), "starts a minute early");
	cr_assert_not(help_slot_fits(week, 2, sun + 11 * 3600, sun + 12 * 3600 + 60), "ends a minute late");
	cr_assert_not(help_slot_fits(week, 2, sun + 10 * 3600, sun + 9 * 3600), "ends before it starts");
	/* Saturday 23:00 Riyadh is Saturday 20:00 UTC: the weekday is Riyadh's. */
	int64_t sat = sun - 86400;
	cr_assert(help_slot_fits(week, 2, sat + 23 * 3600, sat + 24 * 3600), "up to midnight fits");
	cr_assert_not(help_slot_fits(week, 2, sat + 23 * 3600, sat + 25 * 3600), "runs past midnight");
	/* Sunday 09:30 UTC is 12:30 in Riyadh: outside. 06:30 UTC is 09:30: inside. */
	cr_assert_not(help_slot_fits(week, 2, sun + 3 * 3600 + 9 * 3600 + 1800, sun + 3 * 3600 + 10 * 3600));
	cr_assert(help_slot_fits(week, 2, sun + 9 * 3600 + 1800, sun + 10 * 3600));
	/* Monday at the same hours: no range. */
	cr_assert_not(help_slot_fits(week, 2, sun + 86400 + 9 * 3600, sun + 86400 + 10 * 3600));
}
