/*
 * messages_test.c — message threads over HTTP: an application's two sides
 * talk and outsiders are told 404; a help request's circle talks, bodies are
 * sealed in the raw database, e-mails name no private detail; validation in
 * Arabic and English; unread counts; notifications; closed threads; pages.
 * Organisations, opportunities and shifts are inserted directly into the
 * server's database (KHIBRA_TEST_DB_URL), as in applications_test.c.
 */
#include "client.h"
#include "store/db.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

TestSuite(messages, .timeout = 120);

static struct client *logged_in(const char *role, struct account *a)
{
	struct client *c = client_new();
	*a = client_register(c, role);
	client_login(c, a);
	return c;
}

/* An application of `person` to an open opportunity of an organisation of `member`. */
static int64_t application_of(struct client *person, int64_t member_id, const char *title)
{
	int64_t org = test_booking_org(member_id);
	int64_t opp = test_booking_opportunity(org, "project", "technology", "open", title);
	int64_t t = time(NULL) + 86400 * 40;
	int64_t shift = test_booking_shift(opp, t, t + 3600, 2);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/opportunities/%lld/applications", (long long)opp);
	json_t *body = json_pack("{s:I, s:s}", "shift_id", (json_int_t)shift, "message", "أستطيع المساعدة");
	struct response *r = client_post_json(person, path, body);
	json_decref(body);
	assert_status(r, 201);
	int64_t id = json_integer_value(json_object_get(json_object_get(r->json, "application"), "id"));
	response_free(r);
	return id;
}

static struct response *post_message(struct client *c, const char *kind, int64_t id, const char *text)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/%s/%lld/messages", kind, (long long)id);
	json_t *body = json_pack("{s:s}", "body", text);
	struct response *r = client_post_json(c, path, body);
	json_decref(body);
	return r;
}

static struct response *get_messages(struct client *c, const char *kind, int64_t id)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/%s/%lld/messages", kind, (long long)id);
	return client_get(c, path);
}

/* say: post, asserting 201 and the answer's shape; the new message's id. */
static int64_t say(struct client *c, const char *kind, int64_t id, const char *text, const struct account *me)
{
	struct response *r = post_message(c, kind, id, text);
	assert_status(r, 201);
	json_t *m = json_object_get(r->json, "message");
	cr_assert_str_eq(json_string_value(json_object_get(m, "body")), text);
	cr_assert(json_is_true(json_object_get(m, "mine")));
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(m, "author"), "name")), me->name);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(m, "author"), "id")), me->id);
	cr_assert(json_is_string(json_object_get(m, "created_at")));
	int64_t mid = json_integer_value(json_object_get(m, "id"));
	cr_assert_gt(mid, 0);
	response_free(r);
	return mid;
}

/* unread_of: the caller's unread count for one thread in GET /me/messages (-1: not listed). */
static long long unread_of(struct client *c, const char *kind, int64_t id, long long *total)
{
	struct response *r = client_get(c, "/api/v1/me/messages");
	assert_status(r, 200);
	long long found = -1;
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(r->json, "items"), i, item)
		if (!strcmp(json_string_value(json_object_get(item, "thread_kind")), kind) &&
		    json_integer_value(json_object_get(item, "thread_id")) == id)
			found = json_integer_value(json_object_get(item, "unread"));
	if (total)
		*total = json_integer_value(json_object_get(r->json, "unread_total"));
	response_free(r);
	return found;
}

Test(messages, both_sides_of_an_application_talk)
{
	struct account spec, member;
	struct client *cs = logged_in("specialist", &spec);
	struct client *cm = logged_in("organisation", &member);
	int64_t app = application_of(cs, member.id, "موقع إلكتروني للجمعية");

	say(cm, "applications", app, "مرحباً، متى يمكنك البدء؟", &member);
	cr_assert_eq(unread_of(cs, "application", app, NULL), 1, "the specialist has one unread message");
	say(cs, "applications", app, "يمكنني البدء الأسبوع القادم.\nشكراً لكم.", &spec);

	struct response *r = get_messages(cm, "applications", app);
	assert_status(r, 200);
	json_t *items = json_object_get(r->json, "items");
	cr_assert_eq(json_array_size(items), 2);
	cr_assert(json_is_null(json_object_get(r->json, "next_cursor")));
	json_t *first = json_array_get(items, 0), *second = json_array_get(items, 1);
	cr_assert_str_eq(json_string_value(json_object_get(first, "body")), "مرحباً، متى يمكنك البدء؟");
	cr_assert(json_is_true(json_object_get(first, "mine")));
	cr_assert_str_eq(json_string_value(json_object_get(second, "body")), "يمكنني البدء الأسبوع القادم.\nشكراً لكم.");
	cr_assert(json_is_false(json_object_get(second, "mine")));
	response_free(r);

	/* reading set the specialist's count to 0 */
	r = get_messages(cs, "applications", app);
	assert_status(r, 200);
	response_free(r);
	cr_assert_eq(unread_of(cs, "application", app, NULL), 0);

	/* paginated by cursor, oldest first */
	char path[128];
	snprintf(path, sizeof path, "/api/v1/applications/%lld/messages?limit=1", (long long)app);
	r = client_get(cs, path);
	assert_status(r, 200);
	cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 1);
	const char *cursor = json_string_value(json_object_get(r->json, "next_cursor"));
	cr_assert_not_null(cursor);
	snprintf(path, sizeof path, "/api/v1/applications/%lld/messages?limit=1&cursor=%s", (long long)app, cursor);
	response_free(r);
	r = client_get(cs, path);
	assert_status(r, 200);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "body")),
			 "يمكنني البدء الأسبوع القادم.\nشكراً لكم.");
	response_free(r);
	snprintf(path, sizeof path, "/api/v1/applications/%lld/messages?cursor=abc", (long long)app);
	r = client_get(cs, path);
	assert_error(r, 400, "malformed");
	response_free(r);

	/* the specialist was told in the app, with a link to the thread */
	r = client_get(cs, "/api/v1/me/notifications");
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "message_application"), "no notification: %s", r->body.data);
	snprintf(path, sizeof path, "/applications/%lld#messages", (long long)app);
	cr_assert(strstr(r->body.data, path), "no link to the thread: %s", r->body.data);
	response_free(r);
	client_free(cs);
	client_free(cm);
}

Test(messages, outsiders_of_an_application_get_404_visitors_401)
{
	struct account spec, member, third, stranger;
	struct client *cs = logged_in("specialist", &spec);
	struct client *cm = logged_in("organisation", &member);
	struct client *ct = logged_in("specialist", &third);
	struct client *co = logged_in("organisation", &stranger);
	test_booking_org(stranger.id); /* a member of another organisation */
	int64_t app = application_of(cs, member.id, "تصميم شعار");
	say(cs, "applications", app, "سؤال عن المشروع", &spec);

	struct client *outsiders[] = { ct, co };
	for (int i = 0; i < 2; i++) {
		struct response *r = get_messages(outsiders[i], "applications", app);
		assert_error(r, 404, "not_found");
		response_free(r);
		r = post_message(outsiders[i], "applications", app, "أنا دخيل");
		assert_error(r, 404, "not_found");
		response_free(r);
		char path[64];
		snprintf(path, sizeof path, "/applications/%lld", (long long)app);
		r = client_get(outsiders[i], path);
		assert_status(r, 404);
		response_free(r);
	}
	struct response *r = get_messages(cs, "applications", 999999999);
	assert_error(r, 404, "not_found");
	response_free(r);
	struct client *visitor = client_new();
	r = get_messages(visitor, "applications", app);
	assert_status(r, 401);
	response_free(r);
	r = post_message(visitor, "applications", app, "مرحبا");
	assert_status(r, 401);
	response_free(r);
	r = client_get(visitor, "/api/v1/me/messages");
	assert_status(r, 401);
	response_free(r);
	client_free(visitor);
	client_free(cs);
	client_free(cm);
	client_free(ct);
	client_free(co);
}

Test(messages, empty_or_long_body_is_422_in_the_callers_language)
{
	struct account spec, member;
	struct client *cs = logged_in("specialist", &spec);
	struct client *cm = logged_in("organisation", &member);
	int64_t app = application_of(cs, member.id, "تدريب");

	client_set_lang(cs, "ar");
	struct response *r = post_message(cs, "applications", app, "   \n  ");
	assert_error_field(r, "body");
	cr_assert(has_arabic_letters(response_error_field(r, "body")), "not Arabic: %s", r->body.data);
	response_free(r);

	client_set_lang(cs, "en");
	r = post_message(cs, "applications", app, "");
	assert_error_field(r, "body");
	cr_assert(strstr(response_error_field(r, "body"), "Write"), "not English: %s", r->body.data);
	response_free(r);

	char *big = malloc(4002);
	memset(big, 'a', 4001);
	big[4001] = '\0';
	r = post_message(cs, "applications", app, big);
	assert_error_field(r, "body");
	response_free(r);
	big[4000] = '\0'; /* exactly 4000 is fine */
	r = post_message(cs, "applications", app, big);
	assert_status(r, 201);
	response_free(r);
	free(big);

	/* the body must be a string */
	char path[96];
	snprintf(path, sizeof path, "/api/v1/applications/%lld/messages", (long long)app);
	json_t *body = json_pack("{s:i}", "body", 5);
	r = client_post_json(cs, path, body);
	json_decref(body);
	assert_error_field(r, "body");
	response_free(r);
	client_free(cs);
	client_free(cm);
}

Test(messages, a_withdrawn_application_is_closed_to_new_messages)
{
	struct account spec, member;
	struct client *cs = logged_in("specialist", &spec);
	struct client *cm = logged_in("organisation", &member);
	int64_t app = application_of(cs, member.id, "ترجمة");
	say(cs, "applications", app, "سأنسحب للأسف", &spec);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/applications/%lld/withdraw", (long long)app);
	json_t *empty = json_object();
	struct response *r = client_post_json(cs, path, empty);
	json_decref(empty);
	assert_status(r, 200);
	response_free(r);
	r = post_message(cm, "applications", app, "لماذا؟");
	assert_error(r, 409, "wrong_state");
	response_free(r);
	r = get_messages(cm, "applications", app); /* still readable */
	assert_status(r, 200);
	cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 1);
	response_free(r);
	client_free(cs);
	client_free(cm);
}

/* help_request: a beneficiary's request handled by `member`'s organisation,
 * assigned to `specialist`. */
static int64_t help_request(struct client *cb, struct client *cm, int64_t member_id, int64_t specialist_id)
{
	int64_t org = test_help_org(member_id);
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "domain", "education", "title", "دروس رياضيات خاصة",
				 "details", "أحتاج دروساً في الجبر", "city", "حائل", "urgency", "normal", "org_id",
				 (json_int_t)org);
	struct response *r = client_post_json(cb, "/api/v1/requests", body);
	json_decref(body);
	assert_status(r, 201);
	int64_t id = json_integer_value(json_object_get(json_object_get(r->json, "request"), "id"));
	response_free(r);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/requests/%lld/assign", (long long)id);
	body = json_pack("{s:I}", "specialist_id", (json_int_t)specialist_id);
	r = client_post_json(cm, path, body);
	json_decref(body);
	assert_status(r, 200);
	response_free(r);
	return id;
}

/* raw_holds: does any stored message of the thread hold `text` as is? */
static bool raw_holds(int64_t request_id, const char *text)
{
	db_conn *c = db_acquire(test_db());
	int st;
	bool found = false, any = false;
	db_rows *rows = db_query(c, "SELECT body_box FROM messages WHERE thread_kind = 'request' AND thread_id = ?",
				 DB_PARAMS(DB_INT(request_id)), &st);
	cr_assert_not_null(rows);
	while (db_next(rows)) {
		size_t len = 0;
		const char *box = db_blob(rows, 0, &len);
		any = true;
		if (box && memmem(box, len, text, strlen(text)))
			found = true;
	}
	db_rows_free(rows);
	db_release(c);
	cr_assert(any, "no message stored for request %lld", (long long)request_id);
	return found;
}

Test(messages, a_help_request_circle_talks_privately)
{
	struct account ben, member, spec, outsider;
	struct client *cb = logged_in("beneficiary", &ben);
	struct client *cm = logged_in("organisation", &member);
	struct client *cs = logged_in("specialist", &spec);
	struct client *co = logged_in("specialist", &outsider);
	int64_t id = help_request(cb, cm, member.id, spec.id);

	char secret[96], hex[17];
	random_hex(hex, 8);
	snprintf(secret, sizeof secret, "رقم هاتفي الخاص %s", hex);
	say(cb, "requests", id, secret, &ben);
	say(cs, "requests", id, "سأتصل بك مساء الغد إن شاء الله", &spec);

	cr_assert_not(raw_holds(id, secret), "a help-thread message is stored in plain text");
	cr_assert_not(raw_holds(id, hex), "a help-thread message is stored in plain text");

	struct response *r = get_messages(cs, "requests", id);
	assert_status(r, 200);
	cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "body")),
			 secret);
	response_free(r);
	r = get_messages(cm, "requests", id); /* the handling organisation's member */
	assert_status(r, 200);
	response_free(r);

	r = get_messages(co, "requests", id);
	assert_error(r, 404, "not_found");
	response_free(r);
	r = post_message(co, "requests", id, "مرحبا");
	assert_error(r, 404, "not_found");
	response_free(r);
	struct client *visitor = client_new();
	r = get_messages(visitor, "requests", id);
	assert_status(r, 401);
	response_free(r);
	client_free(visitor);

	/* the requester is told; the e-mail names neither the message nor the title */
	r = client_get(cb, "/api/v1/me/notifications");
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "message_request"), "no notification: %s", r->body.data);
	response_free(r);
	char number[32];
	snprintf(number, sizeof number, "#%lld", (long long)id);
	char *mail = outbox_find_message(spec.email, number, 5000);
	cr_assert_not_null(mail, "no e-mail to the specialist about %s", number);
	cr_assert_null(strstr(mail, hex), "the e-mail holds the message");
	cr_assert_null(strstr(mail, "دروس رياضيات خاصة"), "the e-mail holds the request's title");
	free(mail);
	client_free(cb);
	client_free(cm);
	client_free(cs);
	client_free(co);
}

Test(messages, unread_counts_rise_then_fall_to_zero)
{
	struct account spec, member;
	struct client *cs = logged_in("specialist", &spec);
	struct client *cm = logged_in("organisation", &member);
	int64_t app = application_of(cs, member.id, "استشارة تقنية");
	long long total = -1;
	cr_assert_eq(unread_of(cm, "application", app, &total), -1, "no thread before a message");
	cr_assert_eq(total, 0);
	say(cs, "applications", app, "الأولى", &spec);
	say(cs, "applications", app, "الثانية", &spec);
	cr_assert_eq(unread_of(cm, "application", app, &total), 2);
	cr_assert_eq(total, 2);
	cr_assert_eq(unread_of(cs, "application", app, NULL), 0, "one's own messages are never unread");
	struct response *r = client_get(cs, "/api/v1/me/applications");
	assert_status(r, 200);
	json_t *item = json_array_get(json_object_get(r->json, "items"), 0);
	cr_assert_eq(json_integer_value(json_object_get(item, "id")), app);
	cr_assert(json_is_integer(json_object_get(item, "messages_unread")));
	cr_assert_eq(json_integer_value(json_object_get(item, "messages_unread")), 0, "the applicant wrote them");
	char path[80];
	snprintf(path, sizeof path, "/api/v1/opportunities/%lld/applications",
		 (long long)json_integer_value(json_object_get(item, "opportunity_id")));
	response_free(r);
	r = client_get(cm, path);
	assert_status(r, 200);
	item = json_array_get(json_object_get(r->json, "items"), 0);
	cr_assert_eq(json_integer_value(json_object_get(item, "messages_unread")), 2, "the organisation's count");
	response_free(r);
	r = get_messages(cm, "applications", app);
	assert_status(r, 200);
	response_free(r);
	cr_assert_eq(unread_of(cm, "application", app, &total), 0);
	cr_assert_eq(total, 0);
	client_free(cs);
	client_free(cm);
}

Test(messages, pages_show_the_thread_and_post_with_csrf)
{
	struct account spec, member, ben;
	struct client *cs = logged_in("specialist", &spec);
	struct client *cm = logged_in("organisation", &member);
	int64_t app = application_of(cs, member.id, "ورشة تصوير");
	say(cs, "applications", app, "رسالة من المتخصص", &spec);
	struct client *cb = logged_in("beneficiary", &ben);
	int64_t id = help_request(cb, cm, member.id, spec.id); /* before cm drops its CSRF header */

	char path[96];
	snprintf(path, sizeof path, "/applications/%lld", (long long)app);
	struct response *r = client_get(cm, path);
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "رسالة من المتخصص"));
	cr_assert(strstr(r->body.data, "id=\"message-form\""));
	char *csrf = html_find_csrf(r->body.data);
	cr_assert_not_null(csrf);
	response_free(r);

	/* the applicants' list links to the thread */
	struct response *list = client_get(cs, "/me/applications");
	assert_status(list, 200);
	snprintf(path, sizeof path, "/applications/%lld#messages", (long long)app);
	cr_assert(html_has_href_containing(list->body.data, path));
	response_free(list);

	snprintf(path, sizeof path, "/applications/%lld/messages", (long long)app);
	client_set_csrf(cm, NULL);
	r = client_post_form(cm, path, "csrf", csrf, "body", "رد من الجهة عبر النموذج", NULL);
	assert_status(r, 303);
	char *loc = response_location(r);
	char want[64];
	snprintf(want, sizeof want, "/applications/%lld#message-", (long long)app);
	cr_assert(loc && !strncmp(loc, want, strlen(want)), "Location %s", loc ? loc : "(none)");
	free(loc);
	response_free(r);
	r = client_post_form(cm, path, "csrf", csrf, "body", "  ", NULL);
	assert_status(r, 303);
	loc = response_location(r);
	cr_assert(loc && strstr(loc, "message=empty"), "Location %s", loc ? loc : "(none)");
	free(loc);
	response_free(r);
	r = client_post_form(cm, path, "body", "بدون رمز", NULL); /* no CSRF token */
	cr_assert_eq(r->status, 403, "got %ld", r->status);
	response_free(r);
	free(csrf);

	snprintf(path, sizeof path, "/applications/%lld?message=empty", (long long)app);
	r = client_get(cs, path);
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "رد من الجهة عبر النموذج"));
	cr_assert(strstr(r->body.data, "field-error"));
	response_free(r);

	/* the help request's page carries its thread */
	say(cs, "requests", id, "رسالة على صفحة الطلب", &spec);
	snprintf(path, sizeof path, "/requests/%lld", (long long)id);
	r = client_get(cb, path);
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "رسالة على صفحة الطلب"));
	char *csrf2 = html_find_csrf(r->body.data);
	response_free(r);
	snprintf(path, sizeof path, "/requests/%lld/messages", (long long)id);
	client_set_csrf(cb, NULL);
	r = client_post_form(cb, path, "csrf", csrf2, "body", "شكراً جزيلاً", NULL);
	assert_status(r, 303);
	response_free(r);
	free(csrf2);
	r = client_get(cb, "/messages");
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "دروس رياضيات خاصة"), "the thread is not listed");
	response_free(r);
	client_free(cs);
	client_free(cm);
	client_free(cb);
}
