/*
 * mail_test.c — outgoing mail: the outbox file and its encoding (RFC 2047
 * subject, base64 body), header-injection refusal, and SMTP delivery to a
 * tiny SMTP server on the loopback interface run by a thread of the test.
 */
#include "mail/mail.h"
#include "core/buf.h"
#include "core/log.h"

#include <criterion/criterion.h>
#include <sodium.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static const char ARABIC_SUBJECT[] =
	"تأكيد بريدك الإلكتروني في خبرة — الرابط صالح لمدة ٢٤ ساعة";
static const char ARABIC_BODY[] =
	"مرحبًا سارة،\n"
	"اضغطي الرابط لتأكيد بريدك: https://khibra.local/verify?t=abc\n"
	".\n"
	"فريق خبرة\n";
static const char ARABIC_BODY_CRLF[] =
	"مرحبًا سارة،\r\n"
	"اضغطي الرابط لتأكيد بريدك: https://khibra.local/verify?t=abc\r\n"
	".\r\n"
	"فريق خبرة\r\n";

/* ---- a temporary outbox ---- */

static char temp_root[64];
static char outbox[128];

static void make_temp_outbox(void)
{
	log_set_quiet(1);
	strcpy(temp_root, "/tmp/khibra-mail-XXXXXX");
	cr_assert(mkdtemp(temp_root));
	snprintf(outbox, sizeof outbox, "%s/data/outbox", temp_root); /* created by mail_send */
}

static void remove_temp_outbox(void)
{
	DIR *d = opendir(outbox);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char path[512];
			snprintf(path, sizeof path, "%s/%s", outbox, e->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(outbox);
	char data[128];
	snprintf(data, sizeof data, "%s/data", temp_root);
	rmdir(data);
	rmdir(temp_root);
}

/* outbox_files: how many entries the outbox holds; the name of the last in `name`. */
static int outbox_files(char *name, size_t size)
{
	DIR *d = opendir(outbox);
	if (!d)
		return 0;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		n++;
		if (name)
			snprintf(name, size, "%s", e->d_name);
	}
	closedir(d);
	return n;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	cr_assert(f, "cannot open %s", path);
	buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	return buf_detach(&b, NULL);
}

/* ---- reading a message back ---- */

/* utf8_valid: a complete, well-formed UTF-8 sequence (no split characters). */
static bool utf8_valid(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t len = s[i] < 0x80 ? 1 : (s[i] & 0xe0) == 0xc0 ? 2 : (s[i] & 0xf0) == 0xe0 ? 3
			   : (s[i] & 0xf8) == 0xf0 ? 4 : 0;
		if (!len || i + len > n)
			return false;
		for (size_t k = 1; k < len; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
		i += len;
	}
	return true;
}

/* header_value: the unfolded value of header `name` in the head of msg ("" if absent). */
static void header_value(const char *msg, const char *name, buf *out)
{
	const char *end = strstr(msg, "\r\n\r\n");
	cr_assert(end, "message has no blank line after the headers");
	size_t name_len = strlen(name);
	for (const char *line = msg; line < end;) {
		const char *eol = strstr(line, "\r\n");
		if (strncasecmp(line, name, name_len) == 0 && line[name_len] == ':') {
			const char *v = line + name_len + 1;
			while (*v == ' ')
				v++;
			buf_append(out, v, (size_t)(eol - v));
			/* Continuation lines start with white space. */
			while (eol < end && (eol[2] == ' ' || eol[2] == '\t')) {
				const char *next = strstr(eol + 2, "\r\n");
				buf_append(out, eol + 2, (size_t)(next - eol - 2));
				eol = next;
			}
			return;
		}
		line = eol + 2;
	}
}

/* decode_encoded_words: RFC 2047 =?UTF-8?B?…?= words (white space between
 * them ignored) back to bytes; each word must hold whole UTF-8 characters. */
static void decode_encoded_words(const char *s, buf *out)
{
	const char *p = s;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		cr_assert(strncmp(p, "=?UTF-8?B?", 10) == 0, "not an encoded word: %s", p);
		const char *b64 = p + 10;
		const char *close = strstr(b64, "?=");
		cr_assert(close);
		cr_assert(close + 2 - p <= 75, "encoded word longer than 75 characters");
		unsigned char bin[128];
		size_t bin_len = 0;
		cr_assert_eq(sodium_base642bin(bin, sizeof bin, b64, (size_t)(close - b64), NULL,
					       &bin_len, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
		cr_assert(utf8_valid(bin, bin_len), "a character was split across encoded words");
		buf_append(out, bin, bin_len);
		p = close + 2;
	}
}

static void decode_body(const char *msg, buf *out)
{
	const char *body = strstr(msg, "\r\n\r\n");
	cr_assert(body);
	body += 4;
	size_t len = strlen(body);
	unsigned char *bin = malloc(len + 1);
	size_t bin_len = 0;
	cr_assert_eq(sodium_base642bin(bin, len, body, len, "\r\n", &bin_len, NULL,
				       sodium_base64_VARIANT_ORIGINAL), 0, "body is not base64");
	buf_append(out, bin, bin_len);
	free(bin);
}

/* assert_well_formed: CRLF everywhere, lines within RFC 5322's 78 characters. */
static void assert_well_formed(const char *msg)
{
	size_t line = 0;
	for (const char *p = msg; *p; p++) {
		if (*p == '\n')
			cr_assert(p > msg && p[-1] == '\r', "bare LF");
		if (*p == '\r')
			cr_assert(p[1] == '\n', "bare CR");
		if (*p == '\r' || *p == '\n') {
			line = 0;
			continue;
		}
		line++;
		cr_assert(line <= 78, "line longer than 78 characters");
		cr_assert((unsigned char)*p < 0x80, "raw 8-bit byte in a base64 message");
	}
}

static void assert_message(const char *msg, const char *to, const char *subject,
			   const char *body_crlf)
{
	assert_well_formed(msg);
	buf v = BUF_INIT, decoded = BUF_INIT;

	header_value(msg, "To", &v);
	cr_assert_str_eq(v.data, to);
	buf_reset(&v);
	header_value(msg, "From", &v);
	cr_assert_str_eq(v.data, "Khibra <no-reply@khibra.local>");
	buf_reset(&v);
	header_value(msg, "Subject", &v);
	decode_encoded_words(v.data, &decoded);
	cr_assert_str_eq(decoded.data, subject);
	buf_reset(&v);
	header_value(msg, "Content-Type", &v);
	cr_assert_str_eq(v.data, "text/plain; charset=UTF-8");
	buf_reset(&v);
	header_value(msg, "Content-Transfer-Encoding", &v);
	cr_assert_str_eq(v.data, "base64");
	buf_reset(&v);
	header_value(msg, "MIME-Version", &v);
	cr_assert_str_eq(v.data, "1.0");
	buf_reset(&v);
	header_value(msg, "Date", &v);
	int day, year, h, m, s;
	char wday[4], month[4], zone[6];
	cr_assert_eq(sscanf(v.data, "%3[A-Za-z], %d %3[A-Za-z] %d %d:%d:%d %5s", wday, &day, month,
			    &year, &h, &m, &s, zone), 8, "Date: %s", v.data);
	cr_assert_str_eq(zone, "+0000");
	buf_reset(&v);
	header_value(msg, "Message-ID", &v);
	cr_assert(v.len > 32 + 20, "Message-ID: %s", v.data);
	cr_assert_eq(v.data[0], '<');
	cr_assert_eq(strspn(v.data + 1, "0123456789abcdef"), 32, "128 random bits in hex");
	cr_assert(strstr(v.data, "@khibra.local>"));

	buf_reset(&decoded);
	decode_body(msg, &decoded);
	cr_assert_str_eq(decoded.data, body_crlf);
	buf_free(&v);
	buf_free(&decoded);
}

/* ---- outbox ---- */

TestSuite(mail, .init = make_temp_outbox, .fini = remove_temp_outbox);

Test(mail, outbox_arabic_message)
{
	struct mail_config c = { .outbox_dir = outbox };
	cr_assert(mail_send(&c, "sara@example.org", ARABIC_SUBJECT, ARABIC_BODY));
	char name[256];
	cr_assert_eq(outbox_files(name, sizeof name), 1);
	size_t len = strlen(name);
	cr_assert(len > 4 && strcmp(name + len - 4, ".eml") == 0, "name %s", name);
	cr_assert_neq(name[0], '.', "temporary file left behind: %s", name);
	cr_assert(name[8] == 'T' && name[15] == 'Z' && name[16] == '-', "name %s", name);

	char path[512];
	snprintf(path, sizeof path, "%s/%s", outbox, name);
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600, "mail may hold reset links: owner only");

	char *msg = read_file(path);
	assert_message(msg, "sara@example.org", ARABIC_SUBJECT, ARABIC_BODY_CRLF);
	cr_assert(strstr(msg, "\r\nSubject: =?UTF-8?B?"));
	cr_assert(strstr(msg, "?=\r\n =?UTF-8?B?"), "a long subject is folded into several words");
	free(msg);
}

Test(mail, outbox_ascii_subject_stays_readable)
{
	struct mail_config c = { .outbox_dir = outbox, .from = "Khibra <no-reply@khibra.local>" };
	cr_assert(mail_send(&c, "a.b+c@example.org", "Welcome to Khibra", "Hello\n"));
	char name[256], path[512];
	cr_assert_eq(outbox_files(name, sizeof name), 1);
	snprintf(path, sizeof path, "%s/%s", outbox, name);
	char *msg = read_file(path);
	cr_assert(strstr(msg, "\r\nSubject: Welcome to Khibra\r\n"));
	cr_assert(strstr(msg, "\r\nTo: a.b+c@example.org\r\n"));
	buf body = BUF_INIT;
	decode_body(msg, &body);
	cr_assert_str_eq(body.data, "Hello\r\n");
	buf_free(&body);
	free(msg);
}

Test(mail, outbox_long_ascii_subject_is_folded)
{
	static const char subject[] =
		"Your application to Free dental check-ups for schoolchildren in Riyadh "
		"has been accepted by the organisation";
	struct mail_config c = { .outbox_dir = outbox };
	cr_assert(mail_send(&c, "sara@example.org", subject, "x"));
	char name[256], path[512];
	cr_assert_eq(outbox_files(name, sizeof name), 1);
	snprintf(path, sizeof path, "%s/%s", outbox, name);
	char *msg = read_file(path);
	assert_well_formed(msg);
	buf v = BUF_INIT;
	header_value(msg, "Subject", &v); /* unfolding drops the CRLFs, keeps the spaces */
	cr_assert_str_eq(v.data, subject);
	buf_free(&v);
	free(msg);
}

Test(mail, outbox_arabic_sender_name_is_encoded)
{
	struct mail_config c = { .outbox_dir = outbox, .from = "خبرة <no-reply@khibra.local>" };
	cr_assert(mail_send(&c, "sara@example.org", "=?not an encoded word?=", ""));
	char name[256], path[512];
	cr_assert_eq(outbox_files(name, sizeof name), 1);
	snprintf(path, sizeof path, "%s/%s", outbox, name);
	char *msg = read_file(path);
	assert_well_formed(msg);
	buf v = BUF_INIT, decoded = BUF_INIT;
	header_value(msg, "From", &v);
	cr_assert(strncmp(v.data, "=?UTF-8?B?", 10) == 0, "From: %s", v.data);
	cr_assert(strstr(v.data, "?= <no-reply@khibra.local>"), "From: %s", v.data);
	buf_reset(&v);
	header_value(msg, "Subject", &v);
	decode_encoded_words(v.data, &decoded);
	cr_assert_str_eq(decoded.data, "=?not an encoded word?=", "'=?' in a subject is encoded");
	buf_free(&v);
	buf_free(&decoded);
	free(msg);
}

Test(mail, outbox_two_messages_two_files)
{
	struct mail_config c = { .outbox_dir = outbox };
	cr_assert(mail_send(&c, "one@example.org", "1", "one"));
	cr_assert(mail_send(&c, "two@example.org", "2", "two"));
	cr_assert_eq(outbox_files(NULL, 0), 2);
}

Test(mail, header_injection_refused)
{
	struct mail_config c = { .outbox_dir = outbox };
	cr_assert(!mail_send(&c, "sara@example.org\r\nBcc: all@example.org", "Hi", "x"));
	cr_assert(!mail_send(&c, "sara@example.org\nBcc: all@example.org", "Hi", "x"));
	cr_assert(!mail_send(&c, "sara@example.org\r", "Hi", "x"));
	cr_assert(!mail_send(&c, "sara@example.org", "Hi\r\nBcc: all@example.org", "x"));
	cr_assert(!mail_send(&c, "sara@example.org", "Hi\nBcc: all@example.org", "x"));
	cr_assert(!mail_send(&c, "sara@example.org", "مرحبا\rBcc: all@example.org", "x"));
	cr_assert_eq(outbox_files(NULL, 0), 0, "nothing written on refusal");
}

Test(mail, bad_addresses_refused)
{
	struct mail_config c = { .outbox_dir = outbox };
	static const char *const bad[] = {
		"", "sara", "@example.org", "sara@", "sara@@example.org", "sara @example.org",
		"<sara@example.org>", "Sara <sara@example.org>", "a@b.c, d@e.f", "سارة@example.org",
		"sara@example.org\t",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_assert(!mail_send(&c, bad[i], "Hi", "x"), "accepted \"%s\"", bad[i]);
	cr_assert(!mail_send(&c, NULL, "Hi", "x"));
	cr_assert(!mail_send(&c, "sara@example.org", NULL, "x"));
	cr_assert(!mail_send(&c, "sara@example.org", "Hi", NULL));
	cr_assert(!mail_send(NULL, "sara@example.org", "Hi", "x"));

	struct mail_config bad_from = { .outbox_dir = outbox, .from = "Khibra <no-reply>" };
	cr_assert(!mail_send(&bad_from, "sara@example.org", "Hi", "x"));
	struct mail_config injected_from = { .outbox_dir = outbox,
					     .from = "Khibra\r\nBcc: x@y.z <no-reply@khibra.local>" };
	cr_assert(!mail_send(&injected_from, "sara@example.org", "Hi", "x"));
	cr_assert_eq(outbox_files(NULL, 0), 0);
}

Test(mail, no_smtp_and_no_outbox_fails)
{
	struct mail_config c = { 0 };
	cr_assert(!mail_send(&c, "sara@example.org", "Hi", "x"));
	struct mail_config http = { .smtp_url = "http://127.0.0.1:1/", .outbox_dir = outbox };
	cr_assert(!mail_send(&http, "sara@example.org", "Hi", "x"), "only smtp:// and smtps://");
	cr_assert_eq(outbox_files(NULL, 0), 0);
}

/* ---- SMTP against a loopback server ---- */

struct smtp_server {
	int listener;
	int port;
	bool offer_auth;        /* advertise AUTH PLAIN (but never STARTTLS) */
	int rcpt_code;          /* answer to RCPT TO */
	buf transcript;         /* every command line the client sent */
	buf data;               /* the message between DATA and "." */
	pthread_t thread;
};

static void smtp_say(int fd, const char *s)
{
	size_t n = strlen(s);
	while (n) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* smtp_line: the next CRLF-terminated line from fd (without CRLF), false at EOF. */
static bool smtp_line(int fd, buf *in, buf *line)
{
	for (;;) {
		char *eol = strstr(in->data, "\r\n");
		if (eol) {
			size_t n = (size_t)(eol - in->data);
			buf_reset(line);
			buf_append(line, in->data, n);
			memmove(in->data, eol + 2, in->len - n - 2 + 1);
			in->len -= n + 2;
			return true;
		}
		char chunk[1024];
		ssize_t r = recv(fd, chunk, sizeof chunk, 0);
		if (r <= 0)
			return false;
		buf_append(in, chunk, (size_t)r);
	}
}

static void *smtp_serve(void *arg)
{
	struct smtp_server *s = arg;
	struct pollfd pfd = { .fd = s->listener, .events = POLLIN };
	if (poll(&pfd, 1, 10000) != 1)
		return NULL;
	int fd = accept(s->listener, NULL, NULL);
	if (fd < 0)
		return NULL;
	struct timeval tv = { .tv_sec = 10 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	buf in = BUF_INIT, line = BUF_INIT;
	smtp_say(fd, "220 loopback ESMTP test\r\n");
	while (smtp_line(fd, &in, &line)) {
		buf_printf(&s->transcript, "%s\n", line.data);
		if (strncasecmp(line.data, "EHLO", 4) == 0) {
			smtp_say(fd, s->offer_auth ? "250-loopback\r\n250 AUTH PLAIN\r\n"
						   : "250-loopback\r\n250 8BITMIME\r\n");
		} else if (strncasecmp(line.data, "HELO", 4) == 0) {
			smtp_say(fd, "250 loopback\r\n");
		} else if (strncasecmp(line.data, "MAIL FROM:", 10) == 0) {
			smtp_say(fd, "250 OK\r\n");
		} else if (strncasecmp(line.data, "RCPT TO:", 8) == 0) {
			char answer[64];
			snprintf(answer, sizeof answer, "%d %s\r\n", s->rcpt_code,
				 s->rcpt_code == 250 ? "OK" : "no such user");
			smtp_say(fd, answer);
		} else if (strncasecmp(line.data, "DATA", 4) == 0) {
			smtp_say(fd, "354 go ahead\r\n");
			while (smtp_line(fd, &in, &line) && strcmp(line.data, ".") != 0)
				buf_printf(&s->data, "%s\r\n", line.data);
			smtp_say(fd, "250 queued\r\n");
		} else if (strncasecmp(line.data, "QUIT", 4) == 0) {
			smtp_say(fd, "221 bye\r\n");
			break;
		} else {
			smtp_say(fd, "502 not implemented\r\n");
		}
	}
	close(fd);
	buf_free(&in);
	buf_free(&line);
	return NULL;
}

static void smtp_start(struct smtp_server *s)
{
	buf_init(&s->transcript);
	buf_init(&s->data);
	s->listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cr_assert(s->listener >= 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	cr_assert_eq(bind(s->listener, (struct sockaddr *)&a, sizeof a), 0);
	cr_assert_eq(listen(s->listener, 1), 0);
	socklen_t len = sizeof a;
	cr_assert_eq(getsockname(s->listener, (struct sockaddr *)&a, &len), 0);
	s->port = ntohs(a.sin_port);
	cr_assert_eq(pthread_create(&s->thread, NULL, smtp_serve, s), 0);
}

/* smtp_wait: the server has finished its one conversation (or never had one). */
static void smtp_wait(struct smtp_server *s)
{
	shutdown(s->listener, SHUT_RDWR); /* wakes a poll() still waiting for a client */
	pthread_join(s->thread, NULL);
	close(s->listener);
}

static void smtp_free(struct smtp_server *s)
{
	buf_free(&s->transcript);
	buf_free(&s->data);
}

Test(mail, smtp_delivery, .timeout = 30)
{
	struct smtp_server s = { .rcpt_code = 250 };
	smtp_start(&s);
	char url[64];
	snprintf(url, sizeof url, "smtp://127.0.0.1:%d", s.port);
	struct mail_config c = { .smtp_url = url, .outbox_dir = outbox };
	cr_assert(mail_send(&c, "sara@example.org", ARABIC_SUBJECT, ARABIC_BODY));
	smtp_wait(&s);

	cr_assert(strstr(s.transcript.data, "MAIL FROM:<no-reply@khibra.local>"),
		  "transcript:\n%s", s.transcript.data);
	cr_assert(strstr(s.transcript.data, "RCPT TO:<sara@example.org>\n"),
		  "transcript:\n%s", s.transcript.data);
	/* A leading "." of the body travels dot-stuffed; base64 has none to stuff. */
	assert_message(s.data.data, "sara@example.org", ARABIC_SUBJECT, ARABIC_BODY_CRLF);
	cr_assert_eq(outbox_files(NULL, 0), 0, "sent, not written");
	smtp_free(&s);
}

Test(mail, smtp_rejected_recipient_fails, .timeout = 30)
{
	struct smtp_server s = { .rcpt_code = 550 };
	smtp_start(&s);
	char url[64];
	snprintf(url, sizeof url, "smtp://127.0.0.1:%d", s.port);
	struct mail_config c = { .smtp_url = url };
	cr_assert(!mail_send(&c, "nobody@example.org", "Hi", "x"));
	smtp_wait(&s);
	cr_assert(strstr(s.transcript.data, "RCPT TO:<nobody@example.org>"));
	cr_assert(!strstr(s.transcript.data, "DATA"), "transcript:\n%s", s.transcript.data);
	smtp_free(&s);
}

Test(mail, smtp_password_never_in_clear, .timeout = 30)
{
	/* The server offers AUTH but not STARTTLS: with credentials, give up. */
	struct smtp_server s = { .rcpt_code = 250, .offer_auth = true };
	smtp_start(&s);
	char url[64];
	snprintf(url, sizeof url, "smtp://127.0.0.1:%d", s.port);
	struct mail_config c = { .smtp_url = url, .smtp_user = "khibra",
				 .smtp_password = "secret-password" };
	cr_assert(!mail_send(&c, "sara@example.org", "Hi", "x"));
	smtp_wait(&s);
	cr_assert(strstr(s.transcript.data, "EHLO"), "transcript:\n%s", s.transcript.data);
	cr_assert(!strstr(s.transcript.data, "AUTH"), "transcript:\n%s", s.transcript.data);
	cr_assert(!strstr(s.transcript.data, "MAIL FROM"), "transcript:\n%s", s.transcript.data);
	smtp_free(&s);
}

Test(mail, smtp_unreachable_fails, .timeout = 30)
{
	/* Bind a port, then close it: nothing listens there. */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	socklen_t len = sizeof a;
	getsockname(fd, (struct sockaddr *)&a, &len);
	close(fd);
	char url[64];
	snprintf(url, sizeof url, "smtp://127.0.0.1:%d", ntohs(a.sin_port));
	struct mail_config c = { .smtp_url = url, .outbox_dir = outbox };
	cr_assert(!mail_send(&c, "sara@example.org", "Hi", "x"));
	cr_assert_eq(outbox_files(NULL, 0), 0, "a failed send does not fall back to the outbox");
}
