/*
 * email.h — the one check of an e-mail address.  Pure: no I/O.
 *
 * Khibra stores addresses trimmed and lower-cased, so that one person cannot
 * register twice as Sara@… and sara@….  The check is deliberately simple
 * (one @, a dot in the domain, no spaces, quotes or brackets): the real test
 * of an address is the confirmation link mailed to it.
 */
#ifndef KHIBRA_EMAIL_H
#define KHIBRA_EMAIL_H

#include <stdbool.h>
#include <stddef.h>

/* email_normalise: trim and lower-case `in` into out; false if it is not an
 * address, longer than LIMIT_EMAIL_BYTES, or does not fit in outlen. */
bool email_normalise(const char *in, char *out, size_t outlen);

#endif
