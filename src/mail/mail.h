/*
 * mail.h — outgoing mail (verification links, password resets, notices).
 *
 * One function sends one plain-text message to one recipient.  With an SMTP
 * server configured it goes through libcurl; without one it is written to an
 * outbox directory as a .eml file, which is what development and the tests
 * use (open it with any mail reader).
 */
#ifndef KHIBRA_MAIL_H
#define KHIBRA_MAIL_H

#include <stdbool.h>

struct mail_config {
	const char *smtp_url;      /* "smtp://host:port" or "smtps://host:port"; NULL → outbox */
	const char *smtp_user;     /* NULL: no authentication */
	const char *smtp_password;
	const char *from;          /* "Khibra <no-reply@khibra.local>"; NULL means exactly that */
	const char *outbox_dir;    /* DATA/outbox, created (mode 0700) when missing */
};

/*
 * mail_send: build an RFC 5322 message and send it, or drop it in the outbox.
 *
 *  - `to` is one bare address ("name@example.org", at most LIMIT_EMAIL_BYTES,
 *    ASCII, no spaces or brackets); `subject` and `body` are UTF-8.
 *  - The subject is RFC 2047 encoded (=?UTF-8?B?…?=) when it is not plain
 *    ASCII; the body goes as text/plain; charset=UTF-8 in base64, its line
 *    ends made CRLF (MIME's canonical form for text).
 *  - Headers: Date, From, To, Subject, Message-ID (random part from
 *    libsodium), MIME-Version, Content-Type, Content-Transfer-Encoding,
 *    Auto-Submitted: auto-generated.
 *  - SMTP: plain smtp:// upgrades with STARTTLS when the server offers it, and
 *    insists on it when a user and password are configured, so a password is
 *    never sent in the clear.  smtps:// is TLS from the start.
 *  - Outbox: OUTBOX/<YYYYMMDDTHHMMSSZ>-<random>.eml, mode 0600, written to a
 *    temporary name, synced, then renamed: a reader never sees half a message.
 *
 * A `to` or `subject` containing CR or LF (header injection) is refused and
 * nothing is sent or written.  Returns false, with a log line, on any failure.
 */
bool mail_send(const struct mail_config *c, const char *to, const char *subject, const char *body);

#endif
