/*
 * erase_test.c — erasing an account in the store (auth/erase.c) on the
 * database named by KHIBRA_TEST_DB: what goes, what stays anonymised, the
 * last-owner refusal, the password-changed refusal, and the access log list.
 */
#include "auth/erase.h"
#include "auth/sealed.h"
#include "auth/secret.h"
#include "store/help.h"

#include "store_fixture.h"

#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct store_fixture fixture;
static db_conn *ec;

static void setup(void)
{
	store_fixture_open(&fixture, true);
	ec = fixture.c;
}

static void teardown(void)
{
	store_fixture_close(&fixture);
}

TestSuite(erase, .init = setup, .fini = teardown);

static int64_t person(const char *role, char *email, size_t size)
{
	snprintf(email, size, "e-%08x%08x@example.org", randombytes_random(), randombytes_random());
	int64_t id = 0;
	cr_assert_eq(store_user_create(ec, email, "فاطمة الزهراني", "$argon2id$fake", "ar", role, time(NULL), &id), DB_OK);
	return id;
}

/* count: one integer from a query with one id parameter. */
static int64_t count(const char *sql_kind, int64_t id)
{
	int64_t n = -1;
	int st;
	if (strcmp(sql_kind, "sessions") == 0)
		st = db_query_int(ec, "SELECT count(*) FROM sessions WHERE user_id = ?", DB_PARAMS(DB_INT(id)), &n);
	else if (strcmp(sql_kind, "tokens") == 0)
		st = db_query_int(ec, "SELECT count(*) FROM api_tokens WHERE user_id = ?", DB_PARAMS(DB_INT(id)), &n);
	else if (strcmp(sql_kind, "email_tokens") == 0)
		st = db_query_int(ec, "SELECT count(*) FROM email_tokens WHERE user_id = ?", DB_PARAMS(DB_INT(id)), &n);
	else if (strcmp(sql_kind, "roles") == 0)
		st = db_query_int(ec, "SELECT count(*) FROM user_roles WHERE user_id = ?", DB_PARAMS(DB_INT(id)), &n);
	else if (strcmp(sql_kind, "profile") == 0)
		st = db_query_int(ec, "SELECT count(*) FROM specialist_profiles WHERE user_id = ?", DB_PARAMS(DB_INT(id)), &n);
	else if (strcmp(sql_kind, "skills") == 0)
		st = db_query_int(ec, "SELECT count(*) FROM specialist_skills WHERE user_id = ?", DB_PARAMS(DB_INT(id)), &n);
	else if (strcmp(sql_kind, "availability") == 0)
		st = db_query_int(ec, "SELECT count(*) FROM availability WHERE user_id = ?", DB_PARAMS(DB_INT(id)), &n);
	else if (strcmp(sql_kind, "credentials") == 0)
		st = db_query_int(ec, "SELECT count(*) FROM credentials WHERE user_id = ?", DB_PARAMS(DB_INT(id)), &n);
	else if (strcmp(sql_kind, "notifications") == 0)
		st = db_query_int(ec, "SELECT count(*) FROM notifications WHERE user_id = ?", DB_PARAMS(DB_INT(id)), &n);
	else if (strcmp(sql_kind, "members") == 0)
		st = db_query_int(ec, "SELECT count(*) FROM org_members WHERE user_id = ?", DB_PARAMS(DB_INT(id)), &n);
	else if (strcmp(sql_kind, "org_members_of_org") == 0)
		st = db_query_int(ec, "SELECT count(*) FROM org_members WHERE org_id = ?", DB_PARAMS(DB_INT(id)), &n);
	else if (strcmp(sql_kind, "erased_audit") == 0)
		st = db_query_int(ec, "SELECT count(*) FROM audit_log WHERE actor_id = ? AND action = 'account.erase'",
				  DB_PARAMS(DB_INT(id)), &n);
	else
		cr_assert_fail("unknown count %s", sql_kind);
	cr_assert_eq(st, DB_OK, "count %s", sql_kind);
	return n;
}

static void exec_ok(const char *sql, const db_value *params, int nparams)
{
	cr_assert_eq(db_exec(ec, sql, params, nparams, NULL), DB_OK, "%s", sql);
}

static int64_t insert_id(const char *sql, const db_value *params, int nparams)
{
	int64_t id = 0;
	cr_assert_eq(db_query_int(ec, sql, params, nparams, &id), DB_OK, "%s", sql);
	return id;
}

static int64_t new_org(void)
{
	int64_t now = time(NULL);
	return insert_id("INSERT INTO orgs (name, kind, created_at, verified_at, status) "
			 "VALUES ('جمعية الأمل', 'charity', ?, ?, 'verified') RETURNING id",
			 DB_PARAMS(DB_INT(now), DB_INT(now)));
}

/* shift_next_week: an open opportunity of `org` next week (*opp) with one
 * shift of `capacity` places, one of them taken; the shift's id. */
static int64_t shift_next_week(int64_t org, int capacity, int64_t now, int64_t *opp)
{
	*opp = insert_id("INSERT INTO opportunities (org_id, kind, domain, title, starts_at, ends_at, status, "
			 "created_at, updated_at) VALUES (?, 'campaign', 'health', 'قافلة', ?, ?, 'open', ?, ?) RETURNING id",
			 DB_PARAMS(DB_INT(org), DB_INT(now + 7 * 86400), DB_INT(now + 8 * 86400), DB_INT(now), DB_INT(now)));
	return insert_id("INSERT INTO shifts (opportunity_id, starts_at, ends_at, capacity, taken) "
			 "VALUES (?, ?, ?, ?, 1) RETURNING id",
			 DB_PARAMS(DB_INT(*opp), DB_INT(now + 7 * 86400), DB_INT(now + 7 * 86400 + 3600), DB_INT(capacity)));
}

/* A specialist with a bit of everything, erased: what must be gone is gone,
 * and what others rely on is still there, anonymised. */
Test(erase, erases_personal_rows_and_keeps_records)
{
	char email[64], other_email[64];
	int64_t now = time(NULL);
	int64_t id = person("specialist", email, sizeof email);
	int64_t owner = person("organisation", other_email, sizeof other_email);
	exec_ok("INSERT INTO specialist_profiles (user_id, headline, bio, created_at, updated_at) VALUES (?, 'طبيب', 'سيرة', ?, ?)",
		DB_PARAMS(DB_INT(id), DB_INT(now), DB_INT(now)));
	exec_ok("INSERT INTO specialist_skills (user_id, skill_slug, level) VALUES (?, 'dentistry', 4)", DB_PARAMS(DB_INT(id)));
	exec_ok("INSERT INTO availability (user_id, weekday, start_minute, end_minute) VALUES (?, 1, 600, 720)",
		DB_PARAMS(DB_INT(id)));
	char hash[65];
	snprintf(hash, sizeof hash, "%08x%08x%048d", randombytes_random(), randombytes_random(), 0);
	exec_ok("INSERT INTO credentials (user_id, kind, file_hash, file_type, file_size, created_at) "
		"VALUES (?, 'licence', ?, 'application/pdf', 10, ?)",
		DB_PARAMS(DB_INT(id), DB_TEXT(hash), DB_INT(now)));
	char tok[40];
	snprintf(tok, sizeof tok, "s-%08x%08x", randombytes_random(), randombytes_random());
	cr_assert_eq(store_session_create(ec, id, tok, "csrf", now, now + 3600, "127.0.0.9", "agent", NULL), DB_OK);
	cr_assert_eq(store_token_create(ec, id, "cli", tok, now, NULL), DB_OK);
	cr_assert_eq(store_email_token_create(ec, id, "verify", tok, now, now + 3600), DB_OK);
	exec_ok("INSERT INTO notifications (user_id, kind, created_at) VALUES (?, 'x', ?)", DB_PARAMS(DB_INT(id), DB_INT(now)));
	char email_key[SECRET_HASH_SIZE]; /* how accounts.c keys failed log-ins */
	secret_hash(email, email_key);
	cr_assert_eq(store_rate_add(ec, "login_fail_account", email_key, now), DB_OK);
	cr_assert_eq(store_audit(ec, id, "account.register", email, "specialist", "127.0.0.9", now), DB_OK);
	char detail[96];
	snprintf(detail, sizeof detail, "%s coordinator", email);
	cr_assert_eq(store_audit(ec, owner, "org.member_add", "org:1", detail, "", now), DB_OK);
	int64_t org = new_org();
	cr_assert_eq(store_org_add_member(ec, org, owner, "owner", now), DB_OK);
	cr_assert_eq(store_org_add_member(ec, org, id, "coordinator", now), DB_OK);
	exec_ok("INSERT INTO org_invitations (org_id, email, role, token_hash, created_at, expires_at) "
		"VALUES (?, ?, 'owner', ?, ?, ?)",
		DB_PARAMS(DB_INT(org), DB_TEXT(email), DB_TEXT(tok), DB_INT(now), DB_INT(now + 3600)));
	/* Work done last month, and a place taken on a shift next week. */
	int64_t past = insert_id("INSERT INTO opportunities (org_id, kind, domain, title, starts_at, ends_at, status, "
				 "created_at, updated_at) VALUES (?, 'campaign', 'health', 'قافلة', ?, ?, 'completed', ?, ?) "
				 "RETURNING id",
				 DB_PARAMS(DB_INT(org), DB_INT(now - 40 * 86400), DB_INT(now - 39 * 86400), DB_INT(now),
					   DB_INT(now)));
	int64_t done = insert_id("INSERT INTO applications (opportunity_id, user_id, status, message, created_at, updated_at) "
				 "VALUES (?, ?, 'completed', 'رقم جوالي 0551234567', ?, ?) RETURNING id",
				 DB_PARAMS(DB_INT(past), DB_INT(id), DB_INT(now), DB_INT(now)));
	int64_t future;
	int64_t shift = shift_next_week(org, 2, now, &future);
	int64_t live = insert_id("INSERT INTO applications (opportunity_id, shift_id, user_id, status, created_at, updated_at) "
				 "VALUES (?, ?, ?, 'accepted', ?, ?) RETURNING id",
				 DB_PARAMS(DB_INT(future), DB_INT(shift), DB_INT(id), DB_INT(now), DB_INT(now)));
	int64_t req = 0;
	cr_assert_eq(store_help_create(ec, id, 0, "health", "ألم في الأسنان", "تفاصيل خاصة جدا", "jeddah", "normal", now, &req),
		     DB_OK);

	struct erase_files files;
	cr_assert_eq(store_account_erase(ec, id, "$argon2id$fake", now, &files), DB_OK);
	cr_assert_eq(files.count, 1);
	cr_assert_str_eq(files.hashes[0], hash);
	erase_files_free(&files);

	/* Gone. */
	const char *gone[] = { "sessions", "tokens", "email_tokens", "roles", "profile", "skills", "availability",
			       "credentials", "notifications", "members" };
	for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
		cr_expect_eq(count(gone[i], id), 0, "%s left", gone[i]);
	struct user_record u;
	cr_assert_eq(store_user_by_id(ec, id, &u), STORE_NOT_FOUND);
	cr_assert_eq(store_user_by_email(ec, email, &u), STORE_NOT_FOUND);
	int64_t n = -1;
	cr_assert_eq(db_query_int(ec, "SELECT count(*) FROM users WHERE id = ? AND email IS NULL AND name = '' "
				      "AND password_hash IS NULL AND deleted_at IS NOT NULL",
				  DB_PARAMS(DB_INT(id)), &n), DB_OK);
	cr_assert_eq(n, 1, "the tombstone is not as expected");
	cr_assert_eq(db_query_int(ec, "SELECT count(*) FROM org_invitations WHERE email = ?", DB_PARAMS(DB_TEXT(email)), &n),
		     DB_OK);
	cr_assert_eq(n, 0);
	cr_assert_eq(store_rate_count(ec, "login_fail_account", email_key, 0, &n), DB_OK);
	cr_assert_eq(n, 0);
	cr_assert_eq(db_query_int(ec, "SELECT count(*) FROM audit_log WHERE target = ? OR detail LIKE ?",
				  DB_PARAMS(DB_TEXT(email), DB_TEXT(detail)), &n), DB_OK);
	cr_assert_eq(n, 0, "the e-mail is still in the audit log");

	/* Kept, anonymised. */
	cr_assert_eq(count("erased_audit", id), 1);
	cr_assert_eq(count("org_members_of_org", org), 1, "the other owner stays");
	cr_assert_eq(db_query_int(ec, "SELECT count(*) FROM applications WHERE id = ? AND status = 'completed' AND message = ''",
				  DB_PARAMS(DB_INT(done)), &n), DB_OK);
	cr_assert_eq(n, 1, "the completed application is not kept anonymised");
	cr_assert_eq(db_query_int(ec, "SELECT count(*) FROM applications WHERE id = ? AND status = 'withdrawn'",
				  DB_PARAMS(DB_INT(live)), &n), DB_OK);
	cr_assert_eq(n, 1, "the future place is not freed");
	cr_assert_eq(db_query_int(ec, "SELECT taken FROM shifts WHERE id = ?", DB_PARAMS(DB_INT(shift)), &n), DB_OK);
	cr_assert_eq(n, 0);
	struct help_request h;
	cr_assert_eq(store_help_get(ec, req, owner, ROLE_MODERATOR, "moderation", "", now, &h), DB_OK);
	cr_assert_str_eq(h.title, "");
	cr_assert_str_eq(h.city, "");
	cr_assert_str_eq(h.details, "");
	cr_assert_str_eq(h.status, "new");
	help_request_free(&h);

	/* Twice: there is no one left to erase. */
	cr_assert_eq(store_account_erase(ec, id, NULL, now, &files), STORE_NOT_FOUND);
}

/* The place an erased person held on a full shift goes to the first on its
 * waiting list as an offer that holds it, as a withdrawal's would. */
Test(erase, freed_place_is_offered_to_the_waiting_list)
{
	char e1[64], e2[64], e3[64];
	int64_t now = time(NULL);
	int64_t leaving = person("specialist", e1, sizeof e1);
	int64_t first = person("specialist", e2, sizeof e2);
	int64_t second = person("specialist", e3, sizeof e3);
	int64_t org = new_org();
	int64_t opp;
	int64_t shift = shift_next_week(org, 1, now, &opp);
	int64_t ids[3];
	const int64_t who[3] = { leaving, first, second };
	const char *status[3] = { "accepted", "waitlisted", "waitlisted" };
	for (int i = 0; i < 3; i++)
		ids[i] = insert_id("INSERT INTO applications (opportunity_id, shift_id, user_id, status, waitlisted_at, "
				   "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
				   DB_PARAMS(DB_INT(opp), DB_INT(shift), DB_INT(who[i]), DB_TEXT(status[i]),
					     i ? DB_INT(now + i) : DB_NULL, DB_INT(now), DB_INT(now)));
	struct erase_files files;
	cr_assert_eq(store_account_erase(ec, leaving, NULL, now, &files), DB_OK);
	erase_files_free(&files);
	int64_t n = -1;
	cr_assert_eq(db_query_int(ec, "SELECT taken FROM shifts WHERE id = ?", DB_PARAMS(DB_INT(shift)), &n), DB_OK);
	cr_assert_eq(n, 1, "the offer holds the freed place");
	char key[80];
	const char *expect[3] = { "withdrawn", "offered", "waitlisted" };
	for (int i = 0; i < 3; i++) {
		db_rows *r = db_query(ec, "SELECT status FROM applications WHERE id = ?", DB_PARAMS(DB_INT(ids[i])), NULL);
		cr_assert(r && db_next(r));
		cr_expect_str_eq(db_text(r, 0), expect[i], "application %d", i);
		db_rows_free(r);
	}
	cr_assert_eq(db_query_int(ec, "SELECT count(*) FROM notifications WHERE user_id = ? AND kind = 'application_offered'",
				  DB_PARAMS(DB_INT(first)), &n), DB_OK);
	cr_assert_eq(n, 1, "the first waiting is told");
	snprintf(key, sizeof key, "offer_expiry:app:%lld:%lld", (long long)ids[1], (long long)now);
	cr_assert_eq(db_query_int(ec, "SELECT count(*) FROM jobs WHERE kind = 'offer_expiry' AND dedupe_key = ?",
				  DB_PARAMS(DB_TEXT(key)), &n), DB_OK);
	cr_assert_eq(n, 1, "the offer's expiry is queued");
}

Test(erase, last_owner_with_members_is_refused)
{
	char e1[64], e2[64];
	int64_t now = time(NULL);
	int64_t owner = person("organisation", e1, sizeof e1);
	int64_t coordinator = person("organisation", e2, sizeof e2);
	int64_t org = new_org();
	cr_assert_eq(store_org_add_member(ec, org, owner, "owner", now), DB_OK);
	cr_assert_eq(store_org_add_member(ec, org, coordinator, "coordinator", now), DB_OK);
	struct erase_files files;
	cr_assert_eq(store_account_erase(ec, owner, NULL, now, &files), ERASE_LAST_OWNER);
	struct user_record u;
	cr_assert_eq(store_user_by_email(ec, e1, &u), DB_OK, "a refused erase changed the account");
	user_record_free(&u);
	cr_assert_eq(count("org_members_of_org", org), 2);
	/* The coordinator may go; then the owner, now alone, may go too and the
	 * organisation stays as the record of its work. */
	cr_assert_eq(store_account_erase(ec, coordinator, NULL, now, &files), DB_OK);
	erase_files_free(&files);
	cr_assert_eq(store_account_erase(ec, owner, NULL, now, &files), DB_OK);
	erase_files_free(&files);
	cr_assert_eq(count("org_members_of_org", org), 0);
	int64_t n = 0;
	cr_assert_eq(db_query_int(ec, "SELECT count(*) FROM orgs WHERE id = ?", DB_PARAMS(DB_INT(org)), &n), DB_OK);
	cr_assert_eq(n, 1);
}

Test(erase, changed_password_hash_changes_nothing)
{
	char email[64];
	int64_t id = person("beneficiary", email, sizeof email);
	struct erase_files files;
	cr_assert_eq(store_account_erase(ec, id, "$argon2id$other", time(NULL), &files), ERASE_CHANGED);
	struct user_record u;
	cr_assert_eq(store_user_by_id(ec, id, &u), DB_OK);
	cr_assert_str_eq(u.email, email);
	user_record_free(&u);
}

Test(erase, access_log_lists_newest_first_with_filters)
{
	char e1[64], e2[64];
	int64_t now = time(NULL);
	int64_t requester = person("beneficiary", e1, sizeof e1);
	int64_t moderator = person("moderator", e2, sizeof e2);
	int64_t req = 0;
	cr_assert_eq(store_help_create(ec, requester, 0, "law", "عقد إيجار", "تفاصيل", "riyadh", "low", now, &req), DB_OK);
	struct help_request h;
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(store_help_get(ec, req, moderator, ROLE_MODERATOR, NULL, "10.0.0.1", now + i, &h), DB_OK);
		help_request_free(&h);
	}
	cr_assert_eq(store_help_get(ec, req, requester, ROLE_BENEFICIARY, NULL, "10.0.0.2", now + 5, &h), DB_OK);
	help_request_free(&h);

	struct access_log_entry *list = NULL;
	int n = 0;
	bool more = false;
	cr_assert_eq(store_access_log_list(ec, req, 0, 0, 10, &list, &n, &more), DB_OK);
	cr_assert_eq(n, 4);
	cr_assert_not(more);
	cr_assert_eq(list[0].reader_id, requester, "newest first");
	cr_assert_str_eq(list[0].reason, "requester");
	cr_assert_str_eq(list[1].reason, "moderation");
	cr_assert_str_eq(list[1].reader_name, "فاطمة الزهراني");
	access_log_entries_free(list, n);

	cr_assert_eq(store_access_log_list(ec, req, moderator, 0, 2, &list, &n, &more), DB_OK);
	cr_assert_eq(n, 2);
	cr_assert(more);
	int64_t cursor = list[1].id;
	access_log_entries_free(list, n);
	cr_assert_eq(store_access_log_list(ec, req, moderator, cursor, 2, &list, &n, &more), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert_not(more);
	cr_assert_eq(list[0].reader_id, moderator);
	access_log_entries_free(list, n);

	/* After the reader is erased the reads stay, without a name. */
	struct erase_files files;
	cr_assert_eq(store_account_erase(ec, moderator, NULL, now, &files), DB_OK);
	erase_files_free(&files);
	cr_assert_eq(store_access_log_list(ec, 0, moderator, 0, 10, &list, &n, &more), DB_OK);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(list[0].reader_name, "");
	access_log_entries_free(list, n);
}
