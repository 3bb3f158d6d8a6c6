/*
 * secret.h — random tokens, their stored hashes, and password hashing.
 *
 * Session ids, API tokens, CSRF tokens and e-mailed links are 256-bit values
 * from libsodium's CSPRNG, written as unpadded base64url (43 characters).
 * Only their BLAKE2b-256 hash (64 hex characters) is stored.  Passwords are
 * hashed with Argon2id (libsodium crypto_pwhash_str) at 19 MiB and 2 passes,
 * the OWASP minimum, which keeps a login under 50 ms on a small server.
 */
#ifndef KHIBRA_SECRET_H
#define KHIBRA_SECRET_H

#include <stdbool.h>
#include <stddef.h>

#define SECRET_TOKEN_SIZE 48 /* buffer for a token: 43 characters and a NUL */
#define SECRET_HASH_SIZE 65  /* buffer for a hex hash */
#define PASSWORD_HASH_SIZE 128

#define PASSWORD_OPSLIMIT 2u
#define PASSWORD_MEMLIMIT (19u * 1024u * 1024u)

bool secret_init(void); /* sodium_init(); false if libsodium cannot start */
void secret_token(char out[SECRET_TOKEN_SIZE]);
void secret_hash(const char *token, char out[SECRET_HASH_SIZE]);
/* secret_equal: constant-time comparison of two NUL-terminated strings. */
bool secret_equal(const char *a, const char *b);
/* secret_looks_like_token: 43 base64url characters (cheap check before hashing). */
bool secret_looks_like_token(const char *s);

bool password_hash(const char *password, char out[PASSWORD_HASH_SIZE]);
bool password_verify(const char *hash, const char *password);
/* password_length_ok: valid UTF-8 without control characters, 10 to 256
 * characters (Unicode code points). */
bool password_length_ok(const char *password);

#endif
