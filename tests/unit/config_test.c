/*
 * config_test.c — settings (cli/config.c): every KHIBRA_* variable and flag
 * is checked, a bad one refused with one line naming it; the password
 * length rule (auth/secret.c); the route table's CSRF column (http/route.h).
 * Each Test runs in its own process, so setenv does not leak between them.
 */
#include "auth/secret.h"
#include "cli/config.h"
#include "http/route.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

/* clean_env: no KHIBRA_* variable from the caller's shell. */
static void clean_env(void)
{
	for (int again = 1; again;) {
		again = 0;
		for (char **e = environ; *e; e++) {
			if (strncmp(*e, "KHIBRA_", 7) != 0)
				continue;
			char name[128];
			snprintf(name, sizeof name, "%.*s", (int)strcspn(*e, "="), *e);
			unsetenv(name);
			again = 1;
			break;
		}
	}
}

/* load: config_load with argv (NULL-terminated); err gets the one line. */
static bool load(struct app_config *cfg, char *err, size_t errlen, const char *const *argv)
{
	int argc = 0;
	while (argv && argv[argc])
		argc++;
	static const char *const extra[] = { "--email", "--name", NULL };
	const char *values[2] = { NULL, NULL };
	err[0] = '\0';
	return config_load(cfg, argc, (char **)argv, extra, values, err, errlen);
}

/* assert_refused: the environment variable name=value alone stops start-up
 * with one line that names `setting` and contains `allowed`. */
static void assert_refused(const char *name, const char *value, const char *setting, const char *allowed)
{
	clean_env();
	setenv(name, value, 1);
	struct app_config cfg;
	char err[512];
	cr_assert_not(load(&cfg, err, sizeof err, NULL), "%s=%s was accepted", name, value);
	cr_assert(strstr(err, setting), "%s=%s: \"%s\" does not name %s", name, value, err, setting);
	cr_assert(strstr(err, allowed), "%s=%s: \"%s\" does not say \"%s\"", name, value, err, allowed);
	cr_assert_null(strchr(err, '\n'), "more than one line: %s", err);
	config_free(&cfg);
}

Test(config, defaults)
{
	clean_env();
	struct app_config cfg;
	char err[512];
	cr_assert(load(&cfg, err, sizeof err, NULL), "%s", err);
	cr_assert_str_eq(cfg.listen_host, "127.0.0.1");
	cr_assert_eq(cfg.listen_port, 8080);
	cr_assert_str_eq(cfg.db_url, "sqlite:data/khibra.db");
	cr_assert_not(cfg.https);
	cr_assert_not(cfg.trust_proxy);
	cr_assert(cfg.access_log);
	cr_assert(cfg.jobs);
	cr_assert_eq(cfg.jobs_interval_ms, 5000);
	cr_assert_null(cfg.metrics_token);
	cr_assert_str_eq(cfg.public_url, "http://127.0.0.1:8080");
	config_free(&cfg);
}

Test(config, booleans_take_exactly_eight_spellings)
{
	static const struct { const char *v; bool on; } ok[] = {
		{ "1", true }, { "true", true }, { "yes", true }, { "on", true },
		{ "0", false }, { "false", false }, { "no", false }, { "off", false },
	};
	static const char *const names[] = { "KHIBRA_HTTPS", "KHIBRA_TRUST_PROXY", "KHIBRA_ACCESS_LOG", "KHIBRA_JOBS" };
	for (size_t n = 0; n < sizeof names / sizeof *names; n++) {
		for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
			clean_env();
			setenv(names[n], ok[i].v, 1);
			struct app_config cfg;
			char err[512];
			cr_assert(load(&cfg, err, sizeof err, NULL), "%s=%s: %s", names[n], ok[i].v, err);
			bool got = n == 0 ? cfg.https : n == 1 ? cfg.trust_proxy : n == 2 ? cfg.access_log : cfg.jobs;
			cr_assert_eq(got, ok[i].on, "%s=%s read as %d", names[n], ok[i].v, got);
			config_free(&cfg);
		}
	}
	const char *allowed = "1, 0, true, false, yes, no, on, off";
	assert_refused("KHIBRA_HTTPS", "maybe", "KHIBRA_HTTPS", allowed);
	assert_refused("KHIBRA_TRUST_PROXY", "perhaps", "KHIBRA_TRUST_PROXY", allowed);
	assert_refused("KHIBRA_ACCESS_LOG", "nope", "KHIBRA_ACCESS_LOG", allowed);
	assert_refused("KHIBRA_JOBS", "2", "KHIBRA_JOBS", allowed);
	assert_refused("KHIBRA_HTTPS", "", "KHIBRA_HTTPS", allowed);
	assert_refused("KHIBRA_HTTPS", "TRUE", "KHIBRA_HTTPS", allowed);
	assert_refused("KHIBRA_HTTPS", "1 ", "KHIBRA_HTTPS", allowed);
	assert_refused("KHIBRA_HTTPS", "maybe\nKHIBRA: started", "KHIBRA_HTTPS", allowed); /* still one line */
}

Test(config, numbers_and_urls)
{
	assert_refused("KHIBRA_THREADS", "4x", "KHIBRA_THREADS", "1 to 256");
	assert_refused("KHIBRA_THREADS", "", "KHIBRA_THREADS", "1 to 256");
	assert_refused("KHIBRA_THREADS", "99999999999999999999", "KHIBRA_THREADS", "1 to 256");
	assert_refused("KHIBRA_JOBS_INTERVAL_MS", "50", "KHIBRA_JOBS_INTERVAL_MS", "100 to 3600000");
	assert_refused("KHIBRA_SMTP_URL", "ftp://x", "KHIBRA_SMTP_URL", "smtp://");
	assert_refused("KHIBRA_SMTP_URL", "smtp://", "KHIBRA_SMTP_URL", "smtps://");
	assert_refused("KHIBRA_SMTP_USER", "mailer", "KHIBRA_SMTP_USER", "KHIBRA_SMTP_URL");
	assert_refused("KHIBRA_PUBLIC_URL", "javascript:alert(1)", "KHIBRA_PUBLIC_URL", "http://");
	assert_refused("KHIBRA_PUBLIC_URL", "https://ex ample.org", "KHIBRA_PUBLIC_URL", "https://");
	assert_refused("KHIBRA_MAIL_FROM", "Khibra <a@b.c>\r\nBcc: x@y.z", "KHIBRA_MAIL_FROM", "one line");
	assert_refused("KHIBRA_MAIL_FROM", "nobody", "KHIBRA_MAIL_FROM", "@");
	assert_refused("KHIBRA_DB", "mysql://root:secret@db/k", "KHIBRA_DB", "sqlite:PATH");
	assert_refused("KHIBRA_DB", "sqlite:", "KHIBRA_DB", "postgres://");
	assert_refused("KHIBRA_DATA", "", "KHIBRA_DATA", "folder");
	assert_refused("KHIBRA_LOCALEDIR", "", "KHIBRA_LOCALEDIR", "folder");
	assert_refused("KHIBRA_METRICS_TOKEN", "short", "KHIBRA_METRICS_TOKEN", "16 to 128");
	assert_refused("KHIBRA_METRICS_TOKEN", "with a space in the middle", "KHIBRA_METRICS_TOKEN", "without spaces");

	/* A database password is never echoed. */
	clean_env();
	setenv("KHIBRA_DB", "mysql://root:s3cret@db/k", 1);
	struct app_config cfg;
	char err[512];
	cr_assert_not(load(&cfg, err, sizeof err, NULL));
	cr_assert_null(strstr(err, "s3cret"), "%s", err);
	config_free(&cfg);

	clean_env();
	setenv("KHIBRA_SMTP_URL", "smtps://mail.example.org:465", 1);
	setenv("KHIBRA_SMTP_USER", "mailer", 1);
	setenv("KHIBRA_SMTP_PASSWORD", "pw", 1);
	setenv("KHIBRA_PUBLIC_URL", "https://khibra.example.org", 1);
	setenv("KHIBRA_METRICS_TOKEN", "0123456789abcdef-token", 1);
	setenv("KHIBRA_DB", "postgresql://k@localhost/k", 1);
	cr_assert(load(&cfg, err, sizeof err, NULL), "%s", err);
	cr_assert_str_eq(cfg.metrics_token, "0123456789abcdef-token");
	config_free(&cfg);
}

Test(config, listen_takes_an_ipv4_address_only)
{
	static const char *const bad[] = { "example.com:16001", "localhost.:80", "::1:80", "127.0.0.1",
					   "127.0.0.1:0", "127.0.0.1:70000", "127.0.0.1:http", ":80", "127.0.0.1:" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		clean_env();
		struct app_config cfg;
		char err[512];
		const char *argv[] = { "--listen", bad[i], NULL };
		cr_assert_not(load(&cfg, err, sizeof err, argv), "--listen %s was accepted", bad[i]);
		cr_assert(strstr(err, "--listen"), "%s", err);
		config_free(&cfg);
	}
	assert_refused("KHIBRA_LISTEN", "example.com:16001", "KHIBRA_LISTEN", "IPv4 address");

	clean_env();
	struct app_config cfg;
	char err[512];
	const char *argv[] = { "--listen", "localhost:9090", NULL };
	cr_assert(load(&cfg, err, sizeof err, argv), "%s", err);
	cr_assert_str_eq(cfg.listen_host, "127.0.0.1");
	cr_assert_eq(cfg.listen_port, 9090);
	config_free(&cfg);
	const char *any[] = { "--listen=0.0.0.0:1", NULL };
	cr_assert(load(&cfg, err, sizeof err, any), "%s", err);
	cr_assert_str_eq(cfg.listen_host, "0.0.0.0");
	config_free(&cfg);
}

Test(password, length_is_counted_in_valid_utf8)
{
	cr_assert(password_length_ok("abcdefghij"));
	cr_assert_not(password_length_ok("abcdefghi"));
	/* Ten Arabic letters: 20 bytes, 10 characters. */
	cr_assert(password_length_ok("كلمةسرطوي"
				     "ل"));
	cr_assert_not(password_length_ok("كلمةسرطو"));
	char longest[257 * 2 + 1];
	memset(longest, 'a', 256);
	longest[256] = '\0';
	cr_assert(password_length_ok(longest));
	longest[256] = 'a';
	longest[257] = '\0';
	cr_assert_not(password_length_ok(longest));
	/* 200 two-byte letters (400 bytes) are 200 characters: fine. */
	for (int i = 0; i < 200; i++)
		memcpy(longest + 2 * i, "\xd8\xa8", 2);
	longest[400] = '\0';
	cr_assert(password_length_ok(longest));
	/* Ill-formed UTF-8 is refused, however long. */
	cr_assert_not(password_length_ok("abcdefghij\xff"));
	cr_assert_not(password_length_ok("abcdefghij\x80\x80"));
	cr_assert_not(password_length_ok("abcdefghij\xc0\xaf"));       /* overlong "/" */
	cr_assert_not(password_length_ok("abcdefghij\xed\xa0\x80"));   /* a surrogate */
	cr_assert_not(password_length_ok("abcdefghij\xd8"));           /* cut short */
	cr_assert_not(password_length_ok("abcdefghij\x01"));           /* control character */
}

Test(routes, csrf_column)
{
	struct route get = { "GET", "/x", NULL, ACCESS_PUBLIC, 0, "" };
	struct route post = { "POST", "/x", NULL, ACCESS_PUBLIC, 0, "" };
	struct route del = { "DELETE", "/x", NULL, ACCESS_USER, ROUTE_API, "" };
	struct route exempt = { "POST", "/x", NULL, ACCESS_PUBLIC, ROUTE_NO_CSRF, "" };
	cr_assert_not(route_needs_csrf(&get));
	cr_assert(route_needs_csrf(&post));
	cr_assert(route_needs_csrf(&del));
	cr_assert_not(route_needs_csrf(&exempt));
	/* Every exception is listed here, so that adding one is a reviewed change.
	 * There are none: log-in and registration forms carry a visitor token. */
	static const char *const exempt_routes[] = { NULL };
	for (int i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		if (!(rt->flags & ROUTE_NO_CSRF))
			continue;
		bool listed = false;
		for (int k = 0; exempt_routes[k]; k++)
			listed = listed || strcmp(exempt_routes[k], rt->pattern) == 0;
		cr_assert(listed, "%s %s is exempt from CSRF without being listed here", rt->method, rt->pattern);
	}
}
