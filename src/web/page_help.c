/*
 * page_help.c — the HTML faces of help/help_flow.c: templates help_form,
 * help_request and help_list.  Forms post back and, when something needs
 * fixing, the page is shown again with the reasons.
 */
#include "web/page_help.h"
#include "web/page_messages.h"
#include "web/page_help_triage.h"
#include "store/help_triage.h"
#include "web/pages.h"
#include "help/help_flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const domain_order[] = { "health", "education", "law", "engineering", "technology", "arts_media" };

static const struct { const char *value; const char *label; } urgencies[] = {
	{ "low", N_("Low: it can wait a few weeks") },
	{ "normal", N_("Normal: within a week or two") },
	{ "urgent", N_("Urgent: as soon as possible") },
}, statuses[] = {
	{ "new", N_("New") },
	{ "triaged", N_("Being reviewed") },
	{ "assigned", N_("Specialist assigned") },
	{ "booked", N_("Session booked") },
	{ "resolved", N_("Resolved") },
	{ "closed", N_("Closed") },
}, modes[] = {
	{ "video", N_("Video call") },
	{ "phone", N_("Phone call") },
	{ "in_person", N_("In person") },
}, urgency_short[] = {
	{ "low", N_("Low") },
	{ "normal", N_("Normal") },
	{ "urgent", N_("Urgent") },
};

#define LABEL(table, value) label_of(table, sizeof table / sizeof table[0], value)

static const char *label_of(const void *table, size_t n, const char *value)
{
	const struct { const char *value; const char *label; } *t = table;
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].value, value) == 0)
			return t[i].label;
	return value;
}

/* with_outcome: an outcome's message and field reasons into a context. */
static void with_outcome(request *r, json_t *ctx, struct outcome *o)
{
	json_object_set_new(ctx, "error", json_string(tr(r, o->message)));
	if (o->fields)
		json_object_set(ctx, "fields", o->fields);
	outcome_clear(o);
}

/* ---- the form ---- */

static void render_form(request *r, int status, const struct help_input *in, struct outcome *o)
{
	json_t *ctx = page_form_ctx(r, N_("Ask for help"));
	const char *domain = in && in->domain ? in->domain : req_query(r, "domain");
	json_t *list = json_array();
	for (size_t i = 0; i < sizeof domain_order / sizeof domain_order[0]; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", domain_order[i], "label",
						      tr(r, help_domain_label(domain_order[i])), "selected",
						      domain && strcmp(domain, domain_order[i]) == 0));
	json_object_set_new(ctx, "domains", list);
	const char *urgency = in && in->urgency ? in->urgency : "normal";
	list = json_array();
	for (size_t i = 0; i < sizeof urgencies / sizeof urgencies[0]; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", urgencies[i].value, "label",
						      tr(r, urgencies[i].label), "checked",
						      strcmp(urgency, urgencies[i].value) == 0));
	json_object_set_new(ctx, "urgencies", list);
	struct help_person *orgs = NULL;
	int n = 0;
	list = json_array();
	if (r->user && store_help_verified_orgs(req_db(r), &orgs, &n) == DB_OK) {
		for (int i = 0; i < n; i++) {
			char id[24];
			snprintf(id, sizeof id, "%lld", (long long)orgs[i].id);
			json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "id", id, "name", orgs[i].name, "selected",
							      in && in->org_id && strcmp(in->org_id, id) == 0));
		}
		help_people_free(orgs, n);
	}
	json_object_set_new(ctx, "orgs", list);
	json_object_set_new(ctx, "form_title", json_string(in && in->title ? in->title : ""));
	json_object_set_new(ctx, "details", json_string(in && in->details ? in->details : ""));
	json_object_set_new(ctx, "city", json_string(in && in->city ? in->city : ""));
	if (o)
		with_outcome(r, ctx, o);
	respond_page(r, status, "help_form", ctx);
}

void page_help_form(request *r)
{
	render_form(r, 200, NULL, NULL);
}

void page_help_submit(request *r)
{
	struct help_input in = {
		.domain = req_str(r, "domain"),
		.title = req_str(r, "title"),
		.details = req_str(r, "details"),
		.city = req_str(r, "city"),
		.urgency = req_str(r, "urgency"),
		.org_id = req_str(r, "org_id"),
	};
	struct outcome o;
	int64_t id = 0;
	help_create(r, &in, &id, &o);
	if (o.status != 201) {
		render_form(r, o.status, &in, &o);
		return;
	}
	char location[48];
	snprintf(location, sizeof location, "/requests/%lld?sent=1", (long long)id);
	respond_redirect(r, location);
}

/* ---- one request ---- */

/* when_json: {date, hijri, time} of a moment, in the page's language. */
static json_t *when_json(request *r, int64_t t)
{
	buf date = BUF_INIT, hijri = BUF_INIT;
	i18n_format_date(r->lang, (time_t)t, true, &date);
	i18n_format_hijri(r->lang, (time_t)t, &hijri);
	json_t *o = json_pack("{s:s, s:s}", "date", date.data ? date.data : "", "hijri", hijri.data ? hijri.data : "");
	buf_free(&date);
	buf_free(&hijri);
	return o;
}

/* request_ctx: the page context of a request the reader may see. */
static json_t *request_ctx(request *r, const struct help_request *h)
{
	json_t *ctx = page_form_ctx(r, N_("Help request"));
	json_t *req = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "id", (json_int_t)h->id, "title", h->title,
				"domain", tr(r, help_domain_label(h->domain)), "city", h->city, "urgency",
				tr(r, LABEL(urgency_short, h->urgency)), "status", tr(r, LABEL(statuses, h->status)),
				"details", h->details ? h->details : "", "created", when_json(r, h->created_at));
	if (h->org_id)
		json_object_set_new(req, "org", json_pack("{s:I, s:s}", "id", (json_int_t)h->org_id, "name", h->org_name));
	if (h->specialist_id)
		json_object_set_new(req, "specialist", json_pack("{s:I, s:s}", "id", (json_int_t)h->specialist_id,
								 "name", h->specialist_name));
	if (h->session_starts_at) {
		json_t *s = when_json(r, h->session_starts_at);
		buf end = BUF_INIT;
		i18n_format_date(r->lang, (time_t)h->session_ends_at, true, &end);
		json_object_set_new(s, "ends", json_string(end.data ? end.data : ""));
		json_object_set_new(s, "mode", json_string(tr(r, LABEL(modes, h->session_mode))));
		buf_free(&end);
		json_object_set_new(req, "session", s);
	}
	if (h->rating)
		json_object_set_new(req, "rating", json_pack("{s:i, s:s}", "stars", h->rating, "comment", h->rating_comment));
	json_object_set_new(ctx, "request", req);

	bool closed = !strcmp(h->status, "resolved") || !strcmp(h->status, "closed");
	bool can_assign = !closed && (h->circle & (HELP_ORG_MEMBER | HELP_MODERATOR));
	json_object_set_new(ctx, "can_assign", json_boolean(can_assign));
	if (can_assign) {
		struct help_person *people = NULL;
		int n = 0;
		json_t *list = json_array();
		if (store_help_specialists_for(req_db(r), h->domain, &people, &n) == DB_OK) {
			for (int i = 0; i < n; i++)
				json_array_append_new(list, json_pack("{s:I, s:s, s:b, s:b}", "id", (json_int_t)people[i].id,
								      "name", people[i].name, "licensed", people[i].licensed,
								      "selected", people[i].id == h->specialist_id));
			help_people_free(people, n);
		}
		json_object_set_new(ctx, "specialists", list);
	}
	json_object_set_new(ctx, "can_book", json_boolean(!closed && h->specialist_id &&
							  (h->circle & (HELP_SPECIALIST | HELP_ORG_MEMBER))));
	json_t *mode_list = json_array();
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
		json_array_append_new(mode_list, json_pack("{s:s, s:s, s:b}", "value", modes[i].value, "label",
							   tr(r, modes[i].label), "checked", i == 0));
	json_object_set_new(ctx, "modes", mode_list);
	json_object_set_new(ctx, "can_resolve", json_boolean(!closed &&
							     (h->circle & (HELP_SPECIALIST | HELP_ORG_MEMBER | HELP_MODERATOR))));
	json_object_set_new(ctx, "can_rate", json_boolean(!strcmp(h->status, "resolved") && !h->rating &&
							  (h->circle & HELP_REQUESTER)));
	json_object_set_new(ctx, "is_requester", json_boolean(h->circle & HELP_REQUESTER));
	return ctx;
}

/* show_request: render request `id` with an optional outcome (an action that
 * needs fixing) or a notice. */
static void show_request(request *r, int64_t id, int status, struct outcome *action, const char *notice)
{
	struct help_request h;
	struct outcome o;
	help_get(r, id, &h, &o);
	if (o.status != 200) {
		if (action)
			outcome_clear(action);
		respond_error(r, o.status, o.code, o.message, NULL);
		outcome_clear(&o);
		return;
	}
	json_t *ctx = request_ctx(r, &h);
	page_help_triage_attach(r, &h, ctx); /* triage and hand-back forms (page_help_triage.c) */
	help_request_free(&h);
	if (action)
		with_outcome(r, ctx, action);
	if (notice)
		json_object_set_new(ctx, "notice", json_string(tr(r, notice)));
	page_messages_attach(r, "request", id, ctx); /* the thread (page_messages.c) */
	respond_page(r, status, "help_request", ctx);
}

void page_help_request(request *r)
{
	int64_t id;
	if (!req_param_id(r, 0, &id)) {
		respond_error(r, 404, "not_found", N_("There is no such help request."), NULL);
		return;
	}
	const char *sent = req_query(r, "sent"), *done = req_query(r, "done");
	show_request(r, id, 200, NULL,
		     sent ? N_("Your request has been sent. Only the people handling it can read the details.")
		     : done ? N_("Saved.") : NULL);
}

/* after_action: back to the request page (303) or the page with the reasons. */
static void after_action(request *r, int64_t id, struct outcome *o)
{
	if (o->status == 200) {
		char location[48];
		snprintf(location, sizeof location, "/requests/%lld?done=1", (long long)id);
		respond_redirect(r, location);
		return;
	}
	if (o->status == 404) {
		respond_error(r, 404, o->code, o->message, NULL);
		outcome_clear(o);
		return;
	}
	show_request(r, id, o->status, o, NULL);
}

void page_help_assign(request *r)
{
	int64_t id, specialist = 0;
	if (!req_param_id(r, 0, &id)) {
		respond_error(r, 404, "not_found", N_("There is no such help request."), NULL);
		return;
	}
	const char *s = req_str(r, "specialist_id");
	if (s)
		specialist = strtoll(s, NULL, 10);
	struct outcome o;
	help_assign(r, id, specialist, &o);
	after_action(r, id, &o);
}

void page_help_book(request *r)
{
	int64_t id, starts = 0, ends = 0;
	if (!req_param_id(r, 0, &id)) {
		respond_error(r, 404, "not_found", N_("There is no such help request."), NULL);
		return;
	}
	const char *date = req_str(r, "date");
	if (!help_parse_local(date, req_str(r, "start"), &starts))
		starts = 0;
	if (!help_parse_local(date, req_str(r, "end"), &ends))
		ends = 0;
	struct outcome o;
	help_book(r, id, starts, ends, req_str(r, "mode"), &o);
	after_action(r, id, &o);
}

void page_help_resolve(request *r)
{
	int64_t id;
	if (!req_param_id(r, 0, &id)) {
		respond_error(r, 404, "not_found", N_("There is no such help request."), NULL);
		return;
	}
	struct outcome o;
	help_resolve(r, id, &o);
	after_action(r, id, &o);
}

void page_help_rate(request *r)
{
	int64_t id;
	if (!req_param_id(r, 0, &id)) {
		respond_error(r, 404, "not_found", N_("There is no such help request."), NULL);
		return;
	}
	const char *s = req_str(r, "rating");
	struct outcome o;
	help_rate(r, id, s && *s >= '1' && *s <= '5' && !s[1] ? *s - '0' : 0, req_str(r, "comment"), &o);
	after_action(r, id, &o);
}

/* ---- lists ---- */

/* list_json: one titled list for help_list.html. */
static json_t *list_json(request *r, const char *heading, const char *empty, struct help_request *list, int n)
{
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		buf date = BUF_INIT;
		i18n_format_date(r->lang, (time_t)list[i].created_at, false, &date);
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:s}", "id", (json_int_t)list[i].id,
						       "title", list[i].title, "domain", tr(r, help_domain_label(list[i].domain)),
						       "status", tr(r, LABEL(statuses, list[i].status)), "urgency",
						       tr(r, LABEL(urgency_short, list[i].urgency)), "urgent",
						       strcmp(list[i].urgency, "urgent") == 0, "created", date.data ? date.data : ""));
		buf_free(&date);
	}
	help_requests_free(list, n);
	return json_pack("{s:s, s:s, s:b, s:o}", "heading", tr(r, heading), "empty", tr(r, empty), "has_items", n > 0,
			 "items", items);
}

void page_help_mine(request *r)
{
	struct help_request *mine = NULL, *assigned = NULL;
	int n_mine = 0, n_assigned = 0;
	db_conn *c = req_db(r);
	if (store_help_list_mine(c, r->user->id, 0, PAGE_MAX_LIMIT, &mine, &n_mine) != DB_OK ||
	    store_help_list_assigned(c, r->user->id, 0, PAGE_MAX_LIMIT, &assigned, &n_assigned) != DB_OK) {
		help_requests_free(mine, n_mine);
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	json_t *ctx = page_ctx(r, N_("My help requests"));
	json_t *lists = json_array();
	json_array_append_new(lists, list_json(r, N_("Requests I sent"), N_("You have not asked for help yet."),
					       mine, n_mine));
	if (n_assigned || (r->user->roles & ROLE_SPECIALIST))
		json_array_append_new(lists, list_json(r, N_("Requests assigned to me"),
						       N_("No request has been assigned to you."), assigned, n_assigned));
	else
		help_requests_free(assigned, n_assigned);
	json_object_set_new(ctx, "lists", lists);
	json_object_set_new(ctx, "can_ask", json_true());
	respond_page(r, 200, "help_list", ctx);
}

void page_help_org_queue(request *r)
{
	int64_t org_id;
	if (!req_param_id(r, 0, &org_id) || !store_help_org_member(req_db(r), org_id, r->user->id)) {
		respond_error(r, 403, "forbidden", N_("Only the organisation's members see its help requests."), NULL);
		return;
	}
	struct help_request *list = NULL;
	int n = 0;
	if (store_help_queue_org(req_db(r), org_id, PAGE_MAX_LIMIT, &list, &n) != DB_OK) { /* urgent first, then oldest */
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	json_t *ctx = page_ctx(r, N_("Help requests to triage"));
	json_t *lists = json_array();
	json_array_append_new(lists, list_json(r, N_("Requests sent to this organisation"),
					       N_("No one has asked this organisation for help yet."), list, n));
	json_object_set_new(ctx, "lists", lists);
	respond_page(r, 200, "help_list", ctx);
}
