/*
 * orgs_test.c — organisations and their members through the JSON API and the
 * pages: creation and validation, the city picker, who may edit and see
 * members, membership by consent (invitations for every address, accepted
 * with the link or from the account), leaving, roles, the last owner,
 * verification that goes back to the moderators, the public page.
 */
#include "client.h"
#include "store/db.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* logged_in: a fresh client logged in as a new person of `role`. */
static struct client *logged_in(const char *role, struct account *a)
{
	struct client *c = client_new();
	*a = client_register(c, role);
	client_login(c, a);
	return c;
}

static json_t *org_body(const char *name)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "name", name, "name_en", "Hope Charity", "kind",
			 "charity", "registration_no", "NCNP-4411", "city", "Riyadh", "description",
			 "نخدم الأسر المحتاجة في الرياض.", "website", "https://hope.example.org");
}

/* create_org: POST /api/v1/orgs as c, asserting 201; the new id. */
static int64_t create_org(struct client *c, const char *name)
{
	json_t *body = org_body(name);
	struct response *r = client_post_json(c, "/api/v1/orgs", body);
	json_decref(body);
	assert_status(r, 201);
	int64_t id = json_integer_value(json_object_get(json_object_get(r->json, "org"), "id"));
	cr_assert_gt(id, 0);
	response_free(r);
	return id;
}

/* path_of: a printf-formatted path (caller frees). */
__attribute__((format(printf, 1, 2))) static char *path_of(const char *fmt, ...)
{
	char *p = malloc(160);
	cr_assert_not_null(p);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p, 160, fmt, ap);
	va_end(ap);
	return p;
}

/* add_member: POST /api/v1/orgs/{id}/members {email, role}; the response. */
static struct response *add_member(struct client *c, int64_t org, const char *email, const char *role)
{
	json_t *body = json_pack("{s:s, s:s}", "email", email, "role", role);
	char *p = path_of("/api/v1/orgs/%lld/members", (long long)(org));
	struct response *r = client_post_json(c, p, body);
	free(p);
	json_decref(body);
	return r;
}

/* member_role: the role of user_id in GET …/members as c, or NULL (copied into out). */
static const char *member_role(struct client *c, int64_t org, int64_t user_id, char *out, size_t n)
{
	char *p = path_of("/api/v1/orgs/%lld/members", (long long)(org));
	struct response *r = client_get(c, p);
	free(p);
	assert_status(r, 200);
	const json_t *items = json_object_get(r->json, "items");
	cr_assert(json_is_array(items));
	const char *found = NULL;
	size_t i;
	json_t *m;
	json_array_foreach(items, i, m) {
		if (json_integer_value(json_object_get(m, "user_id")) == user_id) {
			snprintf(out, n, "%s", json_string_value(json_object_get(m, "role")));
			cr_assert_not_null(json_string_value(json_object_get(m, "email")), "member without email");
			found = out;
		}
	}
	response_free(r);
	return found;
}

/* sql_exec: one statement on the server's own database. */
static void sql_exec(const char *sql, const db_value *params, int nparams)
{
	db_conn *c = db_acquire(test_db());
	cr_assert_eq(db_exec(c, sql, params, nparams, NULL), DB_OK, "%s", sql);
	db_release(c);
}

/* sql_count: a count(*) on the server's own database. */
static int64_t sql_count(const char *sql, const db_value *params, int nparams)
{
	db_conn *c = db_acquire(test_db());
	int64_t n = -1;
	cr_assert_eq(db_query_int(c, sql, params, nparams, &n), DB_OK, "%s", sql);
	db_release(c);
	return n;
}

/* verify_email: confirm the account's address with the mailed link. */
static void verify_email(struct client *c, const char *email)
{
	char *token = outbox_find_link(email, "/verify-email?token=");
	cr_assert_not_null(token, "no verification mail to %s", email);
	json_t *body = json_pack("{s:s}", "token", token);
	struct response *r = client_post_json(c, "/api/v1/auth/verify-email", body);
	assert_status(r, 200);
	response_free(r);
	json_decref(body);
	free(token);
}

/* org_field: a string field of GET /api/v1/orgs/{id} as c (copied into out). */
static const char *org_field(struct client *c, int64_t org, const char *field, char *out, size_t n)
{
	char *p = path_of("/api/v1/orgs/%lld", (long long)org);
	struct response *r = client_get(c, p);
	free(p);
	assert_status(r, 200);
	const char *v = json_string_value(json_object_get(json_object_get(r->json, "org"), field));
	snprintf(out, n, "%s", v ? v : "(none)");
	response_free(r);
	return out;
}

/* ================================================================ create */

Test(orgs, create_is_201_pending_and_the_caller_owns_it)
{
	struct account a;
	struct client *c = logged_in("organisation", &a);
	json_t *body = org_body("جمعية الأمل");
	struct response *r = client_post_json(c, "/api/v1/orgs", body);
	json_decref(body);
	assert_status(r, 201);
	const json_t *org = json_object_get(r->json, "org");
	cr_assert_str_eq(json_string_value(json_object_get(org, "name")), "جمعية الأمل");
	cr_assert_str_eq(json_string_value(json_object_get(org, "name_en")), "Hope Charity");
	cr_assert_str_eq(json_string_value(json_object_get(org, "kind")), "charity");
	cr_assert_str_eq(json_string_value(json_object_get(org, "registration_no")), "NCNP-4411");
	cr_assert_str_eq(json_string_value(json_object_get(org, "website")), "https://hope.example.org");
	cr_assert_str_eq(json_string_value(json_object_get(org, "city")), "riyadh", "the city is stored as its slug");
	cr_assert_str_eq(json_string_value(json_object_get(org, "city_name")), "الرياض");
	cr_assert_str_eq(json_string_value(json_object_get(org, "status")), "pending");
	cr_assert(json_is_false(json_object_get(org, "verified")));
	const char *created = json_string_value(json_object_get(org, "created_at"));
	cr_assert(created && strlen(created) == 25 && !strcmp(created + 19, "+03:00"), "created_at %s", created);
	int64_t id = json_integer_value(json_object_get(org, "id"));
	response_free(r);

	r = client_get(c, "/api/v1/me/orgs");
	assert_status(r, 200);
	const json_t *item = json_array_get(json_object_get(r->json, "items"), 0);
	cr_assert_eq(json_integer_value(json_object_get(item, "id")), id);
	cr_assert_str_eq(json_string_value(json_object_get(item, "role")), "owner");
	response_free(r);

	r = client_get(c, "/api/v1/me");
	assert_status(r, 200);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(json_object_get(r->json, "orgs"), 0), "id")), id);
	response_free(r);
	client_free(c);
}

Test(orgs, a_visitor_cannot_create)
{
	struct client *c = client_new();
	json_t *body = org_body("زائر");
	struct response *r = client_post_json(c, "/api/v1/orgs", body);
	json_decref(body);
	assert_status(r, 401);
	response_free(r);
	client_free(c);
}

Test(orgs, validation_names_each_bad_field)
{
	struct account a;
	struct client *c = logged_in("organisation", &a);
	static const struct { const char *field; const char *value; } cases[] = {
		{ "kind", "club" }, { "kind", "" }, { "registration_no", "" }, { "name", "x" }, { "name", "" },
		{ "website", "ftp://files.example.org" }, { "website", "javascript:alert(1)" }, { "city", "" },
		{ "city", "Atlantis" }, { "city", "قرية الشعف" },
		{ "description", "" },
		{ "registration_no", "1234567890123456789012345678901234567890123456789012345678901" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *body = org_body("جمعية التحقق");
		json_object_set_new(body, cases[i].field, json_string(cases[i].value));
		struct response *r = client_post_json(c, "/api/v1/orgs", body);
		json_decref(body);
		cr_assert_eq(r->status, 422, "%s=\"%s\": %ld %s", cases[i].field, cases[i].value, r->status, r->body.data);
		assert_error_field(r, cases[i].field);
		cr_assert(has_arabic_letters(response_error_field(r, cases[i].field)), "reason not in Arabic: %s",
			  r->body.data);
		response_free(r);
	}
	/* Missing registration number and kind; a number where text belongs. */
	json_t *body = json_pack("{s:s, s:s, s:s}", "name", "جمعية", "city", "Jeddah", "description", "…");
	struct response *r = client_post_json(c, "/api/v1/orgs", body);
	assert_error_field(r, "registration_no");
	assert_error_field(r, "kind");
	response_free(r);
	json_object_set_new(body, "name", json_integer(5));
	r = client_post_json(c, "/api/v1/orgs", body);
	assert_error_field(r, "name");
	response_free(r);
	json_decref(body);

	/* This person's locale is Arabic; ?lang=en asks for English. */
	body = org_body("Checks");
	json_object_set_new(body, "kind", json_string("club"));
	r = client_post_json(c, "/api/v1/orgs?lang=en", body);
	assert_error_field(r, "kind");
	cr_assert(!has_arabic_letters(response_error_field(r, "kind")), "English reason expected: %s", r->body.data);
	response_free(r);
	json_decref(body);
	client_free(c);
}

/* ================================================================ who may do what */

Test(orgs, a_coordinator_edits_their_org_but_not_another)
{
	struct account owner_a, owner_b, coord;
	struct client *ca = logged_in("organisation", &owner_a);
	struct client *cb = logged_in("organisation", &owner_b);
	struct client *cc = logged_in("specialist", &coord);
	int64_t org_a = create_org(ca, "جمعية أ"), org_b = create_org(cb, "جمعية ب");
	test_org_join(ca, org_a, cc, coord.email, "coordinator");
	struct response *r;

	json_t *patch = json_pack("{s:s, s:s}", "description", "وصف جديد", "city", "Abha");
	char *pa = path_of("/api/v1/orgs/%lld", (long long)(org_a)), *pb = path_of("/api/v1/orgs/%lld", (long long)(org_b));
	r = client_patch_json(cc, pa, patch);
	assert_status(r, 200);
	const json_t *org = json_object_get(r->json, "org");
	cr_assert_str_eq(json_string_value(json_object_get(org, "description")), "وصف جديد");
	cr_assert_str_eq(json_string_value(json_object_get(org, "name")), "جمعية أ", "PATCH changed an absent field");
	cr_assert_str_eq(json_string_value(json_object_get(org, "city")), "abha");
	response_free(r);
	json_t *nowhere = json_pack("{s:s}", "city", "nowhere-town");
	r = client_patch_json(cc, pa, nowhere);
	assert_error_field(r, "city");
	response_free(r);
	json_decref(nowhere);

	r = client_patch_json(cc, pb, patch);
	assert_error(r, 403, "forbidden");
	response_free(r);
	char *unknown = path_of("/api/v1/orgs/%lld", (long long)(org_b + 1000000));
	r = client_patch_json(cc, unknown, patch);
	assert_error(r, 404, "not_found");
	response_free(r);

	json_t *bad = json_pack("{s:s}", "kind", "club");
	r = client_patch_json(cc, pa, bad);
	assert_error_field(r, "kind");
	response_free(r);
	json_decref(bad);

	/* A coordinator may not add members: owners only. */
	char email[128];
	random_email(email, sizeof email);
	r = add_member(cc, org_a, email, "coordinator");
	assert_error(r, 403, "forbidden");
	response_free(r);

	json_decref(patch);
	free(pa);
	free(pb);
	free(unknown);
	client_free(ca);
	client_free(cb);
	client_free(cc);
}

Test(orgs, only_members_see_members)
{
	struct account owner, stranger;
	struct client *co = logged_in("organisation", &owner);
	struct client *cs = logged_in("specialist", &stranger);
	int64_t id = create_org(co, "جمعية الأعضاء");
	char *p = path_of("/api/v1/orgs/%lld/members", (long long)(id)), *po = path_of("/api/v1/orgs/%lld", (long long)(id));
	struct response *r = client_get(cs, p);
	assert_error(r, 403, "forbidden");
	response_free(r);

	char role[16];
	cr_assert_not_null(member_role(co, id, owner.id, role, sizeof role));
	cr_assert_str_eq(role, "owner");

	/* The public object names no one for outsiders and visitors, but does for members. */
	struct client *visitor = client_new();
	r = client_get(visitor, po);
	assert_status(r, 200);
	cr_assert_null(json_object_get(json_object_get(r->json, "org"), "members"));
	cr_assert_null(strstr(r->body.data, owner.email));
	response_free(r);
	r = client_get(cs, po);
	assert_status(r, 200);
	cr_assert_null(json_object_get(json_object_get(r->json, "org"), "members"));
	response_free(r);
	r = client_get(co, po);
	assert_status(r, 200);
	cr_assert_eq(json_array_size(json_object_get(json_object_get(r->json, "org"), "members")), 1);
	cr_assert_null(strstr(r->body.data, owner.email), "member e-mails in the org object");
	response_free(r);

	char *unknown = path_of("/api/v1/orgs/%lld/members", (long long)(id + 1000000));
	r = client_get(co, unknown);
	assert_error(r, 404, "not_found");
	response_free(r);
	free(unknown);
	free(p);
	free(po);
	client_free(visitor);
	client_free(co);
	client_free(cs);
}

/* ================================================================ members and invitations */

Test(orgs, an_existing_user_is_invited_not_added_and_nothing_tells_them_apart)
{
	struct account owner, other;
	struct client *co = logged_in("organisation", &owner);
	struct client *cx = logged_in("specialist", &other);
	int64_t id = create_org(co, "جمعية الإضافة");
	char nobody[128];
	random_email(nobody, sizeof nobody);
	struct response *known = add_member(co, id, other.email, "coordinator");
	struct response *unknown = add_member(co, id, nobody, "coordinator");
	/* No enumeration: the same status and the same keys, no name, no user id. */
	assert_status(known, 202);
	assert_status(unknown, 202);
	cr_assert_eq(json_object_size(known->json), 1);
	cr_assert_eq(json_object_size(unknown->json), 1);
	const json_t *ki = json_object_get(known->json, "invitation"), *ui = json_object_get(unknown->json, "invitation");
	cr_assert_eq(json_object_size(ki), json_object_size(ui));
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)ki, key, v)
		cr_assert_not_null(json_object_get(ui, key), "key %s only for a known address", key);
	cr_assert_null(json_object_get(ki, "user_id"));
	cr_assert_null(json_object_get(ki, "name"));
	cr_assert_null(strstr(known->body.data, other.name), "the answer names the account");
	response_free(known);
	response_free(unknown);

	/* Not a member until they accept. */
	char role[16];
	cr_assert_null(member_role(co, id, other.id, role, sizeof role), "added without consent");
	char *mine = path_of("/api/v1/orgs/%lld/members", (long long)id);
	struct response *r = client_get(cx, mine);
	assert_error(r, 403, "forbidden");
	response_free(r);

	/* Both addresses got the e-mail; the account also a notification that links to its invitations. */
	char *mail = outbox_find_link(other.email, "/invitations/accept?token=");
	cr_assert_not_null(mail);
	free(mail);
	mail = outbox_find_link(nobody, "/invitations/accept?token=");
	cr_assert_not_null(mail);
	free(mail);
	r = client_get(cx, "/api/v1/me/notifications");
	assert_status(r, 200);
	cr_assert_not_null(strstr(r->body.data, "/invitations"), "no notification with a link: %s", r->body.data);
	cr_assert_not_null(strstr(r->body.data, "جمعية الإضافة"), "the notification does not name the org: %s",
			   r->body.data);
	response_free(r);

	/* The invitee sees it in their account and accepts there, once the address is confirmed. */
	r = client_get(cx, "/api/v1/me/invitations");
	assert_status(r, 200);
	const json_t *items = json_object_get(r->json, "items");
	cr_assert_eq(json_array_size(items), 1, "%s", r->body.data);
	int64_t inv = json_integer_value(json_object_get(json_array_get(items, 0), "id"));
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(json_array_get(items, 0), "org"), "id")), id);
	response_free(r);
	char *accept = path_of("/api/v1/me/invitations/%lld/accept", (long long)inv);
	json_t *empty = json_object();
	r = client_post_json(cx, accept, empty);
	assert_error(r, 403, "email_unverified");
	response_free(r);
	verify_email(cx, other.email);
	r = client_get(cx, "/dashboard?lang=en");
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "You are invited to join an organisation (1)"), "the dashboard points to it");
	response_free(r);
	/* Nobody else can take it by its number. */
	struct account third;
	struct client *ct = logged_in("specialist", &third);
	verify_email(ct, third.email);
	r = client_post_json(ct, accept, empty);
	assert_error(r, 404, "invalid_token");
	response_free(r);
	r = client_post_json(cx, accept, empty);
	assert_status(r, 200);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(r->json, "org"), "id")), id);
	response_free(r);
	cr_assert_not_null(member_role(co, id, other.id, role, sizeof role));
	cr_assert_str_eq(role, "coordinator");
	cr_assert_not_null(member_role(cx, id, owner.id, role, sizeof role), "the new member does not see the members");
	r = client_post_json(cx, accept, empty);
	assert_error(r, 404, "invalid_token");
	response_free(r);

	r = add_member(co, id, other.email, "owner");
	assert_error(r, 409, "duplicate");
	response_free(r);
	r = add_member(co, id, "not-an-address", "boss");
	assert_error_field(r, "email");
	assert_error_field(r, "role");
	response_free(r);
	json_decref(empty);
	free(accept);
	free(mine);
	client_free(co);
	client_free(cx);
	client_free(ct);
}

Test(orgs, owners_list_and_withdraw_invitations_invitees_decline)
{
	struct account owner, coord, invitee;
	struct client *co = logged_in("organisation", &owner);
	struct client *cc = logged_in("specialist", &coord);
	struct client *ci = logged_in("specialist", &invitee);
	int64_t id = create_org(co, "جمعية الدعوات");
	test_org_join(co, id, cc, coord.email, "coordinator");
	char nobody[128];
	random_email(nobody, sizeof nobody);
	struct response *r = add_member(co, id, nobody, "owner");
	assert_status(r, 202);
	int64_t withdrawn = json_integer_value(json_object_get(json_object_get(r->json, "invitation"), "id"));
	response_free(r);
	r = add_member(co, id, invitee.email, "coordinator");
	assert_status(r, 202);
	int64_t declined = json_integer_value(json_object_get(json_object_get(r->json, "invitation"), "id"));
	response_free(r);

	char *list = path_of("/api/v1/orgs/%lld/invitations", (long long)id);
	r = client_get(co, list);
	assert_status(r, 200);
	cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 2, "%s", r->body.data);
	cr_assert_not_null(strstr(r->body.data, nobody));
	response_free(r);
	r = client_get(cc, list);
	assert_error(r, 403, "forbidden");
	response_free(r);

	char *cancel = path_of("/api/v1/orgs/%lld/invitations/cancel", (long long)id);
	json_t *which = json_pack("{s:I}", "invitation_id", (json_int_t)withdrawn), *none = json_object();
	r = client_post_json(cc, cancel, which);
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = client_post_json(co, cancel, none);
	assert_error_field(r, "invitation_id");
	response_free(r);
	r = client_post_json(co, cancel, which);
	assert_status(r, 204);
	response_free(r);
	r = client_post_json(co, cancel, which);
	assert_error(r, 404, "not_found");
	response_free(r);
	json_decref(which);
	json_decref(none);
	/* The withdrawn link no longer works. */
	char *token = outbox_find_link(nobody, "/invitations/accept?token=");
	cr_assert_not_null(token);
	char page[256];
	snprintf(page, sizeof page, "/invitations/accept?token=%s", token);
	struct client *visitor = client_new();
	r = client_get(visitor, page);
	assert_status(r, 404);
	response_free(r);
	free(token);

	/* The invitee declines from the account. */
	verify_email(ci, invitee.email);
	char *decline = path_of("/api/v1/me/invitations/%lld/decline", (long long)declined);
	json_t *empty = json_object();
	r = client_post_json(ci, decline, empty);
	assert_status(r, 204);
	response_free(r);
	r = client_get(co, list);
	assert_status(r, 200);
	cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0, "%s", r->body.data);
	response_free(r);
	char role[16];
	cr_assert_null(member_role(co, id, invitee.id, role, sizeof role));
	char target[32];
	snprintf(target, sizeof target, "org:%lld", (long long)id);
	cr_assert_eq(sql_count("SELECT count(*) FROM audit_log WHERE action = 'org.invitation_cancel' AND target = ?",
			       DB_PARAMS(DB_TEXT(target))), 1);
	cr_assert_eq(sql_count("SELECT count(*) FROM audit_log WHERE action = 'org.invitation_decline' AND target = ?",
			       DB_PARAMS(DB_TEXT(target))), 1);
	json_decref(empty);
	free(decline);
	free(cancel);
	free(list);
	client_free(visitor);
	client_free(co);
	client_free(cc);
	client_free(ci);
}

Test(orgs, a_new_address_gets_an_invitation_to_accept)
{
	struct account owner, intruder;
	struct client *co = logged_in("organisation", &owner);
	struct client *ci = logged_in("specialist", &intruder);
	int64_t id = create_org(co, "جمعية الدعوة");
	char email[128];
	random_email(email, sizeof email);
	struct response *r = add_member(co, id, email, "owner");
	assert_status(r, 202);
	const json_t *inv = json_object_get(r->json, "invitation");
	cr_assert_gt(json_integer_value(json_object_get(inv, "id")), 0);
	cr_assert_str_eq(json_string_value(json_object_get(inv, "email")), email);
	cr_assert_str_eq(json_string_value(json_object_get(inv, "role")), "owner");
	response_free(r);

	char *token = outbox_find_link(email, "/invitations/accept?token=");
	cr_assert_not_null(token, "no invitation e-mail with a link for %s", email);
	json_t *body = json_pack("{s:s}", "token", token);

	/* The invitation page shows the org to a visitor and asks them to log in. */
	struct client *visitor = client_new();
	char page[256];
	snprintf(page, sizeof page, "/invitations/accept?token=%s", token);
	r = client_get(visitor, page);
	assert_status(r, 200);
	cr_assert_not_null(strstr(r->body.data, "جمعية الدعوة"));
	cr_assert(html_has_href_containing(r->body.data, "/login?next=%2Finvitations%2Faccept%3Ftoken%3D"),
		  "no login link back to the invitation");
	response_free(r);

	/* Someone else's login cannot take it. */
	r = client_post_json(ci, "/api/v1/invitations/accept", body);
	assert_error(r, 403, "wrong_account");
	response_free(r);

	/* The invitee registers with that address and accepts. */
	struct client *cn = client_new();
	r = client_register_raw(cn, email, "invitee-password-1", "Invited Person", "specialist", "ar");
	assert_status(r, 201);
	int64_t invitee = json_integer_value(json_object_get(json_object_get(r->json, "user"), "id"));
	response_free(r);
	struct account na = { .id = invitee };
	snprintf(na.email, sizeof na.email, "%s", email);
	snprintf(na.password, sizeof na.password, "invitee-password-1");
	client_login(cn, &na);
	r = client_post_json(cn, "/api/v1/invitations/accept", body);
	assert_status(r, 200);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(r->json, "org"), "id")), id);
	response_free(r);
	char role[16];
	cr_assert_not_null(member_role(co, id, invitee, role, sizeof role));
	cr_assert_str_eq(role, "owner");

	/* Single use. */
	r = client_post_json(cn, "/api/v1/invitations/accept", body);
	assert_error(r, 404, "invalid_token");
	response_free(r);
	json_t *junk = json_pack("{s:s}", "token", "nope");
	r = client_post_json(cn, "/api/v1/invitations/accept", junk);
	assert_error(r, 404, "invalid_token");
	response_free(r);
	json_decref(junk);

	json_decref(body);
	free(token);
	client_free(visitor);
	client_free(co);
	client_free(ci);
	client_free(cn);
}

Test(orgs, the_last_owner_cannot_be_removed)
{
	struct account owner, coord;
	struct client *co = logged_in("organisation", &owner);
	struct client *cc = logged_in("specialist", &coord);
	int64_t id = create_org(co, "جمعية المالك");
	test_org_join(co, id, cc, coord.email, "coordinator");
	struct response *r;

	char *self = path_of("/api/v1/orgs/%lld/members/%lld", (long long)(id), (long long)(owner.id));
	char *them = path_of("/api/v1/orgs/%lld/members/%lld", (long long)(id), (long long)(coord.id));
	r = client_delete(co, self);
	assert_error(r, 409, "last_owner");
	response_free(r);
	r = client_delete(cc, self);
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = client_delete(co, them);
	assert_status(r, 204);
	response_free(r);
	r = client_delete(co, them);
	assert_error(r, 404, "not_found");
	response_free(r);
	char role[16];
	cr_assert_null(member_role(co, id, coord.id, role, sizeof role));
	free(self);
	free(them);
	client_free(co);
	client_free(cc);
}

Test(orgs, members_leave_and_owners_change_roles_never_the_last_owner)
{
	struct account owner, coord, stranger, leaver;
	struct client *co = logged_in("organisation", &owner);
	struct client *cc = logged_in("specialist", &coord);
	struct client *cs = logged_in("specialist", &stranger);
	struct client *cl = logged_in("specialist", &leaver);
	int64_t id = create_org(co, "جمعية الأدوار");
	test_org_join(co, id, cc, coord.email, "coordinator");
	test_org_join(co, id, cl, leaver.email, "coordinator");
	char *leaver_path = path_of("/api/v1/orgs/%lld/members/%lld", (long long)id, (long long)leaver.id);
	char *coord_path = path_of("/api/v1/orgs/%lld/members/%lld", (long long)id, (long long)coord.id);
	char *owner_path = path_of("/api/v1/orgs/%lld/members/%lld", (long long)id, (long long)owner.id);
	char *stranger_path = path_of("/api/v1/orgs/%lld/members/%lld", (long long)id, (long long)stranger.id);
	char role[16];

	/* A coordinator leaves by themself; a stranger cannot "leave". */
	struct response *r = client_delete(cl, coord_path);
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = client_delete(cl, leaver_path);
	assert_status(r, 204);
	response_free(r);
	cr_assert_null(member_role(co, id, leaver.id, role, sizeof role));
	r = client_delete(cs, stranger_path);
	assert_error(r, 403, "forbidden");
	response_free(r);

	json_t *to_owner = json_pack("{s:s}", "role", "owner"), *to_coord = json_pack("{s:s}", "role", "coordinator");
	json_t *bad = json_pack("{s:s}", "role", "boss");
	r = client_patch_json(cc, owner_path, to_coord);
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = client_patch_json(co, coord_path, bad);
	assert_error_field(r, "role");
	response_free(r);
	r = client_patch_json(co, stranger_path, to_owner);
	assert_error(r, 404, "not_found");
	response_free(r);
	r = client_patch_json(co, owner_path, to_coord);
	assert_error(r, 409, "last_owner");
	response_free(r);
	r = client_patch_json(co, coord_path, to_owner);
	assert_status(r, 200);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "member"), "role")), "owner");
	response_free(r);
	/* Two owners: the first steps down; the second is now the last. */
	r = client_patch_json(cc, owner_path, to_coord);
	assert_status(r, 200);
	response_free(r);
	cr_assert_not_null(member_role(cc, id, owner.id, role, sizeof role));
	cr_assert_str_eq(role, "coordinator");
	r = client_patch_json(cc, coord_path, to_coord);
	assert_error(r, 409, "last_owner");
	response_free(r);
	r = client_delete(cc, coord_path);
	assert_error(r, 409, "last_owner");
	response_free(r);
	r = client_delete(co, owner_path);
	assert_status(r, 204);
	response_free(r);
	char target[32];
	snprintf(target, sizeof target, "org:%lld", (long long)id);
	cr_assert_eq(sql_count("SELECT count(*) FROM audit_log WHERE action = 'org.member_leave' AND target = ?",
			       DB_PARAMS(DB_TEXT(target))), 2);
	cr_assert_eq(sql_count("SELECT count(*) FROM audit_log WHERE action = 'org.member_role' AND target = ?",
			       DB_PARAMS(DB_TEXT(target))), 2);
	json_decref(to_owner);
	json_decref(to_coord);
	json_decref(bad);
	free(coord_path);
	free(leaver_path);
	free(owner_path);
	free(stranger_path);
	client_free(co);
	client_free(cc);
	client_free(cs);
	client_free(cl);
}

/* ================================================================ verification sticks */

Test(orgs, changing_what_was_verified_sends_the_org_back_to_review)
{
	struct account owner;
	struct client *co = logged_in("organisation", &owner);
	int64_t id = create_org(co, "جمعية التحقق الدائم");
	test_org_verify(id);
	int64_t published = test_booking_opportunity(id, "campaign", "health", "open", "حملة منشورة");
	int64_t draft = test_booking_opportunity(id, "campaign", "health", "draft", "حملة مسودة");
	char *p = path_of("/api/v1/orgs/%lld", (long long)id), status[32];

	/* The description and the website were not what the moderators checked. */
	json_t *patch = json_pack("{s:s, s:s}", "description", "وصف محدث", "website", "https://new.example.org");
	struct response *r = client_patch_json(co, p, patch);
	assert_status(r, 200);
	cr_assert(json_is_true(json_object_get(json_object_get(r->json, "org"), "verified")));
	response_free(r);
	json_decref(patch);

	static const char *const fields[][2] = { { "name", "جمعية باسم جديد" }, { "name_en", "New Name" },
						 { "kind", "nonprofit" }, { "registration_no", "NCNP-9999" } };
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		test_org_verify(id);
		patch = json_pack("{s:s}", fields[i][0], fields[i][1]);
		r = client_patch_json(co, p, patch);
		json_decref(patch);
		assert_status(r, 200);
		const json_t *org = json_object_get(r->json, "org");
		cr_assert_str_eq(json_string_value(json_object_get(org, "status")), "pending", "%s changed: %s",
				 fields[i][0], r->body.data);
		cr_assert(json_is_false(json_object_get(org, "verified")));
		response_free(r);
	}
	cr_assert_str_eq(org_field(co, id, "status", status, sizeof status), "pending");
	/* It cannot publish until verified again; what was published stays. */
	char *publish = path_of("/api/v1/opportunities/%lld/publish", (long long)draft);
	json_t *empty = json_object();
	r = client_post_json(co, publish, empty);
	assert_error(r, 403, "org_unverified");
	response_free(r);
	cr_assert_eq(sql_count("SELECT count(*) FROM opportunities WHERE id = ? AND status = 'open'",
			       DB_PARAMS(DB_INT(published))), 1);
	char target[32];
	snprintf(target, sizeof target, "org:%lld", (long long)id);
	cr_assert_eq(sql_count("SELECT count(*) FROM audit_log WHERE action = 'org.resubmit' AND target = ?",
			       DB_PARAMS(DB_TEXT(target))), 4);
	/* A pending organisation stays pending (nothing to resubmit). */
	patch = json_pack("{s:s}", "name", "جمعية باسم ثالث");
	r = client_patch_json(co, p, patch);
	assert_status(r, 200);
	response_free(r);
	json_decref(patch);
	cr_assert_eq(sql_count("SELECT count(*) FROM audit_log WHERE action = 'org.resubmit' AND target = ?",
			       DB_PARAMS(DB_TEXT(target))), 4);
	json_decref(empty);
	free(publish);
	free(p);
	client_free(co);
}

Test(orgs, a_rejected_org_shows_its_reason_to_members_only_and_resubmits_by_editing)
{
	struct account owner, stranger;
	struct client *co = logged_in("organisation", &owner);
	struct client *cs = logged_in("specialist", &stranger);
	int64_t id = create_org(co, "جمعية مرفوضة");
	sql_exec("UPDATE orgs SET status = 'rejected', review_reason = ? WHERE id = ?",
		 DB_PARAMS(DB_TEXT("رقم التسجيل لا يطابق السجل"), DB_INT(id)));
	char reason[128];
	cr_assert_str_eq(org_field(co, id, "review_reason", reason, sizeof reason), "رقم التسجيل لا يطابق السجل");
	cr_assert_str_eq(org_field(cs, id, "review_reason", reason, sizeof reason), "(none)", "a stranger sees the reason");
	struct client *visitor = client_new();
	cr_assert_str_eq(org_field(visitor, id, "review_reason", reason, sizeof reason), "(none)");
	char *page = path_of("/orgs/%lld", (long long)id);
	struct response *r = client_get(co, page);
	assert_status(r, 200);
	cr_assert_not_null(strstr(r->body.data, "رقم التسجيل لا يطابق السجل"), "the member's page lacks the reason");
	response_free(r);
	r = client_get(visitor, page);
	assert_status(r, 200);
	cr_assert_null(strstr(r->body.data, "رقم التسجيل لا يطابق السجل"), "a visitor sees the reason");
	response_free(r);

	/* Editing anything resubmits it (the page form). */
	char *edit = path_of("/orgs/%lld/edit", (long long)id);
	r = client_post_form(co, edit, "name", "جمعية مرفوضة", "kind", "charity", "registration_no", "NCNP-4412",
			     "city", "riyadh", "description", "نخدم الأسر", "website", "", NULL);
	assert_status(r, 303);
	char *loc = response_location(r);
	cr_assert(loc && strstr(loc, "notice=resubmitted"), "Location %s", loc);
	free(loc);
	response_free(r);
	char status[32];
	cr_assert_str_eq(org_field(co, id, "status", status, sizeof status), "pending");
	cr_assert_str_eq(org_field(co, id, "review_reason", reason, sizeof reason), "(none)");
	free(edit);
	free(page);
	client_free(visitor);
	client_free(co);
	client_free(cs);
}

/* ================================================================ pages */

Test(orgs, the_public_page_in_arabic_and_english)
{
	struct account owner;
	struct client *co = logged_in("organisation", &owner);
	int64_t id = create_org(co, "جمعية الصفحة");
	char *p = path_of("/orgs/%lld", (long long)(id));
	struct client *visitor = client_new();
	struct response *r = client_get(visitor, p);
	assert_status(r, 200);
	cr_assert_not_null(strstr(r->body.data, "<html lang=\"ar\" dir=\"rtl\""));
	cr_assert_not_null(strstr(r->body.data, "جمعية الصفحة"));
	cr_assert_not_null(strstr(r->body.data, "Hope Charity"));
	cr_assert_not_null(strstr(r->body.data, "جمعية خيرية"), "kind label not in Arabic");
	cr_assert_not_null(strstr(r->body.data, "https://hope.example.org"));
	cr_assert_null(strstr(r->body.data, owner.email), "a visitor sees a member's e-mail");
	cr_assert_null(strstr(r->body.data, "/members\""), "a visitor sees the invite form");
	response_free(r);

	char *en = path_of("/orgs/%lld?lang=en", (long long)(id));
	r = client_get(visitor, en);
	assert_status(r, 200);
	cr_assert_not_null(strstr(r->body.data, "<html lang=\"en\" dir=\"ltr\""));
	cr_assert_not_null(strstr(r->body.data, "Charity"));
	cr_assert_not_null(strstr(r->body.data, "Awaiting verification"));
	response_free(r);

	/* The owner sees the members and the invite form. */
	r = client_get(co, p);
	assert_status(r, 200);
	cr_assert_not_null(strstr(r->body.data, owner.email));
	cr_assert_not_null(strstr(r->body.data, "/members\""), "no invite form for the owner");
	response_free(r);

	r = client_get(visitor, "/orgs/999999999");
	assert_status(r, 404);
	response_free(r);
	free(p);
	free(en);
	client_free(visitor);
	client_free(co);
}

Test(orgs, the_create_and_edit_forms_work_without_javascript)
{
	struct account owner;
	struct client *co = logged_in("organisation", &owner);
	struct response *r = client_get(co, "/orgs/new");
	assert_status(r, 200);
	response_free(r);
	r = client_post_form(co, "/orgs/new", "name", "مجلس قرية الشعف", "kind", "community_council",
			     "registration_no", "MC-12", "city", "hail", "description", "مجلس أهلي", "website", "",
			     NULL);
	assert_status(r, 303);
	char *loc = response_location(r);
	cr_assert(loc && !strncmp(loc, "/orgs/", 6), "Location %s", loc);
	int64_t id = atoll(loc + 6);
	cr_assert_gt(id, 0);
	free(loc);
	response_free(r);

	r = client_post_form(co, "/orgs/new", "name", "x", "kind", "club", NULL);
	assert_status(r, 422);
	cr_assert_not_null(strstr(r->body.data, "aria-invalid=\"true\""));
	response_free(r);
	/* Invalid UTF-8 is refused, not stored (a form can carry any bytes). */
	r = client_post_form(co, "/orgs/new", "name", "\xc3\x28 bad bytes", "kind", "charity", "registration_no", "X-1",
			     "city", "hail", "description", "\xff\xfe", NULL);
	assert_status(r, 422);
	cr_assert_not_null(strstr(r->body.data, "id=\"name-error\""));
	cr_assert_not_null(strstr(r->body.data, "id=\"description-error\""));
	response_free(r);

	char *edit = path_of("/orgs/%lld/edit", (long long)(id));
	r = client_get(co, edit);
	assert_status(r, 200);
	cr_assert_not_null(strstr(r->body.data, "MC-12"));
	cr_assert_not_null(strstr(r->body.data, "<select id=\"city\" name=\"city\""), "no city picker");
	cr_assert_not_null(strstr(r->body.data, "<option value=\"hail\" selected>حائل</option>"), "the city is not chosen");
	response_free(r);
	r = client_post_form(co, edit, "name", "مجلس قرية الشعف الأهلي", "kind", "community_council",
			     "registration_no", "MC-12", "city", "قرية الشعف", "description", "مجلس أهلي", "website",
			     "", NULL);
	assert_status(r, 422);
	cr_assert_not_null(strstr(r->body.data, "id=\"city-error\""), "no reason under the city");
	response_free(r);
	r = client_post_form(co, edit, "name", "مجلس قرية الشعف الأهلي", "kind", "community_council",
			     "registration_no", "MC-12", "city", "abha", "description", "مجلس أهلي", "website",
			     "", NULL);
	assert_status(r, 303);
	response_free(r);
	char *page = path_of("/orgs/%lld?lang=en", (long long)id);
	r = client_get(co, page);
	assert_status(r, 200);
	cr_assert_not_null(strstr(r->body.data, "<li>Abha</li>"), "the city's English name is not shown");
	response_free(r);
	free(page);

	struct account stranger;
	struct client *cs = logged_in("specialist", &stranger);
	r = client_get(cs, edit);
	assert_status(r, 403);
	response_free(r);
	free(edit);
	client_free(cs);

	struct client *visitor = client_new();
	r = client_get(visitor, "/orgs/new");
	cr_assert(r->status == 303 || r->status == 401, "a visitor got %ld for /orgs/new", r->status);
	response_free(r);
	client_free(visitor);
	client_free(co);
}

/* ---- logos ---- */

#include "core/image.h"
#include <vips/vips.h>

/* test_png: a w×h grey PNG built with libvips (g_free it).  A flat image
 * compresses to almost nothing, even at 5000×5000. */
static void *test_png(int w, int h, size_t *len)
{
	cr_assert(image_init(""), "libvips did not start");
	VipsImage *black = NULL, *grey = NULL;
	cr_assert_eq(vips_black(&black, w, h, "bands", 3, NULL), 0);
	cr_assert_eq(vips_linear1(black, &grey, 1.0, 100.0, NULL), 0);
	g_object_unref(black);
	void *out = NULL;
	int rc = vips_pngsave_buffer(grey, &out, len, NULL);
	g_object_unref(grey);
	cr_assert_eq(rc, 0);
	return out;
}

static struct response *post_logo(struct client *c, const char *path, const char *name, const char *type,
				  const void *data, size_t len)
{
	static const char *const no_fields[] = { NULL };
	return client_post_multipart(c, path, no_fields, "file", name, type, data, len);
}

Test(orgs, a_logo_is_reencoded_and_served_with_an_etag)
{
	struct account owner;
	struct client *co = logged_in("organisation", &owner);
	int64_t id = create_org(co, "جمعية الشعار");
	size_t len;
	void *png = test_png(600, 300, &len);
	char *api = path_of("/api/v1/orgs/%lld/logo", (long long)id);
	char *file = path_of("/orgs/%lld/logo.png", (long long)id);
	char *page = path_of("/orgs/%lld", (long long)id);

	struct response *r = post_logo(co, api, "logo.png", "image/png", png, len);
	assert_status(r, 200);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "org"), "logo_url")), file);
	response_free(r);

	struct client *visitor = client_new();
	r = client_get(visitor, file);
	assert_status(r, 200);
	cr_assert(response_content_type_is(r, "image/png"));
	cr_assert(r->body.len > 8 && memcmp(r->body.data, "\x89PNG\r\n\x1a\n", 8) == 0, "not a PNG");
	VipsImage *im = vips_image_new_from_buffer(r->body.data, r->body.len, "", NULL);
	cr_assert_not_null(im);
	cr_assert_eq(vips_image_get_width(im), 256, "the logo was not scaled to fit 256");
	cr_assert_eq(vips_image_get_height(im), 128);
	g_object_unref(im);
	const char *etag = response_header(r, "ETag");
	cr_assert(etag && strlen(etag) == 66 && etag[0] == '"', "ETag %s", etag ? etag : "(none)");
	const char *cache = response_header(r, "Cache-Control");
	cr_assert(cache && strstr(cache, "public") && strstr(cache, "max-age=86400"), "Cache-Control %s",
		  cache ? cache : "(none)");
	char inm[128];
	snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
	response_free(r);
	client_add_header(visitor, inm);
	r = client_get(visitor, file);
	assert_status(r, 304);
	cr_assert_eq(r->body.len, 0);
	response_free(r);

	r = client_get(visitor, page);
	assert_status(r, 200);
	char img[96];
	snprintf(img, sizeof img, "<img class=\"org-logo\" src=\"%s\"", file);
	cr_assert_not_null(strstr(r->body.data, img), "the public page does not show the logo");
	response_free(r);

	/* The page form, for people without the API. */
	char *form = path_of("/orgs/%lld/logo", (long long)id);
	char *edit = path_of("/orgs/%lld/edit", (long long)id);
	r = client_get(co, edit);
	assert_status(r, 200);
	cr_assert_not_null(strstr(r->body.data, "enctype=\"multipart/form-data\""));
	response_free(r);
	r = post_logo(co, form, "logo.png", "image/png", png, len);
	assert_status(r, 303);
	response_free(r);

	free(form);
	free(edit);
	free(api);
	free(file);
	free(page);
	g_free(png);
	client_free(visitor);
	client_free(co);
}

Test(orgs, a_logo_must_be_a_small_real_image_from_the_orgs_people)
{
	struct account owner, stranger;
	struct client *co = logged_in("organisation", &owner);
	int64_t id = create_org(co, "جمعية بلا شعار");
	char *api = path_of("/api/v1/orgs/%lld/logo", (long long)id);
	char *form = path_of("/orgs/%lld/logo", (long long)id);
	char *file = path_of("/orgs/%lld/logo.png", (long long)id);

	static const char html[] = "<!doctype html><title>x</title><script>alert(document.cookie)</script>";
	struct response *r = post_logo(co, api, "logo.png", "image/png", html, sizeof html - 1);
	assert_status(r, 415);
	cr_assert_str_eq(response_error_code(r), "unsupported_media_type");
	response_free(r);
	r = post_logo(co, form, "logo.png", "image/png", html, sizeof html - 1);
	assert_status(r, 415);
	response_free(r);
	r = client_get(co, file);
	assert_status(r, 404);
	response_free(r);

	size_t huge_len;
	void *huge = test_png(5000, 5000, &huge_len);
	r = post_logo(co, api, "big.png", "image/png", huge, huge_len);
	assert_status(r, 422);
	cr_assert_not_null(response_error_field(r, "file"));
	response_free(r);
	g_free(huge);
	r = client_get(co, file);
	assert_status(r, 404);
	response_free(r);

	size_t len;
	void *png = test_png(32, 32, &len);
	struct client *cs = logged_in("specialist", &stranger);
	r = post_logo(cs, api, "logo.png", "image/png", png, len);
	assert_status(r, 403);
	response_free(r);
	r = post_logo(cs, form, "logo.png", "image/png", png, len);
	assert_status(r, 403);
	response_free(r);
	r = post_logo(co, "/api/v1/orgs/999999999/logo", "logo.png", "image/png", png, len);
	assert_status(r, 404);
	response_free(r);
	r = client_get(co, file);
	assert_status(r, 404);
	response_free(r);

	g_free(png);
	free(api);
	free(form);
	free(file);
	client_free(cs);
	client_free(co);
}

/* ---- membership pages ---- */

Test(orgs, pages_invite_accept_from_the_account_leave_and_withdraw)
{
	struct account owner, member;
	struct client *co = logged_in("organisation", &owner);
	struct client *cm = logged_in("specialist", &member);
	int64_t id = create_org(co, "جمعية الصفحات");
	char *invite = path_of("/orgs/%lld/members", (long long)id);
	struct response *r = client_post_form(co, invite, "email", member.email, "role", "coordinator", NULL);
	assert_status(r, 303);
	char *loc = response_location(r);
	cr_assert(loc && strstr(loc, "notice=invited"), "Location %s", loc);
	free(loc);
	response_free(r);
	char nobody[128];
	random_email(nobody, sizeof nobody);
	r = client_post_form(co, invite, "email", nobody, "role", "owner", NULL);
	assert_status(r, 303);
	response_free(r);
	r = client_post_form(co, invite, "email", "nope", "role", "owner", NULL);
	assert_status(r, 422);
	cr_assert_not_null(strstr(r->body.data, "invite-email-error"));
	response_free(r);

	/* The owner's page lists both open invitations with a withdraw button. */
	char *page = path_of("/orgs/%lld", (long long)id);
	r = client_get(co, page);
	assert_status(r, 200);
	cr_assert_not_null(strstr(r->body.data, nobody));
	cr_assert_not_null(strstr(r->body.data, "/invitations/cancel\""), "no withdraw form");
	response_free(r);

	/* The member's invitations page, and accepting there. */
	verify_email(cm, member.email);
	r = client_get(cm, "/invitations");
	assert_status(r, 200);
	cr_assert_not_null(strstr(r->body.data, "جمعية الصفحات"));
	response_free(r);
	r = client_get(cm, "/api/v1/me/invitations");
	int64_t inv = json_integer_value(json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "id"));
	response_free(r);
	char *accept = path_of("/invitations/%lld/accept", (long long)inv);
	r = client_post_form(cm, accept, NULL);
	assert_status(r, 303);
	loc = response_location(r);
	cr_assert(loc && strstr(loc, "notice=joined"), "Location %s", loc);
	free(loc);
	response_free(r);
	r = client_post_form(cm, accept, NULL);
	assert_status(r, 404);
	response_free(r);

	/* The member sees a leave button and leaves. */
	r = client_get(cm, page);
	assert_status(r, 200);
	char leave[96];
	snprintf(leave, sizeof leave, "/orgs/%lld/members/%lld/remove", (long long)id, (long long)member.id);
	cr_assert_not_null(strstr(r->body.data, leave), "no leave form");
	response_free(r);
	r = client_post_form(cm, leave, NULL);
	assert_status(r, 303);
	loc = response_location(r);
	cr_assert(loc && strstr(loc, "notice=left"), "Location %s", loc);
	free(loc);
	response_free(r);
	char role[16];
	cr_assert_null(member_role(co, id, member.id, role, sizeof role));
	/* The last owner cannot leave: 409 on the page. */
	snprintf(leave, sizeof leave, "/orgs/%lld/members/%lld/remove", (long long)id, (long long)owner.id);
	r = client_post_form(co, leave, NULL);
	assert_status(r, 409);
	response_free(r);

	/* Withdrawing the other invitation from the page. */
	char *list = path_of("/api/v1/orgs/%lld/invitations", (long long)id);
	r = client_get(co, list);
	assert_status(r, 200);
	int64_t other = json_integer_value(json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "id"));
	response_free(r);
	char *cancel = path_of("/orgs/%lld/invitations/cancel", (long long)id), other_id[24];
	snprintf(other_id, sizeof other_id, "%lld", (long long)other);
	r = client_post_form(co, cancel, "invitation_id", other_id, NULL);
	assert_status(r, 303);
	response_free(r);
	r = client_get(co, list);
	cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0);
	response_free(r);
	free(list);
	free(cancel);
	free(accept);
	free(page);
	free(invite);
	client_free(co);
	client_free(cm);
}
