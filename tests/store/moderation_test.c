/*
 * moderation_test.c — credentials, organisations' verification, the audit
 * log and notifications in the store, on the database named by
 * KHIBRA_TEST_DB (SQLite and PostgreSQL).  Every test makes its own people.
 */
#include "cli/demo_moderation.h"
#include "store/files.h"
#include "store/moderation.h"
#include "store/notifications.h"

#include "store_fixture.h"

#include <criterion/criterion.h>
#include <ftw.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct store_fixture fixture;
static db *mdb;
static db_conn *mc;

static void setup(void)
{
	store_fixture_open_pool(&fixture, false, 2);
	mdb = fixture.db;
	mc = fixture.c;
}

static void teardown(void)
{
	store_fixture_close(&fixture);
}

TestSuite(moderation_store, .init = setup, .fini = teardown);

static int64_t person(const char *role, const char *name)
{
	char email[64];
	snprintf(email, sizeof email, "m-%08x%08x@example.org", randombytes_random(), randombytes_random());
	int64_t id = 0;
	cr_assert_eq(store_user_create(mc, email, name, "hash", "ar", role, time(NULL), &id), DB_OK);
	return id;
}

static int64_t credential(int64_t user, const char *kind)
{
	struct credential_new in = { .user_id = user, .kind = kind, .issuer = "هيئة", .number = "N-1",
				     .file_hash = "ab", .file_type = "application/pdf", .file_name = "a.pdf",
				     .file_size = 10 };
	int64_t id = 0;
	cr_assert_eq(store_credential_create(mc, &in, time(NULL), &id), DB_OK);
	return id;
}

Test(moderation_store, credentials_are_created_listed_and_decided)
{
	int64_t owner = person("specialist", "سارة"), mod = person("moderator", "نورة");
	int64_t a = credential(owner, "licence"), b = credential(owner, "degree");
	struct credential_new bad = { .user_id = owner, .kind = "passport", .issuer = "", .number = "",
				      .file_hash = "ab", .file_type = "application/pdf", .file_name = "", .file_size = 1 };
	int64_t ignored;
	cr_assert_eq(store_credential_create(mc, &bad, time(NULL), &ignored), DB_CONSTRAINT);
	bad.kind = "licence";
	bad.file_type = "text/html";
	cr_assert_eq(store_credential_create(mc, &bad, time(NULL), &ignored), DB_CONSTRAINT);

	struct credential_record *list = NULL;
	int n = 0;
	cr_assert_eq(store_credentials_of_user(mc, owner, &list, &n), DB_OK);
	cr_assert_eq(n, 2);
	cr_assert_eq(list[0].id, b, "newest first");
	cr_assert_str_eq(list[1].status, "pending");
	cr_assert_str_eq(list[1].owner_name, "سارة");
	credential_records_free(list, n);

	cr_assert_eq(store_credential_decide(mc, a, false, "غير واضحة", mod, 1000), DB_OK);
	struct credential_record c;
	cr_assert_eq(store_credential_by_id(mc, a, &c), DB_OK);
	cr_assert_str_eq(c.status, "rejected");
	cr_assert_str_eq(c.reason, "غير واضحة");
	cr_assert_eq(c.reviewed_by, mod);
	cr_assert_eq(c.reviewed_at, 1000);
	credential_record_free(&c);
	/* Decided again: the latest decision stands. */
	cr_assert_eq(store_credential_decide(mc, a, true, "", mod, 2000), DB_OK);
	cr_assert_eq(store_credential_by_id(mc, a, &c), DB_OK);
	cr_assert_str_eq(c.status, "approved");
	credential_record_free(&c);
	cr_assert_eq(store_credential_decide(mc, 987654321, true, "", mod, 2000), STORE_NOT_FOUND);
	cr_assert_eq(store_credential_by_id(mc, 987654321, &c), STORE_NOT_FOUND);
}

Test(moderation_store, queues_page_by_id)
{
	int64_t owner = person("specialist", "خالد");
	int64_t ids[3];
	for (int i = 0; i < 3; i++)
		ids[i] = credential(owner, "certificate");
	/* Start just before ours so that other tests' rows only come after. */
	struct credential_record *list = NULL;
	int n = 0;
	bool more = false;
	cr_assert_eq(store_credentials_by_status(mc, "pending", ids[0] - 1, 2, &list, &n, &more), DB_OK);
	cr_assert_eq(n, 2);
	cr_assert(more);
	cr_assert_eq(list[0].id, ids[0]);
	cr_assert_eq(list[1].id, ids[1]);
	int64_t last = list[1].id;
	credential_records_free(list, n);
	cr_assert_eq(store_credentials_by_status(mc, "pending", last, 1, &list, &n, &more), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert_eq(list[0].id, ids[2]);
	credential_records_free(list, n);
	int64_t count = 0;
	cr_assert_eq(store_credential_count(mc, "pending", &count), DB_OK);
	cr_assert_geq(count, 3);
}

Test(moderation_store, orgs_are_verified_or_rejected)
{
	int64_t owner = person("organisation", "فاطمة"), mod = person("moderator", "نورة");
	int64_t org = 0;
	cr_assert_eq(store_org_create(mc, "جمعية", "Society", "charity", "R-1", "Riyadh", "وصف", time(NULL), &org),
		     DB_OK);
	cr_assert_eq(store_org_add_member(mc, org, owner, "owner", time(NULL)), DB_OK);
	struct org_review o;
	cr_assert_eq(store_org_review_by_id(mc, org, &o), DB_OK);
	cr_assert_str_eq(o.status, "pending");
	cr_assert_eq(o.owner_id, owner);
	cr_assert_str_eq(o.owner_name, "فاطمة");
	org_review_free(&o);

	cr_assert_eq(store_org_decide(mc, org, false, "رقم التسجيل غير صحيح", mod, 500), DB_OK);
	cr_assert_eq(store_org_review_by_id(mc, org, &o), DB_OK);
	cr_assert_str_eq(o.status, "rejected");
	cr_assert_str_eq(o.review_reason, "رقم التسجيل غير صحيح");
	cr_assert_eq(o.verified_at, 0);
	org_review_free(&o);
	cr_assert_eq(store_org_decide(mc, org, true, "", mod, 600), DB_OK);
	cr_assert_eq(store_org_review_by_id(mc, org, &o), DB_OK);
	cr_assert_str_eq(o.status, "verified");
	cr_assert_eq(o.verified_at, 600);
	org_review_free(&o);

	int64_t *owners = NULL;
	int n = 0;
	cr_assert_eq(store_org_owners(mc, org, &owners, &n), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert_eq(owners[0], owner);
	free(owners);
	cr_assert_eq(store_org_decide(mc, 987654321, true, "", mod, 600), STORE_NOT_FOUND);
}

Test(moderation_store, audit_log_pages_newest_first_both_ways)
{
	int64_t actor = person("moderator", "نورة");
	char target[64];
	snprintf(target, sizeof target, "credential:%lld", (long long)actor);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(store_audit(mc, actor, "credential.approve", target, i == 2 ? "last" : "", "127.0.0.1",
					 time(NULL)),
			     DB_OK);
	/* Find our three at the top (other tests may write after them, so page from the newest). */
	struct audit_entry *list = NULL;
	int n = 0;
	bool more = false;
	cr_assert_eq(store_audit_list(mc, NULL, 0, 100, &list, &n, &more), DB_OK);
	int first = -1;
	for (int i = 0; i < n && first < 0; i++)
		if (list[i].actor_id == actor)
			first = i;
	cr_assert_geq(first, 0);
	cr_assert_str_eq(list[first].detail, "last");
	cr_assert_str_eq(list[first].actor_name, "نورة");
	cr_assert_str_eq(list[first].target, target);
	int64_t top = list[first].id;
	audit_entries_free(list, n);

	cr_assert_eq(store_audit_list(mc, "", top, 1, &list, &n, &more), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert(more);
	cr_assert_lt(list[0].id, top);
	int64_t older = list[0].id;
	audit_entries_free(list, n);

	cr_assert_eq(store_audit_newer(mc, NULL, older, 1, &list, &n, &more), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert_gt(list[0].id, older);
	audit_entries_free(list, n);
	cr_assert_eq(store_audit_newer(mc, NULL, older - 1, 2, &list, &n, &more), DB_OK);
	cr_assert_eq(n, 2);
	cr_assert_gt(list[0].id, list[1].id, "still newest first");
	audit_entries_free(list, n);
}

Test(moderation_store, notifications_list_count_and_mark_read)
{
	int64_t me = person("specialist", "ليلى"), other = person("specialist", "هدى");
	int64_t ids[3];
	for (int i = 0; i < 3; i++)
		cr_assert_eq(store_notification_create(mc, me, "credential_approved", "{\"kind\":\"licence\"}",
						       "/credentials", 100 + i, &ids[i]),
			     DB_OK);
	int64_t theirs = 0;
	cr_assert_eq(store_notification_create(mc, other, "org_verified", "{}", "", 100, &theirs), DB_OK);

	struct notification_record *list = NULL;
	int n = 0;
	bool more = false;
	cr_assert_eq(store_notifications_list(mc, me, 0, 2, &list, &n, &more), DB_OK);
	cr_assert_eq(n, 2);
	cr_assert(more);
	cr_assert_eq(list[0].id, ids[2], "newest first");
	cr_assert_str_eq(list[0].params, "{\"kind\":\"licence\"}");
	cr_assert_str_eq(list[0].link, "/credentials");
	cr_assert_eq(list[0].read_at, 0);
	int64_t cursor = list[1].id;
	notification_records_free(list, n);
	cr_assert_eq(store_notifications_list(mc, me, cursor, 2, &list, &n, &more), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert_not(more);
	notification_records_free(list, n);

	int64_t unread = 0, changed = 0;
	cr_assert_eq(store_notifications_unread(mc, me, &unread), DB_OK);
	cr_assert_eq(unread, 3);
	/* Someone else's id is ignored. */
	int64_t some[] = { ids[0], theirs };
	cr_assert_eq(store_notifications_mark_read(mc, me, some, 2, 200, &changed), DB_OK);
	cr_assert_eq(changed, 1);
	cr_assert_eq(store_notifications_unread(mc, other, &unread), DB_OK);
	cr_assert_eq(unread, 1);
	cr_assert_eq(store_notifications_mark_read(mc, me, NULL, 0, 300, &changed), DB_OK);
	cr_assert_eq(changed, 2);
	cr_assert_eq(store_notifications_unread(mc, me, &unread), DB_OK);
	cr_assert_eq(unread, 0);
}

/* remove_one / remove_tree: rm -r of a folder the test made. */
static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int remove_tree(const char *dir)
{
	return nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* demo_person: the demo account with this e-mail, made if missing (a
 * parallel run may make it at the same time). */
static int64_t demo_person(const char *email, const char *name, const char *role)
{
	struct user_record u;
	int64_t id = 0;
	if (store_user_by_email(mc, email, &u) != DB_OK) {
		int st = store_user_create(mc, email, name, "hash", "ar", role, time(NULL), &id);
		cr_assert(st == DB_OK || st == DB_CONSTRAINT);
		if (st == DB_OK)
			return id;
		cr_assert_eq(store_user_by_email(mc, email, &u), DB_OK);
	}
	id = u.id;
	user_record_free(&u);
	return id;
}

Test(moderation_store, demo_licences_are_pending_and_idempotent)
{
	int64_t sara = demo_person("dr.sara@khibra.local", "د. سارة العتيبي", "specialist");
	demo_person("moderator@khibra.local", "مشرف خبرة", "moderator");
	char dir[] = "/tmp/khibra-demo-files-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(demo_moderation(mc, time(NULL), dir), 0);
	cr_assert_eq(demo_moderation(mc, time(NULL), dir), 0);
	struct credential_record *list = NULL;
	int n = 0, licences = 0;
	cr_assert_eq(store_credentials_of_user(mc, sara, &list, &n), DB_OK);
	for (int i = 0; i < n; i++)
		if (!strcmp(list[i].kind, "licence"))
			licences++;
	cr_assert_eq(licences, 1, "the demo made %d licences", licences);
	/* If this run made it, its file is a PDF in this data directory. */
	buf pdf = BUF_INIT;
	for (int i = 0; i < n; i++)
		if (!strcmp(list[i].kind, "licence") && files_read(dir, list[i].file_hash, &pdf)) {
			cr_assert_str_eq(filetype_detect(pdf.data, pdf.len), "application/pdf");
			cr_assert(strstr(pdf.data, "%%EOF"));
		}
	buf_free(&pdf);
	credential_records_free(list, n);
	cr_assert_eq(remove_tree(dir), 0, "could not remove %s", dir);
}

Test(moderation_store, audit_log_filters_by_action_or_prefix)
{
	int64_t actor = person("moderator", "ريم");
	char one[48], two[48], other[48];
	unsigned tag = randombytes_random();
	snprintf(one, sizeof one, "t%08x.one", tag);
	snprintf(two, sizeof two, "t%08x.two_words", tag);
	snprintf(other, sizeof other, "t%08xx.one", tag); /* shares the letters, not the prefix */
	cr_assert_eq(store_audit(mc, actor, one, "x", "", "", time(NULL)), DB_OK);
	cr_assert_eq(store_audit(mc, actor, two, "x", "", "", time(NULL)), DB_OK);
	cr_assert_eq(store_audit(mc, actor, other, "x", "", "", time(NULL)), DB_OK);
	struct audit_entry *list = NULL;
	int n = 0;
	bool more = false;
	cr_assert_eq(store_audit_list(mc, one, 0, 100, &list, &n, &more), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(list[0].action, one);
	audit_entries_free(list, n);
	char prefix[48];
	snprintf(prefix, sizeof prefix, "t%08x.", tag);
	cr_assert_eq(store_audit_list(mc, prefix, 0, 100, &list, &n, &more), DB_OK);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(list[0].action, two, "newest first");
	cr_assert_str_eq(list[1].action, one);
	int64_t top = list[0].id, bottom = list[1].id;
	audit_entries_free(list, n);
	/* Paging keeps the filter, both ways. */
	cr_assert_eq(store_audit_list(mc, prefix, top, 100, &list, &n, &more), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert_eq(list[0].id, bottom);
	audit_entries_free(list, n);
	cr_assert_eq(store_audit_newer(mc, prefix, bottom, 100, &list, &n, &more), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert_eq(list[0].id, top);
	audit_entries_free(list, n);
}

Test(moderation_store, decisions_mark_the_latest_per_item)
{
	int64_t mod = person("moderator", "نورة"), owner = person("specialist", "سارة");
	int64_t id = credential(owner, "licence");
	char target[48];
	snprintf(target, sizeof target, "credential:%lld", (long long)id);
	cr_assert_eq(store_audit(mc, mod, "credential.reject", target, "غير واضحة", "", time(NULL)), DB_OK);
	cr_assert_eq(store_audit(mc, mod, "credential.upload", target, "licence", "", time(NULL)), DB_OK);
	cr_assert_eq(store_audit(mc, mod, "credential.approve", target, "", "", time(NULL)), DB_OK);
	struct audit_entry *list = NULL;
	int n = 0;
	bool more = false;
	cr_assert_eq(store_decisions_list(mc, 0, 100, &list, &n, &more), DB_OK);
	int seen = 0;
	for (int i = 0; i < n; i++) {
		if (strcmp(list[i].target, target) != 0)
			continue;
		cr_assert_neq(strcmp(list[i].action, "credential.upload"), 0, "an upload is not a decision");
		cr_assert_eq(list[i].latest, strcmp(list[i].action, "credential.approve") == 0, "%s", list[i].action);
		seen++;
	}
	cr_assert_eq(seen, 2);
	audit_entries_free(list, n);
}

Test(moderation_store, locks_read_status_owner_and_city_names)
{
	int64_t owner = person("specialist", "سارة");
	int64_t id = credential(owner, "degree"), who = 0;
	char status[16];
	cr_assert_eq(db_begin(mc, true), DB_OK);
	cr_assert_eq(store_credential_lock(mc, id, &who, status, sizeof status), DB_OK);
	cr_assert_eq(who, owner);
	cr_assert_str_eq(status, "pending");
	cr_assert_eq(store_credential_lock(mc, 987654321, &who, status, sizeof status), STORE_NOT_FOUND);
	cr_assert_eq(db_rollback(mc), DB_OK);

	int64_t org = 0;
	cr_assert_eq(store_org_create(mc, "جمعية أبها", "", "school", "R-2", "abha", "", time(NULL), &org), DB_OK);
	cr_assert_eq(db_begin(mc, true), DB_OK);
	cr_assert_eq(store_org_lock(mc, org, status, sizeof status), DB_OK);
	cr_assert_str_eq(status, "pending");
	cr_assert_eq(store_org_lock(mc, 987654321, status, sizeof status), STORE_NOT_FOUND);
	cr_assert_eq(db_rollback(mc), DB_OK);
	struct org_review o;
	cr_assert_eq(store_org_review_by_id(mc, org, &o), DB_OK);
	cr_assert_str_eq(o.city_ar, "أبها");
	cr_assert_str_eq(o.city_en, "Abha");
	org_review_free(&o);
}
