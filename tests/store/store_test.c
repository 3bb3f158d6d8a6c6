/*
 * store_test.c — the store functions (store.h) on the database named by
 * KHIBRA_TEST_DB; tests/run-all.sh runs this binary once on SQLite and once
 * on PostgreSQL.  Every test makes its own people with unique e-mails, so the
 * tests can share one migrated database and run in parallel.
 */
#include "store/store.h"

#include "store_fixture.h"

#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct store_fixture fixture;
static db *sdb;
static db_conn *sc;

static void setup(void)
{
	store_fixture_open_pool(&fixture, false, 2);
	sdb = fixture.db;
	sc = fixture.c;
}

static void teardown(void)
{
	store_fixture_close(&fixture);
}

TestSuite(store, .init = setup, .fini = teardown);

static void unique_email(char *out, size_t n)
{
	snprintf(out, n, "s-%08x%08x@example.org", randombytes_random(), randombytes_random());
}

static int64_t make_user(const char *role, char *email, size_t n)
{
	unique_email(email, n);
	int64_t id = 0;
	cr_assert_eq(store_user_create(sc, email, "سارة", "hash", "ar", role, time(NULL), &id), DB_OK);
	cr_assert_gt(id, 0);
	return id;
}

Test(store, migrations_are_idempotent)
{
	char err[256];
	int64_t before = 0, after = 0;
	cr_assert_eq(store_schema_version(sc, &before), DB_OK);
	cr_assert_geq(before, 1);
	cr_assert_eq(store_migrate(sdb, false, err, sizeof err), DB_OK, "%s", err);
	cr_assert_eq(store_schema_version(sc, &after), DB_OK);
	cr_assert_eq(before, after);
}

Test(store, user_round_trip_and_duplicate_email)
{
	char email[64];
	int64_t id = make_user("specialist", email, sizeof email);
	struct user_record u;
	cr_assert_eq(store_user_by_email(sc, email, &u), DB_OK);
	cr_assert_eq(u.id, id);
	cr_assert_str_eq(u.name, "سارة");
	cr_assert_str_eq(u.locale, "ar");
	cr_assert_eq(u.roles, ROLE_SPECIALIST);
	cr_assert_eq(u.email_verified_at, 0);
	user_record_free(&u);

	int64_t other = 0;
	cr_assert_eq(store_user_create(sc, email, "x", "h", "en", "beneficiary", time(NULL), &other), DB_CONSTRAINT);
	/* The failed creation left nothing behind: no half-made user. */
	int64_t count = 0;
	cr_assert_eq(db_query_int(sc, "SELECT count(*) FROM users WHERE email = ?", DB_PARAMS(DB_TEXT(email)), &count),
		     DB_OK);
	cr_assert_eq(count, 1);
	cr_assert_eq(store_user_by_email(sc, "nobody-here@example.org", &u), STORE_NOT_FOUND);
}

Test(store, roles_accumulate_and_membership_counts)
{
	char email[64];
	int64_t id = make_user("specialist", email, sizeof email);
	cr_assert_eq(store_user_add_role(sc, id, "moderator", time(NULL)), DB_OK);
	cr_assert_eq(store_user_add_role(sc, id, "moderator", time(NULL)), DB_OK, "adding a role twice is harmless");
	int64_t org = 0;
	cr_assert_eq(store_org_create(sc, "جمعية", "Society", "charity", "R-1", "Riyadh", "", time(NULL), &org), DB_OK);
	cr_assert_eq(store_org_add_member(sc, org, id, "coordinator", time(NULL)), DB_OK);
	struct user_record u;
	cr_assert_eq(store_user_by_id(sc, id, &u), DB_OK);
	cr_assert_eq(u.roles, ROLE_SPECIALIST | ROLE_MODERATOR | ROLE_ORGANISATION);
	user_record_free(&u);
	struct org_membership *m;
	int n;
	cr_assert_eq(store_user_orgs(sc, id, &m, &n), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert_eq(m[0].id, org);
	cr_assert_str_eq(m[0].role, "coordinator");
	org_memberships_free(m, n);
	cr_assert_eq(store_user_add_role(sc, id, "wizard", time(NULL)), DB_CONSTRAINT, "unknown roles are refused");
}

Test(store, sessions_expire_and_revoke)
{
	char email[64], hash[80];
	int64_t uid = make_user("beneficiary", email, sizeof email);
	snprintf(hash, sizeof hash, "%s-session", email);
	int64_t now = time(NULL), sid = 0;
	cr_assert_eq(store_session_create(sc, uid, hash, "csrf-token", now, now + 100, "127.0.0.1", "test", &sid), DB_OK);
	struct session_record s;
	cr_assert_eq(store_session_find(sc, hash, now, 50, &s), DB_OK);
	cr_assert_eq(s.user_id, uid);
	cr_assert_str_eq(s.csrf_token, "csrf-token");
	cr_assert_eq(store_session_find(sc, hash, now + 60, 50, &s), STORE_NOT_FOUND, "idle expiry");
	cr_assert_eq(store_session_touch(sc, sid, now + 40), DB_OK);
	cr_assert_eq(store_session_find(sc, hash, now + 60, 50, &s), DB_OK, "touching keeps it alive");
	cr_assert_eq(store_session_find(sc, hash, now + 100, 1000, &s), STORE_NOT_FOUND, "absolute expiry");
	cr_assert_eq(store_session_revoke(sc, sid, now), DB_OK);
	cr_assert_eq(store_session_find(sc, hash, now, 50, &s), STORE_NOT_FOUND, "revoked");

	char hash2[80];
	snprintf(hash2, sizeof hash2, "%s-second", email);
	cr_assert_eq(store_session_create(sc, uid, hash2, "c2", now, now + 100, "", "", NULL), DB_OK);
	cr_assert_eq(store_sessions_revoke_user(sc, uid, now), DB_OK);
	cr_assert_eq(store_session_find(sc, hash2, now, 50, &s), STORE_NOT_FOUND);
}

Test(store, api_tokens)
{
	char email[64], hash[80];
	int64_t uid = make_user("specialist", email, sizeof email);
	snprintf(hash, sizeof hash, "%s-token", email);
	int64_t tid = 0, found = 0;
	cr_assert_eq(store_token_create(sc, uid, "ci", hash, time(NULL), &tid), DB_OK);
	cr_assert_eq(store_token_find(sc, hash, time(NULL), &found), DB_OK);
	cr_assert_eq(found, uid);
	struct token_record *t;
	int n;
	cr_assert_eq(store_tokens_list(sc, uid, &t, &n), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(t[0].name, "ci");
	cr_assert_neq(t[0].last_used_at, 0);
	free(t);
	cr_assert_eq(store_token_revoke(sc, uid + 1000000, tid, time(NULL)), STORE_NOT_FOUND, "not someone else's");
	cr_assert_eq(store_token_revoke(sc, uid, tid, time(NULL)), DB_OK);
	cr_assert_eq(store_token_find(sc, hash, time(NULL), &found), STORE_NOT_FOUND);
	cr_assert_eq(store_token_revoke(sc, uid, tid, time(NULL)), STORE_NOT_FOUND, "already revoked");
}

/* Pages of tokens (by id) and of sessions (most recently used first, by
 * offset) hold only the person's live ones. */
Test(store, tokens_and_sessions_come_in_pages)
{
	char email[64], other[64], hash[96];
	int64_t uid = make_user("specialist", email, sizeof email), them = make_user("specialist", other, sizeof other);
	int64_t now = time(NULL), ids[3];
	for (int i = 0; i < 3; i++) {
		snprintf(hash, sizeof hash, "%s-page-%d", email, i);
		cr_assert_eq(store_token_create(sc, uid, "t", hash, now, &ids[i]), DB_OK);
		snprintf(hash, sizeof hash, "%s-session-%d", email, i);
		cr_assert_eq(store_session_create(sc, uid, hash, "c", now - 100 + i, now + 3600, "", "", NULL), DB_OK);
	}
	snprintf(hash, sizeof hash, "%s-theirs", other);
	cr_assert_eq(store_token_create(sc, them, "t", hash, now, NULL), DB_OK);
	cr_assert_eq(store_token_revoke(sc, uid, ids[1], now), DB_OK);
	struct token_record *t;
	int n;
	cr_assert_eq(store_tokens_page(sc, uid, 0, 1, &t, &n), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert_eq(t[0].id, ids[0]);
	free(t);
	cr_assert_eq(store_tokens_page(sc, uid, ids[0], 5, &t, &n), DB_OK);
	cr_assert_eq(n, 1, "a revoked or someone else's token is listed");
	cr_assert_eq(t[0].id, ids[2]);
	free(t);

	struct session_info *s;
	cr_assert_eq(store_sessions_page(sc, uid, now, 3600, 0, 2, &s, &n), DB_OK);
	cr_assert_eq(n, 2);
	cr_assert_eq(s[0].last_seen_at, now - 98, "not the most recently used first");
	cr_assert_eq(s[1].last_seen_at, now - 99);
	free(s);
	cr_assert_eq(store_sessions_page(sc, uid, now, 3600, 2, 2, &s, &n), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert_eq(s[0].last_seen_at, now - 100);
	free(s);
}

Test(store, email_tokens_are_single_use_and_expire)
{
	char email[64], hash[80], old[80];
	int64_t uid = make_user("specialist", email, sizeof email);
	snprintf(hash, sizeof hash, "%s-verify", email);
	snprintf(old, sizeof old, "%s-old", email);
	int64_t now = time(NULL), who = 0;
	cr_assert_eq(store_email_token_create(sc, uid, "verify", hash, now, now + 60), DB_OK);
	cr_assert_eq(store_email_token_create(sc, uid, "verify", old, now - 120, now - 60), DB_OK);
	cr_assert_eq(store_email_token_use(sc, "reset", hash, now, &who), STORE_NOT_FOUND, "wrong kind");
	cr_assert_eq(store_email_token_use(sc, "verify", old, now, &who), STORE_NOT_FOUND, "expired");
	cr_assert_eq(store_email_token_use(sc, "verify", hash, now, &who), DB_OK);
	cr_assert_eq(who, uid);
	cr_assert_eq(store_email_token_use(sc, "verify", hash, now, &who), STORE_NOT_FOUND, "used once only");
	cr_assert_eq(store_user_set_verified(sc, uid, now), DB_OK);
	struct user_record u;
	cr_assert_eq(store_user_by_id(sc, uid, &u), DB_OK);
	cr_assert_eq(u.email_verified_at, now);
	user_record_free(&u);
}

Test(store, rate_events_count_in_their_window)
{
	char key[64];
	unique_email(key, sizeof key);
	int64_t now = time(NULL), count = 0, oldest = 0;
	cr_assert_eq(store_rate_add(sc, "test", key, now - 100), DB_OK);
	cr_assert_eq(store_rate_add(sc, "test", key, now - 10), DB_OK);
	cr_assert_eq(store_rate_add(sc, "test", key, now), DB_OK);
	cr_assert_eq(store_rate_add(sc, "other", key, now), DB_OK);
	cr_assert_eq(store_rate_count(sc, "test", key, now - 50, &count), DB_OK);
	cr_assert_eq(count, 2);
	cr_assert_eq(store_rate_oldest(sc, "test", key, now - 50, &oldest), DB_OK);
	cr_assert_eq(oldest, now - 10);
	cr_assert_eq(store_rate_prune(sc, now - 50, NULL), DB_OK);
	cr_assert_eq(store_rate_count(sc, "test", key, 0, &count), DB_OK);
	cr_assert_eq(count, 2, "the old event was pruned");
}

Test(store, audit_log_records)
{
	char email[64];
	int64_t uid = make_user("admin", email, sizeof email);
	cr_assert_eq(store_audit(sc, uid, "test.action", "target-1", "why", "127.0.0.1", time(NULL)), DB_OK);
	int64_t n = 0;
	cr_assert_eq(db_query_int(sc, "SELECT count(*) FROM audit_log WHERE actor_id = ? AND action = 'test.action' "
				      "AND target = 'target-1'", DB_PARAMS(DB_INT(uid)), &n), DB_OK);
	cr_assert_eq(n, 1);
}
