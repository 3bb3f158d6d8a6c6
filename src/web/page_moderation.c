/*
 * page_moderation.c — the moderators' dashboard (pending organisations and
 * credentials, each with approve and reject forms), their decisions, and
 * the audit log.
 */
#include "web/page_moderation.h"
#include "web/pages.h"
#include "auth/moderation.h"
#include "auth/notify.h"
#include "web/page_help_triage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define QUEUE_PAGE 50

/* The notices a decision may come back with (?done=…): never echoed text. */
static const struct { const char *key; const char *msgid; } notices[] = {
	{ "credential-approved", N_("The credential has been approved and its owner told.") },
	{ "credential-rejected", N_("The credential has been rejected and its owner told why.") },
	{ "org-approved", N_("The organisation has been verified and its owners told.") },
	{ "org-rejected", N_("The organisation has been rejected and its owners told why.") },
	{ "request-routed", N_("The help request has been sent to the organisation and its members told.") },
};

/* Actions of the audit log shown in words; others are shown as they are. */
static const struct { const char *action; const char *msgid; } actions[] = {
	{ "account.erase", N_("Erased their account") },
	{ "account.export", N_("Downloaded their data") },
	{ "credential.approve", N_("Approved a credential") },
	{ "credential.reject", N_("Rejected a credential") },
	{ "credential.upload", N_("Uploaded a credential") },
	{ "org.approve", N_("Verified an organisation") },
	{ "org.reject", N_("Rejected an organisation") },
	{ "request.decline", N_("Handed a help request back to the moderators") },
	{ "request.route", N_("Sent a help request to an organisation") },
	{ "request.triage", N_("Reviewed a help request") },
};

static json_t *date_string(request *r, int64_t t, bool with_time)
{
	buf b = BUF_INIT;
	i18n_format_date(r->lang, (time_t)t, with_time, &b);
	json_t *s = json_string(b.data);
	buf_free(&b);
	return s;
}

static json_t *credential_queue(request *r)
{
	struct credential_record *list = NULL;
	int n = 0;
	bool more = false;
	json_t *items = json_array();
	if (store_credentials_by_status(req_db(r), "pending", 0, QUEUE_PAGE, &list, &n, &more) != DB_OK)
		return items;
	for (int i = 0; i < n; i++) {
		json_t *item = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)list[i].id, "owner",
					 list[i].owner_name, "kind", credential_kind_label(r->lang, list[i].kind),
					 "issuer", list[i].issuer, "number", list[i].number, "file_name",
					 list[i].file_name);
		json_object_set_new(item, "date", date_string(r, list[i].created_at, false));
		json_array_append_new(items, item);
	}
	credential_records_free(list, n);
	return items;
}

static json_t *org_queue(request *r)
{
	struct org_review *list = NULL;
	int n = 0;
	bool more = false;
	json_t *items = json_array();
	if (store_orgs_by_status(req_db(r), "pending", 0, QUEUE_PAGE, &list, &n, &more) != DB_OK)
		return items;
	for (int i = 0; i < n; i++) {
		json_t *item = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)list[i].id,
					 "name", list[i].name, "name_en", list[i].name_en, "kind", list[i].kind,
					 "registration_no", list[i].registration_no, "city", list[i].city,
					 "description", list[i].description, "website", list[i].website, "owner",
					 list[i].owner_name);
		json_object_set_new(item, "date", date_string(r, list[i].created_at, false));
		json_array_append_new(items, item);
	}
	org_reviews_free(list, n);
	return items;
}

/* render_dashboard: the two queues, with a notice or an error on top. */
static void render_dashboard(request *r, int status, const char *error)
{
	json_t *ctx = page_form_ctx(r, N_("Moderation"));
	int64_t orgs = 0, creds = 0;
	store_org_count(req_db(r), "pending", &orgs);
	store_credential_count(req_db(r), "pending", &creds);
	json_object_set_new(ctx, "org_count", json_integer(orgs));
	json_object_set_new(ctx, "credential_count", json_integer(creds));
	json_object_set_new(ctx, "orgs", org_queue(r));
	json_object_set_new(ctx, "credentials", credential_queue(r));
	page_help_triage_moderation(r, ctx); /* help requests waiting for an organisation */
	const char *done = req_query(r, "done");
	for (size_t i = 0; done && i < sizeof notices / sizeof notices[0]; i++)
		if (strcmp(done, notices[i].key) == 0)
			json_object_set_new(ctx, "notice", json_string(tr(r, notices[i].msgid)));
	if (error)
		json_object_set_new(ctx, "error", json_string(error));
	respond_page(r, status, "moderation", ctx);
}

void page_moderation(request *r)
{
	render_dashboard(r, 200, NULL);
}

/* decide: the shared body of both decision forms (decision=approve|reject, reason). */
static void decide(request *r, bool is_org)
{
	int64_t id;
	if (!req_param_id(r, 0, &id)) {
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	const char *decision = req_str(r, "decision");
	bool approve = decision && strcmp(decision, "approve") == 0;
	bool given = approve || (decision && strcmp(decision, "reject") == 0);
	struct outcome o;
	if (is_org)
		moderation_decide_org(r, id, given, approve, req_str(r, "reason"), &o);
	else
		moderation_decide_credential(r, id, given, approve, req_str(r, "reason"), &o);
	if (o.status == 200) {
		char location[64];
		snprintf(location, sizeof location, "/moderation?done=%s-%s", is_org ? "org" : "credential",
			 approve ? "approved" : "rejected");
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

/* query_id: a positive integer query argument, or 0. */
static int64_t query_id(request *r, const char *name)
{
	const char *s = req_query(r, name);
	if (!s || !*s)
		return 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	return *end || v <= 0 ? 0 : v;
}

void page_moderation_audit(request *r)
{
	int64_t before = query_id(r, "before"), after = query_id(r, "after");
	struct audit_entry *list = NULL;
	int n = 0;
	bool more = false, older = false, newer = false;
	int st;
	if (after) {
		st = store_audit_newer(req_db(r), after, PAGE_DEFAULT_LIMIT, &list, &n, &more);
		newer = more;
		older = true;
	} else {
		st = store_audit_list(req_db(r), before, PAGE_DEFAULT_LIMIT, &list, &n, &more);
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
		const char *what = list[i].action;
		for (size_t k = 0; k < sizeof actions / sizeof actions[0]; k++)
			if (strcmp(actions[k].action, what) == 0)
				what = tr(r, actions[k].msgid);
		json_t *item = json_pack("{s:s, s:s, s:s, s:s, s:s}", "who",
					 list[i].actor_id ? list[i].actor_name : tr(r, N_("(someone no longer here)")),
					 "what", what, "action", list[i].action, "target", list[i].target, "why",
					 list[i].detail);
		json_object_set_new(item, "when", date_string(r, list[i].at, true));
		json_array_append_new(items, item);
	}
	if (n > 0 && older)
		json_object_set_new(ctx, "older", json_integer(list[n - 1].id));
	if (n > 0 && newer)
		json_object_set_new(ctx, "newer", json_integer(list[0].id));
	audit_entries_free(list, n);
	json_object_set_new(ctx, "has_items", json_boolean(json_array_size(items) > 0));
	json_object_set_new(ctx, "items", items);
	respond_page(r, 200, "moderation_audit", ctx);
}
