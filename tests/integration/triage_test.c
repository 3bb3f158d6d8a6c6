/*
 * triage_test.c — triage and routing of help requests: who may triage,
 * validation in the caller's language, the moderators' queue (never a title
 * or details), routing to verified organisations only, handing back, the
 * notifications, and the page forms.
 */
#include "client.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE "طلب استشارة تخص الإيجار"

/* logged_in: a fresh account of `role`, logged in on a new client. */
static struct client *logged_in(const char *role, struct account *a)
{
	struct client *c = client_new();
	*a = client_register(c, role);
	client_login(c, a);
	return c;
}

/* moderator: a fresh moderator, logged in. */
static struct client *moderator(struct account *a)
{
	struct client *c = client_new();
	*a = client_register(c, "specialist");
	test_help_grant_role(a->id, "moderator");
	client_login(c, a);
	return c;
}

/* create: a request of the caller's with these details (org_id 0: none); its id. */
static int64_t create(struct client *c, const char *details, int64_t org_id)
{
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s}", "domain", "law", "title", TITLE, "details", details,
				 "city", "تبوك", "urgency", "normal");
	if (org_id)
		json_object_set_new(body, "org_id", json_integer(org_id));
	struct response *r = client_post_json(c, "/api/v1/requests", body);
	json_decref(body);
	assert_status(r, 201);
	int64_t id = json_integer_value(json_object_get(json_object_get(r->json, "request"), "id"));
	response_free(r);
	return id;
}

static struct response *action(struct client *c, int64_t id, const char *verb, json_t *body)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/requests/%lld/%s", (long long)id, verb);
	if (!body)
		body = json_object();
	struct response *r = client_post_json(c, path, body);
	json_decref(body);
	return r;
}

static long read_status(struct client *c, int64_t id)
{
	char path[64];
	snprintf(path, sizeof path, "/api/v1/requests/%lld", (long long)id);
	struct response *r = client_get(c, path);
	long st = r->status;
	response_free(r);
	return st;
}

/* in_items: does a list answer hold an item with this id? */
static bool in_items(const struct response *r, int64_t id)
{
	json_t *items = json_object_get(r->json, "items");
	for (size_t i = 0; i < json_array_size(items); i++)
		if (json_integer_value(json_object_get(json_array_get(items, i), "id")) == id)
			return true;
	return false;
}

/* in_org_queue: is request `id` in the organisation's queue, as `c` sees it? */
static bool in_org_queue(struct client *c, int64_t org, int64_t id)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/orgs/%lld/requests?limit=100", (long long)org);
	struct response *r = client_get(c, path);
	assert_status(r, 200);
	bool found = in_items(r, id);
	response_free(r);
	return found;
}

/* in_moderators_queue: is request `id` in the unrouted queue?  Walks every
 * page and checks that no page carries a title or `secret`. */
static bool in_moderators_queue(struct client *mod, int64_t id, const char *secret)
{
	char path[128], cursor[32] = "";
	bool found = false;
	for (int page = 0; page < 1000; page++) {
		snprintf(path, sizeof path, "/api/v1/admin/requests?status=unrouted&limit=100%s%s", *cursor ? "&cursor=" : "",
			 cursor);
		struct response *r = client_get(mod, path);
		assert_status(r, 200);
		cr_assert_null(strstr(r->body.data, secret), "details in the moderators' queue");
		cr_assert_null(strstr(r->body.data, TITLE), "a title in the moderators' queue");
		cr_assert_null(strstr(r->body.data, "\"title\""), "a title field in the moderators' queue");
		json_t *items = json_object_get(r->json, "items");
		for (size_t i = 0; i < json_array_size(items); i++) {
			json_t *it = json_array_get(items, i);
			cr_assert_not_null(json_object_get(it, "urgency"));
			cr_assert_not_null(json_object_get(it, "age_days"));
		}
		found = found || in_items(r, id);
		json_t *next = json_object_get(r->json, "next_cursor");
		if (!json_is_string(next)) {
			response_free(r);
			break;
		}
		snprintf(cursor, sizeof cursor, "%s", json_string_value(next));
		response_free(r);
	}
	return found;
}

/* notified: the text of the caller's newest notification of `kind`, or NULL.  Caller frees. */
static char *notified(struct client *c, const char *kind)
{
	struct response *r = client_get(c, "/api/v1/me/notifications");
	assert_status(r, 200);
	char *text = NULL;
	json_t *items = json_object_get(r->json, "items");
	for (size_t i = 0; !text && i < json_array_size(items); i++) {
		json_t *it = json_array_get(items, i);
		if (strcmp(json_string_value(json_object_get(it, "kind")), kind) == 0)
			text = strdup(json_string_value(json_object_get(it, "text")));
	}
	response_free(r);
	return text;
}

static void secret_text(char *out, size_t n)
{
	char hex[17];
	random_hex(hex, 8);
	snprintf(out, n, "المؤجر يطالب بمبلغ غير مستحق %s", hex);
}

Test(triage, who_may_triage)
{
	struct account ben, member, outsider;
	struct client *cb = logged_in("beneficiary", &ben);
	struct client *cm = logged_in("organisation", &member);
	struct client *co = logged_in("specialist", &outsider);
	int64_t org = test_help_org(member.id);
	char secret[128];
	secret_text(secret, sizeof secret);
	int64_t id = create(cb, secret, org);

	struct client *visitor = client_new();
	struct response *r = action(visitor, id, "triage", NULL);
	assert_error(r, 401, "unauthenticated");
	response_free(r);
	r = action(co, id, "triage", json_pack("{s:s}", "urgency", "urgent"));
	assert_error(r, 404, "not_found");
	response_free(r);
	r = action(cb, id, "triage", json_pack("{s:s}", "urgency", "urgent"));
	assert_error(r, 403, "forbidden");
	response_free(r);

	/* A bad urgency is named, in the caller's language. */
	client_set_lang(cm, "en");
	r = action(cm, id, "triage", json_pack("{s:s}", "urgency", "soon"));
	assert_error_field(r, "urgency");
	cr_assert_str_eq(response_error_field(r, "urgency"), "Choose low, normal or urgent.");
	response_free(r);
	client_set_lang(cm, "ar");
	r = action(cm, id, "triage", json_pack("{s:i}", "urgency", 3));
	assert_error_field(r, "urgency");
	cr_assert(has_arabic_letters(response_error_field(r, "urgency")), "not in Arabic: %s", r->body.data);
	response_free(r);

	r = action(cm, id, "triage", json_pack("{s:s}", "urgency", "urgent"));
	assert_status(r, 200);
	json_t *req = json_object_get(r->json, "request");
	cr_assert_str_eq(json_string_value(json_object_get(req, "status")), "triaged");
	cr_assert_str_eq(json_string_value(json_object_get(req, "urgency")), "urgent");
	cr_assert_null(strstr(r->body.data, secret));
	response_free(r);
	/* Again: only the urgency changes; no urgency keeps it. */
	r = action(cm, id, "triage", NULL);
	assert_status(r, 200);
	req = json_object_get(r->json, "request");
	cr_assert_str_eq(json_string_value(json_object_get(req, "status")), "triaged");
	cr_assert_str_eq(json_string_value(json_object_get(req, "urgency")), "urgent");
	response_free(r);

	/* Once assigned, triage is a conflict. */
	struct account spec;
	struct client *cs = logged_in("specialist", &spec);
	test_help_approve_licence(spec.id);
	r = action(cm, id, "assign", json_pack("{s:I}", "specialist_id", (json_int_t)spec.id));
	assert_status(r, 200);
	response_free(r);
	r = action(cm, id, "triage", NULL);
	assert_error(r, 409, "wrong_state");
	response_free(r);
	r = action(cs, id, "triage", NULL); /* the assigned specialist is in the circle, but may not triage */
	assert_error(r, 403, "forbidden");
	response_free(r);

	client_free(cs);
	client_free(visitor);
	client_free(cb);
	client_free(cm);
	client_free(co);
}

Test(triage, route_and_hand_back)
{
	struct account ben, member, member_b, mod, founder;
	struct client *cb = logged_in("beneficiary", &ben);
	struct client *cm = logged_in("organisation", &member);
	struct client *cmb = logged_in("organisation", &member_b);
	struct client *cf = logged_in("organisation", &founder);
	struct client *cmod = moderator(&mod);
	int64_t org = test_help_org(member.id), org_b = test_help_org(member_b.id);
	char secret[128];
	secret_text(secret, sizeof secret);
	int64_t id = create(cb, secret, 0);

	/* Waiting for the moderators, in no organisation's queue. */
	cr_assert(in_moderators_queue(cmod, id, secret), "not in the moderators' queue");
	cr_assert_not(in_org_queue(cm, org, id));
	cr_assert_not(in_org_queue(cmb, org_b, id));
	cr_assert_eq(read_status(cm, id), 404);
	struct response *r = client_get(cm, "/api/v1/admin/requests?status=unrouted");
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = client_get(cmod, "/api/v1/admin/requests?status=assigned");
	assert_error_field(r, "status");
	response_free(r);

	/* An unverified organisation, or none at all, is refused. */
	json_t *org_body = json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", "جمعية لم توثق بعد", "kind", "charity",
				     "registration_no", "R-7781", "city", "تبوك", "description", "جمعية جديدة");
	r = client_post_json(cf, "/api/v1/orgs", org_body);
	json_decref(org_body);
	assert_status(r, 201);
	int64_t unverified = json_integer_value(json_object_get(json_object_get(r->json, "org"), "id"));
	response_free(r);
	r = action(cmod, id, "route", json_pack("{s:I}", "org_id", (json_int_t)unverified));
	assert_error_field(r, "org_id");
	response_free(r);
	r = action(cmod, id, "route", NULL);
	assert_error_field(r, "org_id");
	response_free(r);
	r = action(cm, id, "route", json_pack("{s:I}", "org_id", (json_int_t)org));
	assert_error(r, 403, "forbidden");
	response_free(r);

	/* Routed: the organisation's member reads it and is told; another organisation is not. */
	r = action(cmod, id, "route", json_pack("{s:I}", "org_id", (json_int_t)org));
	assert_status(r, 200);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(r->json, "request"), "org_id")), org);
	response_free(r);
	cr_assert_eq(read_status(cm, id), 200);
	cr_assert(in_org_queue(cm, org, id));
	cr_assert_eq(read_status(cmb, id), 404);
	cr_assert_not(in_moderators_queue(cmod, id, secret), "still in the moderators' queue");
	char *text = notified(cm, "help_routed");
	cr_assert_not_null(text, "the member was not notified");
	cr_assert_null(strstr(text, secret));
	cr_assert_null(strstr(text, TITLE));
	free(text);

	/* Handing back needs a reason, and only the organisation's members may. */
	r = action(cm, id, "decline", NULL);
	assert_error_field(r, "reason");
	response_free(r);
	r = action(cb, id, "decline", json_pack("{s:s}", "reason", "لا"));
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = action(cmb, id, "decline", json_pack("{s:s}", "reason", "لا"));
	assert_error(r, 404, "not_found");
	response_free(r);
	r = action(cm, id, "decline", json_pack("{s:s}", "reason", "لا يوجد لدينا محامٍ متطوع هذا الشهر"));
	assert_status(r, 200);
	json_t *req = json_object_get(r->json, "request");
	cr_assert(json_is_null(json_object_get(req, "org_id")));
	cr_assert_str_eq(json_string_value(json_object_get(req, "status")), "new");
	response_free(r);
	cr_assert_eq(read_status(cm, id), 404);
	cr_assert_not(in_org_queue(cm, org, id));
	cr_assert(in_moderators_queue(cmod, id, secret), "not back in the moderators' queue");
	text = notified(cb, "help_declined");
	cr_assert_not_null(text, "the requester was not notified");
	cr_assert_not_null(strstr(text, "لا يوجد لدينا محامٍ متطوع هذا الشهر"), "no reason in: %s", text);
	free(text);

	/* The moderators' audit log has the three actions, without the details. */
	r = client_get(cmod, "/api/v1/admin/audit?limit=100");
	if (r->status == 200) {
		cr_assert_not_null(strstr(r->body.data, "request.decline"));
		cr_assert_null(strstr(r->body.data, secret));
	}
	response_free(r);

	client_free(cb);
	client_free(cm);
	client_free(cmb);
	client_free(cf);
	client_free(cmod);
}

Test(triage, page_forms)
{
	struct account ben, member, mod;
	struct client *cb = logged_in("beneficiary", &ben);
	struct client *cm = logged_in("organisation", &member);
	struct client *cmod = moderator(&mod);
	int64_t org = test_help_org(member.id);
	char secret[128], path[96], org_s[24];
	secret_text(secret, sizeof secret);
	int64_t id = create(cb, secret, 0);
	snprintf(org_s, sizeof org_s, "%lld", (long long)org);

	/* The dashboard lists it with a route form, without title or details. */
	client_set_lang(cmod, "en");
	struct response *r = client_get(cmod, "/moderation?lang=en");
	assert_status(r, 200);
	cr_assert_not_null(strstr(r->body.data, "Help requests waiting for an organisation"));
	snprintf(path, sizeof path, "/requests/%lld/route", (long long)id);
	cr_assert_not_null(strstr(r->body.data, path), "no route form");
	cr_assert_null(strstr(r->body.data, secret));
	char *csrf = html_find_csrf(r->body.data);
	response_free(r);
	r = client_post_form(cmod, path, "csrf", csrf, "org_id", org_s, NULL);
	assert_status(r, 303);
	char *loc = response_location(r);
	cr_assert_str_eq(loc, "/moderation?done=request-routed");
	free(loc);
	free(csrf);
	response_free(r);

	/* The member sees the triage and hand-back forms, and triages. */
	client_set_lang(cm, "en");
	snprintf(path, sizeof path, "/requests/%lld?lang=en", (long long)id);
	r = client_get(cm, path);
	assert_status(r, 200);
	cr_assert_not_null(strstr(r->body.data, "Mark as reviewed"));
	cr_assert_not_null(strstr(r->body.data, "/decline"));
	csrf = html_find_csrf(r->body.data);
	response_free(r);
	r = client_get(cb, path); /* not for the requester */
	assert_status(r, 200);
	cr_assert_null(strstr(r->body.data, "/triage\""));
	cr_assert_null(strstr(r->body.data, "/decline\""));
	response_free(r);
	snprintf(path, sizeof path, "/requests/%lld/triage?lang=en", (long long)id);
	r = client_post_form(cm, path, "csrf", csrf, "urgency", "whenever", NULL);
	assert_status(r, 422);
	cr_assert_not_null(strstr(r->body.data, "Choose low, normal or urgent."), "%s", r->body.data);
	response_free(r);
	r = client_post_form(cm, path, "csrf", csrf, "urgency", "low", NULL);
	assert_status(r, 303);
	response_free(r);
	snprintf(path, sizeof path, "/api/v1/requests/%lld", (long long)id);
	r = client_get(cm, path);
	json_t *req = json_object_get(r->json, "request");
	cr_assert_str_eq(json_string_value(json_object_get(req, "status")), "triaged");
	cr_assert_str_eq(json_string_value(json_object_get(req, "urgency")), "low");
	response_free(r);

	/* The queue page shows it; handing back returns there. */
	snprintf(path, sizeof path, "/orgs/%lld/requests?lang=en", (long long)org);
	r = client_get(cm, path);
	assert_status(r, 200);
	cr_assert_not_null(strstr(r->body.data, "Being reviewed"));
	response_free(r);
	snprintf(path, sizeof path, "/requests/%lld/decline", (long long)id);
	r = client_post_form(cm, path, "csrf", csrf, "reason", "No lawyer this month", NULL);
	assert_status(r, 303);
	loc = response_location(r);
	snprintf(path, sizeof path, "/orgs/%lld/requests", (long long)org);
	cr_assert_str_eq(loc, path);
	free(loc);
	response_free(r);
	free(csrf);

	client_free(cb);
	client_free(cm);
	client_free(cmod);
}

Test(triage, org_queue_urgent_first_then_oldest)
{
	struct account ben, member;
	struct client *cb = logged_in("beneficiary", &ben);
	struct client *cm = logged_in("organisation", &member);
	int64_t org = test_help_org(member.id);
	int64_t first = create(cb, "الأول", org), second = create(cb, "الثاني", org), third = create(cb, "الثالث", org);
	struct response *r = action(cm, third, "triage", json_pack("{s:s}", "urgency", "urgent"));
	assert_status(r, 200);
	response_free(r);
	char path[64], a[32], b[32], c[32];
	snprintf(path, sizeof path, "/orgs/%lld/requests", (long long)org);
	r = client_get(cm, path);
	assert_status(r, 200);
	snprintf(a, sizeof a, "/requests/%lld\"", (long long)third);
	snprintf(b, sizeof b, "/requests/%lld\"", (long long)first);
	snprintf(c, sizeof c, "/requests/%lld\"", (long long)second);
	const char *pa = strstr(r->body.data, a), *pb = strstr(r->body.data, b), *pc = strstr(r->body.data, c);
	cr_assert(pa && pb && pc, "a request is missing from the queue page");
	cr_assert(pa < pb && pb < pc, "not urgent first, then oldest");
	response_free(r);
	client_free(cb);
	client_free(cm);
}
