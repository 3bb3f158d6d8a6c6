/*
 * sealed.c — the secretbox key file and sealing of private fields (sealed.h).
 */
#include "auth/sealed.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned char the_key[SEALED_KEY_BYTES];
static bool key_loaded;
static bool key_locked;
static pthread_mutex_t key_mutex = PTHREAD_MUTEX_INITIALIZER;

/* read_key_file: the existing key file at `path`, refused when it is not a
 * regular file of exactly SEALED_KEY_BYTES that only its owner can read. */
static bool read_key_file(const char *path, unsigned char *key, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open the key file %s: %s", path, strerror(errno));
		return false;
	}
	struct stat st;
	bool ok = false;
	if (fstat(fd, &st) != 0)
		snprintf(err, errlen, "cannot read the key file %s: %s", path, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		snprintf(err, errlen, "the key file %s is not a regular file", path);
	else if (st.st_mode & (S_IRWXG | S_IRWXO))
		snprintf(err, errlen, "the key file %s is open to group or others (mode %03o); make it 0600",
			 path, (unsigned)(st.st_mode & 0777));
	else if (st.st_size != SEALED_KEY_BYTES)
		snprintf(err, errlen, "the key file %s has %lld bytes instead of %d", path, (long long)st.st_size,
			 SEALED_KEY_BYTES);
	else if (read(fd, key, SEALED_KEY_BYTES) != SEALED_KEY_BYTES)
		snprintf(err, errlen, "cannot read the key file %s", path);
	else
		ok = true;
	close(fd);
	return ok;
}

/* write_key_file: a new random key, written to a temp file (0600), fsync'd,
 * renamed to `path` and the folder fsync'd, so a crash leaves no half key. */
static bool write_key_file(const char *dir, const char *path, unsigned char *key, char *err, size_t errlen)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create the key file %s: %s", tmp, strerror(errno));
		free(tmp);
		return false;
	}
	randombytes_buf(key, SEALED_KEY_BYTES);
	bool ok = write(fd, key, SEALED_KEY_BYTES) == SEALED_KEY_BYTES && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (ok && rename(tmp, path) != 0)
		ok = false;
	if (!ok) {
		snprintf(err, errlen, "cannot write the key file %s: %s", path, strerror(errno));
		unlink(tmp);
		sodium_memzero(key, SEALED_KEY_BYTES);
	} else {
		int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	free(tmp);
	return ok;
}

bool sealed_key_load(const char *data_dir, char *err, size_t errlen)
{
	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium cannot start");
		return false;
	}
	char *dir = xasprintf("%s/keys", data_dir);
	char *path = xasprintf("%s/secretbox.key", dir);
	unsigned char key[SEALED_KEY_BYTES];
	bool ok;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create the key folder %s: %s", dir, strerror(errno));
		ok = false;
	} else if (access(path, F_OK) == 0) {
		ok = read_key_file(path, key, err, errlen);
	} else {
		ok = write_key_file(dir, path, key, err, errlen);
	}
	if (ok) {
		pthread_mutex_lock(&key_mutex);
		if (!key_locked)
			key_locked = sodium_mlock(the_key, sizeof the_key) == 0;
		memcpy(the_key, key, sizeof the_key);
		key_loaded = true;
		pthread_mutex_unlock(&key_mutex);
	}
	sodium_memzero(key, sizeof key);
	free(path);
	free(dir);
	return ok;
}

bool sealed_key_ensure(const char *data_dir)
{
	pthread_mutex_lock(&key_mutex);
	bool loaded = key_loaded;
	pthread_mutex_unlock(&key_mutex);
	if (loaded)
		return true;
	char err[512];
	static pthread_mutex_t once = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_lock(&once);
	bool ok = sealed_key() != NULL || sealed_key_load(data_dir, err, sizeof err);
	pthread_mutex_unlock(&once);
	if (!ok)
		log_error("sealed", "%s", err);
	return ok;
}

void sealed_key_unload(void)
{
	pthread_mutex_lock(&key_mutex);
	if (key_locked)
		sodium_munlock(the_key, sizeof the_key); /* also wipes it */
	sodium_memzero(the_key, sizeof the_key);
	key_locked = false;
	key_loaded = false;
	pthread_mutex_unlock(&key_mutex);
}

const unsigned char *sealed_key(void)
{
	pthread_mutex_lock(&key_mutex);
	bool loaded = key_loaded;
	pthread_mutex_unlock(&key_mutex);
	return loaded ? the_key : NULL;
}

bool sealed_seal(const unsigned char *key, const void *plain, size_t len, unsigned char **out, size_t *outlen)
{
	if (!key || len > SIZE_MAX / 2) {
		*out = NULL;
		return false;
	}
	size_t n = len + SEALED_OVERHEAD;
	unsigned char *box = xmalloc(n);
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, plain, len, box, key);
	*out = box;
	*outlen = n;
	return true;
}

char *sealed_open(const unsigned char *key, const void *sealed, size_t sealed_len, size_t *len)
{
	if (!key || !sealed || sealed_len < SEALED_OVERHEAD)
		return NULL;
	const unsigned char *s = sealed;
	size_t n = sealed_len - SEALED_OVERHEAD;
	char *plain = xmalloc(n + 1);
	if (crypto_secretbox_open_easy((unsigned char *)plain, s + crypto_secretbox_NONCEBYTES,
				       sealed_len - crypto_secretbox_NONCEBYTES, s, key) != 0) {
		free(plain);
		return NULL;
	}
	plain[n] = '\0';
	if (len)
		*len = n;
	return plain;
}

void sealed_free(char *plain)
{
	if (!plain)
		return;
	sodium_memzero(plain, strlen(plain));
	free(plain);
}
