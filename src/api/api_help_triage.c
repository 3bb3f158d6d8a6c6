/*
 * api_help_triage.c — triage and routing over JSON: parse the body, call
 * one action of help/help_triage.c, answer 200 with the request as the
 * caller may see it now (no details).  And the moderators' queue of
 * requests waiting for an organisation, which never carries a title or
 * details: a moderator opens the request itself to read them (logged).
 */
#include "api/api_help_triage.h"
#include "help/help_flow.h"
#include "api/api_help.h"
#include "help/help_triage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* body_text: a string member of the JSON body; "\x01" (never valid) when the
 * member is there but not a string, NULL when absent or null. */
static const char *body_text(request *r, const char *name)
{
	json_t *v = r->json ? json_object_get(r->json, name) : NULL;
	if (!v || json_is_null(v))
		return NULL;
	return json_is_string(v) ? json_string_value(v) : "\x01";
}

void api_help_triage(request *r)
{
	int64_t id;
	if (!api_help_request_id(r, &id))
		return;
	struct outcome o;
	help_triage(r, id, body_text(r, "urgency"), &o);
	api_help_answer(r, id, &o);
}

void api_help_route(request *r)
{
	int64_t id;
	if (!api_help_request_id(r, &id))
		return;
	json_t *org = r->json ? json_object_get(r->json, "org_id") : NULL;
	struct outcome o;
	help_route(r, id, json_is_integer(org) ? json_integer_value(org) : 0, &o);
	api_help_answer(r, id, &o);
}

void api_help_decline(request *r)
{
	int64_t id, former = 0;
	if (!api_help_request_id(r, &id))
		return;
	struct outcome o;
	help_decline(r, id, body_text(r, "reason"), &former, &o);
	if (o.status != 200) {
		respond_outcome(r, &o);
		return;
	}
	/* The decliner is outside the circle now; it still gets the summary (no
	 * details) of the request it just handed back, as every action answers. */
	struct help_request h;
	if (store_help_summary(req_db(r), id, r->user->id, ROLE_MODERATOR, &h) != DB_OK) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	respond_json(r, 200, json_pack("{s:o}", "request", help_json(&h, false)));
	help_request_free(&h);
}

#define HELP_UNROUTED_MAX_OFFSET 1000000 /* rows a cursor may skip */

void api_help_unrouted(request *r)
{
	const char *status = req_query(r, "status");
	if (status && *status && strcmp(status, "unrouted") != 0) {
		respond_error(r, 422, "invalid", N_("Some fields need your attention."),
			      json_pack("{s:s}", "status", tr(r, N_("Only the unrouted queue can be listed."))));
		return;
	}
	int limit = req_limit(r), n = 0;
	int64_t offset; /* this list's cursor is the number of rows to skip */
	if (!req_cursor(r, HELP_UNROUTED_MAX_OFFSET, &offset))
		return;
	struct help_request *list = NULL;
	if (store_help_list_unrouted(req_db(r), (int)offset, limit + 1, &list, &n) != DB_OK) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	int64_t now = time(NULL);
	json_t *items = json_array();
	for (int i = 0; i < n && i < limit; i++) /* no title, no details */
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:I}", "id",
						       (json_int_t)list[i].id, "domain", list[i].domain, "city",
						       list[i].city, "urgency", list[i].urgency, "status", list[i].status,
						       "created_at", time_json(list[i].created_at), "age_days",
						       (json_int_t)((now - list[i].created_at) / 86400)));
	json_t *next = json_null();
	if (n > limit) {
		char s[24];
		snprintf(s, sizeof s, "%lld", (long long)offset + limit);
		next = json_string(s);
	}
	help_requests_free(list, n);
	respond_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}
