/*
 * page_applications.c — my applications, an opportunity's applicants per
 * shift, the apply form, and the POST forms that move an application.
 * Moves redirect back with a notice (?done=ACTION) or a refusal
 * (?refused=CODE) that the page shows in its language.
 */
#include "web/page_applications.h"
#include "api/api_applications.h"
#include "web/page_messages.h"
#include "domain/booking.h"
#include "web/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGE_LIST_MAX 500   /* applications shown on one page */

/* when: "25 November 2026 at 18:00" in the page's language, or "". */
static json_t *when(request *r, int64_t t)
{
	if (!t)
		return json_string("");
	buf b = BUF_INIT;
	i18n_format_date(r->lang, (time_t)t, true, &b);
	json_t *s = json_string(b.data ? b.data : "");
	buf_free(&b);
	return s;
}

/* with_feedback: the notice or refusal named in the query, translated. */
static void with_feedback(request *r, json_t *ctx)
{
	const char *refused = req_query(r, "refused");
	if (refused) {
		static const int results[] = { BOOK_FULL, BOOK_OVERLAP, BOOK_HOUR_CAP, BOOK_LICENCE, BOOK_WRONG_STATE,
					       BOOK_FORBIDDEN, STORE_NOT_FOUND, BOOK_DUPLICATE, DB_BUSY };
		for (size_t i = 0; i < sizeof results / sizeof results[0]; i++) {
			int status;
			const char *code, *message;
			booking_refusal(results[i], &status, &code, &message);
			if (strcmp(code, refused) == 0) {
				json_object_set_new(ctx, "error", json_string(tr(r, message)));
				break;
			}
		}
	}
	if (req_query(r, "done"))
		json_object_set_new(ctx, "notice", json_string(tr(r, N_("Done: the application has been updated."))));
	if (req_query(r, "applied"))
		json_object_set_new(ctx, "notice", json_string(tr(r, N_("Your application has been sent."))));
}

/* item_ctx: what a template shows of one application, with the moves
 * `actor` may make from its status. */
static json_t *item_ctx(request *r, const struct application *a, enum app_actor actor)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:b}",
			      "id", (json_int_t)a->id, "opportunity_id", (json_int_t)a->opportunity_id,
			      "title", a->opportunity_title, "name", a->user_name, "status", a->status,
			      "status_label", tr(r, application_status_label(a->status)), "message", a->message,
			      "decline_reason", a->decline_reason, "contest", a->no_show_contest,
			      "starts", when(r, a->shift_starts_at), "ends", when(r, a->shift_ends_at),
			      "checked_in", a->checked_in_at != 0);
	json_object_set_new(o, "messages_unread", json_integer(a->messages_unread)); /* "Messages (N unread)" */
	if (strcmp(a->status, "offered") == 0 && a->offer_expires_at) /* "held for you until …" */
		json_object_set_new(o, "held_until", when(r, a->offer_expires_at));
	enum app_status from;
	if (!booking_status_parse(a->status, &from))
		return o;
	static const enum app_action actions[] = { ACT_ACCEPT, ACT_DECLINE, ACT_WITHDRAW, ACT_WAITLIST,
						   ACT_COMPLETE, ACT_NO_SHOW, ACT_CONTEST, ACT_CHECKIN };
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
		enum app_status to;
		if (!booking_transition(from, actor, actions[i], &to))
			continue;
		if (actions[i] == ACT_CONTEST && a->no_show_contest[0])
			continue;
		if (actions[i] == ACT_CHECKIN && a->checked_in_at)
			continue;
		char key[24];
		snprintf(key, sizeof key, "can_%s", booking_action_name(actions[i]));
		for (char *p = key; *p; p++)
			if (*p == '-')
				*p = '_';
		json_object_set_new(o, key, json_true());
	}
	return o;
}

void page_my_applications(request *r)
{
	struct application *list;
	int n;
	bool more;
	if (store_applications_of_user(req_db(r), r->user->id, 0, PAGE_LIST_MAX, &list, &n, &more) != DB_OK) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	json_t *ctx = page_form_ctx(r, N_("My applications"));
	json_t *items = json_array();
	for (int i = n - 1; i >= 0; i--) /* newest first */
		json_array_append_new(items, item_ctx(r, &list[i], ACTOR_SPECIALIST));
	applications_free(list, n);
	json_object_set_new(ctx, "items", items);
	with_feedback(r, ctx);
	respond_page(r, 200, "my_applications", ctx);
}

/* load_opportunity: the opportunity of path parameter 0, or answers 404. */
static bool load_opportunity(request *r, struct booking_opportunity *o)
{
	int64_t id;
	if (!req_param_id(r, 0, &id) || store_booking_opportunity(req_db(r), id, o) != DB_OK) {
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return false;
	}
	return true;
}

/* shifts_ctx: the opportunity's shifts with places taken and left. */
static json_t *shifts_ctx(request *r, struct booking_shift *shifts, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:I, s:s, s:o, s:o, s:I, s:I, s:I, s:b, s:o}",
						   "id", (json_int_t)shifts[i].id, "role", shifts[i].role,
						   "starts", when(r, shifts[i].starts_at), "ends", when(r, shifts[i].ends_at),
						   "capacity", (json_int_t)shifts[i].capacity, "taken", (json_int_t)shifts[i].taken,
						   "left", (json_int_t)(shifts[i].capacity - shifts[i].taken),
						   "full", shifts[i].taken >= shifts[i].capacity, "applicants", json_array()));
	return a;
}

void page_applicants(request *r)
{
	struct booking_opportunity o;
	if (!load_opportunity(r, &o))
		return;
	if (!store_is_org_member(req_db(r), o.org_id, r->user->id)) {
		respond_error(r, 403, "forbidden", N_("You are not allowed to do this."), NULL);
		booking_opportunity_free(&o);
		return;
	}
	struct booking_shift *shifts = NULL;
	struct application *list = NULL;
	int nshifts = 0, n = 0;
	bool more;
	if (store_booking_shifts(req_db(r), o.id, &shifts, &nshifts) != DB_OK ||
	    store_applications_of_opportunity(req_db(r), r->user->id, o.id, 0, PAGE_LIST_MAX, &list, &n, &more) != DB_OK) {
		booking_opportunity_free(&o);
		booking_shifts_free(shifts, nshifts);
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	json_t *ctx = page_form_ctx(r, N_("Applicants"));
	json_t *groups = shifts_ctx(r, shifts, nshifts);
	json_t *unassigned = json_array();
	for (int i = 0; i < n; i++) {
		json_t *into = unassigned;
		for (int s = 0; s < nshifts; s++)
			if (shifts[s].id == list[i].shift_id)
				into = json_object_get(json_array_get(groups, (size_t)s), "applicants");
		json_array_append_new(into, item_ctx(r, &list[i], ACTOR_ORG));
	}
	char back[64];
	snprintf(back, sizeof back, "/opportunities/%lld/applicants", (long long)o.id);
	json_object_set_new(ctx, "opportunity", json_pack("{s:I, s:s}", "id", (json_int_t)o.id, "title", o.title));
	json_object_set_new(ctx, "shifts", groups);
	json_object_set_new(ctx, "has_unassigned", json_boolean(json_array_size(unassigned) > 0));
	json_object_set_new(ctx, "unassigned", unassigned);
	json_object_set_new(ctx, "none", json_boolean(n == 0));
	json_object_set_new(ctx, "back", json_string(back));
	with_feedback(r, ctx);
	applications_free(list, n);
	booking_shifts_free(shifts, nshifts);
	booking_opportunity_free(&o);
	respond_page(r, 200, "applicants", ctx);
}

/* render_apply: the apply form, with an error when one is given. */
static void render_apply(request *r, int status, const struct booking_opportunity *o, const char *error,
			 const char *message)
{
	struct booking_shift *shifts = NULL;
	int n = 0;
	store_booking_shifts(req_db(r), o->id, &shifts, &n);
	json_t *ctx = page_form_ctx(r, N_("Apply"));
	json_object_set_new(ctx, "opportunity", json_pack("{s:I, s:s}", "id", (json_int_t)o->id, "title", o->title));
	json_object_set_new(ctx, "shifts", shifts_ctx(r, shifts, n));
	json_object_set_new(ctx, "has_shifts", json_boolean(n > 0));
	json_object_set_new(ctx, "message", json_string(message ? message : ""));
	if (error)
		json_object_set_new(ctx, "error", json_string(tr(r, error)));
	booking_shifts_free(shifts, n);
	respond_page(r, status, "apply", ctx);
}

void page_apply_form(request *r)
{
	struct booking_opportunity o;
	if (!load_opportunity(r, &o))
		return;
	if (strcmp(o.status, "open") != 0) {
		int status;
		const char *code, *message;
		booking_refusal(strcmp(o.status, "draft") == 0 ? STORE_NOT_FOUND : BOOK_NOT_OPEN, &status, &code, &message);
		respond_error(r, status, code, message, NULL);
	} else {
		render_apply(r, 200, &o, NULL, NULL);
	}
	booking_opportunity_free(&o);
}

void page_apply(request *r)
{
	struct booking_opportunity o;
	if (!load_opportunity(r, &o))
		return;
	const char *shift = req_str(r, "shift_id"), *message = req_str(r, "message");
	int64_t shift_id = 0;
	char *end = NULL;
	if (shift && *shift)
		shift_id = strtoll(shift, &end, 10);
	int st;
	int64_t id;
	if ((end && *end) || shift_id < 0)
		st = BOOK_BAD_SHIFT;
	else if (message && strlen(message) > APPLICATION_MESSAGE_MAX)
		st = -100;
	else
		st = store_application_apply(req_db(r), o.id, r->user->id, shift_id, message, time(NULL), &id);
	if (st == DB_OK) {
		booking_opportunity_free(&o);
		respond_redirect(r, "/me/applications?applied=1");
		return;
	}
	if (st == -100) {
		render_apply(r, 422, &o, N_("Write at most 2000 characters."), message);
	} else if (st == BOOK_BAD_SHIFT || st == BOOK_SHIFT_NEEDED) {
		render_apply(r, 422, &o, N_("Choose one of the shifts."), message);
	} else {
		int status;
		const char *code, *msg;
		booking_refusal(st, &status, &code, &msg);
		if (status == 409)
			render_apply(r, 409, &o, msg, message);
		else
			respond_error(r, status, code, msg, NULL);
	}
	booking_opportunity_free(&o);
}

void page_application_act(request *r)
{
	int64_t id;
	enum app_action action;
	if (!req_param_id(r, 0, &id) || r->nparams < 2 || !booking_action_parse(r->params[1], &action) ||
	    action == ACT_OFFER || action == ACT_EXPIRE) {
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	const char *text = req_str(r, action == ACT_CONTEST ? "text" : "reason");
	const char *next = page_safe_next(req_str(r, "next"), "/me/applications");
	int st;
	if (text && strlen(text) > APPLICATION_MESSAGE_MAX)
		st = BOOK_WRONG_STATE;
	else if (action == ACT_CONTEST && (!text || !*text))
		st = BOOK_WRONG_STATE;
	else
		st = store_application_act(req_db(r), id, r->user->id, action, text, time(NULL));
	if (st == STORE_NOT_FOUND) {
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	int status;
	const char *code = NULL, *message;
	if (st != DB_OK)
		booking_refusal(st, &status, &code, &message);
	char *location = NULL;
	size_t len = strcspn(next, "?#");
	if (asprintf(&location, "%.*s?%s=%s", (int)len, next, st == DB_OK ? "done" : "refused",
		     st == DB_OK ? booking_action_name(action) : code) < 0) {
		respond_redirect(r, "/me/applications");
		return;
	}
	respond_redirect(r, location);
	free(location);
}
