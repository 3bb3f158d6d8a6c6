/*
 * page_help_triage.c — triage forms on the request page, the moderators'
 * queue of requests waiting for an organisation, and the form posts
 * (page_help_triage.h).  Successful posts redirect (303); refusals show the
 * error page with the reason in the reader's language.
 */
#include "web/page_help_triage.h"
#include "web/pages.h"
#include "help/help_flow.h"
#include "help/help_triage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WAITING_PAGE 50

static const struct { const char *value; const char *label; const char *short_label; } urgencies[] = {
	{ "low", N_("Low: it can wait a few weeks"), N_("Low") },
	{ "normal", N_("Normal: within a week or two"), N_("Normal") },
	{ "urgent", N_("Urgent: as soon as possible"), N_("Urgent") },
};

static const char *urgency_short(const char *value)
{
	for (size_t i = 0; i < sizeof urgencies / sizeof urgencies[0]; i++)
		if (strcmp(urgencies[i].value, value) == 0)
			return urgencies[i].short_label;
	return value;
}

void page_help_triage_attach(request *r, const struct help_request *h, json_t *ctx)
{
	bool open = help_triage_open(h->status);
	bool can_triage = open && (h->circle & (HELP_ORG_MEMBER | HELP_MODERATOR));
	json_object_set_new(ctx, "can_triage", json_boolean(can_triage));
	json_object_set_new(ctx, "can_decline", json_boolean(open && (h->circle & HELP_ORG_MEMBER)));
	if (!can_triage)
		return;
	json_t *list = json_array();
	for (size_t i = 0; i < sizeof urgencies / sizeof urgencies[0]; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", urgencies[i].value, "label",
						      tr(r, urgencies[i].label), "selected",
						      strcmp(h->urgency, urgencies[i].value) == 0));
	json_object_set_new(ctx, "triage_urgencies", list);
}

void page_help_triage_moderation(request *r, json_t *ctx)
{
	struct help_request *list = NULL;
	struct help_person *orgs = NULL;
	int n = 0, norgs = 0;
	json_t *items = json_array(), *org_list = json_array();
	if (store_help_list_unrouted(req_db(r), 0, WAITING_PAGE, &list, &n) == DB_OK) {
		for (int i = 0; i < n; i++) { /* no title, no details: the request page logs the reading */
			buf date = BUF_INIT;
			i18n_format_date(r->lang, (time_t)list[i].created_at, false, &date);
			json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:b, s:s}", "id",
							       (json_int_t)list[i].id, "domain",
							       tr(r, help_domain_label(list[i].domain)), "city", list[i].city,
							       "urgency", tr(r, urgency_short(list[i].urgency)), "urgent",
							       strcmp(list[i].urgency, "urgent") == 0, "created",
							       date.data ? date.data : ""));
			buf_free(&date);
		}
		help_requests_free(list, n);
	}
	if (store_help_verified_orgs(req_db(r), &orgs, &norgs) == DB_OK) {
		for (int i = 0; i < norgs; i++)
			json_array_append_new(org_list, json_pack("{s:I, s:s}", "id", (json_int_t)orgs[i].id, "name",
								  orgs[i].name));
		help_people_free(orgs, norgs);
	}
	json_object_set_new(ctx, "waiting_requests", items);
	json_object_set_new(ctx, "route_orgs", org_list);
}

/* request_id: the {id} of the path, or a 404 page. */
static bool request_id(request *r, int64_t *id)
{
	if (req_param_id(r, 0, id))
		return true;
	respond_error(r, 404, "not_found", N_("There is no such help request."), NULL);
	return false;
}

/* refuse: the outcome as an error page; a 422 shows its (first) field's reason. */
static void refuse(request *r, struct outcome *o)
{
	const char *text = o->message, *key;
	json_t *value;
	if (o->fields)
		json_object_foreach(o->fields, key, value) {
			text = json_string_value(value);
			break;
		}
	respond_error(r, o->status, o->code, text, NULL);
	outcome_clear(o);
}

/* redirect_to: 303 to `prefix` + id + `suffix`. */
static void redirect_to(request *r, const char *prefix, int64_t id, const char *suffix)
{
	char location[80];
	snprintf(location, sizeof location, "%s%lld%s", prefix, (long long)id, suffix);
	respond_redirect(r, location);
}

void page_help_triage_post(request *r)
{
	int64_t id;
	if (!request_id(r, &id))
		return;
	struct outcome o;
	help_triage(r, id, req_str(r, "urgency"), &o);
	if (o.status != 200)
		refuse(r, &o);
	else
		redirect_to(r, "/requests/", id, "?done=1");
}

void page_help_decline_post(request *r)
{
	int64_t id, former = 0;
	if (!request_id(r, &id))
		return;
	struct outcome o;
	help_decline(r, id, req_str(r, "reason"), &former, &o);
	if (o.status != 200)
		refuse(r, &o);
	else
		redirect_to(r, "/orgs/", former, "/requests");
}

void page_help_route_post(request *r)
{
	int64_t id;
	if (!request_id(r, &id))
		return;
	const char *s = req_str(r, "org_id");
	char *end = NULL;
	long long org = s ? strtoll(s, &end, 10) : 0;
	struct outcome o;
	help_route(r, id, s && *s && end && !*end ? org : 0, &o);
	if (o.status != 200)
		refuse(r, &o);
	else
		respond_redirect(r, "/moderation?done=request-routed");
}
