/*
 * app.h — the running application: configuration and the shared, read-only
 * (after start-up) objects every request uses.
 *
 * App servers are stateless: everything that must survive a request or be
 * shared between processes lives in the database, so several `khibra serve`
 * processes can run behind a load balancer on one PostgreSQL.
 */
#ifndef KHIBRA_APP_H
#define KHIBRA_APP_H

#include "mail/mail.h"
#include "store/db.h"
#include "web/template.h"

#include <stdbool.h>

struct app_config {
	char *listen_host;     /* "127.0.0.1" */
	int listen_port;       /* 8080 */
	char *db_url;          /* "sqlite:data/khibra.db" or "postgres://…" */
	char *data_dir;        /* "data" */
	char *public_url;      /* base of links in e-mails: "http://127.0.0.1:8080" */
	char *localedir;       /* compiled catalogs; default: next to the binary */
	bool https;            /* served over HTTPS (behind a proxy): Secure cookies */
	bool trust_proxy;      /* take the client address from X-Forwarded-For */
	int threads;           /* HTTP worker threads */
	char *smtp_url;        /* NULL: mail goes to DATA/outbox */
	char *smtp_user;
	char *smtp_password;
	char *mail_from;
	bool jobs;             /* run the job worker (KHIBRA_JOBS, default on) */
	int jobs_interval_ms;  /* its poll interval (KHIBRA_JOBS_INTERVAL_MS, default 5000) */
	bool access_log;       /* one JSON line per request on stderr (KHIBRA_ACCESS_LOG, default on) */
	char *metrics_token;   /* KHIBRA_METRICS_TOKEN: /metrics needs it as a Bearer token; NULL: loopback only */
};

struct app {
	struct app_config cfg;
	db *db;
	template_set *templates;
	struct mail_config mail;
	char *outbox_dir;
};

/* The one application of this process (set by `khibra serve`). */
extern struct app *the_app;

#endif
