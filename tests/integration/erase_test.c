/*
 * erase_test.c — DELETE /api/v1/me and the account page's "delete my
 * account" form against a running server: the password check, the
 * last-owner refusal, and that afterwards the person is gone from the raw
 * database (every table dumped with sqlite3 .dump / pg_dump) and from the
 * data directory — except the e-mails already sent (DATA/outbox), which are
 * copies of mail that left the platform and are kept (see auth/erase.c).
 */
#include "client.h"
#include "store/db.h"

#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char pdf_head[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\nstartxref\n9\n%%EOF\n";

static struct client *logged_in(const char *role, struct account *a)
{
	struct client *c = client_new();
	*a = client_register(c, role);
	client_login(c, a);
	return c;
}

static struct response *delete_me(struct client *c, const char *password)
{
	json_t *body = password ? json_pack("{s:s}", "password", password) : json_object();
	char *text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	struct response *r = client_request(c, "DELETE", "/api/v1/me", "application/json", text, strlen(text));
	free(text);
	return r;
}

/* database_dump: every row of every table as text (caller frees). */
static char *database_dump(void)
{
	const char *url = getenv("KHIBRA_TEST_DB_URL");
	cr_assert_not_null(url, "KHIBRA_TEST_DB_URL is not set");
	char cmd[1200];
	if (strncmp(url, "sqlite:", 7) == 0)
		snprintf(cmd, sizeof cmd, "sqlite3 -readonly '%s' .dump", url + 7);
	else
		snprintf(cmd, sizeof cmd, "pg_dump --data-only --no-owner '%s' 2>/dev/null", url);
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p, "cannot run %s", cmd);
	buf out = BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_append(&out, chunk, n);
	int rc = pclose(p);
	cr_assert_eq(rc, 0, "%s failed", cmd);
	cr_assert_gt(out.len, 1000, "the dump is too short to be real");
	return buf_detach(&out, NULL);
}

/* tree_contains: does any file under dir (but not under skip) hold needle? */
static bool tree_contains(const char *dir, const char *skip, const char *needle)
{
	DIR *d = opendir(dir);
	if (!d)
		return false;
	bool found = false;
	struct dirent *e;
	while (!found && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (strcmp(path, skip) == 0)
			continue;
		struct stat st;
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			found = tree_contains(path, skip, needle);
		} else if (S_ISREG(st.st_mode) && st.st_size < 64 * 1024 * 1024 && !strstr(e->d_name, ".db")) {
			FILE *f = fopen(path, "rb");
			if (!f)
				continue;
			buf b = BUF_INIT;
			char chunk[65536];
			size_t n;
			while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
				buf_append(&b, chunk, n);
			fclose(f);
			found = b.len && memmem(b.data, b.len, needle, strlen(needle)) != NULL;
			buf_free(&b);
		}
	}
	closedir(d);
	return found;
}

/* upload_credential: a licence with unique bytes; its stored file's path. */
static void upload_credential(struct client *c, char *path, size_t size)
{
	char pdf[256], hex[17];
	random_hex(hex, 8);
	int len = snprintf(pdf, sizeof pdf, "%s%% %s\n", pdf_head, hex);
	const char *fields[] = { "kind", "licence", "issuer", "الهيئة السعودية للتخصصات الصحية", "number", "L-1", NULL };
	struct response *r = client_post_multipart(c, "/api/v1/me/credentials", fields, "file", "licence.pdf",
						   "application/pdf", pdf, (size_t)len);
	assert_status(r, 201);
	response_free(r);
	unsigned char digest[crypto_hash_sha256_BYTES];
	char sha[65];
	crypto_hash_sha256(digest, (const unsigned char *)pdf, (unsigned long long)len);
	sodium_bin2hex(sha, sizeof sha, digest, sizeof digest);
	snprintf(path, size, "%s/files/%.2s/%s", test_data_dir(), sha, sha);
	cr_assert_eq(access(path, F_OK), 0, "the uploaded file is not at %s", path);
}

/* completed_application: a completed application of `user` with a message,
 * on an opportunity of a new organisation owned by `owner`; its opportunity. */
static int64_t completed_application(int64_t owner, int64_t user, int64_t *application)
{
	int64_t org = test_booking_org(owner);
	int64_t opp = test_booking_opportunity(org, "campaign", "health", "completed", "قافلة طبية");
	int64_t now = time(NULL);
	int64_t shift = test_booking_shift(opp, now - 20 * 86400, now - 20 * 86400 + 3600, 3);
	db_conn *c = db_acquire(test_db());
	int st = db_query_int(c, "INSERT INTO applications (opportunity_id, shift_id, user_id, status, message, created_at, "
				 "updated_at) VALUES (?, ?, ?, 'completed', 'جوالي 0550001111', ?, ?) RETURNING id",
			      DB_PARAMS(DB_INT(opp), DB_INT(shift), DB_INT(user), DB_INT(now), DB_INT(now)), application);
	db_release(c);
	cr_assert_eq(st, DB_OK);
	return opp;
}

Test(erase, visitor_gets_401)
{
	struct client *c = client_new();
	struct response *r = delete_me(c, "whatever-password");
	assert_error(r, 401, "unauthenticated");
	response_free(r);
	client_free(c);
}

Test(erase, wrong_or_missing_password_changes_nothing)
{
	struct account a;
	struct client *c = logged_in("specialist", &a);
	struct response *r = delete_me(c, "not-the-password");
	assert_error(r, 403, "wrong_password");
	response_free(r);
	r = delete_me(c, NULL);
	assert_error_field(r, "password");
	cr_assert(has_arabic_letters(response_error_field(r, "password")));
	response_free(r);
	r = client_get(c, "/api/v1/me");
	assert_status(r, 200);
	response_free(r);
	struct client *again = client_new();
	client_login(again, &a);
	client_free(again);
	client_free(c);
}

Test(erase, erased_everywhere_but_the_organisation_keeps_the_work)
{
	struct account a, owner;
	struct client *c = logged_in("specialist", &a);
	struct client *org = logged_in("organisation", &owner);
	json_t *profile = json_pack("{s:s, s:s, s:[{s:s, s:i}]}", "headline", "طبيب أسنان متطوع", "bio", a.name,
				    "skills", "slug", "dentistry", "level", 4);
	struct response *r = client_put_json(c, "/api/v1/me/profile", profile);
	json_decref(profile);
	assert_status(r, 200);
	response_free(r);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/specialists/%lld", (long long)a.id);
	r = client_get(org, path);
	assert_status(r, 200);
	response_free(r);
	char file[1024];
	upload_credential(c, file, sizeof file);
	int64_t application = 0;
	int64_t opp = completed_application(owner.id, a.id, &application);

	r = delete_me(c, a.password);
	assert_status(r, 204);
	const char *cookie = response_set_cookie(r, "khibra_session");
	cr_assert(cookie && strstr(cookie, "Max-Age=0"), "the session cookie is not cleared: %s", cookie ? cookie : "(none)");
	response_free(r);

	r = client_get(c, "/api/v1/me");
	assert_status(r, 401);
	response_free(r);
	/* Checked before the failed log-in below, which itself records the
	 * address it was tried with in rate_events for the rate-limit window. */
	/* Nowhere in the raw database, nor in the data directory (outbox aside). */
	char *dump = database_dump();
	cr_assert(!str_contains_ci(dump, a.email), "the e-mail address is still in the database");
	cr_assert_null(strstr(dump, a.name), "the name is still in the database");
	cr_assert(strstr(dump, "account.erase"), "no audit entry for the erasure");
	free(dump);
	char outbox[1024];
	snprintf(outbox, sizeof outbox, "%s/outbox", test_data_dir());
	cr_assert_not(tree_contains(test_data_dir(), outbox, a.email), "the e-mail address is in a file of the data dir");
	r = client_try_login(org, a.email, a.password);
	assert_status(r, 401);
	response_free(r);
	r = client_get(org, path);
	assert_status(r, 404);
	response_free(r);
	snprintf(path, sizeof path, "/specialists/%lld", (long long)a.id);
	r = client_get(org, path);
	assert_status(r, 404);
	response_free(r);
	cr_assert_neq(access(file, F_OK), 0, "the credential's file is still there: %s", file);

	/* The organisation still sees the work done, without the person. */
	snprintf(path, sizeof path, "/api/v1/opportunities/%lld/applications", (long long)opp);
	r = client_get(org, path);
	assert_status(r, 200);
	cr_assert_null(strstr(r->body.data, a.name), "the name is still shown: %s", r->body.data);
	cr_assert_null(strstr(r->body.data, "0550001111"), "the message is still shown");
	cr_assert(strstr(r->body.data, "\"completed\""), "the completed application is gone: %s", r->body.data);
	response_free(r);
	snprintf(path, sizeof path, "/opportunities/%lld/applicants?lang=en", (long long)opp);
	r = client_get(org, path);
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "A former volunteer"), "no former volunteer on the applicants page");
	response_free(r);

	client_free(org);
	client_free(c);
}

Test(erase, last_owner_with_members_gets_409)
{
	struct account owner, coordinator;
	struct client *c = logged_in("organisation", &owner);
	struct client *other = logged_in("organisation", &coordinator);
	int64_t org = test_booking_org(owner.id);
	db_conn *dc = db_acquire(test_db());
	int st = db_exec(dc, "INSERT INTO org_members (org_id, user_id, role, created_at) VALUES (?, ?, 'coordinator', ?)",
			 DB_PARAMS(DB_INT(org), DB_INT(coordinator.id), DB_INT(time(NULL))), NULL);
	db_release(dc);
	cr_assert_eq(st, DB_OK);
	struct response *r = delete_me(c, owner.password);
	assert_error(r, 409, "last_owner");
	cr_assert(has_arabic_letters(response_error_message(r)), "%s", r->body.data);
	response_free(r);
	r = client_get(c, "/api/v1/me");
	assert_status(r, 200);
	response_free(r);
	/* A coordinator may leave at any time. */
	r = delete_me(other, coordinator.password);
	assert_status(r, 204);
	response_free(r);
	client_free(other);
	client_free(c);
}

Test(erase, page_flow_with_csrf)
{
	struct account a;
	struct client *c = logged_in("beneficiary", &a);
	struct response *r = client_get(c, "/account?lang=en");
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "action=\"/account/delete\""), "no delete form on /account");
	char *csrf = html_find_csrf(r->body.data);
	cr_assert_not_null(csrf);
	response_free(r);
	client_set_csrf(c, NULL); /* the form carries the token */

	r = client_post_form(c, "/account/delete", "password", a.password, "confirm", "1", NULL);
	assert_status(r, 403); /* no CSRF token */
	response_free(r);
	r = client_post_form(c, "/account/delete?lang=en", "csrf", csrf, "password", a.password, NULL);
	assert_status(r, 422);
	cr_assert(strstr(r->body.data, "Tick the box"), "no reason for the missing confirmation");
	response_free(r);
	r = client_post_form(c, "/account/delete?lang=ar", "csrf", csrf, "password", "wrong-password!", "confirm", "1", NULL);
	assert_status(r, 403);
	cr_assert(strstr(r->body.data, "field-error"), "the wrong password is not marked");
	cr_assert(strstr(r->body.data, "dir=\"rtl\""));
	response_free(r);
	r = client_get(c, "/api/v1/me");
	assert_status(r, 200);
	response_free(r);

	r = client_post_form(c, "/account/delete?lang=en", "csrf", csrf, "password", a.password, "confirm", "on", NULL);
	assert_status(r, 200);
	cr_assert(strstr(r->body.data, "Your account has been deleted"), "%.600s", r->body.data);
	cr_assert(response_set_cookie(r, "khibra_session"), "the session cookie is not cleared");
	response_free(r);
	r = client_get(c, "/api/v1/me");
	assert_status(r, 401);
	response_free(r);
	free(csrf);
	client_free(c);
}
