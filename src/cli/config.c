/* config.c — flags and environment into struct app_config (config.h). */
#include "cli/config.h"
#include "core/xalloc.h"

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

static bool parse_listen(struct app_config *cfg, const char *value, char *err, size_t errlen)
{
	const char *colon = strrchr(value, ':');
	if (!colon || colon == value) {
		snprintf(err, errlen, "--listen must be HOST:PORT, like 127.0.0.1:8080 (got \"%s\")", value);
		return false;
	}
	char *end;
	errno = 0;
	long port = strtol(colon + 1, &end, 10);
	if (errno || *end || port < 1 || port > 65535) {
		snprintf(err, errlen, "--listen port must be 1 to 65535 (got \"%s\")", colon + 1);
		return false;
	}
	free(cfg->listen_host);
	cfg->listen_host = xstrndup(value, (size_t)(colon - value));
	if (strcmp(cfg->listen_host, "localhost") == 0)
		set(&cfg->listen_host, "127.0.0.1");
	cfg->listen_port = (int)port;
	return true;
}

static bool env_flag(const char *name)
{
	const char *v = getenv(name);
	return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "yes") == 0);
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

/* jobs_settings: KHIBRA_JOBS (0 turns the worker off) and
 * KHIBRA_JOBS_INTERVAL_MS (100 to 3600000). */
static bool jobs_settings(struct app_config *cfg, char *err, size_t errlen)
{
	const char *on = getenv("KHIBRA_JOBS");
	cfg->jobs = true;
	if (on && (strcmp(on, "0") == 0 || strcmp(on, "false") == 0 || strcmp(on, "no") == 0))
		cfg->jobs = false;
	else if (on && strcmp(on, "1") != 0 && strcmp(on, "true") != 0 && strcmp(on, "yes") != 0) {
		snprintf(err, errlen, "KHIBRA_JOBS must be 1 or 0 (got \"%s\")", on);
		return false;
	}
	cfg->jobs_interval_ms = 5000;
	const char *interval = getenv("KHIBRA_JOBS_INTERVAL_MS");
	if (interval) {
		char *end;
		errno = 0;
		long ms = strtol(interval, &end, 10);
		if (errno || end == interval || *end || ms < 100 || ms > 3600000) {
			snprintf(err, errlen, "KHIBRA_JOBS_INTERVAL_MS must be 100 to 3600000 milliseconds (got \"%s\")",
				 interval);
			return false;
		}
		cfg->jobs_interval_ms = (int)ms;
	}
	return true;
}

bool config_load(struct app_config *cfg, int argc, char **argv, const char *const *extra, const char **extra_values,
		 char *err, size_t errlen)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->listen_host = xstrdup("127.0.0.1");
	cfg->listen_port = 8080;
	set(&cfg->db_url, getenv("KHIBRA_DB") ? getenv("KHIBRA_DB") : "sqlite:data/khibra.db");
	set(&cfg->data_dir, getenv("KHIBRA_DATA") ? getenv("KHIBRA_DATA") : "data");
	set(&cfg->public_url, getenv("KHIBRA_PUBLIC_URL"));
	set(&cfg->smtp_url, getenv("KHIBRA_SMTP_URL"));
	set(&cfg->smtp_user, getenv("KHIBRA_SMTP_USER"));
	set(&cfg->smtp_password, getenv("KHIBRA_SMTP_PASSWORD"));
	set(&cfg->mail_from, getenv("KHIBRA_MAIL_FROM") ? getenv("KHIBRA_MAIL_FROM") : "Khibra <no-reply@khibra.local>");
	cfg->https = env_flag("KHIBRA_HTTPS");
	cfg->trust_proxy = env_flag("KHIBRA_TRUST_PROXY");
	cfg->localedir = getenv("KHIBRA_LOCALEDIR") ? xstrdup(getenv("KHIBRA_LOCALEDIR")) : default_localedir();
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	cfg->threads = (int)(cores > 0 ? cores * 2 : 4);
	if (cfg->threads < 4)
		cfg->threads = 4;
	const char *threads = getenv("KHIBRA_THREADS");
	if (threads) {
		char *end;
		long t = strtol(threads, &end, 10);
		if (*end || t < 1 || t > 256) {
			snprintf(err, errlen, "KHIBRA_THREADS must be 1 to 256 (got \"%s\")", threads);
			return false;
		}
		cfg->threads = (int)t;
	}
	if (!jobs_settings(cfg, err, errlen))
		return false;
	const char *listen = getenv("KHIBRA_LISTEN");
	if (listen && !parse_listen(cfg, listen, err, errlen))
		return false;

	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		const char *value = NULL;
		char name[64];
		const char *eq = strchr(arg, '=');
		if (strncmp(arg, "--", 2) != 0) {
			snprintf(err, errlen, "unexpected argument \"%s\" (see: khibra help)", arg);
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
			if (!parse_listen(cfg, value, err, errlen))
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
				snprintf(err, errlen, "unknown option %s (see: khibra help)", name);
				return false;
			}
		}
	}
	if (!*cfg->data_dir) {
		snprintf(err, errlen, "--data must name a folder");
		return false;
	}
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
	memset(cfg, 0, sizeof *cfg);
}
