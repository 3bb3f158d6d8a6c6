/*
 * db.c — the connection pool and the dispatch to the two drivers.
 *
 * Connections are opened lazily up to pool_size and reused; a thread that
 * finds none free waits on a condition variable.  Every call is timed so that
 * /metrics can report database time.
 */
#include "store/db_driver.h"
#include "core/xalloc.h"
#include "core/log.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct db {
	const struct db_driver *driver;
	char *target;
	int pool_size;
	int open_count;
	db_conn *free_list;
	pthread_mutex_t lock;
	pthread_cond_t available;
};

static atomic_uint_fast64_t db_time_us;
static atomic_uint_fast64_t db_query_count;

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void account(uint64_t start)
{
	atomic_fetch_add(&db_time_us, now_us() - start);
	atomic_fetch_add(&db_query_count, 1);
}

uint64_t db_time_total_us(void) { return atomic_load(&db_time_us); }
uint64_t db_queries_total(void) { return atomic_load(&db_query_count); }

db *db_open(const char *url, int pool_size, char *err, size_t errlen)
{
	const struct db_driver *driver;
	const char *target;
	if (strncmp(url, "sqlite:", 7) == 0) {
		driver = &db_sqlite_driver;
		target = url + 7;
	} else if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) {
		driver = &db_pg_driver;
		target = url;
	} else {
		snprintf(err, errlen, "database URL must start with sqlite: or postgres:// (got \"%.60s\")", url);
		return NULL;
	}
	if (!*target) {
		snprintf(err, errlen, "database URL \"%s\" names no database", url);
		return NULL;
	}
	db_conn *first = driver->connect(target, err, errlen);
	if (!first)
		return NULL;
	db *d = xcalloc(1, sizeof *d);
	d->driver = driver;
	d->target = xstrdup(target);
	d->pool_size = pool_size > 0 ? pool_size : 1;
	d->open_count = 1;
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->available, NULL);
	first->driver = driver;
	first->pool = d;
	first->next_free = NULL;
	d->free_list = first;
	return d;
}

void db_close(db *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	while (d->open_count > 0) {
		while (!d->free_list)
			pthread_cond_wait(&d->available, &d->lock);
		db_conn *c = d->free_list;
		d->free_list = c->next_free;
		d->open_count--;
		d->driver->disconnect(c);
	}
	pthread_mutex_unlock(&d->lock);
	pthread_mutex_destroy(&d->lock);
	pthread_cond_destroy(&d->available);
	free(d->target);
	free(d);
}

enum db_kind db_kind_of(const db *d) { return d->driver->kind; }
const char *db_kind_name(const db *d) { return d->driver->name; }
enum db_kind db_conn_kind(const db_conn *c) { return c->driver->kind; }

db_conn *db_acquire(db *d)
{
	pthread_mutex_lock(&d->lock);
	for (;;) {
		if (d->free_list) {
			db_conn *c = d->free_list;
			d->free_list = c->next_free;
			pthread_mutex_unlock(&d->lock);
			return c;
		}
		if (d->open_count < d->pool_size) {
			d->open_count++;
			pthread_mutex_unlock(&d->lock);
			char err[256];
			db_conn *c = d->driver->connect(d->target, err, sizeof err);
			if (c) {
				c->driver = d->driver;
				c->pool = d;
				c->next_free = NULL;
				return c;
			}
			log_error("db", "cannot open a pooled connection: %s", err);
			pthread_mutex_lock(&d->lock);
			d->open_count--;
			if (d->open_count == 0) {
				pthread_mutex_unlock(&d->lock);
				return NULL;
			}
			/* Others are open: wait for one of them rather than retrying
			 * the connect at once in a loop (a CPU spin and a log flood
			 * while the database is down). */
			if (!d->free_list)
				pthread_cond_wait(&d->available, &d->lock);
			continue;
		}
		pthread_cond_wait(&d->available, &d->lock);
	}
}

void db_release(db_conn *c)
{
	if (!c)
		return;
	if (c->in_transaction) {
		log_error("db", "connection released inside a transaction: rolled back");
		db_rollback(c);
	}
	db *d = c->pool;
	pthread_mutex_lock(&d->lock);
	c->next_free = d->free_list;
	d->free_list = c;
	pthread_cond_signal(&d->available);
	pthread_mutex_unlock(&d->lock);
}

int db_exec(db_conn *c, const char *sql, const db_value *params, int nparams, int64_t *changes)
{
	uint64_t start = now_us();
	int rc = c->driver->exec(c, sql, params, nparams, changes);
	account(start);
	return rc;
}

db_rows *db_query(db_conn *c, const char *sql, const db_value *params, int nparams, int *status)
{
	uint64_t start = now_us();
	int st = DB_OK;
	db_rows *r = c->driver->query(c, sql, params, nparams, &st);
	account(start);
	if (status)
		*status = st;
	return r;
}

bool db_next(db_rows *r)
{
	uint64_t start = now_us();
	bool more = r->ops->next(r);
	atomic_fetch_add(&db_time_us, now_us() - start);
	return more;
}

int db_rows_status(const db_rows *r) { return r->status; }
bool db_is_null(db_rows *r, int col) { return r->ops->is_null(r, col); }
int64_t db_int(db_rows *r, int col) { return r->ops->get_int(r, col); }
double db_double(db_rows *r, int col) { return r->ops->get_double(r, col); }
bool db_bool(db_rows *r, int col) { return r->ops->get_bool(r, col); }
const char *db_text(db_rows *r, int col) { return r->ops->get_text(r, col); }
const void *db_blob(db_rows *r, int col, size_t *len) { return r->ops->get_blob(r, col, len); }

void db_rows_free(db_rows *r)
{
	if (r)
		r->ops->free(r);
}

int db_query_int(db_conn *c, const char *sql, const db_value *params, int nparams, int64_t *out)
{
	int st;
	db_rows *r = db_query(c, sql, params, nparams, &st);
	if (!r)
		return st;
	int rc = 1;
	if (db_next(r)) {
		*out = db_int(r, 0);
		rc = DB_OK;
	} else if (r->status != DB_OK) {
		rc = r->status;
	}
	db_rows_free(r);
	return rc;
}

int db_query_ids(db_conn *c, const char *sql, const db_value *params, int nparams, int64_t **ids, int *count)
{
	*ids = NULL;
	*count = 0;
	int st, cap = 0;
	db_rows *r = db_query(c, sql, params, nparams, &st);
	if (!r)
		return st;
	while (db_next(r)) {
		if (*count == cap) {
			cap = cap ? cap * 2 : 8;
			*ids = xreallocarray(*ids, (size_t)cap, sizeof **ids);
		}
		(*ids)[(*count)++] = db_int(r, 0);
	}
	st = r->status;
	db_rows_free(r);
	if (st != DB_OK) {
		free(*ids);
		*ids = NULL;
		*count = 0;
	}
	return st;
}

int db_exec_script(db_conn *c, const char *sql)
{
	uint64_t start = now_us();
	int rc = c->driver->exec_script(c, sql);
	account(start);
	return rc;
}

int db_begin(db_conn *c, bool write)
{
	uint64_t start = now_us();
	int rc = c->driver->begin(c, write);
	account(start);
	if (rc == DB_OK)
		c->in_transaction = true;
	return rc;
}

int db_commit(db_conn *c)
{
	uint64_t start = now_us();
	int rc = c->driver->commit(c);
	account(start);
	if (rc == DB_OK)
		c->in_transaction = false;
	return rc;
}

int db_rollback(db_conn *c)
{
	int rc = c->driver->rollback(c);
	c->in_transaction = false;
	return rc;
}

int db_backup(db *d, const char *path, char *err, size_t errlen)
{
	if (!d->driver->backup) {
		snprintf(err, errlen, "online backup of %s is done with its own tools (see README)", d->driver->name);
		return DB_ERROR;
	}
	db_conn *c = db_acquire(d);
	if (!c) {
		snprintf(err, errlen, "no database connection");
		return DB_ERROR;
	}
	int rc = d->driver->backup(c, path, err, errlen);
	db_release(c);
	return rc;
}
