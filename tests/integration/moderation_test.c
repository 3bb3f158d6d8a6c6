/*
 * moderation_test.c — credentials (upload, type from the bytes, storage,
 * download rights), moderators' decisions with their notifications, e-mails
 * and audit rows, organisations' verification, and the pages.
 */
#include "client.h"

#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* upload_ok: upload the PDF, asserting 201; the new id. */
static int64_t upload_ok(struct client *c)
{
	struct response *r = upload(c, "licence", "licence.pdf", pdf, sizeof pdf - 1);
	assert_status(r, 201);
	int64_t id = json_integer_value(json_object_get(json_object_get(r->json, "credential"), "id"));
	cr_assert_gt(id, 0);
	response_free(r);
	return id;
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

	struct response *r = client_get(m, "/api/v1/admin/credentials?status=pending&limit=100");
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
	r = client_get(m, "/moderation");
	assert_status(r, 200);
	char action[64];
	snprintf(action, sizeof action, "/moderation/credentials/%lld", (long long)id);
	cr_assert(strstr(r->body.data, action), "the dashboard has no form for credential %lld", (long long)id);
	response_free(r);
	r = client_post_form(m, action, "decision", "reject", "reason", "", NULL);
	assert_status(r, 422);
	response_free(r);
	r = client_post_form(m, action, "decision", "reject", "reason", "الصورة غير واضحة", NULL);
	assert_status(r, 303);
	char *loc = response_location(r);
	cr_assert_str_eq(loc, "/moderation?done=credential-rejected");
	free(loc);
	response_free(r);
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
