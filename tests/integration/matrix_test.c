/*
 * matrix_test.c — the access-control matrix (matrix.c) against the real
 * route table and the running server.
 *
 *  - matrix/covers_every_route: every route of routes[] has a row, and every
 *    row names a route that exists;
 *  - matrix/every_route_every_caller: every row × caller × (own, others) is
 *    called and compared; every answer must also carry the security
 *    headers.  All mismatches are printed as one table before the test fails.
 *
 * Safe (GET) rows run first, then the unsafe ones; within a row the owning
 * organisation's member goes last, as it is the caller most likely to change
 * the object.  Routes that change an object's state get a fresh object per
 * call (OBJ_*_NEW, APP, MEMBER, TOKEN, SESSION, SELF).
 */
#include "client.h"
#include "matrix.h"

#include "core/image.h"
#include "core/xalloc.h"
#include "http/route.h"
#include "store/db.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <vips/vips.h>

static const char *const role_names[MX_ROLES] = {
	"visitor", "specialist", "beneficiary", "other-org", "own-org", "moderator",
};

/* The people and objects of one run (see the comment above the table). */
struct fixture {
	struct account acc[MX_ROLES];
	struct client *c[MX_ROLES];     /* logged in, except the visitor's */
	struct account s2, ben2;        /* the "others" people; no caller */
	struct client *s2c, *ben2c;
	int64_t org_a, org_b, org_c;
	int64_t opp_a, opp_c, draft_a, draft_c;
	int64_t req_own, req_other;
	int64_t cred_own, cred_other;
	char invite[128];               /* token of an invitation to A for nobody's address */
};

static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\nstartxref\n9\n%%EOF\n";

/* ---- set-up helpers ---- */

static void exec_sql(const char *sql, const db_value *params, int nparams)
{
	db_conn *c = db_acquire(test_db());
	int st = db_exec(c, sql, params, nparams, NULL);
	db_release(c);
	cr_assert_eq(st, DB_OK, "could not run %s", sql);
}

static int64_t json_id(const struct response *r, const char *object)
{
	const json_t *o = object ? json_object_get(r->json, object) : r->json;
	const json_t *id = json_object_get(o, "id");
	cr_assert(json_is_integer(id), "no %s.id in %.300s", object ? object : "", r->body.data);
	return (int64_t)json_integer_value(id);
}

/* opportunity: an opportunity of `org` in `status`, with one shift. */
static int64_t opportunity(int64_t org, const char *status)
{
	int64_t now = time(NULL);
	int64_t id = test_booking_opportunity(org, "project", "technology", status, "مشروع موقع إلكتروني");
	test_booking_shift(id, now + 30 * 86400, now + 30 * 86400 + 3 * 3600, 3);
	return id;
}

/* application: `user`'s fresh application ("applied") to a fresh open opportunity of `org`. */
static int64_t application(int64_t org, int64_t user)
{
	int64_t now = time(NULL), id = 0;
	int64_t opp = test_booking_opportunity(org, "project", "technology", "open", "مشروع تطبيق");
	int64_t shift = test_booking_shift(opp, now + 40 * 86400, now + 40 * 86400 + 7200, 3);
	db_conn *c = db_acquire(test_db());
	int st = db_query_int(c, "INSERT INTO applications (opportunity_id, shift_id, user_id, status, created_at, "
				 "updated_at) VALUES (?, ?, ?, 'applied', ?, ?) RETURNING id",
			      DB_PARAMS(DB_INT(opp), DB_INT(shift), DB_INT(user), DB_INT(now), DB_INT(now)), &id);
	db_release(c);
	cr_assert_eq(st, DB_OK, "could not make an application");
	return id;
}

/* member: a fresh coordinator of `org`; the user's id. */
static int64_t member(int64_t org)
{
	int64_t user = test_booking_user("عضو مؤقت");
	exec_sql("INSERT INTO org_members (org_id, user_id, role, created_at) VALUES (?, ?, 'coordinator', ?)",
		 DB_PARAMS(DB_INT(org), DB_INT(user), DB_INT(time(NULL))));
	return user;
}

/* token: a fresh API token of the client's account; its id. */
static int64_t token(struct client *c)
{
	json_t *body = json_pack("{s:s}", "name", "matrix");
	struct response *r = client_post_json(c, "/api/v1/tokens", body);
	json_decref(body);
	assert_status(r, 201);
	int64_t id = json_id(r, NULL);
	response_free(r);
	return id;
}

/* login: a new client logged in as `a`. */
static struct client *login(const struct account *a)
{
	struct client *c = client_new();
	client_login(c, a);
	return c;
}

/* session: a fresh extra session of `a`; its id. */
static int64_t session(const struct account *a)
{
	struct client *c = login(a);
	struct response *r = client_get(c, "/api/v1/me/sessions");
	assert_status(r, 200);
	int64_t id = 0;
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(r->json, "items"), i, s)
		if (json_is_true(json_object_get(s, "current")))
			id = (int64_t)json_integer_value(json_object_get(s, "id"));
	cr_assert_gt(id, 0, "no current session in %.300s", r->body.data);
	response_free(r);
	client_free(c);
	return id;
}

static int64_t credential(struct client *c)
{
	const char *fields[] = { "kind", "licence", "issuer", "SCFHS", "number", "M-1", NULL };
	struct response *r = client_post_multipart(c, "/api/v1/me/credentials", fields, "file", "licence.pdf",
						   "application/pdf", pdf, sizeof pdf - 1);
	assert_status(r, 201);
	int64_t id = json_id(r, "credential");
	response_free(r);
	return id;
}

static void public_profile(struct client *c)
{
	json_error_t err;
	json_t *body = json_loads("{\"headline\": \"مطوّرة ويب\", \"profession\": \"software-developer\", "
				  "\"bio\": \"\", \"years_experience\": 5, \"city\": \"riyadh\", \"remote\": true, "
				  "\"onsite\": false, \"languages\": [\"ar\"], "
				  "\"skills\": [{\"slug\": \"web-development\", \"level\": 4}], \"availability\": [], "
				  "\"max_hours_month\": 10, \"public\": true}", 0, &err);
	cr_assert_not_null(body, "%s", err.text);
	struct response *r = client_put_json(c, "/api/v1/me/profile", body);
	json_decref(body);
	assert_status(r, 200);
	response_free(r);
}

static int64_t help_request(struct client *c, int64_t org)
{
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "domain", "technology", "title", "موقع للجمعية",
				 "details", "تفاصيل خاصة", "city", "حائل", "urgency", "normal", "org_id", (json_int_t)org);
	struct response *r = client_post_json(c, "/api/v1/requests", body);
	json_decref(body);
	assert_status(r, 201);
	int64_t id = json_id(r, "request");
	response_free(r);
	return id;
}

static void upload_logo(struct client *c, int64_t org)
{
	cr_assert(image_init(""), "libvips did not start");
	VipsImage *black = NULL;
	cr_assert_eq(vips_black(&black, 64, 64, "bands", 3, NULL), 0);
	void *png = NULL;
	size_t len = 0;
	int rc = vips_pngsave_buffer(black, &png, &len, NULL);
	g_object_unref(black);
	cr_assert_eq(rc, 0);
	static const char *const no_fields[] = { NULL };
	char *path = xasprintf("/api/v1/orgs/%lld/logo", (long long)org);
	struct response *r = client_post_multipart(c, path, no_fields, "file", "logo.png", "image/png", png, len);
	assert_status(r, 200);
	response_free(r);
	free(path);
	g_free(png);
}

/* invitation: A's owner invites an address nobody has; the mailed token. */
static void invitation(struct fixture *f)
{
	char email[128];
	random_email(email, sizeof email);
	json_t *body = json_pack("{s:s, s:s}", "email", email, "role", "coordinator");
	char *path = xasprintf("/api/v1/orgs/%lld/members", (long long)f->org_a);
	struct response *r = client_post_json(f->c[MX_OWN_ORG], path, body);
	json_decref(body);
	free(path);
	cr_assert(r->status >= 200 && r->status < 300, "invitation: %ld %s", r->status, r->body.data);
	response_free(r);
	char *token = outbox_find_link(email, "/invitations/accept?token=");
	cr_assert_not_null(token, "no invitation mail to %s", email);
	snprintf(f->invite, sizeof f->invite, "%s", token);
	free(token);
}

/* fill_body: the row's body template with {S}, {R} and {T} filled in. */
static void fill_body(char *out, size_t size, const char *tpl, const struct fixture *f, bool own)
{
	buf b = BUF_INIT;
	for (const char *p = tpl; *p; p++) {
		if (!strncmp(p, "{S}", 3)) {
			buf_printf(&b, "%lld", (long long)(own ? f->acc[MX_SPECIALIST].id : f->s2.id));
			p += 2;
		} else if (!strncmp(p, "{R}", 3)) {
			char email[128];
			random_email(email, sizeof email);
			buf_puts(&b, email);
			p += 2;
		} else if (!strncmp(p, "{T}", 3)) {
			buf_puts(&b, f->invite);
			p += 2;
		} else {
			buf_putc(&b, *p);
		}
	}
	snprintf(out, size, "%s", b.data ? b.data : "");
	buf_free(&b);
}

/* visitor: a client with no session but a CSRF cookie, so that its forms
 * pass the CSRF check and reach the access rules. */
static struct client *visitor(void)
{
	struct client *c = client_new();
	struct response *r = client_get(c, "/login");
	response_free(r);
	char *csrf = client_cookie_value(c, "khibra_csrf");
	cr_assert_not_null(csrf, "GET /login set no khibra_csrf cookie");
	client_set_csrf(c, csrf);
	free(csrf);
	return c;
}

static void fixture_make(struct fixture *f)
{
	memset(f, 0, sizeof *f);
	struct client *reg = client_new();
	f->acc[MX_SPECIALIST] = client_register(reg, "specialist");
	f->acc[MX_BENEFICIARY] = client_register(reg, "beneficiary");
	f->acc[MX_OTHER_ORG] = client_register(reg, "organisation");
	f->acc[MX_OWN_ORG] = client_register(reg, "organisation");
	f->acc[MX_MODERATOR] = client_make_moderator();
	f->s2 = client_register(reg, "specialist");
	f->ben2 = client_register(reg, "beneficiary");
	struct account oc = client_register(reg, "organisation");
	client_free(reg);

	f->c[MX_VISITOR] = visitor();
	for (int i = MX_SPECIALIST; i < MX_ROLES; i++)
		f->c[i] = login(&f->acc[i]);
	f->s2c = login(&f->s2);
	f->ben2c = login(&f->ben2);

	f->org_a = test_booking_org(f->acc[MX_OWN_ORG].id);
	f->org_b = test_booking_org(f->acc[MX_OTHER_ORG].id);
	f->org_c = test_booking_org(oc.id);
	f->opp_a = opportunity(f->org_a, "open");
	f->opp_c = opportunity(f->org_c, "open");
	f->draft_a = opportunity(f->org_a, "draft");
	f->draft_c = opportunity(f->org_c, "draft");
	upload_logo(f->c[MX_OWN_ORG], f->org_a);

	public_profile(f->c[MX_SPECIALIST]);
	public_profile(f->s2c);
	f->cred_own = credential(f->c[MX_SPECIALIST]);
	f->cred_other = credential(f->s2c);
	f->req_own = help_request(f->c[MX_BENEFICIARY], f->org_a);
	f->req_other = help_request(f->ben2c, f->org_c);
	invitation(f);
	exec_sql("UPDATE help_requests SET assigned_specialist_id = ?, status = 'assigned' WHERE id = ?",
		 DB_PARAMS(DB_INT(f->acc[MX_SPECIALIST].id), DB_INT(f->req_own)));
}

static void fixture_free(struct fixture *f)
{
	for (int i = 0; i < MX_ROLES; i++)
		client_free(f->c[i]);
	client_free(f->s2c);
	client_free(f->ben2c);
}

/* ---- one call ---- */

/* A call ready to make: the caller, the path, and a client to free after. */
struct call {
	struct client *caller;
	struct client *owned;   /* a client made for this call alone, or NULL */
	char path[256];
	char body[256];         /* a body for this call instead of the empty one */
};

/* fill_path: the pattern with {user_id} = p2, {action} = accept, any other {…} = p1. */
static void fill_path(char *out, size_t size, const char *pattern, int64_t p1, int64_t p2)
{
	buf b = BUF_INIT;
	for (const char *p = pattern; *p;) {
		if (*p != '{') {
			buf_putc(&b, *p++);
			continue;
		}
		const char *close = strchr(p, '}');
		cr_assert_not_null(close, "bad pattern %s", pattern);
		size_t n = (size_t)(close - p - 1);
		if (n == 7 && !strncmp(p + 1, "user_id", n))
			buf_printf(&b, "%lld", (long long)p2);
		else if (n == 6 && !strncmp(p + 1, "action", n))
			buf_puts(&b, "accept");
		else
			buf_printf(&b, "%lld", (long long)p1);
		p = close + 1;
	}
	snprintf(out, size, "%s", b.data ? b.data : "");
	buf_free(&b);
}

static void erase_caller(int role, const struct mx_row *row, struct call *call);

/* prepare: the object for this row, caller and side (own or others). */
static void prepare(struct fixture *f, const struct mx_row *row, int role, bool own, struct call *call)
{
	int64_t p1 = 0, p2 = 0;
	int64_t org = own ? f->org_a : f->org_c;
	const struct account *self = role == MX_VISITOR ? NULL : &f->acc[role];
	memset(call, 0, sizeof *call);
	call->caller = f->c[role];
	switch (row->obj) {
	case OBJ_NONE:
		break;
	case OBJ_STATIC:
		snprintf(call->path, sizeof call->path, "%sstyle.css", row->pattern);
		return;
	case OBJ_SELF:
		if (self)
			call->caller = call->owned = login(self);
		break;
	case OBJ_ORG:
		p1 = org;
		break;
	case OBJ_OPP:
		p1 = own ? f->opp_a : f->opp_c;
		break;
	case OBJ_DRAFT:
		p1 = own ? f->draft_a : f->draft_c;
		break;
	case OBJ_OPP_NEW:
		p1 = opportunity(org, "open");
		break;
	case OBJ_DRAFT_NEW:
		p1 = opportunity(org, "draft");
		break;
	case OBJ_APP:
		p1 = application(org, own ? f->acc[MX_SPECIALIST].id : f->s2.id);
		break;
	case OBJ_MEMBER:
		p1 = org;
		p2 = member(org);
		break;
	case OBJ_REQ:
		p1 = own ? f->req_own : f->req_other;
		break;
	case OBJ_CRED:
		p1 = own ? f->cred_own : f->cred_other;
		break;
	case OBJ_USER:
		p1 = !own ? f->s2.id : self ? self->id : f->acc[MX_SPECIALIST].id;
		break;
	case OBJ_TOKEN:
		p1 = token(own ? call->caller : f->s2c);
		break;
	case OBJ_SESSION:
		p1 = session(own ? self : &f->s2);
		break;
	case OBJ_INVITE:
		break;
	case OBJ_ERASE:
		if (self)
			erase_caller(role, row, call);
		break;
	}
	fill_path(call->path, sizeof call->path, row->pattern, p1, p2);
	if (row->obj == OBJ_INVITE && !strcmp(row->method, "GET")) {
		size_t n = strlen(call->path);
		snprintf(call->path + n, sizeof call->path - n, "?token=%s", f->invite);
	}
	if (row->body)
		fill_body(call->body, sizeof call->body, row->body, f, own);
}

/* erase_caller: a throw-away account of the caller's kind, logged in, and a
 * body with its password. */
static void erase_caller(int role, const struct mx_row *row, struct call *call)
{
	static const char *const kinds[MX_ROLES] = { NULL, "specialist", "beneficiary", "organisation",
						     "organisation", NULL };
	struct account a;
	if (role == MX_MODERATOR) {
		a = client_make_moderator();
	} else {
		struct client *reg = client_new();
		a = client_register(reg, kinds[role]);
		client_free(reg);
	}
	if (role == MX_OWN_ORG || role == MX_OTHER_ORG)
		test_booking_org(a.id);
	call->caller = call->owned = login(&a);
	bool api = !strncmp(row->pattern, "/api/", 5);
	char *pw = curl_easy_escape(NULL, a.password, 0);
	if (api)
		snprintf(call->body, sizeof call->body, "{\"password\": \"%s\"}", a.password);
	else
		snprintf(call->body, sizeof call->body, "password=%s&confirm=1", pw);
	curl_free(pw);
}

static const struct route *route_of(const struct mx_row *row)
{
	for (int i = 0; i < routes_count; i++)
		if (!strcmp(routes[i].method, row->method) && !strcmp(routes[i].pattern, row->pattern))
			return &routes[i];
	return NULL;
}

/* send_call: the call with an empty body of the kind the route takes. */
static struct response *send_call(const struct call *call, const struct route *rt)
{
	const char *m = rt->method;
	if (call->body[0])
		return client_request(call->caller, m, call->path,
				      rt->flags & ROUTE_API ? "application/json" : "application/x-www-form-urlencoded",
				      call->body, strlen(call->body));
	if (!strcmp(m, "GET") || !strcmp(m, "DELETE"))
		return client_request(call->caller, m, call->path, NULL, NULL, 0);
	if (rt->flags & ROUTE_UPLOAD) {
		static const char *const fields[] = { "note", "matrix", NULL };
		return client_post_multipart(call->caller, call->path, fields, NULL, NULL, NULL, NULL, 0);
	}
	if (rt->flags & ROUTE_API)
		return client_request(call->caller, m, call->path, "application/json", "{}", 2);
	return client_request(call->caller, m, call->path, "application/x-www-form-urlencoded", "", 0);
}

/* verdict: the answer in the matrix's words ("ok", "auth", …), or "NNN". */
static void verdict(const struct response *r, char *out, size_t size)
{
	long s = r->status;
	char *loc = response_location(r);
	bool to_login = loc && !strncmp(loc, "/login", 6);
	free(loc);
	if (s == 401 || (s >= 300 && s < 400 && to_login))
		snprintf(out, size, "auth");
	else if (s == 403 && response_error_code(r) && !strcmp(response_error_code(r), "csrf"))
		snprintf(out, size, "csrf");
	else if (s == 403)
		snprintf(out, size, "deny");
	else if (s == 404)
		snprintf(out, size, "hide");
	else if ((s >= 200 && s < 400) || s == 409 || s == 422 || s == 429)
		snprintf(out, size, "ok");
	else
		snprintf(out, size, "%ld", s);
}

/* expected: the word for `role` in an expectation string. */
static void expected(const char *spec, int role, char *out, size_t size)
{
	const char *p = spec;
	for (int i = 0;; i++) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (i == role || !*p) {
			snprintf(out, size, "%.*s", (int)n, p);
			return;
		}
		p += n;
	}
}

/* security_headers_problem: see client.h; the matrix reports, not asserts. */

static int run_row(struct fixture *f, const struct mx_row *row, buf *report)
{
	static const int order[MX_ROLES] = { MX_VISITOR, MX_SPECIALIST, MX_BENEFICIARY, MX_OTHER_ORG,
					     MX_MODERATOR, MX_OWN_ORG };
	const struct route *rt = route_of(row);
	if (!rt)
		return 0; /* reported by covers_every_route */
	int bad = 0;
	for (int side = 0; side < 2; side++) {
		const char *spec = side == 0 ? row->own : row->others;
		if (!spec)
			continue;
		for (int k = 0; k < MX_ROLES; k++) {
			int role = order[k];
			char want[16], got[16];
			expected(spec, role, want, sizeof want);
			if (!strcmp(want, "-"))
				continue;
			struct call call;
			prepare(f, row, role, side == 0, &call);
			struct response *r = send_call(&call, rt);
			verdict(r, got, sizeof got);
			const char *hdr = security_headers_problem(r);
			if (strcmp(want, got) || hdr) {
				buf_printf(report, "%-6s %-46s %-11s %-6s %-5s %-5s %ld%s%s\n", row->method, call.path,
					   role_names[role], side == 0 ? "own" : "others", want, got, r->status,
					   hdr ? " headers: " : "", hdr ? hdr : "");
				bad++;
			}
			response_free(r);
			client_free(call.owned);
		}
	}
	return bad;
}

Test(matrix, covers_every_route)
{
	buf report = BUF_INIT;
	for (int i = 0; i < routes_count; i++) {
		bool found = false;
		for (int j = 0; j < matrix_count && !found; j++)
			found = !strcmp(routes[i].method, matrix[j].method) &&
				!strcmp(routes[i].pattern, matrix[j].pattern);
		if (!found)
			buf_printf(&report, "  no row for   %s %s\n", routes[i].method, routes[i].pattern);
	}
	for (int j = 0; j < matrix_count; j++) {
		if (!route_of(&matrix[j]))
			buf_printf(&report, "  no route for %s %s\n", matrix[j].method, matrix[j].pattern);
		for (int side = 0; side < 2; side++) {
			const char *spec = side ? matrix[j].others : matrix[j].own;
			char w[16];
			for (int role = 0; spec && role < MX_ROLES; role++) {
				expected(spec, role, w, sizeof w);
				if (strcmp(w, "ok") && strcmp(w, "auth") && strcmp(w, "deny") && strcmp(w, "hide") &&
				    strcmp(w, "-"))
					buf_printf(&report, "  bad word \"%s\" in %s %s\n", w, matrix[j].method,
						   matrix[j].pattern);
			}
		}
	}
	if (report.len)
		cr_log_error("the access matrix (tests/integration/matrix.c) and the route table differ:\n%s",
			     report.data);
	cr_assert_eq(report.len, 0, "the matrix does not match routes.c (see above)");
	buf_free(&report);
}

Test(matrix, every_route_every_caller, .timeout = 180)
{
	struct fixture f;
	fixture_make(&f);
	buf report = BUF_INIT;
	int bad = 0;
	/* Safe rows first: the unsafe ones may change the shared objects. */
	for (int pass = 0; pass < 2; pass++)
		for (int j = 0; j < matrix_count; j++)
			if ((strcmp(matrix[j].method, "GET") == 0) == (pass == 0))
				bad += run_row(&f, &matrix[j], &report);
	if (bad)
		cr_log_error("%d answers differ from the access matrix (tests/integration/matrix.c):\n"
			     "%-6s %-46s %-11s %-6s %-5s %-5s %s\n%s",
			     bad, "method", "path", "caller", "object", "want", "got", "status", report.data);
	buf_free(&report);
	fixture_free(&f);
	cr_assert_eq(bad, 0, "%d answers differ from the access matrix (see the table above)", bad);
}
