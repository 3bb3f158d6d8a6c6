/*
 * migrate.c — versioned schema migrations for both backends.
 *
 * Migrations are SQL files compiled into the binary under
 * src/store/migrations/common/NNNN_name.sql (both backends, with the dialect
 * words below) or src/store/migrations/{sqlite,postgres}/NNNN_name.sql (one
 * backend, when the SQL itself must differ); NNNN is the version.
 * Each one is applied in its own transaction together with its row in
 * schema_migrations, so a crash leaves the schema at a clean version.  On
 * PostgreSQL an advisory lock keeps several app servers that start at once
 * from migrating twice.
 */
#include "store/store.h"
#include "core/embedded.h"
#include "core/buf.h"
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

/*
 * Dialect words.  A common/ migration writes the few types that differ as
 * {{id}} (an auto-numbered BIGINT primary key) and {{blob}}; everything else
 * is SQL both databases accept.
 */
static const struct { const char *word; const char *sqlite; const char *postgres; } dialect_words[] = {
	{ "{{id}}", "INTEGER PRIMARY KEY", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY" },
	{ "{{blob}}", "BLOB", "BYTEA" },
};

/* dialect_sql: the migration text with the dialect words of this backend. */
static char *dialect_sql(const char *sql, bool pg)
{
	buf out = BUF_INIT;
	const char *p = sql;
	while (*p) {
		size_t i, n = sizeof dialect_words / sizeof dialect_words[0];
		for (i = 0; i < n; i++) {
			size_t len = strlen(dialect_words[i].word);
			if (strncmp(p, dialect_words[i].word, len) == 0) {
				buf_puts(&out, pg ? dialect_words[i].postgres : dialect_words[i].sqlite);
				p += len;
				break;
			}
		}
		if (i == n)
			buf_putc(&out, *p++);
	}
	return buf_detach(&out, NULL);
}

/* apply_one: run one migration file and record it, in one transaction. */
static int apply_one(db_conn *c, int64_t version, const char *name, const char *sql_text, char *err, size_t errlen)
{
	char *sql = dialect_sql(sql_text, db_conn_kind(c) == DB_POSTGRES);
	int st = db_begin(c, true);
	/* Another process may have applied it since we looked (SQLite has no
	 * advisory lock; the write lock taken by BEGIN IMMEDIATE is ours now). */
	int64_t current = 0;
	if (st == DB_OK)
		st = store_schema_version(c, &current);
	if (st == DB_OK && version <= current) {
		free(sql);
		return db_commit(c);
	}
	if (st == DB_OK)
		st = db_exec_script(c, sql);
	free(sql);
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

#define MAX_MIGRATIONS 256

struct migration {
	int64_t version;
	const char *name; /* file name, e.g. "0002_taxonomy.sql" */
	const char *sql;
};

static int by_version(const void *a, const void *b)
{
	int64_t va = ((const struct migration *)a)->version, vb = ((const struct migration *)b)->version;
	return va < vb ? -1 : va > vb;
}

/* collect: the migrations for this backend — its own folder and common/
 * (SQL both dialects accept) — in version order; -1 on a clash of versions. */
static int collect(bool pg, struct migration *list, char *err, size_t errlen)
{
	const char *own = pg ? "src/store/migrations/postgres/" : "src/store/migrations/sqlite/";
	const char *common = "src/store/migrations/common/";
	int n = 0;
	for (size_t i = 0; i < embedded_files_count && n < MAX_MIGRATIONS; i++) {
		const struct embedded_file *f = &embedded_files[i];
		const char *prefix = strncmp(f->name, own, strlen(own)) == 0 ? own
				     : strncmp(f->name, common, strlen(common)) == 0 ? common : NULL;
		if (!prefix)
			continue;
		list[n].name = f->name + strlen(prefix);
		list[n].version = strtoll(list[n].name, NULL, 10);
		list[n].sql = (const char *)f->data;
		n++;
	}
	qsort(list, (size_t)n, sizeof *list, by_version);
	for (int i = 0; i < n; i++) {
		if (list[i].version <= 0 || (i > 0 && list[i].version == list[i - 1].version)) {
			snprintf(err, errlen, "migration %s: version missing or used twice", list[i].name);
			return -1;
		}
	}
	return n;
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

	struct migration list[MAX_MIGRATIONS];
	int total = collect(pg, list, err, errlen);
	if (total < 0) {
		st = DB_ERROR;
		goto done;
	}
	int pending = 0;
	for (int i = 0; i < total; i++)
		if (list[i].version > current)
			pending++;
	bool tty = progress && isatty(STDOUT_FILENO);
	int done_count = 0;
	for (int i = 0; i < total && st == DB_OK; i++) {
		if (list[i].version <= current)
			continue;
		done_count++;
		if (progress) {
			printf(tty ? "\rmigrate: [%d/%d] %-40s" : "migrate: [%d/%d] %s\n", done_count, pending, list[i].name);
			fflush(stdout);
		}
		st = apply_one(c, list[i].version, list[i].name, list[i].sql, err, errlen);
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
