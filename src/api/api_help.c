/*
 * api_help.c — help requests over JSON.  The work is done by
 * help/help_flow.c, shared with the HTML pages; these handlers parse the
 * body, call one action and answer.
 */
#include "api/api_help.h"
#include "core/timefmt.h"
#include "help/help_flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* api_help_request_id: the {id} of the path, or a 404 answer. */
bool api_help_request_id(request *r, int64_t *id)
{
	if (req_param_id(r, 0, id))
		return true;
	respond_error(r, 404, "not_found", N_("There is no such help request."), NULL);
	return false;
}

/* api_help_answer: the outcome's error, or 200 with the request as it is now. */
void api_help_answer(request *r, int64_t id, struct outcome *o)
{
	if (o->status != 200) {
		respond_outcome(r, o);
		return;
	}
	struct help_request h;
	help_reload(r, id, &h, o);
	if (o->status != 200) {
		respond_outcome(r, o);
		return;
	}
	respond_json(r, 200, json_pack("{s:o}", "request", help_json(&h, false)));
	help_request_free(&h);
}

void api_help_create(request *r)
{
	struct help_input in = {
		.domain = req_str(r, "domain"),
		.title = req_str(r, "title"),
		.details = req_str(r, "details"),
		.city = req_str(r, "city"),
		.urgency = req_str(r, "urgency"),
		.org_id_json = r->json ? json_object_get(r->json, "org_id") : NULL,
	};
	struct outcome o;
	int64_t id = 0;
	help_create(r, &in, &id, &o);
	if (o.status != 201) {
		respond_outcome(r, &o);
		return;
	}
	struct help_request h;
	help_reload(r, id, &h, &o);
	if (o.status != 200) {
		respond_outcome(r, &o);
		return;
	}
	respond_json(r, 201, json_pack("{s:o}", "request", help_json(&h, false)));
	help_request_free(&h);
}

void api_help_get(request *r)
{
	int64_t id;
	if (!api_help_request_id(r, &id))
		return;
	struct help_request h;
	struct outcome o;
	help_get(r, id, &h, &o);
	if (o.status != 200) {
		respond_outcome(r, &o);
		return;
	}
	respond_json(r, 200, json_pack("{s:o}", "request", help_json(&h, true)));
	help_request_free(&h);
}

/* respond_list: {items, next_cursor} from rows fetched with limit + 1. */
static void respond_list(request *r, struct help_request *list, int n, int limit)
{
	json_t *items = json_array();
	for (int i = 0; i < n && i < limit; i++)
		json_array_append_new(items, help_json(&list[i], false));
	json_t *next = json_null();
	if (n > limit) {
		char s[24];
		snprintf(s, sizeof s, "%lld", (long long)list[limit - 1].id);
		next = json_string(s);
	}
	respond_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
	help_requests_free(list, n);
}

void api_help_mine(request *r)
{
	int64_t before;
	if (!req_cursor(r, INT64_MAX, &before))
		return;
	const char *as = req_query(r, "as");
	if (as && strcmp(as, "specialist") != 0 && strcmp(as, "requester") != 0) {
		respond_error(r, 422, "invalid", N_("Some fields need your attention."),
			      json_pack("{s:s}", "as", tr(r, N_("Choose requester or specialist."))));
		return;
	}
	int limit = req_limit(r), n = 0, st;
	struct help_request *list = NULL;
	if (as && strcmp(as, "specialist") == 0)
		st = store_help_list_assigned(req_db(r), r->user->id, before, limit + 1, &list, &n);
	else
		st = store_help_list_mine(req_db(r), r->user->id, before, limit + 1, &list, &n);
	if (st != DB_OK) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	respond_list(r, list, n, limit);
}

void api_help_org_queue(request *r)
{
	int64_t org_id, before;
	if (!req_param_id(r, 0, &org_id) || !store_help_org_member(req_db(r), org_id, r->user->id)) {
		respond_error(r, 403, "forbidden", N_("Only the organisation's members see its help requests."), NULL);
		return;
	}
	if (!req_cursor(r, INT64_MAX, &before))
		return;
	int limit = req_limit(r), n = 0;
	struct help_request *list = NULL;
	if (store_help_list_org(req_db(r), org_id, before, limit + 1, &list, &n) != DB_OK) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	respond_list(r, list, n, limit);
}

void api_help_assign(request *r)
{
	int64_t id;
	if (!api_help_request_id(r, &id))
		return;
	json_t *sid = r->json ? json_object_get(r->json, "specialist_id") : NULL;
	struct outcome o;
	help_assign(r, id, json_is_integer(sid) ? json_integer_value(sid) : 0, &o);
	api_help_answer(r, id, &o);
}

void api_help_book(request *r)
{
	int64_t id, starts = 0, ends = 0;
	if (!api_help_request_id(r, &id))
		return;
	if (!time_parse_rfc3339(req_str(r, "starts_at"), false, &starts))
		starts = 0;
	if (!time_parse_rfc3339(req_str(r, "ends_at"), false, &ends))
		ends = 0;
	struct outcome o;
	help_book(r, id, starts, ends, req_str(r, "mode"), &o);
	api_help_answer(r, id, &o);
}

void api_help_resolve(request *r)
{
	int64_t id;
	if (!api_help_request_id(r, &id))
		return;
	struct outcome o;
	help_resolve(r, id, &o);
	api_help_answer(r, id, &o);
}

void api_help_rate(request *r)
{
	int64_t id;
	if (!api_help_request_id(r, &id))
		return;
	json_t *rating = r->json ? json_object_get(r->json, "rating") : NULL;
	struct outcome o;
	help_rate(r, id, json_is_integer(rating) ? (int)json_integer_value(rating) : 0, req_str(r, "comment"), &o);
	api_help_answer(r, id, &o);
}

void api_help_access_log(request *r)
{
	int64_t id;
	if (!api_help_request_id(r, &id))
		return;
	unsigned circle = 0;
	int st = store_help_circle(req_db(r), id, r->user->id, r->user->roles, &circle);
	if (st == STORE_NOT_FOUND) {
		respond_error(r, 404, "not_found", N_("There is no such help request."), NULL);
		return;
	}
	struct help_access *log = NULL;
	int n = 0;
	if (st != DB_OK || store_help_access_log(req_db(r), id, &log, &n) != DB_OK) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:o, s:s, s:s, s:o}", "reader",
						       log[i].reader_id ? json_pack("{s:I, s:s}", "id",
										    (json_int_t)log[i].reader_id, "name",
										    log[i].reader_name) : json_null(),
						       "reason", log[i].reason, "address", log[i].address, "at",
						       time_json(log[i].at)));
	help_access_free(log, n);
	respond_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}
