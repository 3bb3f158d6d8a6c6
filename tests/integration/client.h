/*
 * client.h — the HTTP client the integration tests speak to `khibra serve` with.
 *
 * The harness (tests/run-all.sh) starts the server and passes, in the
 * environment:
 *   KHIBRA_TEST_URL   base URL of the server, e.g. http://127.0.0.1:18080
 *   KHIBRA_TEST_DATA  the server's data directory (mail lands as DIR/outbox/NAME.eml)
 *
 * Criterion runs every test in its own process and in parallel, so:
 *  - every test makes its own users (random e-mail addresses);
 *  - every client gets a random fake client address, sent as X-Forwarded-For
 *    (the server runs with KHIBRA_TRUST_PROXY=1), so that per-address limits
 *    (registration, failed logins, reset mails) of one test never touch another.
 *
 * Ownership: client_new() and the request functions return heap objects the
 * caller frees with client_free() / response_free().  Strings returned by
 * response_* getters live as long as the response.  Functions documented as
 * "caller frees" return malloc'd strings.
 *
 * Redirects are never followed: tests assert 303 and Location themselves.
 */
#ifndef KHIBRA_TEST_CLIENT_H
#define KHIBRA_TEST_CLIENT_H

#include "core/buf.h"

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct header_line {
	char *name;
	char *value;
};

struct response {
	long status;                /* 0 when the transfer failed (see error) */
	buf body;
	struct header_line *headers; /* of the final response (1xx dropped) */
	int nheaders;
	int cap_headers;
	json_t *json;               /* parsed when Content-Type is JSON, else NULL */
	char error[CURL_ERROR_SIZE]; /* curl's message when status is 0 */
};

struct client {
	CURL *curl;                 /* one easy handle: its own cookie engine */
	char *base;                 /* KHIBRA_TEST_URL without a trailing '/' */
	char *csrf;                 /* sent as X-CSRF-Token on unsafe methods; NULL: none */
	char *accept_language;      /* NULL: no Accept-Language header */
	char *bearer;               /* NULL: no Authorization header */
	char *forwarded_for;        /* NULL: no X-Forwarded-For header */
	char *cookie;               /* extra Cookie header by hand (CURLOPT_COOKIE); NULL: none */
	bool decode_encoding;       /* let curl ask for and decode gzip (CURLOPT_ACCEPT_ENCODING "") */
	struct curl_slist *next_headers; /* extra headers for the next request only */
};

/* An account made by client_register(). */
struct account {
	int64_t id;
	char email[128];
	char password[64];
	char name[96];
	char role[32];
};

/* ---- environment ---- */
const char *test_base_url(void);   /* KHIBRA_TEST_URL, asserted set */
const char *test_data_dir(void);   /* KHIBRA_TEST_DATA, asserted set */
/* random_hex: `nbytes` random bytes as hex into out (size >= 2*nbytes+1). */
void random_hex(char *out, size_t nbytes);
/* random_address: a fresh fake client address "127.a.b.c" into out (>= 16 bytes). */
void random_address(char *out, size_t size);
/* random_email: "t-<hex>@example.org" into out. */
void random_email(char *out, size_t size);

/* ---- the client ---- */
struct client *client_new(void);   /* empty cookie jar, random X-Forwarded-For */
void client_free(struct client *c);
/* The setters copy their argument; NULL removes the header. */
void client_set_csrf(struct client *c, const char *token);
void client_set_lang(struct client *c, const char *accept_language);
void client_set_bearer(struct client *c, const char *token);
void client_set_forwarded_for(struct client *c, const char *address);
void client_set_cookie(struct client *c, const char *cookie_header);
/* client_add_header: "Name: value" for the next request only. */
void client_add_header(struct client *c, const char *line);
/* client_cookie_value: the value of cookie `name` in the client's cookie
 * engine, or NULL.  Caller frees. */
char *client_cookie_value(struct client *c, const char *name);

/* client_request: one request.  `body` may be NULL (no body); with a body and
 * a NULL content_type no Content-Type header is sent.  X-CSRF-Token is sent
 * on POST/PUT/PATCH/DELETE when c->csrf is set. */
struct response *client_request(struct client *c, const char *method, const char *path,
				const char *content_type, const void *body, size_t len);
struct response *client_get(struct client *c, const char *path);
struct response *client_delete(struct client *c, const char *path);
/* JSON bodies are borrowed (not stolen); NULL sends an empty body with no type. */
struct response *client_post_json(struct client *c, const char *path, const json_t *body);
struct response *client_put_json(struct client *c, const char *path, const json_t *body);
/* client_post_form: application/x-www-form-urlencoded from name, value, …, NULL. */
struct response *client_post_form(struct client *c, const char *path, ...)
	__attribute__((sentinel));

/* ---- responses ---- */
void response_free(struct response *r);
/* response_header: the first header of that name (case-insensitive), or NULL. */
const char *response_header(const struct response *r, const char *name);
/* response_set_cookie: the whole Set-Cookie value for cookie `name`, or NULL. */
const char *response_set_cookie(const struct response *r, const char *name);
/* response_cookie: the value a Set-Cookie gives cookie `name`, or NULL.  Caller frees. */
char *response_cookie(const struct response *r, const char *name);
/* response_location: Location as a path ("/account"), the base URL stripped
 * when the server sent an absolute URL; NULL if absent.  Caller frees. */
char *response_location(const struct response *r);
/* The parts of a JSON error answer, or NULL. */
const char *response_error_code(const struct response *r);
const char *response_error_message(const struct response *r);
/* response_error_field: error.fields[name] as a string, or NULL if absent. */
const char *response_error_field(const struct response *r, const char *name);
/* response_content_type_is: Content-Type media type equals `type` (case-insensitive, parameters ignored). */
bool response_content_type_is(const struct response *r, const char *type);

/* ---- assertions that show what the server said ---- */
#define assert_status(r, code)                                                         \
	cr_assert_eq((r)->status, (long)(code), "expected HTTP %ld, got %ld: %.600s %s", \
		     (long)(code), (r)->status, (r)->body.data, (r)->error)
/* assert_error: this status and a JSON error with this code. */
#define assert_error(r, code_status, code_name)                                        \
	do {                                                                           \
		assert_status(r, code_status);                                         \
		cr_assert(response_content_type_is(r, "application/json"),             \
			  "error is not JSON: Content-Type %s",                         \
			  response_header(r, "Content-Type"));                          \
		const char *code_ = response_error_code(r);                            \
		cr_assert(code_ && !strcmp(code_, (code_name)),                        \
			  "expected error code \"%s\", got \"%s\" in %.600s",            \
			  (code_name), code_ ? code_ : "(none)", (r)->body.data);        \
		const char *msg_ = response_error_message(r);                          \
		cr_assert(msg_ && *msg_, "error without a message: %.600s",            \
			  (r)->body.data);                                               \
	} while (0)
/* assert_error_field: a 422 JSON error (any code) naming `field` in error.fields. */
#define assert_error_field(r, field)                                                   \
	do {                                                                           \
		assert_status(r, 422);                                                 \
		cr_assert(response_error_code(r) && response_error_message(r),        \
			  "422 without error.code/message: %.600s", (r)->body.data);    \
		cr_assert_not_null(response_error_field(r, (field)),                   \
				   "error.fields has no \"%s\": %.600s", (field),       \
				   (r)->body.data);                                      \
	} while (0)

/* ---- accounts ---- */
/* client_register: make a fresh user through POST /api/v1/auth/register
 * (asserting 201) with a random e-mail address and password.  The request is
 * made from a throwaway client at c's address, so c's cookie jar is untouched. */
struct account client_register(struct client *c, const char *role);
/* client_register_raw: POST /api/v1/auth/register with these fields; a NULL
 * field is left out of the body.  Nothing asserted. */
struct response *client_register_raw(struct client *c, const char *email, const char *password,
				     const char *name, const char *role, const char *locale);
/* client_login: POST /api/v1/auth/login, asserting 200; stores csrf_token in c. */
void client_login(struct client *c, const struct account *a);
/* client_try_login: the login request alone, nothing asserted or stored. */
struct response *client_try_login(struct client *c, const char *email, const char *password);

/* ---- mail and HTML ---- */
/* outbox_find_message: the newest decoded body of a message in
 * KHIBRA_TEST_DATA/outbox/ addressed to `email` whose body contains `marker`;
 * waits up to `wait_ms` for it to appear.  NULL if none.  Caller frees. */
char *outbox_find_message(const char *email, const char *marker, int wait_ms);
/* outbox_find_link: the token after `marker` (e.g. "/verify-email?token=") in
 * such a message, waiting up to 5 s; NULL if none.  Caller frees. */
char *outbox_find_link(const char *email, const char *marker);
/* html_find_csrf: the value of the input with name="csrf" in an HTML page, or NULL.  Caller frees. */
char *html_find_csrf(const char *html);
/* html_has_href_containing: some href="…" attribute contains `needle`. */
bool html_has_href_containing(const char *html, const char *needle);
/* has_arabic_letters: the UTF-8 text holds a code point in U+0600–U+06FF. */
bool has_arabic_letters(const char *s);
/* str_contains_ci: case-insensitive substring test. */
bool str_contains_ci(const char *haystack, const char *needle);

/* ---- organisations (orgs_test.c) ---- */
/* client_patch_json: PATCH with a JSON body (borrowed). */
struct response *client_patch_json(struct client *c, const char *path, const json_t *body);
/* ---- end of organisations ---- */

/* ---- credentials and moderation ---- */
/* client_post_multipart: POST multipart/form-data with the text fields
 * (name, value, …, NULL) and, when file_field is not NULL, one file part with
 * this file name, claimed type and bytes. */
struct response *client_post_multipart(struct client *c, const char *path, const char *const *fields,
				       const char *file_field, const char *filename, const char *file_type,
				       const void *data, size_t len);
/* client_make_moderator: a new moderator (and admin) made through the CLI,
 * `$KHIBRA_TEST_BIN admin create --email E --name N --db $KHIBRA_TEST_DB_URL`
 * with the password on standard input; asserts it worked.  Not logged in. */
struct account client_make_moderator(void);
/* ---- end of credentials and moderation ---- */

/* ---- opportunities and shifts ---- */
/* test_org_verify: mark organisation `org_id` verified directly in the
 * server's database (KHIBRA_TEST_DB_URL, which tests/run-all.sh sets);
 * asserts it worked. */
void test_org_verify(int64_t org_id);
/* ---- end of opportunities and shifts ---- */

/* ---- applications and booking ---- */
/* test_db: a pool of connections to the server's own database
 * (KHIBRA_TEST_DB_URL, asserted set), opened once per test process and
 * closed at exit; for inserting what HTTP cannot make yet. */
struct db *test_db(void);
/* test_booking_org: a verified organisation with `member_id` as its owner. */
int64_t test_booking_org(int64_t member_id);
/* test_booking_opportunity: an opportunity of the organisation in `status`
 * ("open", "draft", …) with this kind and domain; title as given. */
int64_t test_booking_opportunity(int64_t org_id, const char *kind, const char *domain, const char *status,
				 const char *title);
/* test_booking_shift: a shift [starts_at, ends_at) with `capacity` places. */
int64_t test_booking_shift(int64_t opportunity_id, int64_t starts_at, int64_t ends_at, int capacity);
/* test_booking_user: a specialist made directly in the database (no password). */
int64_t test_booking_user(const char *name);
/* ---- end of applications and booking ---- */

/* ---- help requests ---- */
/* Direct set-up in the server's database (test_db()), for what the help
 * tests need but other subjects' HTTP calls make: */
/* test_help_grant_role: give user `user_id` the role ("moderator", …). */
void test_help_grant_role(int64_t user_id, const char *role);
/* test_help_approve_licence: an approved licence credential for the user. */
void test_help_approve_licence(int64_t user_id);
/* test_help_availability: a weekly range (weekday 0 = Sunday, minutes in Asia/Riyadh). */
void test_help_availability(int64_t user_id, int weekday, int start_minute, int end_minute);
/* test_help_org: a verified organisation with `member_id` as its coordinator. */
int64_t test_help_org(int64_t member_id);
/* ---- end of help requests ---- */

/* ---- access matrix and security headers (matrix_test.c, service_test.c) ---- */
/* security_headers_problem: NULL when the response carries the security
 * headers every answer must have (CSP with default-src and frame-ancestors
 * 'none', X-Content-Type-Options: nosniff, Referrer-Policy), else what is wrong. */
const char *security_headers_problem(const struct response *r);
/* assert_security_headers: assert the above; `what` names the call in the message. */
void assert_security_headers(const struct response *r, const char *what);
/* ---- end of access matrix ---- */

/* ---- jobs, reminders and nudges ---- */
/* outbox_count_messages: how many messages in KHIBRA_TEST_DATA/outbox/ are
 * addressed to `email` with `marker` in their body. */
int outbox_count_messages(const char *email, const char *marker);
/* ---- end of jobs, reminders and nudges ---- */

/* ---- a server of the test's own (jobs_test.c, jobs_nudge_test.c) ---- */
/* own_server: a `khibra serve` ($KHIBRA_TEST_BIN) the test starts itself, on
 * a fresh SQLite database in a temporary folder. */
#include <sys/types.h>
struct own_server { char dir[64]; char url[128]; char db[160]; int port; pid_t pid; };
/* own_server_new: a folder, a free port, and every helper of client.c
 * (KHIBRA_TEST_URL, _DATA, _DB_URL) pointed at them: call it before the
 * first request or test_db() of the test process. */
void own_server_new(struct own_server *s);
/* own_server_start: khibra serve on the folder's database with the worker on
 * (ticking every 200 ms) or off; waits until /healthz answers. */
void own_server_start(struct own_server *s, bool jobs);
/* own_server_stop: SIGTERM (a clean exit, 0, asserted) or SIGKILL. */
void own_server_stop(struct own_server *s, int sig);
/* own_server_remove: remove the folder (after own_server_stop). */
void own_server_remove(struct own_server *s);
/* ---- end of a server of the test's own ---- */

/* ---- organisation membership by consent (orgs_test.c) ---- */
/* test_org_join: `owner` invites `member` (logged in as the account with
 * `email`) to organisation `org` as `role`; the member accepts with the
 * mailed link.  Asserts each step (202, then 200). */
void test_org_join(struct client *owner, int64_t org, struct client *member, const char *email, const char *role);
/* ---- end of organisation membership by consent ---- */

#endif
