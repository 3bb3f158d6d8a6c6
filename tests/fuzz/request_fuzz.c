// fuzz-sources: ALL
// fuzz-libs: ALL
/*
 * request_fuzz.c — libFuzzer target for Khibra's request handling end to
 * end: URL, query and urlencoded-form decoding, cookies, JSON and multipart
 * bodies, the dispatcher (routes, access levels, CSRF) and every handler
 * behind it, as the real server runs them.
 *
 * The first input starts the real server in this process (http/server.h
 * server_start, without the job worker) on a free loopback port, over a
 * SQLite database in a scratch data folder (in /dev/shm when there is one)
 * that is migrated and loaded with the demo data set (cli/commands.h), so
 * that ids 1, 2, 3… name real people, organisations and opportunities.  Four
 * demo people get a live session each.  The folder is removed at exit.
 * Build with -DKHIBRA_FUZZ (tests/fuzz/run.sh does): password hashing then
 * costs microseconds (auth/secret.c).
 *
 * Each input is ONE HTTP/1.1 request sent over one keep-alive connection
 * with TCP_NODELAY (reopened when the server closes it; a socket per input
 * exhausts loopback ports):
 *     byte 0   method: G GET, P POST, U PUT, A PATCH, D DELETE, H HEAD,
 *              O OPTIONS; any other byte picks one by value
 *     byte 1   who calls: 0 visitor (with a visitor CSRF cookie), a admin,
 *              s specialist, o organisation owner, b beneficiary, x nobody
 *              (only the fuzzed cookies below); upper case also sends
 *              X-CSRF-Token; any other byte picks one by value
 *     byte 2   Content-Type: - none, f urlencoded form, j JSON, m multipart
 *              (boundary KhibraFuzzBoundary), x the third line below
 *     then lines: the request target (path and query; bytes the request
 *     line cannot hold are percent-escaped, a leading / is added), cookies
 *     appended to the Cookie header, a Content-Type for x; the rest is the
 *     body, sent with Content-Length.  "{csrf}" anywhere is replaced by the
 *     caller's CSRF token, so forms pass the CSRF check and reach handlers.
 * Seeds (tests/fuzz/corpus/request/) hold one request per route;
 * REQUEST_FUZZ_VERBOSE=1 prints each request line and its status.
 *
 * Checked: the answer is a well-formed HTTP/1.1 response with a status from
 * 200 to 599 and never 500 (a handler failed on bad input: the request is
 * printed and the run aborts), and it carries the security headers (but
 * for libmicrohttpd's own 400/413/414/431 pages, sent before Khibra sees the
 * request, which have none; they are counted).  Inputs
 * change the database (they may create organisations or revoke a session);
 * revoked sessions are made again before each input.
 */
#include "api/api.h"
#include "api/api_taxonomy.h"
#include "auth/sealed.h"
#include "auth/secret.h"
#include "cli/commands.h"
#include "core/buf.h"
#include "core/limits.h"
#include "http/app.h"
#include "http/server.h"
#include "http/service.h"
#include "http/session.h"
#include "i18n/i18n.h"
#include "store/store.h"
#include "web/pages.h"

#include "loopback.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <ftw.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "request_fuzz: %s failed\n", #cond); abort(); } } while (0)
#define BOUNDARY "KhibraFuzzBoundary"
#define MAX_TARGET 1500 /* escaped: at most 3 × this, under LIMIT_HEADER_BYTES */
#define MAX_COOKIE 1500

/* ---- the server ---- */

struct identity {
	const char *email;      /* NULL: a visitor */
	int64_t user_id;
	char token[SECRET_TOKEN_SIZE];
	char hash[SECRET_HASH_SIZE];
	char csrf[SECRET_TOKEN_SIZE];
	bool live;
};

enum { WHO_VISITOR, WHO_ADMIN, WHO_SPECIALIST, WHO_ORG, WHO_BENEFICIARY, WHO_NOBODY, WHO_COUNT };

static struct identity who[WHO_COUNT] = {
	[WHO_ADMIN] = { .email = "admin@khibra.local" },
	[WHO_SPECIALIST] = { .email = "dr.sara@khibra.local" },
	[WHO_ORG] = { .email = "coordinator@khibra.local" },
	[WHO_BENEFICIARY] = { .email = "family.ahmad@khibra.local" },
};

static struct app app;
static struct MHD_Daemon *daemon_handle;
static char data_dir[64];
static int port;
static int conn_fd = -1;

/* new_session: a fresh session for one demo person (sessions are stored by
 * hash, so a revoked one cannot be brought back: a new token replaces it). */
static void new_session(db_conn *c, struct identity *id)
{
	id->live = false;
	if (!id->user_id)
		return;
	secret_token(id->token);
	secret_hash(id->token, id->hash);
	secret_token(id->csrf);
	int64_t now = time(NULL), sid = 0;
	id->live = store_session_create(c, id->user_id, id->hash, id->csrf, now, now + SESSION_ABSOLUTE_SECONDS,
					"127.0.0.1", "request_fuzz", &sid) == DB_OK;
}

/* revive_sessions: before each input, make again the sessions an input
 * ended (POST /logout, session revocation); one read per person. */
static void revive_sessions(void)
{
	db_conn *c = db_acquire(app.db);
	CHECK(c);
	int64_t now = time(NULL);
	for (int i = 0; i < WHO_COUNT; i++) {
		struct identity *id = &who[i];
		if (!id->user_id)
			continue;
		struct session_record s;
		if (!id->live || store_session_find(c, id->hash, now, SESSION_IDLE_SECONDS, &s) != DB_OK)
			new_session(c, id);
	}
	db_release(c);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* stop_server (at exit): stop serving, free what cmd_serve frees, and remove
 * the scratch folder. */
static void stop_server(void)
{
	if (conn_fd >= 0)
		close(conn_fd);
	server_stop(daemon_handle);
	page_home_cache_free();
	api_openapi_free();
	api_taxonomy_cache_free();
	db_close(app.db);
	template_set_free(app.templates);
	free(app.outbox_dir);
	sealed_key_unload();
	i18n_shutdown();
	curl_global_cleanup();
	nftw(data_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* start_server: what `khibra serve` does (cli/main.c cmd_serve), on a
 * scratch database with the demo data, without the job worker. */
static void start_server(void)
{
	char err[512];
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(data_dir, sizeof data_dir, "%s/khibra-request-fuzz-XXXXXX", base);
	CHECK(mkdtemp(data_dir));
	CHECK(secret_init());
	CHECK(curl_global_init(CURL_GLOBAL_DEFAULT) == 0);
	const char *localedir = getenv("KHIBRA_LOCALEDIR");
	static char db_url[128];
	snprintf(db_url, sizeof db_url, "sqlite:%s/khibra.db", data_dir);
	app.cfg = (struct app_config){
		.listen_host = (char *)"127.0.0.1",
		.listen_port = 0,
		.db_url = db_url,
		.data_dir = data_dir,
		.public_url = (char *)"http://127.0.0.1",
		.localedir = (char *)(localedir ? localedir : "build/locale"),
		.threads = 2,
		.mail_from = (char *)"fuzz@khibra.local",
		.access_log = false, /* no line per input */
	};
	if (!i18n_init(app.cfg.localedir, err, sizeof err) || !(app.templates = template_set_new()) ||
	    !template_set_load_embedded(app.templates, err, sizeof err) ||
	    !sealed_key_load(data_dir, err, sizeof err)) {
		fprintf(stderr, "request_fuzz: %s\n", err);
		abort();
	}
	app.outbox_dir = malloc(strlen(data_dir) + 8);
	CHECK(app.outbox_dir);
	sprintf(app.outbox_dir, "%s/outbox", data_dir);
	CHECK(mkdir(app.outbox_dir, 0700) == 0);
	app.mail = (struct mail_config){ .from = app.cfg.mail_from, .outbox_dir = app.outbox_dir };
	app.db = db_open(db_url, app.cfg.threads + 2, err, sizeof err);
	if (!app.db || store_migrate(app.db, false, err, sizeof err) != DB_OK) {
		fprintf(stderr, "request_fuzz: %s\n", err);
		abort();
	}
	/* Demo data: a failure in one subject's part leaves the rest usable. */
	if (command_demo(app.db, data_dir) != 0)
		fprintf(stderr, "request_fuzz: the demo data did not load completely\n");
	db_conn *c = db_acquire(app.db);
	CHECK(c);
	for (int i = 0; i < WHO_COUNT; i++) {
		struct user_record u;
		if (who[i].email && store_user_by_email(c, who[i].email, &u) == DB_OK) {
			who[i].user_id = u.id;
			user_record_free(&u);
		}
	}
	db_release(c);
	/* The visitor's double-submit token lives in its cookie only. */
	secret_token(who[WHO_VISITOR].csrf);
	static_init();
	daemon_handle = server_start(&app, &port);
	CHECK(daemon_handle);
	atexit(stop_server);
}

/* ---- the client ---- */

static bool send_all(int fd, const void *p, size_t len)
{
	const char *c = p;
	while (len > 0) {
		ssize_t n = send(fd, c, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		c += n;
		len -= (size_t)n;
	}
	return true;
}

/* recv_some: recv, again after a signal.  libFuzzer's SIGALRM (its -timeout
 * watchdog) interrupts a recv on a socket with SO_RCVTIMEO with EINTR even
 * under SA_RESTART (signal(7)); that is not the server's doing. */
static ssize_t recv_some(int fd, void *p, size_t len)
{
	ssize_t n;
	do
		n = recv(fd, p, len, 0);
	while (n < 0 && errno == EINTR);
	return n;
}

/* The request being sent, printed when its answer is wrong. */
static const char *current_head;
static const uint8_t *current_body;
static size_t current_body_len;

static void print_escaped(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];
		if (ch == '\n')
			fputs("\\n\n", stderr);
		else if (ch == '\\')
			fputs("\\\\", stderr);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(stderr, "\\x%02x", ch);
		else
			fputc(ch, stderr);
	}
}

static void fail(const char *why, const char *answer)
{
	fprintf(stderr, "\nrequest_fuzz: %s\n---- request ----\n", why);
	print_escaped(current_head, strlen(current_head));
	print_escaped((const char *)current_body, current_body_len);
	fprintf(stderr, "\n---- answer ----\n%.4000s\n", answer ? answer : "(none)");
	/* abort() skips atexit: leave no scratch folder behind. */
	nftw(data_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	abort();
}

/* has_header: the head holds "\r\nName: value…" (value prefix, any case). */
static bool has_header(const char *head, const char *name, const char *value)
{
	char want[128];
	snprintf(want, sizeof want, "\r\n%s: %s", name, value);
	return strcasestr(head, want) != NULL;
}

enum reply { REPLY_NONE, REPLY_CLOSE, REPLY_KEEP };

/* read_reply: one response, checked.  REPLY_NONE: the connection closed
 * before any byte of it (an idle connection the server dropped);
 * REPLY_CLOSE: answered, and the server closes the connection. */
static enum reply read_reply(int fd, bool head_only)
{
	static char ans[LIMIT_HEADER_BYTES * 4 + 1];
	size_t have = 0;
	char *end = NULL;
	while (!end) {
		if (have == sizeof ans - 1)
			fail("the answer's head is too long", ans);
		ssize_t n = recv_some(fd, ans + have, sizeof ans - 1 - have);
		if (n < 0)
			fail("no answer within 15 s", have ? ans : NULL);
		if (n == 0) {
			if (have)
				fail("the connection closed inside the answer's head", ans);
			return REPLY_NONE;
		}
		have += (size_t)n;
		ans[have] = '\0';
		end = strstr(ans, "\r\n\r\n");
	}
	end[2] = '\0'; /* keep the last "\r\n" for has_header */
	if (getenv("REQUEST_FUZZ_VERBOSE")) /* to see where the seeds go */
		fprintf(stderr, "request_fuzz: %.*s -> %.12s\n", (int)strcspn(current_head, "\r"), current_head, ans);
	int status = 0;
	if (strncmp(ans, "HTTP/1.1 ", 9) != 0 || sscanf(ans + 9, "%3d", &status) != 1 || ans[12] != ' ')
		fail("not an HTTP/1.1 status line", ans);
	if (status < 200 || status > 599)
		fail("status outside 200-599", ans);
	if (status == 500)
		fail("500: a handler failed on this input", ans);
	/* libmicrohttpd answers some requests itself, before Khibra sees them
	 * (a Cookie header it cannot parse: 431; a malformed head: 400), with
	 * a fixed page, no security headers, and closes the connection.  Those
	 * are counted, not failed: Khibra cannot add headers to them. */
	bool from_mhd = (status == 400 || status == 413 || status == 414 || status == 431) &&
			has_header(ans, "Connection", "close") && !has_header(ans, "Content-Type", "");
	if (from_mhd) {
		/* libmicrohttpd 0.9.75 may send its 431 twice before it closes
		 * (an unparsable Cookie header): read nothing more. */
		static unsigned long mhd_answers;
		if (mhd_answers++ % 1000 == 0)
			fprintf(stderr, "request_fuzz: %lu answers from libmicrohttpd itself, e.g. %.40s\n",
				mhd_answers, ans);
		return REPLY_CLOSE;
	}
	if (!has_header(ans, "Content-Security-Policy", "default-src 'self'") ||
	    !has_header(ans, "X-Content-Type-Options", "nosniff") || !has_header(ans, "X-Frame-Options", "DENY") ||
	    !has_header(ans, "Referrer-Policy", "strict-origin-when-cross-origin"))
		fail("a security header is missing", ans);
	size_t body = 0;
	const char *cl = strcasestr(ans, "\r\ncontent-length:");
	if (cl)
		body = strtoul(cl + 17, NULL, 10);
	else if (!head_only && status != 204 && status != 304)
		fail("no Content-Length", ans);
	if (head_only || status == 204 || status == 304)
		body = 0;
	bool closing = strcasestr(ans, "\r\nconnection: close") != NULL;
	size_t got = have - (size_t)(end + 4 - ans);
	static char rest[sizeof ans];
	size_t nrest = 0;
	while (got < body) {
		ssize_t n = recv_some(fd, rest, sizeof rest - 1);
		if (n <= 0)
			fail("the connection closed inside the answer's body", ans);
		got += (size_t)n;
		nrest = (size_t)n;
	}
	if (got > body) {
		fprintf(stderr, "request_fuzz: %zu bytes after the body, ending: ", got - body);
		if (nrest)
			print_escaped(rest, nrest < 300 ? nrest : 300);
		else
			print_escaped(end + 4, strnlen(end + 4, 300));
		fail("more bytes than Content-Length", ans);
	}
	return closing ? REPLY_CLOSE : REPLY_KEEP;
}

/* ---- turning an input into a request ---- */

/* next_line: the bytes up to the next '\n' (or the end); advances *p. */
static const uint8_t *next_line(const uint8_t **p, const uint8_t *end, size_t *len)
{
	const uint8_t *start = *p;
	const uint8_t *nl = memchr(start, '\n', (size_t)(end - start));
	*len = (size_t)((nl ? nl : end) - start);
	*p = nl ? nl + 1 : end;
	return start;
}

/* put_csrf: append s (n bytes) to b, "{csrf}" replaced by csrf, bytes the
 * header line cannot hold dropped (escape: percent-escape them instead). */
static void put_text(buf *b, const uint8_t *s, size_t n, const char *csrf, bool escape)
{
	for (size_t i = 0; i < n; i++) {
		if (n - i >= 6 && memcmp(s + i, "{csrf}", 6) == 0) {
			buf_puts(b, csrf);
			i += 5;
			continue;
		}
		unsigned char ch = s[i];
		if (ch <= 0x20 || ch == 0x7f || (escape && ch == '#')) {
			if (escape)
				buf_printf(b, "%%%02X", ch);
			continue;
		}
		buf_append(b, (const char *)&ch, 1);
	}
}

static const char *const methods[] = { "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS" };

static int pick(uint8_t byte, const char *letters, int count)
{
	const char *hit = byte ? strchr(letters, byte) : NULL;
	return hit ? (int)(hit - letters) : byte % count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!port)
		start_server();
	if (size < 3)
		return 0;
	int m = pick(data[0], "GPUADHO", 7);
	int caller = pick((uint8_t)(data[1] | 0x20), "0asobx", WHO_COUNT);
	bool csrf_header = data[1] >= 'A' && data[1] <= 'Z';
	int ctype = pick(data[2], "-fjmx", 5);
	const uint8_t *p = data + 3, *end = data + size;
	if (p < end && *p == '\n')
		p++;
	size_t target_len, cookie_len, type_len;
	const uint8_t *target = next_line(&p, end, &target_len);
	const uint8_t *cookies = next_line(&p, end, &cookie_len);
	const uint8_t *type = ctype == 4 ? next_line(&p, end, &type_len) : NULL;
	if (target_len > MAX_TARGET || cookie_len > MAX_COOKIE || (type && type_len > MAX_COOKIE))
		return 0;

	revive_sessions();
	struct identity *id = &who[caller];
	if (id->email && !id->live)
		id = &who[WHO_NOBODY];
	const char *csrf = id == &who[WHO_VISITOR] || id->live ? id->csrf : "";

	/* The body, "{csrf}" replaced. */
	buf body = BUF_INIT;
	for (const uint8_t *b = p; b < end; b++) {
		if (end - b >= 6 && memcmp(b, "{csrf}", 6) == 0) {
			buf_puts(&body, csrf);
			b += 5;
		} else {
			buf_append(&body, (const char *)b, 1);
		}
	}

	buf head = BUF_INIT;
	buf_printf(&head, "%s ", methods[m]);
	if (target_len == 0 || target[0] != '/')
		buf_puts(&head, "/");
	put_text(&head, target, target_len, csrf, true);
	buf_puts(&head, " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: request_fuzz\r\n");
	buf_puts(&head, "Cookie: ");
	if (id == &who[WHO_VISITOR])
		buf_printf(&head, "%s=%s; ", CSRF_COOKIE, id->csrf);
	else if (id->live)
		buf_printf(&head, "%s=%s; ", SESSION_COOKIE, id->token);
	put_text(&head, cookies, cookie_len, csrf, false);
	buf_puts(&head, "\r\n");
	if (csrf_header && *csrf)
		buf_printf(&head, "X-CSRF-Token: %s\r\n", csrf);
	static const char *const types[] = { NULL, "application/x-www-form-urlencoded", "application/json",
					     "multipart/form-data; boundary=" BOUNDARY };
	if (ctype == 4) {
		buf_puts(&head, "Content-Type: ");
		put_text(&head, type, type_len, csrf, false);
		buf_puts(&head, "\r\n");
	} else if (types[ctype]) {
		buf_printf(&head, "Content-Type: %s\r\n", types[ctype]);
	}
	buf_printf(&head, "Content-Length: %zu\r\n\r\n", body.len);

	current_head = head.data;
	current_body = (const uint8_t *)body.data;
	current_body_len = body.len;
	/* A connection the server dropped while idle is opened again once;
	 * a fresh one closed with no answer at all is a finding. */
	unsigned long long started = now_us();
	for (int attempt = 0; attempt < 2; attempt++) {
		if (conn_fd < 0)
			conn_fd = loopback_connect(port, 15, "request_fuzz");
		/* A send that fails midway may still have an answer waiting
		 * (413 on a body the server stopped reading): read it anyway. */
		(void)(send_all(conn_fd, head.data, head.len) && send_all(conn_fd, body.data, body.len));
		enum reply got = read_reply(conn_fd, m == 5);
		if (got != REPLY_KEEP) {
			close(conn_fd);
			conn_fd = -1;
		}
		if (got != REPLY_NONE)
			break;
		if (attempt == 1)
			fail("the server closed a new connection without answering", NULL);
	}
	unsigned long long took = now_us() - started;
	if (took > 2000000) /* a slow answer is worth a look: say which */
		fprintf(stderr, "request_fuzz: slow answer (%llu ms): %.*s\n", took / 1000,
			(int)strcspn(current_head, "\r"), current_head);
	buf_free(&head);
	buf_free(&body);
	return 0;
}
