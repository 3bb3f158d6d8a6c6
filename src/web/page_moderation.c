/*
 * page_moderation.c — the moderators' dashboard (pending organisations and
 * credentials, each with approve and reject forms, paged), their decisions,
 * the recent decisions (to reverse one), and the audit log.
 */
#include "web/page_moderation.h"
#include "web/pages.h"
#include "auth/moderation.h"
#include "auth/notify.h"
#include "web/page_help_triage.h"
#include "domain/opportunity.h"
#include "orgs/org_actions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define QUEUE_PAGE 50 /* items of each queue on one page of the dashboard */

/* The notices a decision may come back with (?done=…): never echoed text. */
static const struct { const char *key; const char *msgid; } notices[] = {
	{ "credential-approved", N_("The credential has been approved and its owner told.") },
	{ "credential-rejected", N_("The credential has been rejected and its owner told why.") },
	{ "org-approved", N_("The organisation has been verified and its owners told.") },
	{ "org-rejected", N_("The organisation has been rejected and its owners told why.") },
	{ "request-routed", N_("The help request has been sent to the organisation and its members told.") },
};

static json_t *date_string(request *r, int64_t t, bool with_time)
{
	buf b = BUF_INIT;
	i18n_format_date(r->lang, (time_t)t, with_time, &b);
	json_t *s = json_string(b.data);
	buf_free(&b);
	return s;
}

/* queue_link: the dashboard's address showing the queues from these cursors
 * (0: the first page) into out. */
static void queue_link(char *out, size_t size, int64_t orgs_after, int64_t credentials_after)
{
	int n = snprintf(out, size, "/moderation");
	const char *sep = "?";
	if (orgs_after > 0) {
		n += snprintf(out + n, size - (size_t)n, "%sorgs_after=%lld", sep, (long long)orgs_after);
		sep = "&";
	}
	if (credentials_after > 0)
		snprintf(out + n, size - (size_t)n, "%scredentials_after=%lld", sep, (long long)credentials_after);
}

/* decide_forms: the keys of templates/moderation_decide.html for item `id`
 * (an organisation or a credential) into `item`: which forms it offers, and
 * their words; `again` for a reversal from the decisions page. */
static void decide_forms(request *r, json_t *item, bool is_org, int64_t id, bool approve, bool reject, bool again)
{
	char path[64], reason_id[48];
	snprintf(path, sizeof path, "/moderation/%s/%lld", is_org ? "orgs" : "credentials", (long long)id);
	snprintf(reason_id, sizeof reason_id, "reason-%s-%lld", is_org ? "org" : "credential", (long long)id);
	const char *approve_label = is_org ? (again ? N_("Verify after all") : N_("Verify"))
					   : (again ? N_("Approve after all") : N_("Approve"));
	json_object_set_new(item, "decide_path", json_string(path));
	json_object_set_new(item, "reason_id", json_string(reason_id));
	json_object_set_new(item, "approve", json_boolean(approve));
	json_object_set_new(item, "reject", json_boolean(reject));
	json_object_set_new(item, "approve_label", json_string(tr(r, approve_label)));
	json_object_set_new(item, "reject_label", json_string(tr(r, again ? N_("Reject after all") : N_("Reject"))));
	json_object_set_new(item, "reason_label",
			    json_string(tr(r, is_org ? N_("Reason for rejecting (the owners will read it)")
						     : N_("Reason for rejecting (the owner will read it)"))));
	if (again)
		json_object_set_new(item, "back", json_string("decisions"));
}

/* credential_queue: one page of pending credentials after `after`; *next is
 * the cursor of the page after it (0: none).  The moderator's own are marked. */
static json_t *credential_queue(request *r, int64_t after, int64_t *next)
{
	struct credential_record *list = NULL;
	int n = 0;
	bool more = false;
	json_t *items = json_array();
	*next = 0;
	if (store_credentials_by_status(req_db(r), "pending", after, QUEUE_PAGE, &list, &n, &more) != DB_OK)
		return items;
	for (int i = 0; i < n; i++) {
		json_t *item = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)list[i].id, "owner",
					 list[i].owner_name, "kind", credential_kind_label(r->lang, list[i].kind),
					 "issuer", list[i].issuer, "number", list[i].number, "file_name",
					 list[i].file_name, "own", list[i].user_id == r->user->id);
		json_object_set_new(item, "date", date_string(r, list[i].created_at, false));
		decide_forms(r, item, false, list[i].id, true, true, false);
		json_array_append_new(items, item);
	}
	if (more && n > 0)
		*next = list[n - 1].id;
	credential_records_free(list, n);
	return items;
}

/* org_queue: one page of pending organisations after `after`, with the kind
 * and the city in words; those the moderator belongs to are marked. */
static json_t *org_queue(request *r, int64_t after, int64_t *next)
{
	struct org_review *list = NULL;
	int n = 0;
	bool more = false;
	json_t *items = json_array();
	*next = 0;
	if (store_orgs_by_status(req_db(r), "pending", after, QUEUE_PAGE, &list, &n, &more) != DB_OK)
		return items;
	for (int i = 0; i < n; i++) {
		const char *kind = org_kind_label(list[i].kind);
		const char *city = r->lang == LANG_AR ? list[i].city_ar : list[i].city_en;
		char role[16];
		bool member = store_org_member_role(req_db(r), list[i].id, r->user->id, role, sizeof role) == DB_OK;
		json_t *item = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id",
					 (json_int_t)list[i].id, "name", list[i].name, "name_en", list[i].name_en,
					 "kind", kind ? tr(r, kind) : list[i].kind, "registration_no",
					 list[i].registration_no, "city", *city ? city : list[i].city, "description",
					 list[i].description, "website", list[i].website, "owner", list[i].owner_name,
					 "own", member);
		json_object_set_new(item, "date", date_string(r, list[i].created_at, false));
		decide_forms(r, item, true, list[i].id, true, true, false);
		json_array_append_new(items, item);
	}
	if (more && n > 0)
		*next = list[n - 1].id;
	org_reviews_free(list, n);
	return items;
}

/* set_notice: the notice a decision came back with (?done=…), if any. */
static void set_notice(request *r, json_t *ctx)
{
	const char *done = req_query(r, "done");
	for (size_t i = 0; done && i < sizeof notices / sizeof notices[0]; i++)
		if (strcmp(done, notices[i].key) == 0)
			json_object_set_new(ctx, "notice", json_string(tr(r, notices[i].msgid)));
}

/* bad_cursor: the 400 of a paging argument that is not one of ours. */
static void bad_cursor(request *r)
{
	respond_error(r, 400, "bad_cursor", N_("The cursor is not valid: use next_cursor from the previous page."),
		      NULL);
}

/* render_dashboard: the two queues (each from its own cursor), with a
 * notice or an error on top. */
static void render_dashboard(request *r, int status, const char *error)
{
	int64_t orgs_after = req_query_id(r, "orgs_after"), creds_after = req_query_id(r, "credentials_after");
	if (orgs_after < 0 || creds_after < 0) {
		bad_cursor(r);
		return;
	}
	json_t *ctx = page_form_ctx(r, N_("Moderation"));
	int64_t orgs = 0, creds = 0, orgs_next = 0, creds_next = 0;
	store_org_count(req_db(r), "pending", &orgs);
	store_credential_count(req_db(r), "pending", &creds);
	json_object_set_new(ctx, "org_count", json_integer(orgs));
	json_object_set_new(ctx, "credential_count", json_integer(creds));
	json_object_set_new(ctx, "orgs", org_queue(r, orgs_after, &orgs_next));
	json_object_set_new(ctx, "credentials", credential_queue(r, creds_after, &creds_next));
	char link[128];
	if (orgs_next) {
		queue_link(link, sizeof link, orgs_next, creds_after);
		json_object_set_new(ctx, "orgs_next", json_string(link));
	}
	if (creds_next) {
		queue_link(link, sizeof link, orgs_after, creds_next);
		json_object_set_new(ctx, "credentials_next", json_string(link));
	}
	json_object_set_new(ctx, "paged", json_boolean(orgs_after > 0 || creds_after > 0));
	page_help_triage_moderation(r, ctx); /* help requests waiting for an organisation */
	set_notice(r, ctx);
	if (error)
		json_object_set_new(ctx, "error", json_string(error));
	respond_page(r, status, "moderation", ctx);
}

void page_moderation(request *r)
{
	render_dashboard(r, 200, NULL);
}

/* decide: the shared body of both decision forms (decision=approve|reject,
 * reason, and back=decisions when sent from the decisions page). */
static void decide(request *r, bool is_org)
{
	int64_t id;
	if (!req_param_id(r, 0, &id)) {
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	const char *decision = req_str(r, "decision"), *back = req_str(r, "back");
	bool approve = decision && strcmp(decision, "approve") == 0;
	bool given = approve || (decision && strcmp(decision, "reject") == 0);
	struct outcome o;
	if (is_org)
		moderation_decide_org(r, id, given, approve, req_str(r, "reason"), &o);
	else
		moderation_decide_credential(r, id, given, approve, req_str(r, "reason"), &o);
	if (o.status == 200) {
		char location[80];
		snprintf(location, sizeof location, "%s?done=%s-%s",
			 back && strcmp(back, "decisions") == 0 ? "/moderation/decisions" : "/moderation",
			 is_org ? "org" : "credential", approve ? "approved" : "rejected");
		respond_redirect(r, location);
		return;
	}
	if (o.status == 422) {
		/* One form, one reason: show the first field's reason on the dashboard. */
		const char *key;
		json_t *value;
		const char *text = tr(r, o.message);
		json_object_foreach(o.fields, key, value) {
			text = json_string_value(value);
			break;
		}
		render_dashboard(r, 422, text);
		outcome_clear(&o);
		return;
	}
	respond_outcome(r, &o);
}

void page_moderation_credential(request *r)
{
	decide(r, false);
}

void page_moderation_org(request *r)
{
	decide(r, true);
}

/* decision_item: the decided item of an audit entry ("credential:12",
 * "org:5") into `item`: its name, its status now and, when this is its
 * latest decision, the form that reverses it. */
static void decision_item(request *r, const struct audit_entry *e, json_t *item)
{
	long long id = 0;
	bool is_org = sscanf(e->target, "org:%lld", &id) == 1;
	if (!is_org && sscanf(e->target, "credential:%lld", &id) != 1)
		return;
	char name[512];
	const char *status;
	struct org_review o = { 0 };
	struct credential_record c = { 0 };
	if (is_org ? store_org_review_by_id(req_db(r), id, &o) != DB_OK
		   : store_credential_by_id(req_db(r), id, &c) != DB_OK)
		return; /* gone: the page says so */
	if (is_org) {
		snprintf(name, sizeof name, "%s", o.name);
		status = o.status;
	} else {
		snprintf(name, sizeof name, "%s · %s", credential_kind_label(r->lang, c.kind), c.owner_name);
		status = c.status;
	}
	bool approved = strstr(e->action, ".approve") != NULL;
	json_object_set_new(item, "name", json_string(name));
	json_object_set_new(item, "status", json_string(credential_status_label(r, status)));
	json_object_set_new(item, "badge", json_string(status_badge_class(status)));
	if (e->latest)
		decide_forms(r, item, is_org, id, !approved, approved, true);
	org_review_free(&o);
	credential_record_free(&c);
}

/* audit_item: who did what when, as both the decisions and the audit pages show it. */
static json_t *audit_item(request *r, const struct audit_entry *e)
{
	const char *what = audit_action_label(e->action);
	json_t *item = json_pack("{s:s, s:s, s:s}", "who",
				 e->actor_id ? e->actor_name : tr(r, N_("(someone no longer here)")), "what",
				 what ? tr(r, what) : e->action, "action", e->action);
	json_object_set_new(item, "when", date_string(r, e->at, true));
	return item;
}

void page_moderation_decisions(request *r)
{
	int64_t cursor;
	if (!req_cursor(r, INT64_MAX, &cursor))
		return;
	struct audit_entry *list = NULL;
	int n = 0;
	bool more = false;
	if (store_decisions_list(req_db(r), cursor, PAGE_DEFAULT_LIMIT, &list, &n, &more) != DB_OK) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	json_t *ctx = page_form_ctx(r, N_("Recent decisions"));
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		json_t *item = audit_item(r, &list[i]);
		json_object_set_new(item, "id", json_integer(list[i].id));
		json_object_set_new(item, "why", json_string(list[i].detail));
		json_object_set_new(item, "latest", json_boolean(list[i].latest));
		decision_item(r, &list[i], item);
		json_array_append_new(items, item);
	}
	if (more && n > 0)
		json_object_set_new(ctx, "older", json_integer(list[n - 1].id));
	audit_entries_free(list, n);
	json_object_set_new(ctx, "paged", json_boolean(cursor > 0));
	json_object_set_new(ctx, "items", items);
	set_notice(r, ctx);
	respond_page(r, 200, "moderation_decisions", ctx);
}

/* audit_why: the entry's detail in words where it names a kind or status. */
static const char *audit_why(request *r, const struct audit_entry *e)
{
	if (strcmp(e->action, "credential.upload") == 0)
		return credential_kind_label(r->lang, e->detail);
	const char *status = strcmp(e->action, "opportunity.status") == 0 ? opportunity_status_label(e->detail) : NULL;
	return status ? tr(r, status) : e->detail;
}

/* audit_filter_options: [{value, label, selected}] of every action for the page's <select>. */
static json_t *audit_filter_options(request *r, const char *selected)
{
	json_t *list = json_array();
	for (size_t i = 0; i < audit_actions_count; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", audit_actions[i].action, "label",
						      tr(r, audit_actions[i].label), "selected",
						      selected && strcmp(selected, audit_actions[i].action) == 0));
	return list;
}

void page_moderation_audit(request *r)
{
	int64_t before = req_query_id(r, "before"), after = req_query_id(r, "after");
	const char *action = req_query(r, "action");
	if (before < 0 || after < 0) {
		bad_cursor(r);
		return;
	}
	bool unknown = action && *action && !audit_action_filter_valid(action);
	struct audit_entry *list = NULL;
	int n = 0;
	bool more = false, older = false, newer = false;
	int st = DB_OK;
	if (unknown) {
		/* nothing to list: the page says why */
	} else if (after) {
		st = store_audit_newer(req_db(r), action, after, PAGE_DEFAULT_LIMIT, &list, &n, &more);
		newer = more;
		older = true;
	} else {
		st = store_audit_list(req_db(r), action, before, PAGE_DEFAULT_LIMIT, &list, &n, &more);
		older = more;
		newer = before > 0;
	}
	if (st != DB_OK) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	json_t *ctx = page_ctx(r, N_("Audit log"));
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		json_t *item = audit_item(r, &list[i]);
		json_object_set_new(item, "target", json_string(list[i].target));
		json_object_set_new(item, "why", json_string(audit_why(r, &list[i])));
		json_array_append_new(items, item);
	}
	if (n > 0 && older)
		json_object_set_new(ctx, "older", json_integer(list[n - 1].id));
	if (n > 0 && newer)
		json_object_set_new(ctx, "newer", json_integer(list[0].id));
	audit_entries_free(list, n);
	if (unknown)
		json_object_set_new(ctx, "error", json_string(tr(r, N_("The audit log records no such action."))));
	json_object_set_new(ctx, "filter", json_string(unknown || !action ? "" : action));
	json_object_set_new(ctx, "actions", audit_filter_options(r, action));
	json_object_set_new(ctx, "has_items", json_boolean(json_array_size(items) > 0));
	json_object_set_new(ctx, "items", items);
	respond_page(r, unknown ? 422 : 200, "moderation_audit", ctx);
}
