/*
 * messages_test.c — message threads in the store (store/messages.c) on the
 * database named by KHIBRA_TEST_DB: sealed bodies, lists by cursor, read
 * marks and unread counts, the person's threads, participants and the
 * e-mail throttle.
 */
#include "auth/sealed.h"
#include "store/applications.h"
#include "store/help.h"
#include "store/messages.h"

#include "store_fixture.h"

#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct store_fixture fixture;
static db_conn *mc;

static void setup(void)
{
	store_fixture_open(&fixture, true);
	mc = fixture.c;
}

static void teardown(void)
{
	store_fixture_close(&fixture);
}

TestSuite(messages, .init = setup, .fini = teardown);

static int64_t person(const char *role)
{
	char email[64];
	snprintf(email, sizeof email, "m-%08x%08x@example.org", randombytes_random(), randombytes_random());
	int64_t id = 0;
	cr_assert_eq(store_user_create(mc, email, "مستخدم", "hash", "ar", role, time(NULL), &id), DB_OK);
	return id;
}

/* an_application: `applicant` applies to an open opportunity of a verified
 * organisation of which `member` is a coordinator. */
static int64_t an_application(int64_t applicant, int64_t member, const char *title, int64_t *org_out)
{
	int64_t now = time(NULL), org = 0, opp = 0, shift = 0, app = 0;
	char name[64];
	snprintf(name, sizeof name, "جمعية %08x", randombytes_random());
	cr_assert_eq(store_org_create(mc, name, "", "charity", "", "", "", now, &org), DB_OK);
	cr_assert_eq(store_org_set_verified(mc, org, now), DB_OK);
	cr_assert_eq(store_org_add_member(mc, org, member, "coordinator", now), DB_OK);
	cr_assert_eq(db_query_int(mc, "INSERT INTO opportunities (org_id, kind, domain, title, status, starts_at, ends_at, "
				      "created_at, updated_at) VALUES (?, 'project', 'technology', ?, 'open', ?, ?, ?, ?) "
				      "RETURNING id",
				  DB_PARAMS(DB_INT(org), DB_TEXT(title), DB_INT(now), DB_INT(now + 86400 * 90), DB_INT(now),
					    DB_INT(now)),
				  &opp),
		     DB_OK);
	cr_assert_eq(db_query_int(mc, "INSERT INTO shifts (opportunity_id, starts_at, ends_at, capacity) "
				      "VALUES (?, ?, ?, 3) RETURNING id",
				  DB_PARAMS(DB_INT(opp), DB_INT(now + 86400 * 10), DB_INT(now + 86400 * 10 + 3600)), &shift),
		     DB_OK);
	cr_assert_eq(store_application_apply(mc, opp, applicant, shift, "", now, &app), DB_OK);
	if (org_out)
		*org_out = org;
	return app;
}

Test(messages, bodies_are_sealed_and_listed_oldest_first)
{
	int64_t spec = person("specialist"), member = person("organisation");
	int64_t app = an_application(spec, member, "موقع للجمعية", NULL);
	int64_t ids[3];
	const char *bodies[] = { "السلام عليكم", "وعليكم السلام ورحمة الله", "secret-تفاصيل-7731" };
	for (int i = 0; i < 3; i++)
		cr_assert_eq(store_message_post(mc, "application", app, i == 1 ? member : spec, bodies[i], time(NULL) + i,
						&ids[i]),
			     DB_OK);
	cr_assert(ids[0] < ids[1] && ids[1] < ids[2]);

	/* the raw column holds no plain text */
	int st;
	db_rows *r = db_query(mc, "SELECT body_box FROM messages WHERE id = ?", DB_PARAMS(DB_INT(ids[2])), &st);
	cr_assert(r && db_next(r));
	size_t len = 0;
	const void *box = db_blob(r, 0, &len);
	cr_assert_eq(len, strlen(bodies[2]) + SEALED_OVERHEAD);
	cr_assert_null(memmem(box, len, "secret", 6));
	db_rows_free(r);

	struct message *list;
	int n;
	bool more;
	cr_assert_eq(store_messages_list(mc, "application", app, 0, 2, &list, &n, &more), DB_OK);
	cr_assert_eq(n, 2);
	cr_assert(more);
	cr_assert_str_eq(list[0].body, bodies[0]);
	cr_assert_eq(list[0].author_id, spec);
	cr_assert_str_eq(list[0].author_name, "مستخدم");
	cr_assert_str_eq(list[1].body, bodies[1]);
	int64_t cursor = list[1].id;
	messages_free(list, n);
	cr_assert_eq(store_messages_list(mc, "application", app, cursor, 2, &list, &n, &more), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert_not(more);
	cr_assert_str_eq(list[0].body, bodies[2]);
	messages_free(list, n);

	/* another thread with the same id but the other kind is separate */
	cr_assert_eq(store_messages_list(mc, "request", app, 0, 10, &list, &n, &more), DB_OK);
	cr_assert_eq(n, 0);
	messages_free(list, n);
	int64_t last = 0;
	cr_assert_eq(store_messages_last_id(mc, "application", app, &last), DB_OK);
	cr_assert_eq(last, ids[2]);
}

Test(messages, unread_counts_and_the_persons_threads)
{
	int64_t spec = person("specialist"), member = person("organisation"), other = person("specialist");
	int64_t app = an_application(spec, member, "تصميم هوية", NULL);
	int64_t unread = -1, total = -1, id1, id2, id3;
	cr_assert_eq(store_message_post(mc, "application", app, spec, "أولى", time(NULL), &id1), DB_OK);
	cr_assert_eq(store_message_post(mc, "application", app, spec, "ثانية", time(NULL), &id2), DB_OK);
	cr_assert_eq(store_messages_unread(mc, member, "application", app, &unread), DB_OK);
	cr_assert_eq(unread, 2);
	cr_assert_eq(store_messages_unread(mc, spec, "application", app, &unread), DB_OK);
	cr_assert_eq(unread, 0, "one's own messages are never unread");
	cr_assert_eq(store_messages_unread_total(mc, member, false, &total), DB_OK);
	cr_assert_eq(total, 2);

	struct message_thread *threads;
	int n;
	bool more;
	cr_assert_eq(store_message_threads(mc, member, false, 0, 10, &threads, &n, &more), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(threads[0].kind, "application");
	cr_assert_eq(threads[0].thread_id, app);
	cr_assert_str_eq(threads[0].title, "تصميم هوية");
	cr_assert_eq(threads[0].unread, 2);
	cr_assert_eq(threads[0].last_id, id2);
	message_threads_free(threads, n);
	cr_assert_eq(store_message_threads(mc, other, true, 0, 10, &threads, &n, &more), DB_OK);
	cr_assert_eq(n, 0, "an outsider has no threads");
	message_threads_free(threads, n);

	cr_assert_eq(store_messages_mark_read(mc, member, "application", app, id1), DB_OK);
	cr_assert_eq(store_messages_unread(mc, member, "application", app, &unread), DB_OK);
	cr_assert_eq(unread, 1);
	cr_assert_eq(store_messages_mark_read(mc, member, "application", app, id2), DB_OK);
	cr_assert_eq(store_messages_mark_read(mc, member, "application", app, id1), DB_OK); /* never backwards */
	cr_assert_eq(store_messages_unread(mc, member, "application", app, &unread), DB_OK);
	cr_assert_eq(unread, 0);
	cr_assert_eq(store_messages_unread_total(mc, member, false, &total), DB_OK);
	cr_assert_eq(total, 0);

	cr_assert_eq(store_message_post(mc, "application", app, member, "رد", time(NULL), &id3), DB_OK);
	cr_assert_eq(store_messages_unread_total(mc, spec, false, &total), DB_OK);
	cr_assert_eq(total, 1);
}

/* The application lists carry each viewer's unread count in one query. */
Test(messages, application_lists_count_the_viewers_unread)
{
	int64_t spec = person("specialist"), member = person("organisation"), id;
	int64_t app = an_application(spec, member, "ترجمة", NULL);
	cr_assert_eq(store_message_post(mc, "application", app, spec, "أولى", time(NULL), &id), DB_OK);
	cr_assert_eq(store_message_post(mc, "application", app, spec, "ثانية", time(NULL), &id), DB_OK);
	cr_assert_eq(store_message_post(mc, "application", app, member, "رد", time(NULL), &id), DB_OK);
	struct application got, *apps;
	int n;
	bool more;
	cr_assert_eq(store_application_get(mc, app, &got), DB_OK);
	cr_assert_eq(store_applications_of_opportunity(mc, member, got.opportunity_id, 0, 10, &apps, &n, &more), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert_eq(apps[0].messages_unread, 2, "the member's count in the applicants list");
	applications_free(apps, n);
	cr_assert_eq(store_messages_mark_read(mc, member, "application", app, id), DB_OK);
	cr_assert_eq(store_applications_of_opportunity(mc, member, got.opportunity_id, 0, 10, &apps, &n, &more), DB_OK);
	cr_assert_eq(apps[0].messages_unread, 0, "read");
	applications_free(apps, n);
	application_free(&got);
	cr_assert_eq(store_applications_of_user(mc, spec, 0, 10, &apps, &n, &more), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert_eq(apps[0].messages_unread, 1, "the applicant's count in their own list");
	applications_free(apps, n);
}

Test(messages, threads_page_by_cursor_most_recent_first)
{
	int64_t spec = person("specialist"), member = person("organisation");
	int64_t a1 = an_application(spec, member, "الأول", NULL);
	int64_t a2 = an_application(spec, member, "الثاني", NULL);
	int64_t id;
	cr_assert_eq(store_message_post(mc, "application", a1, member, "1", time(NULL), &id), DB_OK);
	cr_assert_eq(store_message_post(mc, "application", a2, member, "2", time(NULL), &id), DB_OK);
	struct message_thread *t;
	int n;
	bool more;
	cr_assert_eq(store_message_threads(mc, spec, false, 0, 1, &t, &n, &more), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert(more);
	cr_assert_eq(t[0].thread_id, a2);
	int64_t cursor = t[0].last_id;
	message_threads_free(t, n);
	cr_assert_eq(store_message_threads(mc, spec, false, cursor, 1, &t, &n, &more), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert_not(more);
	cr_assert_eq(t[0].thread_id, a1);
	message_threads_free(t, n);
}

Test(messages, request_threads_participants_and_moderators)
{
	int64_t ben = person("beneficiary"), member = person("organisation"), spec = person("specialist");
	int64_t mod = person("moderator");
	int64_t now = time(NULL), org = 0, req = 0, id;
	char name[64];
	snprintf(name, sizeof name, "جمعية %08x", randombytes_random());
	cr_assert_eq(store_org_create(mc, name, "", "charity", "", "", "", now, &org), DB_OK);
	cr_assert_eq(store_org_set_verified(mc, org, now), DB_OK);
	cr_assert_eq(store_org_add_member(mc, org, member, "coordinator", now), DB_OK);
	cr_assert_eq(store_help_create(mc, ben, org, "education", "دروس خصوصية", "تفاصيل", "حائل", "normal", now, &req),
		     DB_OK);
	cr_assert_eq(db_exec(mc, "UPDATE help_requests SET assigned_specialist_id = ? WHERE id = ?",
			     DB_PARAMS(DB_INT(spec), DB_INT(req)), NULL),
		     DB_OK);
	int64_t *ids;
	int n;
	cr_assert_eq(store_message_participants(mc, "request", req, &ids, &n), DB_OK);
	cr_assert_eq(n, 3);
	bool seen[3] = { false, false, false };
	for (int i = 0; i < n; i++) {
		seen[0] |= ids[i] == ben;
		seen[1] |= ids[i] == member;
		seen[2] |= ids[i] == spec;
	}
	cr_assert(seen[0] && seen[1] && seen[2]);
	free(ids);

	cr_assert_eq(store_message_post(mc, "request", req, ben, "مرحبا", now, &id), DB_OK);
	struct message_thread *t;
	bool more;
	cr_assert_eq(store_message_threads(mc, mod, true, 0, 10, &t, &n, &more), DB_OK);
	cr_assert_eq(n, 0, "a moderator sees the threads they wrote in only");
	message_threads_free(t, n);
	cr_assert_eq(store_message_post(mc, "request", req, mod, "تنبيه من المشرف", now, &id), DB_OK);
	cr_assert_eq(store_message_threads(mc, mod, true, 0, 10, &t, &n, &more), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(t[0].title, "دروس خصوصية");
	message_threads_free(t, n);
	cr_assert_eq(store_message_threads(mc, spec, false, 0, 10, &t, &n, &more), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert_eq(t[0].unread, 2);
	message_threads_free(t, n);

	cr_assert_eq(store_message_log_read(mc, req, mod, "127.0.0.1", now), DB_OK);
	int64_t logged = 0;
	cr_assert_eq(db_query_int(mc, "SELECT count(*) FROM request_access_log WHERE request_id = ? AND reason = 'messages'",
				  DB_PARAMS(DB_INT(req)), &logged),
		     DB_OK);
	cr_assert_eq(logged, 1);
}

Test(messages, application_participants_and_mail_throttle)
{
	int64_t spec = person("specialist"), member = person("organisation");
	int64_t app = an_application(spec, member, "حملة توعية", NULL);
	int64_t *ids;
	int n;
	cr_assert_eq(store_message_participants(mc, "application", app, &ids, &n), DB_OK);
	cr_assert_eq(n, 2);
	cr_assert((ids[0] == spec && ids[1] == member) || (ids[0] == member && ids[1] == spec));
	free(ids);

	int64_t now = time(NULL);
	bool due = false;
	cr_assert_eq(store_message_mail_claim(mc, member, "application", app, now, 3600, &due), DB_OK);
	cr_assert(due, "the first e-mail is due");
	cr_assert_eq(store_message_mail_claim(mc, member, "application", app, now + 60, 3600, &due), DB_OK);
	cr_assert_not(due, "a second e-mail within the hour is not");
	cr_assert_eq(store_message_mail_claim(mc, spec, "application", app, now + 60, 3600, &due), DB_OK);
	cr_assert(due, "the throttle is per person");
	cr_assert_eq(store_message_mail_claim(mc, member, "application", app, now + 3600, 3600, &due), DB_OK);
	cr_assert(due, "an hour later it is due again");
	/* the claim does not disturb the read mark */
	int64_t id, unread = 0;
	cr_assert_eq(store_message_post(mc, "application", app, spec, "نص", now, &id), DB_OK);
	cr_assert_eq(store_messages_unread(mc, member, "application", app, &unread), DB_OK);
	cr_assert_eq(unread, 1);
}
