/*
 * migrate.c — versioned schema migrations for both backends.
 *
 * Migrations are SQL files compiled into the binary under
 * src/store/migrations/{sqlite,postgres}/NNNN_name.sql; NNNN is the version.
 * Each one is applied in its own transaction together with its row in
 * schema_migrations, so a crash leaves the schema at a clean version.  On
 * PostgreSQL an advisory lock keeps several app servers that start at once
 * from migrating twice.
 */
#include "store/store.h"
#include "core/embedded.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MIGRATION_LOCK_KEY 7355608

static const char create_table_sql[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

int store_schema_version(db_conn *c, int64_t *version)
{
	*version = 0;
	int st = db_query_int(c, "SELECT COALESCE(max(version), 0) FROM schema_migrations", DB_NO_PARAMS, version);
	return st == STORE_NOT_FOUND ? DB_OK : st;
}

/* apply_one: run one migration file and record it, in one transaction. */
static int apply_one(db_conn *c, int64_t version, const char *name, const char *sql, char *err, size_t errlen)
{
	int st = db_begin(c, true);
	if (st == DB_OK)
		st = db_exec_script(c, sql);
	if (st == DB_OK)
		st = db_exec(c, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
			     DB_PARAMS(DB_INT(version), DB_TEXT(name), DB_INT(time(NULL))), NULL);
	if (st == DB_OK)
		st = db_commit(c);
	if (st != DB_OK) {
		db_rollback(c);
		snprintf(err, errlen, "migration %s failed (see the log above)", name);
	}
	return st;
}

int store_migrate(db *d, bool progress, char *err, size_t errlen)
{
	db_conn *c = db_acquire(d);
	if (!c) {
		snprintf(err, errlen, "cannot connect to the database");
		return DB_ERROR;
	}
	bool pg = db_conn_kind(c) == DB_POSTGRES;
	int st = DB_OK;
	if (pg)
		st = db_exec(c, "SELECT pg_advisory_lock(?)", DB_PARAMS(DB_INT(MIGRATION_LOCK_KEY)), NULL);
	if (st == DB_OK)
		st = db_exec(c, create_table_sql, DB_NO_PARAMS, NULL);
	int64_t current = 0;
	if (st == DB_OK)
		st = store_schema_version(c, &current);
	if (st != DB_OK) {
		snprintf(err, errlen, "cannot read the schema version");
		goto done;
	}

	char prefix[64];
	snprintf(prefix, sizeof prefix, "src/store/migrations/%s/", pg ? "postgres" : "sqlite");
	size_t prefix_len = strlen(prefix);
	int total = 0, pending = 0;
	for (size_t i = 0; i < embedded_files_count; i++) {
		if (strncmp(embedded_files[i].name, prefix, prefix_len) != 0)
			continue;
		total++;
		if (strtoll(embedded_files[i].name + prefix_len, NULL, 10) > current)
			pending++;
	}
	bool tty = progress && isatty(STDOUT_FILENO);
	int done_count = 0;
	/* embedded_files is sorted by name, so migrations come in version order. */
	for (size_t i = 0; i < embedded_files_count && st == DB_OK; i++) {
		const struct embedded_file *f = &embedded_files[i];
		if (strncmp(f->name, prefix, prefix_len) != 0)
			continue;
		const char *name = f->name + prefix_len;
		int64_t version = strtoll(name, NULL, 10);
		if (version <= current)
			continue;
		done_count++;
		if (progress) {
			printf(tty ? "\rmigrate: [%d/%d] %-40s" : "migrate: [%d/%d] %s\n", done_count, pending, name);
			fflush(stdout);
		}
		st = apply_one(c, version, name, (const char *)f->data, err, errlen);
	}
	if (st == DB_OK)
		st = store_schema_version(c, &current);
	if (progress && st == DB_OK) {
		if (tty && pending)
			printf("\n");
		printf("migrate: schema at version %lld (%d migrations, %d applied now)\n",
		       (long long)current, total, pending);
	}
done:
	if (pg)
		db_exec(c, "SELECT pg_advisory_unlock(?)", DB_PARAMS(DB_INT(MIGRATION_LOCK_KEY)), NULL);
	db_release(c);
	return st;
}
