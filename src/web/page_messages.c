/*
 * page_messages.c — message threads on the HTML pages.  The rules (who is
 * in a thread, when it is closed, who is told) are api_messages.c's; this
 * file renders them.  A form posts to …/messages and is sent back (303) to
 * the thread's anchor, with ?message=CODE when the message was refused.
 */
#include "web/page_messages.h"
#include "api/api_messages.h"
#include "domain/booking.h"
#include "web/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Refusals a form can come back with: ?message=CODE → msgid. */
static const struct { const char *code, *message; } refusals[] = {
	{ "empty", N_("Write a message.") },
	{ "long", N_("Write at most 4000 characters.") },
	{ "text", N_("Write plain text only.") },
	{ "closed", N_("This conversation is closed to new messages.") },
	{ "error", N_("Something went wrong on our side. Please try again.") },
};

/* when: a moment in the page's language, Asia/Riyadh. */
static json_t *when(request *r, int64_t t)
{
	buf b = BUF_INIT;
	i18n_format_date(r->lang, (time_t)t, true, &b);
	json_t *s = json_string(b.data ? b.data : "");
	buf_free(&b);
	return s;
}

/* thread_ctx: the thread's messages (after ?after=), the form and any refusal;
 * marks what is shown read.  NULL when it cannot be read. */
static json_t *thread_ctx(request *r, const struct thread *t)
{
	int64_t after = 0;
	const char *a = req_query(r, "after");
	if (a)
		after = strtoll(a, NULL, 10) > 0 ? strtoll(a, NULL, 10) : 0;
	struct message *list = NULL;
	int n = 0;
	bool more = false;
	struct outcome o;
	thread_read(r, t, after, MESSAGE_PAGE_MAX, &list, &n, &more, &o);
	if (o.status != 200) {
		outcome_clear(&o);
		return NULL;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		bool mine = list[i].author_id && list[i].author_id == r->user->id;
		const char *author = list[i].author_id && list[i].author_name[0] ? list[i].author_name
										     : tr(r, N_("A former member"));
		json_array_append_new(items, json_pack("{s:I, s:s, s:b, s:s, s:o}", "id", (json_int_t)list[i].id,
						       "author", author, "mine", mine, "body", list[i].body,
						       "when", when(r, list[i].created_at)));
	}
	bool app = strcmp(t->kind, "application") == 0;
	char post_to[64], more_link[96];
	snprintf(post_to, sizeof post_to, "/%s/%lld/messages", app ? "applications" : "requests", (long long)t->id);
	json_t *ctx = json_pack("{s:s, s:I, s:s, s:o, s:b}", "kind", t->kind, "id", (json_int_t)t->id, "post_to",
				post_to, "items", items, "can_post", t->open);
	if (more && n > 0) {
		snprintf(more_link, sizeof more_link, "/%s/%lld?after=%lld#messages", app ? "applications" : "requests",
			 (long long)t->id, (long long)list[n - 1].id);
		json_object_set_new(ctx, "more_link", json_string(more_link));
	}
	const char *refused = req_query(r, "message");
	for (size_t i = 0; refused && i < sizeof refusals / sizeof refusals[0]; i++)
		if (strcmp(refusals[i].code, refused) == 0)
			json_object_set_new(ctx, "message_error", json_string(tr(r, refusals[i].message)));
	messages_free(list, n);
	return ctx;
}

void page_messages_attach(request *r, const char *kind, int64_t id, json_t *ctx)
{
	struct thread t;
	struct outcome o;
	thread_open(r, kind, id, &t, &o);
	if (o.status != 200) {
		outcome_clear(&o);
		return;
	}
	json_t *thread = thread_ctx(r, &t);
	if (thread)
		json_object_set_new(ctx, "thread", thread);
	thread_free(&t);
}

/* not_found_or_error: the page for a thread that could not be opened. */
static void not_found_or_error(request *r, struct outcome *o, const char *kind)
{
	bool missing = o->status == 404;
	outcome_clear(o);
	if (missing)
		respond_error(r, 404, "not_found", strcmp(kind, "request") == 0 ? N_("There is no such help request.")
						  : N_("There is nothing at this address."), NULL);
	else
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
}

void page_application_thread(request *r)
{
	int64_t id;
	struct thread t;
	struct outcome o = { 0 };
	if (!req_param_id(r, 0, &id))
		o.status = 404;
	else
		thread_open(r, "application", id, &t, &o);
	if (o.status != 200) {
		not_found_or_error(r, &o, "application");
		return;
	}
	json_t *ctx = page_form_ctx(r, N_("Application"));
	bool applicant = t.applicant_id == r->user->id;
	char back[64];
	if (applicant)
		snprintf(back, sizeof back, "/me/applications");
	else
		snprintf(back, sizeof back, "/opportunities/%lld/applicants", (long long)t.opportunity_id);
	json_object_set_new(ctx, "application",
			    json_pack("{s:I, s:I, s:s, s:s, s:s, s:b, s:s}", "id", (json_int_t)t.id, "opportunity_id",
				      (json_int_t)t.opportunity_id, "opportunity_title", t.title, "applicant",
				      t.applicant_name, "status_label", tr(r, application_status_label(t.status)), "is_applicant",
				      applicant, "back", back));
	json_t *thread = thread_ctx(r, &t);
	thread_free(&t);
	if (!thread) {
		json_decref(ctx);
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	json_object_set_new(ctx, "thread", thread);
	respond_page(r, 200, "messages_application", ctx);
}

/* post_form: the form's message into thread (kind, path id), then back to the thread. */
static void post_form(request *r, const char *kind)
{
	int64_t id;
	struct thread t;
	struct outcome o = { 0 };
	if (!req_param_id(r, 0, &id))
		o.status = 404;
	else
		thread_open(r, kind, id, &t, &o);
	if (o.status != 200) {
		not_found_or_error(r, &o, kind);
		return;
	}
	int64_t message_id = 0;
	thread_post(r, &t, req_str(r, "body"), &message_id, &o);
	const char *code = NULL;
	if (o.status == 422) {
		const char *why = json_string_value(json_object_get(o.fields, "body"));
		code = why && strcmp(why, tr(r, N_("Write a message."))) == 0 ? "empty"
		       : why && strcmp(why, tr(r, N_("Write plain text only."))) == 0 ? "text" : "long";
	} else if (o.status == 409) {
		code = "closed";
	} else if (o.status != 201) {
		code = "error";
	}
	outcome_clear(&o);
	char location[128];
	bool app = strcmp(kind, "application") == 0;
	if (code)
		snprintf(location, sizeof location, "/%s/%lld?message=%s#message-form", app ? "applications" : "requests",
			 (long long)t.id, code);
	else
		snprintf(location, sizeof location, "/%s/%lld#message-%lld", app ? "applications" : "requests",
			 (long long)t.id, (long long)message_id);
	thread_free(&t);
	respond_redirect(r, location);
}

void page_application_message_post(request *r) { post_form(r, "application"); }
void page_request_message_post(request *r) { post_form(r, "request"); }

void page_messages(request *r)
{
	bool moderator = r->user->roles & (ROLE_MODERATOR | ROLE_ADMIN);
	struct message_thread *list = NULL;
	int n = 0;
	bool more = false;
	int64_t before = 0;
	const char *b = req_query(r, "before");
	if (b)
		before = strtoll(b, NULL, 10) > 0 ? strtoll(b, NULL, 10) : 0;
	if (store_message_threads(req_db(r), r->user->id, moderator, before, PAGE_MAX_LIMIT, &list, &n, &more) != DB_OK) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	json_t *ctx = page_ctx(r, N_("Messages"));
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		bool app = strcmp(list[i].kind, "application") == 0;
		char link[64];
		snprintf(link, sizeof link, "/%s/%lld#messages", app ? "applications" : "requests",
			 (long long)list[i].thread_id);
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:I, s:o}", "link", link, "title", list[i].title,
						       "kind_label", tr(r, app ? N_("Application") : N_("Help request")),
						       "unread", (json_int_t)list[i].unread, "when", when(r, list[i].last_at)));
	}
	json_object_set_new(ctx, "threads", items);
	if (more && n > 0) {
		char next[48];
		snprintf(next, sizeof next, "/messages?before=%lld", (long long)list[n - 1].last_id);
		json_object_set_new(ctx, "next", json_string(next));
	}
	message_threads_free(list, n);
	respond_page(r, 200, "messages", ctx);
}
