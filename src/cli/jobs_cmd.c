/*
 * jobs_cmd.c — `khibra jobs` and `khibra jobs run --once` (jobs_cmd.h).
 */
#include "cli/jobs_cmd.h"
#include "cli/config.h"
#include "core/log.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "i18n/i18n.h"
#include "jobs/worker.h"
#include "store/jobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_LIMIT 200

/* print_jobs: one line per job: state, id, kind, when, tries, key, error. */
static void print_jobs(const char *state, const struct job *list, int n)
{
	for (int i = 0; i < n; i++) {
		char when[32];
		time_rfc3339(list[i].done_at ? list[i].done_at : list[i].run_at, when, sizeof when);
		printf("%-7s %6lld %-9s %s attempts %d/%d%s%s%s%s%s\n", state, (long long)list[i].id, list[i].kind, when,
		       list[i].attempts, list[i].max_attempts, *list[i].locked_by ? " locked by " : "", list[i].locked_by,
		       *list[i].dedupe_key ? " key " : "", list[i].dedupe_key,
		       *list[i].last_error ? " — " : "");
		if (*list[i].last_error)
			printf("%s", list[i].last_error);
		if (*list[i].last_error)
			putchar('\n');
	}
}

static int list_jobs(db *d)
{
	db_conn *c = db_acquire(d);
	if (!c) {
		fprintf(stderr, "khibra: cannot connect to the database\n");
		return 1;
	}
	struct job *pending = NULL, *dead = NULL;
	int npending = 0, ndead = 0;
	int st = store_jobs_list(c, JOBS_PENDING, LIST_LIMIT, &pending, &npending);
	if (st == DB_OK)
		st = store_jobs_list(c, JOBS_DEAD, LIST_LIMIT, &dead, &ndead);
	db_release(c);
	if (st != DB_OK) {
		fprintf(stderr, "khibra: could not read the jobs\n");
		return 1;
	}
	print_jobs("pending", pending, npending);
	print_jobs("dead", dead, ndead);
	printf("%d pending, %d dead\n", npending, ndead);
	jobs_free(pending, npending);
	jobs_free(dead, ndead);
	return 0;
}

/* run_once: one tick with the settings `khibra serve` would use. */
static int run_once(db *d, const struct app_config *cfg)
{
	char err[512];
	if (!i18n_init(cfg->localedir, err, sizeof err)) {
		fprintf(stderr, "khibra: %s\n", err);
		return 1;
	}
	char *outbox = xasprintf("%s/outbox", cfg->data_dir);
	struct mail_config mail = { cfg->smtp_url, cfg->smtp_user, cfg->smtp_password, cfg->mail_from, outbox };
	char name[128];
	jobs_worker_name(name, sizeof name);
	struct jobs_env env = { d, &mail, cfg->public_url, name };
	int ran = jobs_tick(&env, 1000, NULL);
	printf("%d job%s run\n", ran, ran == 1 ? "" : "s");
	free(outbox);
	i18n_shutdown();
	return 0;
}

int command_jobs(int argc, char **argv)
{
	bool run = argc > 0 && strcmp(argv[0], "run") == 0;
	if (run) {
		if (argc < 2 || strcmp(argv[1], "--once") != 0) {
			fprintf(stderr, "khibra: the command is: khibra jobs run --once (the worker itself runs in khibra serve)\n");
			return 2;
		}
		argc -= 2;
		argv += 2;
	}
	struct app_config cfg;
	char err[512];
	if (!config_load(&cfg, argc, argv, NULL, NULL, err, sizeof err)) {
		fprintf(stderr, "khibra: %s\n", err);
		config_free(&cfg);
		return 2;
	}
	log_set_quiet(!run);
	int rc = 1;
	db *d = db_open(cfg.db_url, 1, err, sizeof err);
	if (!d)
		fprintf(stderr, "khibra: %s\n", err);
	else if (store_migrate(d, false, err, sizeof err) != DB_OK)
		fprintf(stderr, "khibra: %s\n", err);
	else
		rc = run ? run_once(d, &cfg) : list_jobs(d);
	if (d)
		db_close(d);
	config_free(&cfg);
	return rc;
}
