/*
 * mail.c — build one RFC 5322 message and send it by SMTP (libcurl) or write
 * it to the outbox; see mail.h.
 *
 * Base64 and random bytes come from libsodium, SMTP from libcurl.  What is
 * written here is only the message format: RFC 2047 encoded words for the
 * subject and a non-ASCII sender name, MIME headers, and the Date format.
 */
#include "mail/mail.h"
#include "core/buf.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <curl/curl.h>
#include <sodium.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAIL_DEFAULT_FROM "Khibra <no-reply@khibra.local>"
#define MAIL_RANDOM_BYTES 16           /* Message-ID and file names: 128 random bits */
#define MAIL_SUBJECT_RAW_MAX 900       /* an ASCII subject longer than this is encoded */
#define MAIL_LINE_MAX 78               /* RFC 5322 §2.1.1: SHOULD stay within 78 */
#define MAIL_ENCODED_WORD_BYTES 45     /* 45 bytes → 60 base64 chars → a 72-char word */
#define MAIL_BODY_LINE_BYTES 57        /* 57 bytes → 76 base64 chars, RFC 2045's line */
#define MAIL_CONNECT_TIMEOUT_SECONDS 10L
#define MAIL_TIMEOUT_SECONDS 60L

/* ================================================================
 * Library set-up, once per process
 * ================================================================ */

static pthread_once_t libraries_once = PTHREAD_ONCE_INIT;
static bool libraries_ok;

static void libraries_init(void)
{
	libraries_ok = sodium_init() >= 0 && curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

/* ================================================================
 * Checking addresses
 * ================================================================ */

static bool has_line_break(const char *s)
{
	return strpbrk(s, "\r\n") != NULL;
}

/*
 * address_ok: a bare addr-spec we are willing to put in a header and an SMTP
 * command: printable ASCII without spaces or the characters that delimit
 * addresses, one '@' with something on both sides.  Deliberately narrower
 * than RFC 5321 (no quoted local parts, no SMTPUTF8).
 */
static bool address_ok(const char *s, size_t n)
{
	if (n < 3 || n > LIMIT_EMAIL_BYTES)
		return false;
	size_t at = n, ats = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7f || strchr("<>()[],;:\"\\", c))
			return false;
		if (c == '@') {
			at = i;
			ats++;
		}
	}
	return ats == 1 && at > 0 && at < n - 1;
}

/*
 * split_from: "Name <addr>" → name and addr; a bare "addr" has no name.
 * Pointers into `from`; false if the address part is not address_ok.
 */
static bool split_from(const char *from, const char **name, size_t *name_len, const char **addr,
		       size_t *addr_len)
{
	const char *open = strrchr(from, '<');
	if (!open) {
		*name = from;
		*name_len = 0;
		*addr = from;
		*addr_len = strlen(from);
		return address_ok(*addr, *addr_len);
	}
	const char *close = strchr(open, '>');
	if (!close || close[1] != '\0')
		return false;
	*addr = open + 1;
	*addr_len = (size_t)(close - open - 1);
	*name = from;
	*name_len = (size_t)(open - from);
	while (*name_len && (from[*name_len - 1] == ' ' || from[*name_len - 1] == '\t'))
		(*name_len)--;
	return address_ok(*addr, *addr_len);
}

/* ================================================================
 * Building the message
 * ================================================================ */

/* append_base64: bin[0..n) in standard base64 (with padding) at the end of out. */
static void append_base64(buf *out, const unsigned char *bin, size_t n)
{
	size_t room = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	buf_grow(out, room);
	sodium_bin2base64(out->data + out->len, room, bin, n, sodium_base64_VARIANT_ORIGINAL);
	out->len += room - 1; /* room counts the NUL */
}

/*
 * append_encoded_words: s[0..n) as RFC 2047 "B" encoded words, each holding
 * whole UTF-8 characters (§5: a multi-octet character may not be split
 * across words), folded onto continuation lines so that no line passes 78
 * characters.  `column` is where the first word starts ("Subject: " → 9).
 */
static void append_encoded_words(buf *out, const char *s, size_t n, size_t column)
{
	size_t i = 0;
	do {
		/* "=?UTF-8?B?" + base64 + "?=": 12 characters plus 4 per 3 bytes. */
		size_t room = MAIL_LINE_MAX > column + 12 ? (MAIL_LINE_MAX - column - 12) / 4 * 3 : 0;
		if (room > MAIL_ENCODED_WORD_BYTES)
			room = MAIL_ENCODED_WORD_BYTES;
		if (room < 6) { /* too little left on this line: start the next */
			buf_puts(out, "\r\n ");
			column = 1;
			continue;
		}
		size_t take = n - i < room ? n - i : room;
		if (i + take < n) {
			size_t back = take;
			while (back > 0 && ((unsigned char)s[i + back] & 0xc0) == 0x80)
				back--;
			if (back > 0)
				take = back; /* else not UTF-8 at all: cut anywhere */
			/* Rather cut after a space: some decoders (Python's address
			 * parser) put a space between words, which then falls
			 * between two words of the text, not inside one. */
			for (size_t k = take; k > take / 2; k--) {
				if (s[i + k - 1] == ' ') {
					take = k;
					break;
				}
			}
		}
		buf_puts(out, "=?UTF-8?B?");
		append_base64(out, (const unsigned char *)s + i, take);
		buf_puts(out, "?=");
		i += take;
		if (i < n) {
			buf_puts(out, "\r\n ");
			column = 1;
		}
	} while (i < n);
}

/* needs_encoding: may s[0..n) not appear raw in a header? */
static bool needs_encoding(const char *s, size_t n)
{
	if (n > MAIL_SUBJECT_RAW_MAX)
		return true;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f)
			return true;
		if (c == '=' && i + 1 < n && s[i + 1] == '?')
			return true; /* would read as the start of an encoded word */
	}
	return false;
}

/*
 * append_folded: ASCII text s[0..n) starting at `column`, folded (CRLF put
 * before a space, RFC 5322 §2.2.3) where a line would pass 78 characters.
 * A word longer than a line stays whole: lines may reach 998.
 */
static void append_folded(buf *out, const char *s, size_t n, size_t column)
{
	while (column + n > MAIL_LINE_MAX) {
		size_t limit = MAIL_LINE_MAX - column, cut = 0;
		/* Fold only before a space followed by a word: no line of blanks alone. */
		for (size_t k = 1; k <= limit && k + 1 < n; k++)
			if (s[k] == ' ' && s[k + 1] != ' ')
				cut = k;
		if (!cut) /* no space in reach: the next one, if any */
			while (++cut + 1 < n && !(s[cut] == ' ' && s[cut + 1] != ' '))
				;
		if (cut + 1 >= n)
			break;
		buf_append(out, s, cut);
		buf_puts(out, "\r\n");
		s += cut;
		n -= cut;
		column = 0;
	}
	buf_append(out, s, n);
}

/* current_column: characters on the last line of out so far. */
static size_t current_column(const buf *out)
{
	size_t i = out->len;
	while (i > 0 && out->data[i - 1] != '\n')
		i--;
	return out->len - i;
}

/* is_atext_phrase: letters, digits, spaces and RFC 5322 atext only (no quoting needed). */
static bool is_atext_phrase(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if (!alnum && c != ' ' && !strchr("!#$%&'*+-/=?^_`{|}~", c))
			return false;
	}
	return true;
}

/* append_date: RFC 5322 date-time in UTC, "Wed, 25 Nov 2026 11:30:00 +0000",
 * in English whatever the locale (strftime's %a and %b would follow it). */
static void append_date(buf *out, time_t now)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;
	gmtime_r(&now, &tm);
	buf_printf(out, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday % 7],
		   tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		   tm.tm_sec);
}

/* canonical_text: body with every line end (LF, CR or CRLF) made CRLF. */
static void canonical_text(buf *out, const char *body)
{
	for (const char *p = body; *p; p++) {
		if (*p == '\r') {
			buf_puts(out, "\r\n");
			if (p[1] == '\n')
				p++;
		} else if (*p == '\n') {
			buf_puts(out, "\r\n");
		} else {
			buf_putc(out, *p);
		}
	}
}

/*
 * build_message: the whole message, CRLF line ends, in out.  `random_hex` is
 * the message's random part (also in the outbox file name).
 */
static void build_message(buf *out, const char *from, const char *to, const char *subject,
			  const char *body, time_t now, const char *random_hex)
{
	const char *name, *addr;
	size_t name_len, addr_len;
	split_from(from, &name, &name_len, &addr, &addr_len); /* checked by mail_send */
	const char *at = memchr(addr, '@', addr_len);
	const char *domain = at ? at + 1 : "localhost";
	size_t domain_len = at ? addr_len - (size_t)(domain - addr) : strlen(domain);
	if (name_len >= 2 && name[0] == '"' && name[name_len - 1] == '"') {
		name++;            /* "Khibra Team" → Khibra Team; a name that needs quotes is encoded */
		name_len -= 2;
	}

	buf_puts(out, "Date: ");
	append_date(out, now);
	buf_puts(out, "\r\nFrom: ");
	if (name_len) {
		if (is_atext_phrase(name, name_len))
			buf_append(out, name, name_len);
		else
			append_encoded_words(out, name, name_len, strlen("From: "));
		buf_puts(out, current_column(out) + addr_len + 3 > MAIL_LINE_MAX ? "\r\n <" : " <");
		buf_append(out, addr, addr_len);
		buf_puts(out, ">");
	} else {
		buf_append(out, addr, addr_len);
	}
	buf_printf(out, "\r\nTo: %s\r\nSubject: ", to);
	size_t subject_len = strlen(subject);
	if (needs_encoding(subject, subject_len))
		append_encoded_words(out, subject, subject_len, strlen("Subject: "));
	else
		append_folded(out, subject, subject_len, strlen("Subject: "));
	buf_printf(out, "\r\nMessage-ID: <%s.%lld@%.*s>\r\n", random_hex, (long long)now,
		   (int)domain_len, domain);
	buf_puts(out, "MIME-Version: 1.0\r\n"
		      "Content-Type: text/plain; charset=UTF-8\r\n"
		      "Content-Transfer-Encoding: base64\r\n"
		      "Auto-Submitted: auto-generated\r\n"
		      "\r\n");

	buf text = BUF_INIT;
	canonical_text(&text, body);
	for (size_t i = 0; i < text.len; i += MAIL_BODY_LINE_BYTES) {
		size_t take = text.len - i < MAIL_BODY_LINE_BYTES ? text.len - i : MAIL_BODY_LINE_BYTES;
		append_base64(out, (const unsigned char *)text.data + i, take);
		buf_puts(out, "\r\n");
	}
	buf_free(&text);
}

/* ================================================================
 * Delivery: SMTP
 * ================================================================ */

struct upload {
	const char *data;
	size_t len, sent;
};

static size_t upload_read(char *dest, size_t size, size_t nmemb, void *arg)
{
	struct upload *u = arg;
	size_t room = size * nmemb, left = u->len - u->sent;
	size_t n = room < left ? room : left;
	memcpy(dest, u->data + u->sent, n);
	u->sent += n;
	return n;
}

static bool scheme_is(const char *url, const char *scheme)
{
	return strncasecmp(url, scheme, strlen(scheme)) == 0;
}

static bool send_smtp(const struct mail_config *c, const char *from_addr, const char *to,
		      const buf *message)
{
	if (!scheme_is(c->smtp_url, "smtp://") && !scheme_is(c->smtp_url, "smtps://")) {
		log_error("mail", "smtp_url must start with smtp:// or smtps://");
		return false;
	}
	CURL *curl = curl_easy_init();
	if (!curl) {
		log_error("mail", "cannot start libcurl");
		return false;
	}
	char *mail_from = xasprintf("<%s>", from_addr);
	char *rcpt_to = xasprintf("<%s>", to);
	struct curl_slist *recipients = curl_slist_append(NULL, rcpt_to);
	struct upload upload = { message->data, message->len, 0 };
	char error[CURL_ERROR_SIZE] = "";
	bool credentials = c->smtp_user && *c->smtp_user;

	CURLcode rc = recipients ? CURLE_OK : CURLE_OUT_OF_MEMORY;
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(curl, CURLOPT_URL, c->smtp_url);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(curl, CURLOPT_USE_SSL,
				      credentials ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
	if (rc == CURLE_OK && credentials)
		rc = curl_easy_setopt(curl, CURLOPT_USERNAME, c->smtp_user);
	if (rc == CURLE_OK && credentials)
		rc = curl_easy_setopt(curl, CURLOPT_PASSWORD,
				      c->smtp_password ? c->smtp_password : "");
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(curl, CURLOPT_MAIL_FROM, mail_from);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(curl, CURLOPT_READFUNCTION, upload_read);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, MAIL_CONNECT_TIMEOUT_SECONDS);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(curl, CURLOPT_TIMEOUT, MAIL_TIMEOUT_SECONDS);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
	if (rc == CURLE_OK)
		rc = curl_easy_perform(curl);
	if (rc != CURLE_OK)
		log_error("mail", "SMTP delivery failed: %s", *error ? error : curl_easy_strerror(rc));
	else
		log_info("mail", "message sent by SMTP");

	curl_slist_free_all(recipients);
	curl_easy_cleanup(curl);
	free(rcpt_to);
	free(mail_from);
	return rc == CURLE_OK;
}

/* ================================================================
 * Delivery: the outbox
 * ================================================================ */

/* make_dirs: mkdir -p, mode 0700 for what it creates. */
static bool make_dirs(const char *path)
{
	char *copy = xstrdup(path);
	bool ok = true;
	for (char *p = copy + 1; ok; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(copy, 0700) != 0 && errno != EEXIST)
			ok = false;
		*p = saved;
		if (!saved)
			break;
	}
	free(copy);
	struct stat st;
	return ok && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		data += n;
		len -= (size_t)n;
	}
	return true;
}

static bool write_outbox(const char *dir, time_t now, const char *random_hex, const buf *message)
{
	if (!dir || !*dir) {
		log_error("mail", "no SMTP server and no outbox directory configured");
		return false;
	}
	if (!make_dirs(dir)) {
		log_error("mail", "cannot create outbox %s: %s", dir, strerror(errno));
		return false;
	}
	struct tm tm;
	gmtime_r(&now, &tm);
	char stamp[32];
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	char *final = xasprintf("%s/%s-%s.eml", dir, stamp, random_hex);
	char *temp = xasprintf("%s/.%s-%s.tmp", dir, stamp, random_hex);

	bool ok = false;
	int fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		log_error("mail", "cannot create %s: %s", temp, strerror(errno));
	} else {
		ok = write_all(fd, message->data, message->len) && fsync(fd) == 0;
		if (!ok)
			log_error("mail", "cannot write %s: %s", temp, strerror(errno));
		if (close(fd) != 0 && ok) {
			log_error("mail", "cannot write %s: %s", temp, strerror(errno));
			ok = false;
		}
		if (ok && rename(temp, final) != 0) {
			log_error("mail", "cannot rename %s: %s", temp, strerror(errno));
			ok = false;
		}
		if (!ok) {
			unlink(temp);
		} else {
			/* Make the new name itself durable. */
			int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (dfd >= 0) {
				fsync(dfd);
				close(dfd);
			}
			log_info("mail", "message written to %s", final);
		}
	}
	free(temp);
	free(final);
	return ok;
}

/* ================================================================
 * mail_send
 * ================================================================ */

bool mail_send(const struct mail_config *c, const char *to, const char *subject, const char *body)
{
	if (!c || !to || !subject || !body) {
		log_error("mail", "mail_send: missing argument");
		return false;
	}
	if (has_line_break(to) || has_line_break(subject)) {
		log_error("mail", "refused: line break in recipient or subject (header injection)");
		return false;
	}
	if (!address_ok(to, strlen(to))) {
		log_error("mail", "refused: not a plain e-mail address");
		return false;
	}
	const char *from = c->from && *c->from ? c->from : MAIL_DEFAULT_FROM;
	const char *name, *from_addr;
	size_t name_len, from_addr_len;
	if (has_line_break(from) || !split_from(from, &name, &name_len, &from_addr, &from_addr_len)) {
		log_error("mail", "refused: bad sender address in the configuration");
		return false;
	}
	pthread_once(&libraries_once, libraries_init);
	if (!libraries_ok) {
		log_error("mail", "cannot initialise libsodium or libcurl");
		return false;
	}

	unsigned char random_bytes[MAIL_RANDOM_BYTES];
	char random_hex[MAIL_RANDOM_BYTES * 2 + 1];
	randombytes_buf(random_bytes, sizeof random_bytes);
	sodium_bin2hex(random_hex, sizeof random_hex, random_bytes, sizeof random_bytes);
	time_t now = time(NULL);

	buf message = BUF_INIT;
	build_message(&message, from, to, subject, body, now, random_hex);
	bool ok;
	if (c->smtp_url && *c->smtp_url) {
		char *addr = xstrndup(from_addr, from_addr_len);
		ok = send_smtp(c, addr, to, &message);
		free(addr);
	} else {
		ok = write_outbox(c->outbox_dir, now, random_hex, &message);
	}
	buf_free(&message);
	return ok;
}
