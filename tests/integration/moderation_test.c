/*
 * moderation_test.c — credentials (upload, type from the bytes, storage,
 * download rights), moderators' decisions with their notifications, e-mails
 * and audit rows, organisations' verification, and the pages.
 */
#include "client.h"
#include "auth/moderation.h"

#include <criterion/criterion.h>
#include <ftw.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\nstartxref\n9\n%%EOF\n";
static const char html[] = "<!doctype html><html><body><script>alert(1)</script></body></html>\n";

/* logged_in: a new client logged in as a fresh account of `role`. */
static struct client *logged_in(const char *role, struct account *a)
{
	struct client *c = client_new();
	*a = client_register(c, role);
	client_login(c, a);
	return c;
}

static struct client *moderator(struct account *a)
{
	struct client *c = client_new();
	*a = client_make_moderator();
	client_login(c, a);
	return c;
}

/* stored_path: where the server keeps these bytes (DATA/files/ab/abcdef…). */
static void stored_path(const void *data, size_t len, char *out, size_t size)
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	char hex[65];
	crypto_hash_sha256(digest, data, len);
	sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
	snprintf(out, size, "%s/files/%.2s/%s", test_data_dir(), hex, hex);
}

/* upload: POST /api/v1/me/credentials with these bytes. */
static struct response *upload(struct client *c, const char *kind, const char *name, const void *data, size_t len)
{
	const char *fields[] = { "kind", kind, "issuer", "الهيئة السعودية للتخصصات الصحية", "number", "SCFHS-12345", NULL };
	return client_post_multipart(c, "/api/v1/me/credentials", fields, "file", name, "application/pdf", data, len);
}

/* created_id: the id of the object under `key` of a 201 answer; frees r. */
static int64_t created_id(struct response *r, const char *key)
{
	assert_status(r, 201);
	int64_t id = json_integer_value(json_object_get(json_object_get(r->json, key), "id"));
	cr_assert_gt(id, 0);
	response_free(r);
	return id;
}

/* upload_ok: upload the PDF, asserting 201; the new id. */
static int64_t upload_ok(struct client *c)
{
	return created_id(upload(c, "licence", "licence.pdf", pdf, sizeof pdf - 1), "credential");
}

/* A specialist with one pending credential and a moderator: how most tests start. */
struct scene {
	struct account owner, mod;
	struct client *c, *m;
	int64_t id;
};

static void scene_start(struct scene *s)
{
	s->c = logged_in("specialist", &s->owner);
	s->id = upload_ok(s->c);
	s->m = moderator(&s->mod);
}

static void scene_end(struct scene *s)
{
	client_free(s->m);
	client_free(s->c);
}

/* queue_from: the dashboard with one queue starting at item `id` (its
 * cursor is the id before; none for the first id) and `extra` arguments. */
static void queue_from(char *out, size_t size, const char *queue, int64_t id, const char *extra)
{
	if (id > 1)
		snprintf(out, size, "/moderation?%s_after=%lld&%s", queue, (long long)id - 1, extra);
	else
		snprintf(out, size, "/moderation?%s", extra);
}

static struct response *verify(struct client *c, const char *what, int64_t id, bool approved, const char *reason)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/admin/%s/%lld/verify", what, (long long)id);
	json_t *body = json_pack("{s:b}", "approved", approved);
	if (reason)
		json_object_set_new(body, "reason", json_string(reason));
	struct response *r = client_post_json(c, path, body);
	json_decref(body);
	return r;
}

Test(credentials, pdf_upload_is_pending_and_stored)
{
	struct account a;
	struct client *c = logged_in("specialist", &a);
	struct response *r = upload(c, "licence", "my licence.pdf", pdf, sizeof pdf - 1);
	assert_status(r, 201);
	json_t *cred = json_object_get(r->json, "credential");
	cr_assert_str_eq(json_string_value(json_object_get(cred, "status")), "pending");
	cr_assert_str_eq(json_string_value(json_object_get(cred, "kind")), "licence");
	cr_assert_str_eq(json_string_value(json_object_get(cred, "file_type")), "application/pdf");
	cr_assert_eq(json_integer_value(json_object_get(cred, "file_size")), (json_int_t)(sizeof pdf - 1));
	cr_assert(json_is_string(json_object_get(cred, "created_at")));
	response_free(r);

	char path[512];
	struct stat st;
	stored_path(pdf, sizeof pdf - 1, path, sizeof path);
	cr_assert_eq(stat(path, &st), 0, "the file is not at %s", path);
	cr_assert_eq(st.st_mode & 0777, 0600);

	r = client_get(c, "/api/v1/me/credentials");
	assert_status(r, 200);
	cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 1);
	response_free(r);
	client_free(c);
}

Test(credentials, html_named_pdf_is_refused_and_not_stored)
{
	struct account a;
	struct client *c = logged_in("specialist", &a);
	struct response *r = upload(c, "licence", "licence.pdf", html, sizeof html - 1);
	assert_error(r, 415, "unsupported_media_type");
	response_free(r);
	char path[512];
	struct stat st;
	stored_path(html, sizeof html - 1, path, sizeof path);
	cr_assert_neq(stat(path, &st), 0, "the refused file was stored at %s", path);
	r = client_get(c, "/api/v1/me/credentials");
	cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0);
	response_free(r);
	client_free(c);
}

Test(credentials, bad_fields_empty_file_and_json_are_refused)
{
	struct account a;
	struct client *c = logged_in("specialist", &a);
	struct response *r = upload(c, "licence", "empty.pdf", "", 0);
	assert_error_field(r, "file");
	response_free(r);
	r = upload(c, "passport", "x.pdf", pdf, sizeof pdf - 1);
	assert_error_field(r, "kind");
	response_free(r);
	const char *no_issuer[] = { "kind", "degree", NULL };
	r = client_post_multipart(c, "/api/v1/me/credentials", no_issuer, "file", "d.pdf", "application/pdf", pdf,
				  sizeof pdf - 1);
	assert_error_field(r, "issuer");
	response_free(r);
	json_t *body = json_pack("{s:s}", "kind", "licence");
	r = client_post_json(c, "/api/v1/me/credentials", body);
	json_decref(body);
	assert_error(r, 415, "unsupported_media_type");
	response_free(r);
	client_free(c);
}

Test(credentials, over_ten_mebibytes_is_413)
{
	struct account a;
	struct client *c = logged_in("specialist", &a);
	size_t len = 10u * 1024u * 1024u + 1;
	char *big = malloc(len);
	cr_assert_not_null(big);
	memcpy(big, "%PDF-", 5);
	memset(big + 5, 'x', len - 5);
	struct response *r = upload(c, "licence", "big.pdf", big, len);
	cr_assert_eq(r->status, 413, "expected 413, got %ld", r->status);
	response_free(r);
	free(big);
	client_free(c);
}

Test(credentials, file_goes_to_owner_and_moderators_only)
{
	struct account owner, other, mod;
	struct client *c = logged_in("specialist", &owner);
	int64_t id = upload_ok(c);
	char path[64], disposition[96];
	snprintf(path, sizeof path, "/credentials/%lld/file", (long long)id);
	snprintf(disposition, sizeof disposition, "attachment; filename=\"credential-%lld.pdf\"", (long long)id);

	struct response *r = client_get(c, path);
	assert_status(r, 200);
	cr_assert(response_content_type_is(r, "application/pdf"));
	cr_assert_str_eq(response_header(r, "Content-Disposition"), disposition);
	cr_assert_str_eq(response_header(r, "Cache-Control"), "private, no-store");
	cr_assert_str_eq(response_header(r, "X-Content-Type-Options"), "nosniff");
	cr_assert_eq(r->body.len, sizeof pdf - 1);
	cr_assert(memcmp(r->body.data, pdf, sizeof pdf - 1) == 0);
	response_free(r);

	struct client *m = moderator(&mod);
	r = client_get(m, path);
	assert_status(r, 200);
	cr_assert_eq(r->body.len, sizeof pdf - 1);
	response_free(r);

	struct client *o = logged_in("specialist", &other);
	r = client_get(o, path);
	assert_status(r, 404);
	response_free(r);

	struct client *v = client_new();
	r = client_get(v, path);
	assert_status(r, 303);
	char *loc = response_location(r);
	cr_assert(loc && strncmp(loc, "/login", 6) == 0, "visitor sent to %s", loc ? loc : "(none)");
	free(loc);
	response_free(r);
	client_free(v);
	client_free(o);
	client_free(m);
	client_free(c);
}

Test(moderation, a_specialist_cannot_moderate)
{
	struct account a;
	struct client *c = logged_in("specialist", &a);
	int64_t id = upload_ok(c);
	static const char *const gets[] = { "/api/v1/admin/credentials", "/api/v1/admin/orgs", "/api/v1/admin/audit" };
	for (size_t i = 0; i < sizeof gets / sizeof gets[0]; i++) {
		struct response *r = client_get(c, gets[i]);
		assert_error(r, 403, "forbidden");
		response_free(r);
	}
	struct response *r = verify(c, "credentials", id, true, NULL);
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = client_get(c, "/moderation");
	assert_status(r, 403);
	response_free(r);
	r = client_post_form(c, "/moderation/credentials/1", "decision", "approve", NULL);
	assert_status(r, 403);
	response_free(r);
	r = client_get(c, "/api/v1/me/credentials");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "status")),
			 "pending");
	response_free(r);
	client_free(c);
}

/* has_audit: the audit log's first page holds action on target by actor. */
static bool has_audit(struct client *m, const char *action, const char *target, const char *actor_name)
{
	struct response *r = client_get(m, "/api/v1/admin/audit?limit=100");
	assert_status(r, 200);
	bool found = false;
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(r->json, "items"), i, e) {
		const char *name = json_string_value(json_object_get(json_object_get(e, "actor"), "name"));
		if (!strcmp(json_string_value(json_object_get(e, "action")), action) &&
		    !strcmp(json_string_value(json_object_get(e, "target")), target) && name && !strcmp(name, actor_name))
			found = true;
	}
	response_free(r);
	return found;
}

Test(moderation, approval_notifies_mails_and_audits)
{
	struct account owner, mod;
	struct client *c = logged_in("specialist", &owner);
	int64_t id = upload_ok(c);
	struct client *m = moderator(&mod);

	/* Start the queue at ours: other tests keep adding to it. */
	char queue[96] = "/api/v1/admin/credentials?status=pending&limit=100";
	size_t len = strlen(queue);
	if (id > 1)
		snprintf(queue + len, sizeof queue - len, "&cursor=%lld", (long long)id - 1);
	struct response *r = client_get(m, queue);
	assert_status(r, 200);
	bool queued = false;
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(r->json, "items"), i, e)
		if (json_integer_value(json_object_get(e, "id")) == id) {
			queued = true;
			cr_assert_str_eq(json_string_value(json_object_get(json_object_get(e, "owner"), "name")), owner.name);
		}
	response_free(r);
	cr_assert(queued, "credential %lld is not in the pending queue", (long long)id);

	r = verify(m, "credentials", id, true, NULL);
	assert_status(r, 200);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "credential"), "status")), "approved");
	response_free(r);

	client_set_lang(c, "en");
	r = client_get(c, "/api/v1/me/notifications");
	assert_status(r, 200);
	cr_assert_eq(json_integer_value(json_object_get(r->json, "unread")), 1);
	json_t *n = json_array_get(json_object_get(r->json, "items"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(n, "kind")), "credential_approved");
	cr_assert(strstr(json_string_value(json_object_get(n, "text")), "professional licence"), "text: %s",
		  json_string_value(json_object_get(n, "text")));
	cr_assert(json_is_false(json_object_get(n, "read")));
	response_free(r);

	char *mail = outbox_find_message(owner.email, "/credentials", 5000);
	cr_assert_not_null(mail, "no e-mail to %s", owner.email);
	free(mail);

	char target[48];
	snprintf(target, sizeof target, "credential:%lld", (long long)id);
	cr_assert(has_audit(m, "credential.approve", target, mod.name));

	r = client_post_json(c, "/api/v1/me/notifications/read", NULL);
	assert_status(r, 200);
	cr_assert_eq(json_integer_value(json_object_get(r->json, "unread")), 0);
	response_free(r);
	client_free(m);
	client_free(c);
}

Test(moderation, rejection_needs_a_reason_the_owner_reads)
{
	struct account owner, mod;
	struct client *c = logged_in("specialist", &owner);
	int64_t id = upload_ok(c);
	struct client *m = moderator(&mod);
	struct response *r = verify(m, "credentials", id, false, NULL);
	assert_error_field(r, "reason");
	response_free(r);
	r = verify(m, "credentials", id, false, "   ");
	assert_error_field(r, "reason");
	response_free(r);
	char long_reason[600];
	memset(long_reason, 'a', 501);
	long_reason[501] = '\0';
	r = verify(m, "credentials", id, false, long_reason);
	assert_error_field(r, "reason");
	response_free(r);
	json_t *body = json_object();
	r = client_post_json(m, "/api/v1/admin/credentials/999999999/verify", body);
	assert_error_field(r, "approved");
	response_free(r);
	r = verify(m, "credentials", 999999999, true, NULL);
	assert_error(r, 404, "not_found");
	response_free(r);
	json_decref(body);

	r = verify(m, "credentials", id, false, "The scan is unreadable.");
	assert_status(r, 200);
	response_free(r);
	r = client_get(c, "/api/v1/me/credentials");
	json_t *cred = json_array_get(json_object_get(r->json, "items"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(cred, "status")), "rejected");
	cr_assert_str_eq(json_string_value(json_object_get(cred, "reason")), "The scan is unreadable.");
	response_free(r);
	char target[48];
	snprintf(target, sizeof target, "credential:%lld", (long long)id);
	cr_assert(has_audit(m, "credential.reject", target, mod.name));
	client_free(m);
	client_free(c);
}

Test(moderation, org_verification_is_visible_and_told)
{
	struct account owner, mod;
	struct client *c = logged_in("organisation", &owner);
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", "جمعية الاختبار", "kind", "charity",
				 "registration_no", "NCNP-7777", "city", "Riyadh", "description", "جمعية للاختبار");
	struct response *r = client_post_json(c, "/api/v1/orgs", body);
	json_decref(body);
	assert_status(r, 201);
	int64_t org = json_integer_value(json_object_get(json_object_get(r->json, "org"), "id"));
	cr_assert_gt(org, 0);
	response_free(r);

	struct client *m = moderator(&mod);
	r = verify(m, "orgs", org, false, NULL);
	assert_error_field(r, "reason");
	response_free(r);
	r = verify(m, "orgs", org, true, NULL);
	assert_status(r, 200);
	json_t *o = json_object_get(r->json, "org");
	cr_assert_str_eq(json_string_value(json_object_get(o, "status")), "verified");
	cr_assert(json_is_true(json_object_get(o, "verified")));
	response_free(r);

	char path[64];
	snprintf(path, sizeof path, "/api/v1/orgs/%lld", (long long)org);
	r = client_get(c, path);
	assert_status(r, 200);
	json_t *got = json_object_get(r->json, "org") ? json_object_get(r->json, "org") : r->json;
	cr_assert(json_is_true(json_object_get(got, "verified")), "GET %s: %s", path, r->body.data);
	response_free(r);

	r = client_get(c, "/api/v1/me/notifications");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "kind")),
			 "org_verified");
	response_free(r);
	char target[48];
	snprintf(target, sizeof target, "org:%lld", (long long)org);
	cr_assert(has_audit(m, "org.approve", target, mod.name));
	client_free(m);
	client_free(c);
}

/* assert_see_other: r is a 303 to `location`; frees r. */
static void assert_see_other(struct response *r, const char *location)
{
	assert_status(r, 303);
	char *loc = response_location(r);
	cr_assert_str_eq(loc, location);
	free(loc);
	response_free(r);
}

Test(moderation_pages, upload_form_and_dashboard_decisions)
{
	struct account owner, mod;
	struct client *c = logged_in("specialist", &owner);
	struct response *r = client_get(c, "/credentials");
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "multipart/form-data"));
	char *csrf = html_find_csrf(r->body.data);
	cr_assert_not_null(csrf);
	response_free(r);

	/* The page form carries the token as a multipart field, not a header. */
	client_set_csrf(c, NULL);
	const char *fields[] = { "csrf", csrf, "kind", "degree", "issuer", "جامعة الملك سعود", NULL };
	r = client_post_multipart(c, "/credentials", fields, "file", "degree.pdf", "application/pdf", pdf, sizeof pdf - 1);
	assert_status(r, 303);
	response_free(r);
	const char *no_token[] = { "kind", "degree", "issuer", "x", NULL };
	r = client_post_multipart(c, "/credentials", no_token, "file", "degree.pdf", "application/pdf", pdf,
				  sizeof pdf - 1);
	assert_status(r, 403);
	response_free(r);
	r = client_post_multipart(c, "/credentials", fields, "file", "page.pdf", "application/pdf", html, sizeof html - 1);
	assert_status(r, 415);
	response_free(r);
	free(csrf);

	r = client_get(c, "/api/v1/me/credentials");
	int64_t id = json_integer_value(json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "id"));
	response_free(r);

	struct client *m = moderator(&mod);
	char action[96];
	queue_from(action, sizeof action, "credentials", id, "lang=ar"); /* other tests fill the queue */
	r = client_get(m, action);
	assert_status(r, 200);
	snprintf(action, sizeof action, "/moderation/credentials/%lld", (long long)id);
	cr_assert(strstr(r->body.data, action), "the dashboard has no form for credential %lld", (long long)id);
	response_free(r);
	r = client_post_form(m, action, "decision", "reject", "reason", "", NULL);
	assert_status(r, 422);
	response_free(r);
	r = client_post_form(m, action, "decision", "reject", "reason", "الصورة غير واضحة", NULL);
	assert_see_other(r, "/moderation?done=credential-rejected");
	r = client_get(m, "/moderation/audit");
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "الصورة غير واضحة"));
	response_free(r);

	r = client_get(c, "/credentials");
	cr_assert(strstr(r->body.data, "الصورة غير واضحة"), "the owner does not see the reason");
	response_free(r);
	r = client_get(c, "/notifications");
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "/notifications/read"));
	response_free(r);
	client_free(m);
	client_free(c);
}

/* ---- separation of duties, idempotent decisions, labels, paging, filters ---- */

/* new_org: POST /api/v1/orgs as c (who becomes its owner); the new id. */
static int64_t new_org(struct client *c, const char *kind, const char *city)
{
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", "مجلس الاختبار", "kind", kind,
				 "registration_no", "MC-0001", "city", city, "description", "للاختبار");
	struct response *r = client_post_json(c, "/api/v1/orgs", body);
	json_decref(body);
	return created_id(r, "org");
}

/* audit_count: entries of the audit log (filtered by this exact action) on target. */
static int audit_count(struct client *m, const char *action, const char *target)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/admin/audit?limit=100&action=%s", action);
	struct response *r = client_get(m, path);
	assert_status(r, 200);
	int n = 0;
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(r->json, "items"), i, e) {
		cr_assert_str_eq(json_string_value(json_object_get(e, "action")), action);
		if (!strcmp(json_string_value(json_object_get(e, "target")), target))
			n++;
	}
	response_free(r);
	return n;
}

static int64_t unread_of(struct client *c)
{
	struct response *r = client_get(c, "/api/v1/me/notifications");
	assert_status(r, 200);
	int64_t n = json_integer_value(json_object_get(r->json, "unread"));
	response_free(r);
	return n;
}

/* assert_refused_party: the moderator m may not decide on item `id` of
 * `what` ("credentials", "orgs"): 403 from the API in Arabic, and in English
 * saying `english`; 403 from the page's form too. */
static void assert_refused_party(struct client *m, const char *what, int64_t id, const char *english)
{
	struct response *r = verify(m, what, id, true, NULL);
	assert_error(r, 403, "forbidden");
	cr_assert(has_arabic_letters(response_error_message(r)), "not in Arabic: %s", r->body.data);
	response_free(r);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/admin/%s/%lld/verify?lang=en", what, (long long)id);
	json_t *body = json_pack("{s:b, s:s}", "approved", false, "reason", "x");
	r = client_post_json(m, path, body);
	json_decref(body);
	assert_error(r, 403, "forbidden");
	cr_assert(strstr(response_error_message(r), english), "%s", r->body.data);
	response_free(r);
	snprintf(path, sizeof path, "/moderation/%s/%lld", what, (long long)id);
	r = client_post_form(m, path, "decision", "approve", NULL);
	assert_status(r, 403);
	response_free(r);
}

Test(moderation, a_moderator_cannot_decide_on_their_own_credential)
{
	struct account mod, other;
	struct client *m = moderator(&mod);
	int64_t id = upload_ok(m);
	assert_refused_party(m, "credentials", id, "your own credential");
	char action[64];
	queue_from(action, sizeof action, "credentials", id, "lang=en");
	struct response *r = client_get(m, action);
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "your own credential"), "no note on one's own credential");
	snprintf(action, sizeof action, "action=\"/moderation/credentials/%lld\"", (long long)id);
	cr_assert_null(strstr(r->body.data, action), "a form to decide on one's own credential");
	response_free(r);

	/* Still pending: another moderator decides. */
	struct client *o = moderator(&other);
	r = verify(o, "credentials", id, true, NULL);
	assert_status(r, 200);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "credential"), "status")), "approved");
	response_free(r);
	client_free(o);
	client_free(m);
}

Test(moderation, a_member_cannot_decide_on_their_organisation)
{
	struct account mod, other;
	struct client *m = moderator(&mod);
	int64_t org = new_org(m, "school", "abha");
	assert_refused_party(m, "orgs", org, "member of");
	char target[48];
	snprintf(target, sizeof target, "org:%lld", (long long)org);
	cr_assert_eq(audit_count(m, "org.approve", target), 0);

	struct client *o = moderator(&other);
	struct response *r = verify(o, "orgs", org, true, NULL);
	assert_status(r, 200);
	response_free(r);
	cr_assert_eq(audit_count(o, "org.approve", target), 1);
	client_free(o);
	client_free(m);
}

Test(moderation, the_same_decision_twice_changes_nothing_and_a_reversal_is_told)
{
	struct scene sc;
	scene_start(&sc);
	char target[48];
	snprintf(target, sizeof target, "credential:%lld", (long long)sc.id);
	struct response *r = verify(sc.m, "credentials", sc.id, false, "The scan is unreadable.");
	assert_status(r, 200);
	response_free(r);
	r = verify(sc.m, "credentials", sc.id, false, "Another reason.");
	assert_status(r, 200);
	json_t *cred = json_object_get(r->json, "credential");
	cr_assert_str_eq(json_string_value(json_object_get(cred, "status")), "rejected");
	cr_assert_str_eq(json_string_value(json_object_get(cred, "reason")), "The scan is unreadable.");
	response_free(r);
	cr_assert_eq(unread_of(sc.c), 1, "the same decision told twice");
	cr_assert_eq(audit_count(sc.m, "credential.reject", target), 1);

	/* Reversed: approved, told, audited; approving again is quiet. */
	for (int i = 0; i < 2; i++) {
		r = verify(sc.m, "credentials", sc.id, true, NULL);
		assert_status(r, 200);
		cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "credential"), "status")),
				 "approved");
		response_free(r);
	}
	cr_assert_eq(unread_of(sc.c), 2);
	cr_assert_eq(audit_count(sc.m, "credential.approve", target), 1);
	/* Mail goes out after the answer: wait for the two (reject, approve). */
	int mails = 0;
	for (int i = 0; i < 50 && (mails = outbox_count_messages(sc.owner.email, "/credentials")) < 2; i++)
		usleep(100 * 1000);
	cr_assert_eq(mails, 2, "%d mails for two decisions", mails);
	scene_end(&sc);
}

Test(moderation, audit_log_filters_by_action)
{
	struct scene sc;
	scene_start(&sc);
	struct client *m = sc.m;
	struct response *r = client_get(m, "/api/v1/admin/audit?action=credential.&limit=50");
	assert_status(r, 200);
	size_t i;
	json_t *e;
	cr_assert_gt(json_array_size(json_object_get(r->json, "items")), 0);
	json_array_foreach(json_object_get(r->json, "items"), i, e)
		cr_assert(!strncmp(json_string_value(json_object_get(e, "action")), "credential.", 11));
	response_free(r);
	static const char *const bad[] = { "nope", "credential", "cred.", "credential.upload.x" };
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		char path[96];
		snprintf(path, sizeof path, "/api/v1/admin/audit?action=%s", bad[k]);
		r = client_get(m, path);
		assert_error_field(r, "action");
		response_free(r);
	}
	/* The page: a select, the filter kept, labels in words, 422 for an unknown action. */
	r = client_get(m, "/moderation/audit?action=credential.upload&lang=en");
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "<option value=\"credential.upload\" selected>"), "the filter is not kept");
	cr_assert(strstr(r->body.data, "Uploaded a credential"));
	cr_assert(strstr(r->body.data, "professional licence"), "the credential kind is not in words");
	cr_assert_null(strstr(r->body.data, "Logged in</td>"), "another action was listed");
	response_free(r);
	r = client_get(m, "/moderation/audit?action=nope&lang=en");
	assert_status(r, 422);
	cr_assert(strstr(r->body.data, "no such action"));
	response_free(r);
	r = client_get(m, "/moderation/audit?before=abc");
	assert_status(r, 400);
	response_free(r);
	scene_end(&sc);
}

Test(moderation_pages, queue_shows_kind_and_city_in_words_and_pages)
{
	struct account owner, mod;
	struct client *c = logged_in("organisation", &owner);
	int64_t org = new_org(c, "community_council", "abha");
	struct client *m = moderator(&mod);
	char path[96];
	queue_from(path, sizeof path, "orgs", org, "lang=ar");
	struct response *r = client_get(m, path);
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "<dd>مجلس أهلي</dd>"), "the kind is not in words");
	cr_assert(strstr(r->body.data, "<dd>أبها</dd>"), "the city is not named");
	cr_assert_null(strstr(r->body.data, "community_council"));
	response_free(r);
	queue_from(path, sizeof path, "orgs", org, "lang=en");
	r = client_get(m, path);
	cr_assert(strstr(r->body.data, "<dd>Community council</dd>"));
	cr_assert(strstr(r->body.data, "<dd>Abha</dd>"));
	response_free(r);
	r = client_get(m, "/moderation?orgs_after=x");
	assert_status(r, 400);
	response_free(r);

	/* 51 credentials: the queue stops at 50 and links to the next page. */
	struct account spec;
	struct client *s = logged_in("specialist", &spec);
	int64_t first = upload_ok(s), last = first;
	for (int i = 1; i < 51; i++)
		last = upload_ok(s);
	queue_from(path, sizeof path, "credentials", first, "lang=ar");
	r = client_get(m, path);
	assert_status(r, 200);
	char form[64];
	snprintf(form, sizeof form, "/moderation/credentials/%lld\"", (long long)last);
	cr_assert_null(strstr(r->body.data, form), "more than 50 on a page");
	const char *next = strstr(r->body.data, "id=\"credentials-next\" href=\"");
	cr_assert_not_null(next, "no link to the next page");
	next += strlen("id=\"credentials-next\" href=\"");
	char href[128];
	size_t n = 0;
	for (; next[n] && next[n] != '"' && n + 1 < sizeof href; n++)
		href[n] = next[n];
	href[n] = '\0';
	response_free(r);
	/* &amp; in the attribute is & in the address. */
	char *amp;
	while ((amp = strstr(href, "&amp;")))
		memmove(amp + 1, amp + 5, strlen(amp + 5) + 1);
	r = client_get(m, href);
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, form), "the 51st is not on the next page (%s)", href);
	response_free(r);
	client_free(s);
	client_free(m);
	client_free(c);
}

Test(moderation_pages, decisions_page_reverses_a_decision)
{
	struct scene sc;
	scene_start(&sc);
	struct client *m = sc.m;
	int64_t id = sc.id;
	struct response *r = verify(m, "credentials", id, true, NULL);
	assert_status(r, 200);
	response_free(r);
	r = client_get(m, "/moderation/decisions?lang=en");
	assert_status(r, 200);
	char action[96];
	snprintf(action, sizeof action, "action=\"/moderation/credentials/%lld\"", (long long)id);
	cr_assert(strstr(r->body.data, action), "no form to reverse credential %lld", (long long)id);
	cr_assert(strstr(r->body.data, sc.mod.name), "who decided is not shown");
	cr_assert(strstr(r->body.data, "Approved a credential"));
	response_free(r);
	snprintf(action, sizeof action, "/moderation/credentials/%lld", (long long)id);
	r = client_post_form(m, action, "decision", "reject", "reason", "Expired licence.", "back", "decisions", NULL);
	assert_see_other(r, "/moderation/decisions?done=credential-rejected");
	r = client_get(m, "/moderation/decisions?done=credential-rejected&lang=en");
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "Expired licence."));
	cr_assert(strstr(r->body.data, "A later decision replaced this one."));
	response_free(r);
	r = client_get(sc.c, "/api/v1/me/credentials");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "status")),
			 "rejected");
	response_free(r);
	r = client_get(m, "/moderation/decisions?cursor=zz");
	assert_status(r, 400);
	response_free(r);
	scene_end(&sc);
}

/* ---- every action the code writes to the audit log has a label ---- */

static int scanned_files, scanned_calls;

/* check_literals: the action names among the string literals of one
 * store_audit(…) call (up to its ';') have labels. */
static void check_literals(const char *path, const char *call, const char *end)
{
	for (const char *p = call; p < end; p++) {
		if (*p != '"')
			continue;
		const char *q = p + 1;
		bool name = true, dot = false;
		for (; q < end && *q != '"'; q++) {
			dot |= *q == '.';
			name &= (*q >= 'a' && *q <= 'z') || *q == '_' || *q == '.';
		}
		if (name && dot && q > p + 1) {
			char action[64];
			snprintf(action, sizeof action, "%.*s", (int)(q - p - 1), p + 1);
			cr_expect_not_null(audit_action_label(action), "%s writes \"%s\" to the audit log without a label "
					   "in audit_actions (src/auth/moderation.c)", path, action);
		}
		p = q;
	}
}

static int scan_file(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)ftw;
	size_t len = strlen(path);
	if (flag != FTW_F || len < 2 || strcmp(path + len - 2, ".c") != 0)
		return 0;
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "%s", path);
	char *text = malloc((size_t)sb->st_size + 1);
	cr_assert_not_null(text);
	size_t n = fread(text, 1, (size_t)sb->st_size, f);
	text[n] = '\0';
	fclose(f);
	scanned_files++;
	for (char *p = strstr(text, "store_audit("); p; p = strstr(p + 1, "store_audit(")) {
		char *end = strchr(p, ';');
		if (!end)
			break;
		if (p > text && p[-1] == ' ' && p - text >= 4 && !strncmp(p - 4, "int ", 4))
			continue; /* the definition */
		scanned_calls++;
		check_literals(path, p, end);
	}
	free(text);
	return 0;
}

Test(moderation_labels, every_audit_action_written_has_a_label)
{
	for (size_t i = 0; i < audit_actions_count; i++) {
		cr_assert(audit_actions[i].label && *audit_actions[i].label, "%s has no label", audit_actions[i].action);
		if (i > 0)
			cr_assert_lt(strcmp(audit_actions[i - 1].action, audit_actions[i].action), 0,
				     "audit_actions is not sorted (or has a duplicate) at %s", audit_actions[i].action);
	}
	/* The tests run from the top of the tree (tests/run-all.sh). */
	cr_assert_eq(nftw("src", scan_file, 16, FTW_PHYS), 0, "cannot read src/ from %s", getenv("PWD"));
	cr_assert_gt(scanned_files, 50);
	cr_assert_gt(scanned_calls, 20, "found only %d store_audit calls", scanned_calls);
	cr_assert(audit_action_filter_valid("org."));
	cr_assert(audit_action_filter_valid("calendar.feed."));
	cr_assert_not(audit_action_filter_valid("org"));
	cr_assert_not(audit_action_filter_valid("or."));
}
