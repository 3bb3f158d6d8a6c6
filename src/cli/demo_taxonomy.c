/*
 * demo_taxonomy.c — see demo_taxonomy.h.
 */
#include "cli/demo_taxonomy.h"

#include <stdio.h>

int demo_taxonomy(db_conn *c, int64_t now)
{
	(void)now;
	int64_t skills = 0, professions = 0, cities = 0;
	if (db_query_int(c, "SELECT count(*) FROM skills", DB_NO_PARAMS, &skills) != DB_OK ||
	    db_query_int(c, "SELECT count(*) FROM professions", DB_NO_PARAMS, &professions) != DB_OK ||
	    db_query_int(c, "SELECT count(*) FROM cities", DB_NO_PARAMS, &cities) != DB_OK) {
		fprintf(stderr, "demo: cannot read the taxonomy (is the database migrated?)\n");
		return -1;
	}
	if (skills == 0 || professions == 0 || cities == 0) {
		fprintf(stderr, "demo: the taxonomy is empty: run `khibra migrate` (migration 0004)\n");
		return -1;
	}
	return 0;
}
