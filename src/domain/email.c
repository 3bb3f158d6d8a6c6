/*
 * email.c — e-mail addresses as Khibra accepts them (see email.h).
 */
#include "domain/email.h"
#include "core/limits.h"

#include <ctype.h>
#include <string.h>

bool email_normalise(const char *in, char *out, size_t outlen)
{
	if (!in)
		return false;
	while (*in == ' ' || *in == '\t')
		in++;
	size_t n = strlen(in);
	while (n && (in[n - 1] == ' ' || in[n - 1] == '\t'))
		n--;
	if (n < 3 || n > LIMIT_EMAIL_BYTES || n + 1 > outlen)
		return false;
	int ats = 0;
	size_t at = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)in[i];
		if (ch <= ' ' || ch == 0x7f || ch == '<' || ch == '>' || ch == '"' || ch == ',' || ch == ';')
			return false;
		if (ch == '@') {
			ats++;
			at = i;
		}
		out[i] = (char)tolower(ch);
	}
	out[n] = '\0';
	if (ats != 1 || at == 0 || at == n - 1)
		return false;
	const char *domain = out + at + 1;
	const char *dot = strrchr(domain, '.');
	return dot && dot != domain && dot[1] != '\0' && !strstr(domain, "..");
}
