/*
 * main.c — the khibra binary: serve, migrate, demo, admin create, backup.
 * The command line is fixed by ../shared/API.md.
 */
#include "cli/commands.h"
#include "cli/config.h"
#include "cli/jobs_cmd.h"
#include "api/api.h"
#include "api/api_taxonomy.h"
#include "auth/sealed.h"
#include "auth/secret.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "domain/email.h"
#include "domain/profile.h"
#include "http/server.h"
#include "http/service.h"
#include "i18n/i18n.h"
#include "jobs/worker.h"
#include "store/store.h"
#include "web/pages.h"

#include <curl/curl.h>
#include <sodium.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct app *the_app;

static const char usage[] =
	"usage:\n"
	"  khibra serve   [--listen 127.0.0.1:8080] [--db URL] [--data DIR]\n"
	"  khibra migrate [--db URL]\n"
	"  khibra demo    [--db URL]\n"
	"  khibra admin create --email E --name N [--db URL]   (password: one line on standard input)\n"
	"  khibra backup  --db URL --to FILE\n"
	"  khibra jobs    [--db URL]          (pending and dead jobs)\n"
	"  khibra jobs run --once [--db URL] [--data DIR]   (one tick of the job worker)\n"
	"URL is sqlite:PATH (default sqlite:data/khibra.db) or postgres://…\n"
	"Environment: KHIBRA_LISTEN, KHIBRA_DB, KHIBRA_DATA, KHIBRA_PUBLIC_URL, KHIBRA_HTTPS,\n"
	"  KHIBRA_TRUST_PROXY, KHIBRA_THREADS, KHIBRA_SMTP_URL, KHIBRA_SMTP_USER, KHIBRA_SMTP_PASSWORD,\n"
	"  KHIBRA_MAIL_FROM, KHIBRA_LOCALEDIR, KHIBRA_JOBS (0: no job worker), KHIBRA_JOBS_INTERVAL_MS,\n"
	"  KHIBRA_ACCESS_LOG, KHIBRA_METRICS_TOKEN.  Yes/no settings: 1/0, true/false, yes/no, on/off.\n";

static int fail(const char *msg)
{
	fprintf(stderr, "khibra: %s\n", msg);
	return 2;
}

/* make_dirs: mkdir -p */
static bool make_dirs(const char *path)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0750) != 0 && errno != EEXIST) {
			free(p);
			return false;
		}
		*s = '/';
	}
	bool ok = mkdir(p, 0750) == 0 || errno == EEXIST;
	free(p);
	return ok;
}

/* open_db: connect and bring the schema up to date. */
static db *open_db(const struct app_config *cfg, int pool, bool progress)
{
	char err[512];
	if (strncmp(cfg->db_url, "sqlite:", 7) == 0) {
		/* Create the folder that holds the database file. */
		char *dir = xstrdup(cfg->db_url + 7);
		char *slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = '\0';
			make_dirs(dir);
		}
		free(dir);
	}
	db *d = db_open(cfg->db_url, pool, err, sizeof err);
	if (!d) {
		fprintf(stderr, "khibra: %s\n", err);
		return NULL;
	}
	if (store_migrate(d, progress, err, sizeof err) != DB_OK) {
		fprintf(stderr, "khibra: %s\n", err);
		db_close(d);
		return NULL;
	}
	return d;
}

static int cmd_serve(struct app_config *cfg)
{
	char err[512];
	struct app app;
	memset(&app, 0, sizeof app);
	app.cfg = *cfg;
	if (!make_dirs(cfg->data_dir)) {
		fprintf(stderr, "khibra: cannot create the data folder %s: %s\n", cfg->data_dir, strerror(errno));
		return 1;
	}
	if (!i18n_init(cfg->localedir, err, sizeof err)) {
		fprintf(stderr, "khibra: %s\n", err);
		return 1;
	}
	app.templates = template_set_new();
	if (!template_set_load_embedded(app.templates, err, sizeof err)) {
		fprintf(stderr, "khibra: template error: %s\n", err);
		template_set_free(app.templates);
		i18n_shutdown();
		return 1;
	}
	/* The key that seals private details: made on first start, and a bad
	 * key file stops start-up rather than answering 503 later. */
	if (!sealed_key_load(cfg->data_dir, err, sizeof err)) {
		fprintf(stderr, "khibra: %s\n", err);
		template_set_free(app.templates);
		i18n_shutdown();
		return 1;
	}
	app.outbox_dir = xasprintf("%s/outbox", cfg->data_dir);
	make_dirs(app.outbox_dir);
	app.mail = (struct mail_config){
		.smtp_url = cfg->smtp_url,
		.smtp_user = cfg->smtp_user,
		.smtp_password = cfg->smtp_password,
		.from = cfg->mail_from,
		.outbox_dir = app.outbox_dir,
	};
	app.db = open_db(cfg, cfg->threads + 2, false);
	int rc = 1;
	if (app.db) {
		static_init();
		the_app = &app;
		/* The job worker (reminders, nudges, e-mails) runs beside the
		 * server and is joined before the database closes. */
		char worker_name[128];
		jobs_worker_name(worker_name, sizeof worker_name);
		struct jobs_env jobs = { app.db, &app.mail, app.cfg.public_url, worker_name };
		bool worker = app.cfg.jobs && jobs_worker_start(&jobs, app.cfg.jobs_interval_ms);
		rc = server_run(&app);
		if (worker)
			jobs_worker_stop();
		page_home_cache_free();
		api_openapi_free();
		api_taxonomy_cache_free();
		the_app = NULL;
		db_close(app.db);
	}
	template_set_free(app.templates);
	free(app.outbox_dir);
	sealed_key_unload();
	i18n_shutdown();
	return rc;
}

static int cmd_migrate(struct app_config *cfg)
{
	db *d = open_db(cfg, 1, true);
	if (!d)
		return 1;
	db_close(d);
	return 0;
}

static int cmd_demo(struct app_config *cfg)
{
	db *d = open_db(cfg, 1, true);
	if (!d)
		return 1;
	int rc = command_demo(d, cfg->data_dir);
	db_close(d);
	return rc;
}

static int cmd_admin_create(struct app_config *cfg, const char *email_in, const char *name)
{
	if (!email_in || !name || !*name)
		return fail("admin create needs --email and --name");
	/* The checks of registration (accounts.c), before the password is read. */
	char email[LIMIT_EMAIL_BYTES + 1];
	if (!email_normalise(email_in, email, sizeof email))
		return fail("--email must be an e-mail address like name@example.org");
	if (profile_utf8_length(name, false) < 0 || strspn(name, " ") == strlen(name) || strlen(name) > LIMIT_NAME_BYTES)
		return fail("--name must be text of 1 to 120 bytes, without control characters");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);
	if (n <= 0) {
		free(line);
		return fail("give the password as one line on standard input");
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (!password_length_ok(line)) {
		free(line);
		return fail("the password must be 10 to 256 characters of UTF-8 text long");
	}
	char hash[PASSWORD_HASH_SIZE];
	bool hashed = password_hash(line, hash);
	sodium_memzero(line, cap);
	free(line);
	if (!hashed)
		return fail("cannot hash the password");
	db *d = open_db(cfg, 1, false);
	if (!d)
		return 1;
	db_conn *c = db_acquire(d);
	int64_t id = 0, now = time(NULL);
	int st = store_user_create(c, email, name, hash, "ar", "admin", now, &id);
	if (st == DB_OK)
		st = store_user_add_role(c, id, "moderator", now);
	if (st == DB_OK)
		st = store_user_set_verified(c, id, now);
	if (st == DB_OK)
		store_audit(c, id, "admin.create", email, "", "cli", now);
	db_release(c);
	db_close(d);
	if (st == DB_CONSTRAINT) {
		fprintf(stderr, "khibra: an account with the e-mail %s already exists\n", email);
		return 1;
	}
	if (st != DB_OK) {
		fprintf(stderr, "khibra: could not create the administrator\n");
		return 1;
	}
	printf("administrator %s created (id %lld) with the moderator role\n", email, (long long)id);
	return 0;
}

static int cmd_backup(struct app_config *cfg, const char *to)
{
	if (!to || !*to)
		return fail("backup needs --to FILE");
	if (strncmp(cfg->db_url, "postgres", 8) == 0) {
		/* PostgreSQL has its own consistent online copy: pg_dump. */
		execlp("pg_dump", "pg_dump", "--format=custom", "--file", to, cfg->db_url, (char *)NULL);
		fprintf(stderr, "khibra: cannot run pg_dump: %s\n", strerror(errno));
		return 1;
	}
	char err[512];
	db *d = db_open(cfg->db_url, 1, err, sizeof err);
	if (!d) {
		fprintf(stderr, "khibra: %s\n", err);
		return 1;
	}
	int st = db_backup(d, to, err, sizeof err);
	db_close(d);
	if (st != DB_OK) {
		fprintf(stderr, "khibra: backup failed: %s\n", err);
		return 1;
	}
	printf("backup written to %s\n", to);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!secret_init())
		return fail("libsodium could not start");
	curl_global_init(CURL_GLOBAL_DEFAULT);
	const char *cmd = argv[1];
	if (strcmp(cmd, "jobs") == 0) {
		int rc = command_jobs(argc - 2, argv + 2);
		curl_global_cleanup();
		return rc;
	}
	int first = 2;
	if (strcmp(cmd, "admin") == 0) {
		if (argc < 3 || strcmp(argv[2], "create") != 0)
			return fail("the admin command is: khibra admin create --email E --name N");
		first = 3;
	}
	static const char *const extra[] = { "--email", "--name", "--to", NULL };
	const char *values[3] = { NULL, NULL, NULL };
	struct app_config cfg;
	char err[512];
	if (!config_load(&cfg, argc - first, argv + first, extra, values, err, sizeof err)) {
		config_free(&cfg);
		curl_global_cleanup();
		return fail(err);
	}
	int rc;
	if (strcmp(cmd, "serve") == 0)
		rc = cmd_serve(&cfg);
	else if (strcmp(cmd, "migrate") == 0)
		rc = cmd_migrate(&cfg);
	else if (strcmp(cmd, "demo") == 0)
		rc = cmd_demo(&cfg);
	else if (strcmp(cmd, "admin") == 0)
		rc = cmd_admin_create(&cfg, values[0], values[1]);
	else if (strcmp(cmd, "backup") == 0)
		rc = cmd_backup(&cfg, values[2]);
	else {
		fprintf(stderr, "khibra: unknown command \"%s\"\n%s", cmd, usage);
		rc = 2;
	}
	config_free(&cfg);
	curl_global_cleanup();
	return rc;
}
