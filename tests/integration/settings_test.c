/*
 * settings_test.c — the khibra binary ($KHIBRA_TEST_BIN) with bad settings
 * refuses to start with exit code 2 and one line, before it creates any
 * file; `admin create` checks the e-mail address as registration does;
 * /metrics answers loopback callers, or the KHIBRA_METRICS_TOKEN holder.
 */
#include "client.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct run {
	int code;        /* exit code, or -1 if killed */
	char err[1024];  /* what it wrote on stderr */
};

static const char *test_bin(void)
{
	const char *bin = getenv("KHIBRA_TEST_BIN");
	cr_assert(bin && *bin, "KHIBRA_TEST_BIN is not set (tests/run-all.sh sets it)");
	return bin;
}

/* run_khibra: the binary with argv (after "khibra") and only the environment
 * `env` (NULL-ended "NAME=value" list), `input` on stdin; waits for it. */
static struct run run_khibra(const char *const *argv, const char *const *env, const char *input)
{
	int in[2], err[2];
	cr_assert(pipe(in) == 0 && pipe(err) == 0);
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(err[1], STDERR_FILENO);
		int devnull = open("/dev/null", O_WRONLY);
		dup2(devnull, STDOUT_FILENO);
		close(in[1]);
		close(err[0]);
		const char *args[16] = { "khibra" };
		for (int i = 0; argv[i] && i < 14; i++)
			args[i + 1] = argv[i];
		execve(test_bin(), (char *const *)args, (char *const *)env);
		_exit(127);
	}
	close(in[0]);
	close(err[1]);
	if (input)
		cr_assert(write(in[1], input, strlen(input)) == (ssize_t)strlen(input));
	close(in[1]);
	struct run r = { .code = -1 };
	size_t n = 0;
	ssize_t got;
	while (n < sizeof r.err - 1 && (got = read(err[0], r.err + n, sizeof r.err - 1 - n)) > 0)
		n += (size_t)got;
	r.err[n] = '\0';
	close(err[0]);
	int status = 0;
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	if (WIFEXITED(status))
		r.code = WEXITSTATUS(status);
	return r;
}

/* assert_refused: exit code 2, one line on stderr naming `setting`. */
static void assert_refused(const struct run *r, const char *setting)
{
	cr_assert_eq(r->code, 2, "exit %d, expected 2: %s", r->code, r->err);
	size_t len = strlen(r->err);
	cr_assert(len > 0 && r->err[len - 1] == '\n' && !memchr(r->err, '\n', len - 1),
		  "not exactly one line: \"%s\"", r->err);
	cr_assert_not_null(strstr(r->err, setting), "\"%s\" does not name %s", r->err, setting);
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

Test(settings, bad_settings_stop_serve_before_any_file_is_made, .timeout = 60)
{
	static const struct { const char *env; const char *listen; const char *setting; } cases[] = {
		{ "KHIBRA_HTTPS=maybe", "127.0.0.1:1", "KHIBRA_HTTPS" },
		{ "KHIBRA_TRUST_PROXY=perhaps", "127.0.0.1:1", "KHIBRA_TRUST_PROXY" },
		{ "KHIBRA_ACCESS_LOG=nope", "127.0.0.1:1", "KHIBRA_ACCESS_LOG" },
		{ "KHIBRA_SMTP_URL=ftp://x", "127.0.0.1:1", "KHIBRA_SMTP_URL" },
		{ "KHIBRA_METRICS_TOKEN=short", "127.0.0.1:1", "KHIBRA_METRICS_TOKEN" },
		{ "KHIBRA_THREADS=many", "127.0.0.1:1", "KHIBRA_THREADS" },
		{ "KHIBRA_JOBS=sometimes", "127.0.0.1:1", "KHIBRA_JOBS" },
		{ "PATH=/usr/bin:/bin", "example.com:16001", "--listen" },
	};
	char dir[] = "/tmp/khibra-settings-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char db[128], data[128], dbfile[128];
	snprintf(db, sizeof db, "sqlite:%s/db/k.db", dir);
	snprintf(dbfile, sizeof dbfile, "%s/db/k.db", dir);
	snprintf(data, sizeof data, "%s/data", dir);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *argv[] = { "serve", "--listen", cases[i].listen, "--db", db, "--data", data, NULL };
		const char *env[] = { cases[i].env, NULL };
		struct run r = run_khibra(argv, env, NULL);
		assert_refused(&r, cases[i].setting);
		cr_assert_not(exists(dbfile), "%s: the database was created", cases[i].env);
		cr_assert_not(exists(data), "%s: the data folder was created", cases[i].env);
	}
	/* The same line for `migrate`. */
	const char *argv[] = { "migrate", "--db", db, NULL };
	const char *env[] = { "KHIBRA_HTTPS=maybe", NULL };
	struct run r = run_khibra(argv, env, NULL);
	assert_refused(&r, "KHIBRA_HTTPS");
	cr_assert_not(exists(dbfile));
	rmdir(dir);
}

Test(settings, admin_create_checks_the_email_address, .timeout = 60)
{
	char dir[] = "/tmp/khibra-settings-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char db[128], dbfile[128];
	snprintf(db, sizeof db, "sqlite:%s/k.db", dir);
	snprintf(dbfile, sizeof dbfile, "%s/k.db", dir);
	static const char *const bad[] = { "@", "a b@<script>", "admin", "admin@", "@example.org",
					   "a@b@example.org", "x\"y@example.org" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *argv[] = { "admin", "create", "--email", bad[i], "--name", "Admin", "--db", db, NULL };
		const char *env[] = { NULL };
		struct run r = run_khibra(argv, env, "a good long password\n");
		assert_refused(&r, "--email");
		cr_assert_not(exists(dbfile), "--email %s: the database was created", bad[i]);
	}
	const char *argv[] = { "admin", "create", "--email", "ok@example.org", "--name", "Bad\x01Name", "--db", db,
			       NULL };
	const char *env[] = { NULL };
	struct run r = run_khibra(argv, env, "a good long password\n");
	assert_refused(&r, "--name");
	cr_assert_not(exists(dbfile));
	rmdir(dir);
}

Test(settings, admin_create_normalises_the_address, .timeout = 60)
{
	/* On the server's own database (both backends): created in upper case,
	 * it logs in in lower case. */
	const char *db = getenv("KHIBRA_TEST_DB_URL");
	cr_assert(db && *db, "KHIBRA_TEST_DB_URL must be set (tests/run-all.sh sets it)");
	struct account a;
	memset(&a, 0, sizeof a);
	char hex[17], upper[128];
	random_hex(hex, 8);
	snprintf(a.email, sizeof a.email, "admin-%s@example.org", hex);
	snprintf(upper, sizeof upper, "  Admin-%s@EXAMPLE.org ", hex);
	snprintf(a.password, sizeof a.password, "admin-password-%s", hex);
	char input[128];
	snprintf(input, sizeof input, "%s\n", a.password);
	const char *argv[] = { "admin", "create", "--email", upper, "--name", "مدير", "--db", db, NULL };
	const char *env[] = { NULL };
	struct run r = run_khibra(argv, env, input);
	cr_assert_eq(r.code, 0, "exit %d: %s", r.code, r.err);
	struct client *c = client_new();
	client_login(c, &a);
	struct response *me = client_get(c, "/api/v1/me");
	assert_status(me, 200);
	cr_assert_not_null(strstr(me->body.data, a.email), "%s", me->body.data);
	cr_assert_not_null(strstr(me->body.data, "\"admin\""), "%s", me->body.data);
	response_free(me);
	client_free(c);
}

/* ---- /metrics on a server of the test's own ---- */

/* outside_address: a non-loopback IPv4 address of this machine, or false. */
static bool outside_address(char *out, size_t n)
{
	struct ifaddrs *ifs = NULL, *i;
	bool found = false;
	if (getifaddrs(&ifs) != 0)
		return false;
	for (i = ifs; i && !found; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || (i->ifa_flags & IFF_LOOPBACK))
			continue;
		found = inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr, out,
				  (socklen_t)n) != NULL;
	}
	freeifaddrs(ifs);
	return found;
}

/* metrics_status: GET /metrics at url with an optional Authorization value. */
static long metrics_status(const char *url, const char *authorization, const char *forwarded)
{
	setenv("KHIBRA_TEST_URL", url, 1);
	struct client *c = client_new();
	if (forwarded)
		client_set_forwarded_for(c, forwarded);
	if (authorization) {
		char line[256];
		snprintf(line, sizeof line, "Authorization: %s", authorization);
		client_add_header(c, line);
	}
	struct response *r = client_get(c, "/metrics");
	long status = r->status;
	if (status == 404) {
		assert_security_headers(r, "404 of /metrics");
		cr_assert_null(strstr(r->body.data, "khibra_http"), "a refused caller saw metrics");
	}
	response_free(r);
	client_free(c);
	return status;
}

Test(settings, metrics_token_is_required_when_set, .timeout = 60)
{
	struct own_server s;
	own_server_new(&s);
	setenv("KHIBRA_METRICS_TOKEN", "metrics-token-0123456789", 1);
	own_server_start(&s, false);
	unsetenv("KHIBRA_METRICS_TOKEN");
	cr_assert_eq(metrics_status(s.url, NULL, NULL), 404, "loopback without the token");
	cr_assert_eq(metrics_status(s.url, "Bearer wrong-token-0123456789xx", NULL), 404, "a wrong token");
	cr_assert_eq(metrics_status(s.url, "Bearer metrics-token-012345678", NULL), 404, "a prefix of the token");
	cr_assert_eq(metrics_status(s.url, "Basic bWV0cmljcw==", NULL), 404, "Basic");
	cr_assert_eq(metrics_status(s.url, "Bearer metrics-token-0123456789", NULL), 200, "the token");
	own_server_stop(&s, SIGTERM);
	own_server_remove(&s);
}

Test(settings, metrics_refuses_outside_peers_without_a_token, .timeout = 60)
{
	char addr[64];
	if (!outside_address(addr, sizeof addr))
		cr_skip_test("this machine has no non-loopback IPv4 address");
	struct own_server s;
	own_server_new(&s);
	/* The server listens on every address (own_server_start: loopback only). */
	char listen[64];
	snprintf(listen, sizeof listen, "0.0.0.0:%d", s.port);
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		char log[128];
		snprintf(log, sizeof log, "%s/server.log", s.dir);
		FILE *out = freopen(log, "a", stderr);
		(void)out;
		setenv("KHIBRA_JOBS", "0", 1);
		setenv("KHIBRA_TRUST_PROXY", "1", 1);
		setenv("KHIBRA_ACCESS_LOG", "0", 1);
		execl(test_bin(), "khibra", "serve", "--listen", listen, "--db", s.db, "--data", s.dir, (char *)NULL);
		_exit(127);
	}
	char outside[128];
	snprintf(outside, sizeof outside, "http://%s:%d", addr, s.port);
	long status = 0;
	for (int i = 0; i < 150 && status != 404; i++) {
		status = metrics_status(outside, NULL, NULL);
		if (status != 404)
			usleep(100 * 1000);
	}
	cr_assert_eq(status, 404, "GET /metrics from %s answered %ld", addr, status);
	/* Behind the proxy, a forged loopback X-Forwarded-For does not help. */
	cr_assert_eq(metrics_status(outside, NULL, "127.0.0.1"), 404);
	cr_assert_eq(metrics_status(s.url, NULL, NULL), 200, "loopback");
	s.pid = pid;
	own_server_stop(&s, SIGTERM);
	own_server_remove(&s);
}
