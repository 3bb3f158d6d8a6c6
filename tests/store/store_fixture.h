/*
 * store_fixture.h — what a store test suite opens before its tests: the
 * database named by KHIBRA_TEST_DB, migrated, one connection from it, and
 * (for suites that seal private details) a sealing key in a folder of its own.
 */
#ifndef KHIBRA_TESTS_STORE_FIXTURE_H
#define KHIBRA_TESTS_STORE_FIXTURE_H

#include "store/store.h"

#include <stdbool.h>

struct store_fixture {
	db *db;
	db_conn *c;
	char key_dir[64];   /* "" without a sealing key */
};

/* store_fixture_open: open, migrate, acquire; with_key also creates and loads
 * a sealing key in a fresh folder under /tmp.  Fails the test on any error. */
void store_fixture_open(struct store_fixture *f, bool with_key);
/* store_fixture_open_pool: the same with `pool` connections in the pool
 * (suites that run transactions side by side need more than two). */
void store_fixture_open_pool(struct store_fixture *f, bool with_key, int pool);
/* store_fixture_close: unload and remove the key, release and close. */
void store_fixture_close(struct store_fixture *f);

#endif
