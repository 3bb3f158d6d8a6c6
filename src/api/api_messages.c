/*
 * api_messages.c — message threads per application and per help request:
 * the rules shared with the pages (who is in a thread, when it is closed,
 * who is told) and the JSON handlers.  See api_messages.h.
 */
#include "api/api_messages.h"
#include "auth/notify.h"
#include "core/log.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "domain/profile.h"
#include "store/applications.h"
#include "store/help.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void fail(struct outcome *o, int status, const char *code, const char *message)
{
	o->status = status;
	o->code = code;
	o->message = message;
}

void thread_free(struct thread *t)
{
	free(t->title);
	free(t->applicant_name);
	t->title = t->applicant_name = NULL;
}

/* open_application: the applicant and the organisation's members are in. */
static int open_application(request *r, int64_t id, struct thread *t)
{
	struct application a;
	int st = store_application_get(req_db(r), id, &a);
	if (st != DB_OK)
		return st;
	if (a.user_id != r->user->id && !store_is_org_member(req_db(r), a.org_id, r->user->id)) {
		application_free(&a);
		return STORE_NOT_FOUND;
	}
	t->title = xstrdup(a.opportunity_title ? a.opportunity_title : "");
	t->applicant_name = xstrdup(a.user_name ? a.user_name : "");
	t->opportunity_id = a.opportunity_id;
	t->applicant_id = a.user_id;
	snprintf(t->status, sizeof t->status, "%s", a.status);
	t->open = strcmp(a.status, "withdrawn") != 0 && strcmp(a.status, "declined") != 0 &&
		  strcmp(a.status, "cancelled") != 0;
	application_free(&a);
	return DB_OK;
}

/* open_request: the request's circle is in (store_help_summary says 404 to
 * anyone else); closed some time after it was resolved. */
static int open_request(request *r, int64_t id, struct thread *t)
{
	struct help_request h;
	int st = store_help_summary(req_db(r), id, r->user->id, r->user->roles, &h);
	if (st != DB_OK)
		return st;
	t->title = xstrdup(h.title ? h.title : "");
	snprintf(t->status, sizeof t->status, "%s", h.status);
	bool done = strcmp(h.status, "resolved") == 0 || strcmp(h.status, "closed") == 0;
	int64_t since = h.resolved_at ? h.resolved_at : h.updated_at;
	t->open = !done || since > (int64_t)time(NULL) - MESSAGE_CLOSED_GRACE;
	t->log_reads = h.circle == HELP_MODERATOR;
	help_request_free(&h);
	return DB_OK;
}

void thread_open(request *r, const char *kind, int64_t id, struct thread *t, struct outcome *o)
{
	memset(t, 0, sizeof *t);
	memset(o, 0, sizeof *o);
	snprintf(t->kind, sizeof t->kind, "%s", kind);
	t->id = id;
	bool app = strcmp(kind, "application") == 0;
	snprintf(t->link, sizeof t->link, "/%s/%lld#messages", app ? "applications" : "requests", (long long)id);
	int st = app ? open_application(r, id, t) : open_request(r, id, t);
	if (st == DB_OK) {
		o->status = 200;
	} else if (st == STORE_NOT_FOUND) {
		fail(o, 404, "not_found", app ? N_("There is nothing at this address.") : N_("There is no such help request."));
	} else {
		fail(o, 500, "internal", N_("Something went wrong on our side. Please try again."));
	}
	if (o->status != 200)
		thread_free(t);
}

/* trimmed: a copy of s without leading and trailing white space. */
static char *trimmed(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return xstrndup(s, n);
}

/* tell_others: a notification for every participant but the author, in the
 * caller's transaction.  The ids are returned for the e-mails. */
static int tell_others(request *r, const struct thread *t, int64_t now, int64_t **ids, int *n)
{
	int st = store_message_participants(req_db(r), t->kind, t->id, ids, n);
	const char *notice = strcmp(t->kind, "application") == 0 ? "message_application" : "message_request";
	json_t *params = json_pack("{s:s}", "title", t->title);
	for (int i = 0; st == DB_OK && i < *n; i++)
		if ((*ids)[i] != r->user->id)
			st = notify_create(req_db(r), (*ids)[i], notice, params, t->link, now);
	json_decref(params);
	return st;
}

/* mail_others: e-mail the others who were not mailed about this thread in
 * the last hour.  A help-request thread's e-mail names its number only. */
static void mail_others(request *r, const struct thread *t, const int64_t *ids, int n, int64_t now)
{
	bool app = strcmp(t->kind, "application") == 0;
	char number[32];
	snprintf(number, sizeof number, "#%lld", (long long)t->id);
	json_t *params = json_pack("{s:s}", "title", app ? t->title : number);
	for (int i = 0; i < n; i++) {
		bool due = false;
		if (ids[i] == r->user->id ||
		    store_message_mail_claim(req_db(r), ids[i], t->kind, t->id, now, MESSAGE_MAIL_WINDOW, &due) != DB_OK ||
		    !due)
			continue;
		notify_mail(r->app, req_db(r), ids[i], app ? "message_application" : "message_request", params, t->link);
	}
	json_decref(params);
}

void thread_post(request *r, const struct thread *t, const char *body, int64_t *id, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	char *text = trimmed(body ? body : "");
	long len = profile_utf8_length(text, true);
	if (len < 1 || len > MESSAGE_BODY_MAX) {
		o->fields = json_pack("{s:s}", "body", tr(r, len < 0 ? N_("Write plain text only.")
							 : len == 0 ? N_("Write a message.")
							 : N_("Write at most 4000 characters.")));
		fail(o, 422, "invalid", N_("Some fields need your attention."));
		free(text);
		return;
	}
	if (!t->open) {
		fail(o, 409, "wrong_state", N_("This conversation is closed to new messages."));
		free(text);
		return;
	}
	int64_t now = time(NULL), *ids = NULL;
	int n = 0;
	int st = db_begin(req_db(r), true);
	if (st == DB_OK)
		st = store_message_post(req_db(r), t->kind, t->id, r->user->id, text, now, id);
	if (st == DB_OK)
		st = tell_others(r, t, now, &ids, &n);
	if (st == DB_OK)
		st = db_commit(req_db(r));
	else
		db_rollback(req_db(r));
	free(text);
	if (st != DB_OK) {
		free(ids);
		if (st == DB_BUSY)
			fail(o, 503, "unavailable", N_("The service is busy. Please try again in a moment."));
		else
			fail(o, 500, "internal", N_("Something went wrong on our side. Please try again."));
		return;
	}
	mail_others(r, t, ids, n, now);
	free(ids);
	o->status = 201;
}

void thread_read(request *r, const struct thread *t, int64_t after, int limit, struct message **list, int *n,
		 bool *more, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	int64_t now = time(NULL);
	int st = DB_OK;
	if (t->log_reads)
		st = store_message_log_read(req_db(r), t->id, r->user->id, r->client_addr, now);
	if (st == DB_OK)
		st = store_messages_list(req_db(r), t->kind, t->id, after, limit, list, n, more);
	if (st == DB_OK && *n > 0)
		st = store_messages_mark_read(req_db(r), r->user->id, t->kind, t->id, (*list)[*n - 1].id);
	if (st != DB_OK) {
		messages_free(*list, *n);
		*list = NULL;
		*n = 0;
		fail(o, 500, "internal", N_("Something went wrong on our side. Please try again."));
		return;
	}
	o->status = 200;
}

json_t *message_json(const struct message *m, int64_t reader_id)
{
	return json_pack("{s:I, s:{s:o, s:s}, s:s, s:o, s:b}", "id", (json_int_t)m->id, "author", "id",
			 m->author_id ? json_integer(m->author_id) : json_null(), "name", m->author_name, "body", m->body,
			 "created_at", time_json(m->created_at), "mine", m->author_id && m->author_id == reader_id);
}

/* ---- JSON handlers ---- */

/* open_from_path: the thread of path parameter 0, or an error answer. */
static bool open_from_path(request *r, const char *kind, struct thread *t)
{
	int64_t id;
	struct outcome o = { 0 };
	if (!req_param_id(r, 0, &id))
		fail(&o, 404, "not_found", N_("There is nothing at this address."));
	else
		thread_open(r, kind, id, t, &o);
	if (o.status == 200)
		return true;
	respond_outcome(r, &o);
	return false;
}

/* positive_query: ?name= as a non-negative integer (0 when absent); false if malformed. */
static bool positive_query(request *r, const char *name, int64_t *out)
{
	const char *s = req_query(r, name);
	*out = 0;
	if (!s)
		return true;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v < 0)
		return false;
	*out = v;
	return true;
}

static void list_messages(request *r, const char *kind)
{
	int64_t after;
	if (!positive_query(r, "cursor", &after)) {
		respond_error(r, 400, "malformed",
			      N_("The cursor is not valid: use next_cursor from the previous page."), NULL);
		return;
	}
	struct thread t;
	if (!open_from_path(r, kind, &t))
		return;
	struct message *list = NULL;
	int n = 0;
	bool more = false;
	struct outcome o;
	thread_read(r, &t, after, req_limit(r), &list, &n, &more, &o);
	thread_free(&t);
	if (o.status != 200) {
		respond_outcome(r, &o);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, message_json(&list[i], r->user->id));
	char next[24];
	if (more && n > 0)
		snprintf(next, sizeof next, "%lld", (long long)list[n - 1].id);
	respond_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor",
				       more && n > 0 ? json_string(next) : json_null()));
	messages_free(list, n);
}

static void post_message(request *r, const char *kind)
{
	struct thread t;
	if (!open_from_path(r, kind, &t))
		return;
	struct outcome o;
	int64_t id = 0;
	thread_post(r, &t, req_str(r, "body"), &id, &o);
	if (o.status != 201) {
		thread_free(&t);
		respond_outcome(r, &o);
		return;
	}
	struct message *list = NULL;
	int n = 0;
	bool more;
	int st = store_messages_list(req_db(r), t.kind, t.id, id - 1, 1, &list, &n, &more);
	thread_free(&t);
	if (st != DB_OK || n != 1) {
		messages_free(list, n);
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	respond_json(r, 201, json_pack("{s:o}", "message", message_json(&list[0], r->user->id)));
	messages_free(list, n);
}

void api_application_messages(request *r) { list_messages(r, "application"); }
void api_application_message_post(request *r) { post_message(r, "application"); }
void api_request_messages(request *r) { list_messages(r, "request"); }
void api_request_message_post(request *r) { post_message(r, "request"); }

void api_my_messages(request *r)
{
	int64_t before;
	if (!positive_query(r, "cursor", &before)) {
		respond_error(r, 400, "malformed",
			      N_("The cursor is not valid: use next_cursor from the previous page."), NULL);
		return;
	}
	bool moderator = r->user->roles & (ROLE_MODERATOR | ROLE_ADMIN);
	struct message_thread *list = NULL;
	int n = 0;
	bool more = false;
	int64_t total = 0;
	int st = store_message_threads(req_db(r), r->user->id, moderator, before, req_limit(r), &list, &n, &more);
	if (st == DB_OK)
		st = store_messages_unread_total(req_db(r), r->user->id, moderator, &total);
	if (st != DB_OK) {
		message_threads_free(list, n);
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:s, s:I, s:s, s:I, s:o}", "thread_kind", list[i].kind,
						       "thread_id", (json_int_t)list[i].thread_id, "title", list[i].title,
						       "unread", (json_int_t)list[i].unread, "last_at",
						       time_json(list[i].last_at)));
	char next[24];
	if (more && n > 0)
		snprintf(next, sizeof next, "%lld", (long long)list[n - 1].last_id);
	respond_json(r, 200, json_pack("{s:o, s:o, s:I}", "items", items, "next_cursor",
				       more && n > 0 ? json_string(next) : json_null(), "unread_total", (json_int_t)total));
	message_threads_free(list, n);
}
