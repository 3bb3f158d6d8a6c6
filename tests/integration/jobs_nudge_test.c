/*
 * jobs_nudge_test.c — the nudge end to end: an application left "applied"
 * for three days reaches the organisation's owner and coordinator by e-mail,
 * each in their own language, once a day, and not the applicant.
 *
 * It starts its OWN `khibra serve` ($KHIBRA_TEST_BIN, client.h's
 * own_server_*) on a fresh SQLite database, whose worker ticks every 200 ms:
 * on the harness's shared database other tests' applications would be
 * nudged too.  The application is made through the API, then made three
 * days old in the database (HTTP cannot backdate it).
 */
#include "client.h"
#include "store/store.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

TestSuite(jobs_nudge, .timeout = 120);

#define EN_MARKER "have been waiting three days or more for an answer: 1."
#define AR_MARKER "التي تنتظر الرد منذ ثلاثة أيام أو أكثر: 1."

Test(jobs_nudge, owner_and_coordinator_hear_in_their_language)
{
	struct own_server s;
	own_server_new(&s);
	own_server_start(&s, true);

	struct client *owner = client_new(), *coordinator = client_new(), *person = client_new();
	struct account owner_account = client_register(owner, "organisation");
	struct account coordinator_account = client_register(coordinator, "organisation");
	struct account person_account = client_register(person, "specialist");
	client_login(person, &person_account);
	int64_t org_id = test_booking_org(owner_account.id);
	db_conn *c = db_acquire(test_db());
	cr_assert_eq(store_user_set_locale(c, owner_account.id, "en"), DB_OK);
	cr_assert_eq(store_org_add_member(c, org_id, coordinator_account.id, "coordinator", time(NULL)), DB_OK);
	db_release(c);
	char title[64];
	random_hex(title + snprintf(title, sizeof title, "Dental caravan "), 4);
	int64_t opportunity = test_booking_opportunity(org_id, "campaign", "health", "open", title);
	int64_t day = time(NULL) + 10 * 86400;
	int64_t shift = test_booking_shift(opportunity, day, day + 4 * 3600, 3);

	char path[96], body[64];
	snprintf(path, sizeof path, "/api/v1/opportunities/%lld/applications", (long long)opportunity);
	snprintf(body, sizeof body, "{\"shift_id\": %lld}", (long long)shift);
	json_t *j = json_loads(body, 0, NULL);
	struct response *r = client_post_json(person, path, j);
	json_decref(j);
	assert_status(r, 201);
	int64_t application = json_integer_value(json_object_get(json_object_get(r->json, "application"), "id"));
	response_free(r);

	/* Fresh: the worker has ticked several times and nudged no one. */
	usleep(800 * 1000);
	cr_assert_eq(outbox_count_messages(owner_account.email, EN_MARKER), 0, "nudged about a fresh application");

	/* Three days and a minute old: the next tick nudges. */
	c = db_acquire(test_db());
	cr_assert_eq(db_exec(c, "UPDATE applications SET created_at = ?, updated_at = ? WHERE id = ?",
			     DB_PARAMS(DB_INT(time(NULL) - 3 * 86400 - 60), DB_INT(time(NULL) - 3 * 86400 - 60),
				       DB_INT(application)),
			     NULL), DB_OK);
	db_release(c);
	char *mail = outbox_find_message(owner_account.email, EN_MARKER, 15000);
	cr_assert_not_null(mail, "no nudge e-mail to the owner in English");
	char link[96];
	snprintf(link, sizeof link, "/opportunities/%lld/applicants", (long long)opportunity);
	cr_assert(strstr(mail, title) && strstr(mail, link) && strstr(mail, owner_account.name), "%s", mail);
	cr_assert(!has_arabic_letters(mail), "the English e-mail has Arabic in it: %s", mail);
	free(mail);
	mail = outbox_find_message(coordinator_account.email, AR_MARKER, 10000);
	cr_assert_not_null(mail, "no nudge e-mail to the coordinator in Arabic");
	cr_assert(strstr(mail, title) && strstr(mail, link), "%s", mail);
	free(mail);

	/* Many more ticks the same day: one nudge each, none to the applicant. */
	usleep(1000 * 1000);
	cr_assert_eq(outbox_count_messages(owner_account.email, EN_MARKER), 1);
	cr_assert_eq(outbox_count_messages(coordinator_account.email, AR_MARKER), 1);
	cr_assert_eq(outbox_count_messages(person_account.email, title), 0, "the applicant was nudged");

	/* The owner also sees it among their notifications. */
	client_login(owner, &owner_account);
	r = client_get(owner, "/api/v1/me/notifications");
	assert_status(r, 200);
	int nudges = 0;
	json_t *items = json_object_get(r->json, "items");
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *it = json_array_get(items, i);
		if (strcmp(json_string_value(json_object_get(it, "kind")), "nudge_applications") == 0)
			nudges++;
	}
	response_free(r);
	cr_assert_eq(nudges, 1);

	own_server_stop(&s, SIGTERM);
	client_free(owner);
	client_free(coordinator);
	client_free(person);
	own_server_remove(&s);
}
