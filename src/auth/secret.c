/* secret.c — tokens, hashes and passwords through libsodium; see secret.h. */
#include "auth/secret.h"
#include "core/limits.h"
#include "domain/profile.h"

#include <sodium.h>
#include <string.h>

bool secret_init(void)
{
	return sodium_init() >= 0;
}

void secret_token(char out[SECRET_TOKEN_SIZE])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, SECRET_TOKEN_SIZE, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

void secret_hash(const char *token, char out[SECRET_HASH_SIZE])
{
	unsigned char digest[32];
	crypto_generichash(digest, sizeof digest, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, SECRET_HASH_SIZE, digest, sizeof digest);
}

bool secret_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb || la == 0)
		return false;
	return sodium_memcmp(a, b, la) == 0;
}

bool secret_looks_like_token(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++) {
		char ch = s[n];
		bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
			  ch == '-' || ch == '_';
		if (!ok || n > 43)
			return false;
	}
	return n == 43;
}

/* The fuzz build of tests/fuzz (clang -DKHIBRA_FUZZ, never the Makefile's)
 * hashes at libsodium's minimum Argon2id cost, so that a fuzzed login or
 * registration takes microseconds, not 19 MiB and 50 ms.  Verification reads
 * the cost from the hash itself, so nothing else changes. */
#ifdef KHIBRA_FUZZ
#define HASH_OPSLIMIT crypto_pwhash_argon2id_OPSLIMIT_MIN
#define HASH_MEMLIMIT crypto_pwhash_argon2id_MEMLIMIT_MIN
#else
#define HASH_OPSLIMIT PASSWORD_OPSLIMIT
#define HASH_MEMLIMIT PASSWORD_MEMLIMIT
#endif

bool password_hash(const char *password, char out[PASSWORD_HASH_SIZE])
{
	_Static_assert(PASSWORD_HASH_SIZE >= crypto_pwhash_STRBYTES, "hash buffer too small");
	return crypto_pwhash_str_alg(out, password, strlen(password), HASH_OPSLIMIT, HASH_MEMLIMIT,
				     crypto_pwhash_ALG_ARGON2ID13) == 0;
}

bool password_verify(const char *hash, const char *password)
{
	if (!hash || !*hash)
		return false;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

/* Counted by ICU (profile_utf8_length), which also refuses ill-formed
 * UTF-8 (overlong forms, surrogates, stray continuation bytes) and control
 * characters: a password must be text that can be typed again. */
bool password_length_ok(const char *password)
{
	long points = profile_utf8_length(password, false);
	return points >= LIMIT_PASSWORD_MIN && points <= LIMIT_PASSWORD_MAX;
}
