/*
 * sealed.h — private fields sealed at rest with libsodium secretbox
 * (XSalsa20-Poly1305).  A sealed value is nonce || box: a fresh random nonce
 * per message, then the ciphertext with its 16-byte tag.
 *
 * The key is 32 random bytes in DATA/keys/secretbox.key, never in the
 * database.  `khibra serve` loads it once at start (sealed_key_load), which
 * creates it on first start: mode 0600 in a 0700 folder, written to a temp
 * file, fsync'd and renamed into place.  A key file of the wrong size, or one
 * that group or others may read, stops start-up with one clear line.  The
 * loaded key lives in one static, mlock'ed buffer until sealed_key_unload().
 */
#ifndef KHIBRA_SEALED_H
#define KHIBRA_SEALED_H

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>

#define SEALED_KEY_BYTES crypto_secretbox_KEYBYTES
/* SEALED_OVERHEAD: bytes a sealed value adds to its plaintext. */
#define SEALED_OVERHEAD (crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)

/* sealed_key_load: read (or create) DATA_DIR/keys/secretbox.key into the
 * process's key.  False with one line in err when it cannot. */
bool sealed_key_load(const char *data_dir, char *err, size_t errlen);
/* sealed_key_ensure: sealed_key_load once, thread-safely, if no key is loaded
 * yet (for callers that may run before start-up loaded it); logs a failure. */
bool sealed_key_ensure(const char *data_dir);
/* sealed_key_unload: wipe and unlock the key. */
void sealed_key_unload(void);
/* sealed_key: the loaded key, or NULL when none is loaded. */
const unsigned char *sealed_key(void);

/* sealed_seal: nonce || box of `len` bytes under `key` into a malloc'd
 * buffer (*outlen = len + SEALED_OVERHEAD).  False only on absurd lengths. */
bool sealed_seal(const unsigned char *key, const void *plain, size_t len, unsigned char **out, size_t *outlen);
/* sealed_open: the plaintext of a sealed value, NUL-terminated, in a malloc'd
 * buffer (*len without the NUL; len may be NULL), or NULL when the value was
 * tampered with, is too short or was sealed under another key.  Free it with
 * sealed_free. */
char *sealed_open(const unsigned char *key, const void *sealed, size_t sealed_len, size_t *len);
/* sealed_free: wipe and free a plaintext returned by sealed_open. */
void sealed_free(char *plain);

#endif
