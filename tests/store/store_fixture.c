/*
 * store_fixture.c — the shared opening and closing of store test suites
 * (store_fixture.h).
 */
#include "store_fixture.h"
#include "auth/sealed.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void store_fixture_open(struct store_fixture *f, bool with_key)
{
	store_fixture_open_pool(f, with_key, 2);
}

void store_fixture_open_pool(struct store_fixture *f, bool with_key, int pool)
{
	const char *url = getenv("KHIBRA_TEST_DB");
	cr_assert_not_null(url, "set KHIBRA_TEST_DB");
	char err[512];
	f->db = db_open(url, pool, err, sizeof err);
	cr_assert_not_null(f->db, "%s", err);
	/* Suites run in parallel processes: on a fresh database another one may
	 * be applying the same migration; once it has, trying again is a no-op. */
	int st = DB_ERROR;
	for (int i = 0; i < 5 && st != DB_OK; i++) {
		st = store_migrate(f->db, false, err, sizeof err);
		if (st != DB_OK)
			usleep(200 * 1000);
	}
	cr_assert_eq(st, DB_OK, "%s", err);
	f->c = db_acquire(f->db);
	cr_assert_not_null(f->c, "no connection to %s", url);
	f->key_dir[0] = '\0';
	if (!with_key)
		return;
	snprintf(f->key_dir, sizeof f->key_dir, "/tmp/khibra-store-test-XXXXXX");
	cr_assert_not_null(mkdtemp(f->key_dir));
	cr_assert(sealed_key_load(f->key_dir, err, sizeof err), "%s", err);
}

void store_fixture_close(struct store_fixture *f)
{
	if (f->key_dir[0]) {
		char path[128];
		sealed_key_unload();
		snprintf(path, sizeof path, "%s/keys/secretbox.key", f->key_dir);
		unlink(path);
		snprintf(path, sizeof path, "%s/keys", f->key_dir);
		rmdir(path);
		rmdir(f->key_dir);
	}
	db_release(f->c);
	db_close(f->db);
}
