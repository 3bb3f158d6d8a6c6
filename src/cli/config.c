/* config.c — flags and environment into struct app_config (config.h). */
#include "cli/config.h"
#include "core/xalloc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void set(char **field, const char *value)
{
	free(*field);
	*field = value ? xstrdup(value) : NULL;
}

/* shown: v as it may appear in the one error line: at most 60 bytes, control
 * characters (a newline would make two lines) as '?'. */
static const char *shown(const char *v, char out[64])
{
	size_t n = 0;
	for (; v[n] && n < 60; n++)
		out[n] = (unsigned char)v[n] < 0x20 || v[n] == 0x7f ? '?' : v[n];
	out[n] = '\0';
	return out;
}

/* parse_listen: HOST:PORT where HOST is an IPv4 literal (the server binds
 * IPv4 only) or "localhost"; checked here, before anything is opened, so a
 * host name is refused rather than resolved at bind time. */
static bool parse_listen(struct app_config *cfg, const char *setting, const char *value, char *err, size_t errlen)
{
	char v[64];
	const char *colon = strrchr(value, ':');
	if (!colon || colon == value) {
		snprintf(err, errlen, "%s must be HOST:PORT, like 127.0.0.1:8080 (got \"%s\")", setting, shown(value, v));
		return false;
	}
	char *end;
	errno = 0;
	long port = strtol(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || port < 1 || port > 65535) {
		snprintf(err, errlen, "%s port must be 1 to 65535 (got \"%s\")", setting, shown(colon + 1, v));
		return false;
	}
	char *host = xstrndup(value, (size_t)(colon - value));
	struct in_addr addr;
	if (strcmp(host, "localhost") != 0 && inet_pton(AF_INET, host, &addr) != 1) {
		snprintf(err, errlen, "%s host must be an IPv4 address such as 127.0.0.1 or 0.0.0.0, or localhost "
			 "(got \"%s\")", setting, shown(host, v));
		free(host);
		return false;
	}
	free(cfg->listen_host);
	cfg->listen_host = host;
	if (strcmp(cfg->listen_host, "localhost") == 0)
		set(&cfg->listen_host, "127.0.0.1");
	cfg->listen_port = (int)port;
	return true;
}

/* env_bool: a yes/no setting, spelt exactly 1/0, true/false, yes/no or
 * on/off; *out = dflt when the variable is not set. */
static bool env_bool(const char *name, bool dflt, bool *out, char *err, size_t errlen)
{
	static const char *const yes[] = { "1", "true", "yes", "on" }, *const no[] = { "0", "false", "no", "off" };
	const char *v = getenv(name);
	*out = dflt;
	if (!v)
		return true;
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
		if (strcmp(v, yes[i]) == 0 || strcmp(v, no[i]) == 0) {
			*out = strcmp(v, yes[i]) == 0;
			return true;
		}
	}
	char seen[64];
	snprintf(err, errlen, "%s must be one of 1, 0, true, false, yes, no, on, off (got \"%s\")", name, shown(v, seen));
	return false;
}

/* env_int: a whole-number setting from min to max; *out untouched when unset. */
static bool env_int(const char *name, long min, long max, const char *unit, int *out, char *err, size_t errlen)
{
	const char *v = getenv(name);
	if (!v)
		return true;
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < min || n > max) {
		char seen[64];
		snprintf(err, errlen, "%s must be %ld to %ld%s (got \"%s\")", name, min, max, unit, shown(v, seen));
		return false;
	}
	*out = (int)n;
	return true;
}

/* has_control: true if s holds a control character or a space (when
 * spaces are not allowed) — such values break URLs and mail headers. */
static bool has_control(const char *s, bool allow_space)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || (!allow_space && *p == ' '))
			return true;
	return false;
}

/* url_with_scheme: s starts with one of the schemes and has a host after it. */
static bool url_with_scheme(const char *s, const char *const *schemes)
{
	for (int i = 0; schemes[i]; i++) {
		size_t n = strlen(schemes[i]);
		if (strncmp(s, schemes[i], n) == 0 && s[n] && s[n] != '/' && !has_control(s, false))
			return true;
	}
	return false;
}

/* check_urls: KHIBRA_DB/--db, KHIBRA_PUBLIC_URL and the mail settings. */
static bool check_urls(const struct app_config *cfg, char *err, size_t errlen)
{
	static const char *const db_schemes[] = { "postgres://", "postgresql://", NULL };
	static const char *const web[] = { "http://", "https://", NULL };
	static const char *const smtp[] = { "smtp://", "smtps://", NULL };
	bool sqlite = strncmp(cfg->db_url, "sqlite:", 7) == 0 && cfg->db_url[7] && !has_control(cfg->db_url, true);
	if (!sqlite && !url_with_scheme(cfg->db_url, db_schemes)) {
		/* The value is not echoed: a PostgreSQL URL may hold a password. */
		snprintf(err, errlen, "--db (KHIBRA_DB) must be sqlite:PATH or postgres://… (postgresql://…)");
		return false;
	}
	if (cfg->public_url && !url_with_scheme(cfg->public_url, web)) {
		char seen[64];
		snprintf(err, errlen, "KHIBRA_PUBLIC_URL must be an http:// or https:// address (got \"%s\")",
			 shown(cfg->public_url, seen));
		return false;
	}
	if (cfg->smtp_url && !url_with_scheme(cfg->smtp_url, smtp)) {
		snprintf(err, errlen, "KHIBRA_SMTP_URL must be smtp://HOST[:PORT] or smtps://HOST[:PORT]");
		return false;
	}
	if (!cfg->smtp_url && (cfg->smtp_user || cfg->smtp_password)) {
		snprintf(err, errlen, "KHIBRA_SMTP_USER and KHIBRA_SMTP_PASSWORD need KHIBRA_SMTP_URL");
		return false;
	}
	if (!strchr(cfg->mail_from, '@') || has_control(cfg->mail_from, true) || strlen(cfg->mail_from) > 320) {
		snprintf(err, errlen, "KHIBRA_MAIL_FROM must be an address like \"Khibra <no-reply@example.org>\", "
			 "on one line");
		return false;
	}
	return true;
}

/* check_metrics_token: KHIBRA_METRICS_TOKEN, when set, is 16 to 128
 * visible ASCII characters (it travels in an Authorization header). */
static bool check_metrics_token(const char *token, char *err, size_t errlen)
{
	if (!token)
		return true;
	size_t n = strlen(token);
	bool ok = n >= 16 && n <= 128;
	for (const unsigned char *p = (const unsigned char *)token; ok && *p; p++)
		ok = *p > 0x20 && *p < 0x7f;
	if (!ok)
		snprintf(err, errlen, "KHIBRA_METRICS_TOKEN must be 16 to 128 visible ASCII characters, without spaces");
	return ok;
}

/* default_localedir: build/locale next to the binary, where `make` puts the
 * compiled catalogs. */
static char *default_localedir(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return xstrdup("build/locale");
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	return xasprintf("%s/locale", exe);
}

/* env_settings: every KHIBRA_* setting but the ones flags may override
 * (checked after the flags); false with one line in err for a bad one. */
static bool env_settings(struct app_config *cfg, char *err, size_t errlen)
{
	set(&cfg->public_url, getenv("KHIBRA_PUBLIC_URL"));
	set(&cfg->smtp_url, getenv("KHIBRA_SMTP_URL"));
	set(&cfg->smtp_user, getenv("KHIBRA_SMTP_USER"));
	set(&cfg->smtp_password, getenv("KHIBRA_SMTP_PASSWORD"));
	set(&cfg->mail_from, getenv("KHIBRA_MAIL_FROM") ? getenv("KHIBRA_MAIL_FROM") : "Khibra <no-reply@khibra.local>");
	set(&cfg->metrics_token, getenv("KHIBRA_METRICS_TOKEN"));
	const char *localedir = getenv("KHIBRA_LOCALEDIR");
	if (localedir && (!*localedir || has_control(localedir, true))) {
		snprintf(err, errlen, "KHIBRA_LOCALEDIR must name a folder");
		return false;
	}
	cfg->localedir = localedir ? xstrdup(localedir) : default_localedir();
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	cfg->threads = (int)(cores > 0 ? cores * 2 : 4);
	if (cfg->threads < 4)
		cfg->threads = 4;
	cfg->jobs_interval_ms = 5000;
	if (!env_bool("KHIBRA_HTTPS", false, &cfg->https, err, errlen) ||
	    !env_bool("KHIBRA_TRUST_PROXY", false, &cfg->trust_proxy, err, errlen) ||
	    !env_bool("KHIBRA_ACCESS_LOG", true, &cfg->access_log, err, errlen) ||
	    !env_bool("KHIBRA_JOBS", true, &cfg->jobs, err, errlen) ||
	    !env_int("KHIBRA_THREADS", 1, 256, "", &cfg->threads, err, errlen) ||
	    !env_int("KHIBRA_JOBS_INTERVAL_MS", 100, 3600000, " milliseconds", &cfg->jobs_interval_ms, err, errlen) ||
	    !check_metrics_token(cfg->metrics_token, err, errlen))
		return false;
	const char *listen = getenv("KHIBRA_LISTEN");
	return !listen || parse_listen(cfg, "KHIBRA_LISTEN", listen, err, errlen);
}

bool config_load(struct app_config *cfg, int argc, char **argv, const char *const *extra, const char **extra_values,
		 char *err, size_t errlen)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->listen_host = xstrdup("127.0.0.1");
	cfg->listen_port = 8080;
	set(&cfg->db_url, getenv("KHIBRA_DB") ? getenv("KHIBRA_DB") : "sqlite:data/khibra.db");
	set(&cfg->data_dir, getenv("KHIBRA_DATA") ? getenv("KHIBRA_DATA") : "data");
	if (!env_settings(cfg, err, errlen))
		return false;

	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		const char *value = NULL;
		char name[64];
		const char *eq = strchr(arg, '=');
		if (strncmp(arg, "--", 2) != 0) {
			char seen[64];
			snprintf(err, errlen, "unexpected argument \"%s\" (see: khibra help)", shown(arg, seen));
			return false;
		}
		if (eq) {
			snprintf(name, sizeof name, "%.*s", (int)(eq - arg), arg);
			value = eq + 1;
		} else {
			snprintf(name, sizeof name, "%s", arg);
			if (i + 1 >= argc) {
				snprintf(err, errlen, "option %s needs a value", name);
				return false;
			}
			value = argv[++i];
		}
		if (strcmp(name, "--listen") == 0) {
			if (!parse_listen(cfg, "--listen", value, err, errlen))
				return false;
		} else if (strcmp(name, "--db") == 0) {
			set(&cfg->db_url, value);
		} else if (strcmp(name, "--data") == 0) {
			set(&cfg->data_dir, value);
		} else {
			bool known = false;
			for (int k = 0; extra && extra[k]; k++)
				if (strcmp(extra[k], name) == 0) {
					extra_values[k] = value;
					known = true;
				}
			if (!known) {
				char seen[64];
				snprintf(err, errlen, "unknown option %s (see: khibra help)", shown(name, seen));
				return false;
			}
		}
	}
	if (!*cfg->data_dir || has_control(cfg->data_dir, true)) {
		snprintf(err, errlen, "--data (KHIBRA_DATA) must name a folder");
		return false;
	}
	if (!check_urls(cfg, err, errlen))
		return false;
	if (!cfg->public_url)
		cfg->public_url = xasprintf("http://%s:%d", cfg->listen_host, cfg->listen_port);
	return true;
}

void config_free(struct app_config *cfg)
{
	free(cfg->listen_host);
	free(cfg->db_url);
	free(cfg->data_dir);
	free(cfg->public_url);
	free(cfg->localedir);
	free(cfg->smtp_url);
	free(cfg->smtp_user);
	free(cfg->smtp_password);
	free(cfg->mail_from);
	free(cfg->metrics_token);
	memset(cfg, 0, sizeof *cfg);
}
