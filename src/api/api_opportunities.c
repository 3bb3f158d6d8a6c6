/*
 * api_opportunities.c — opportunities and shifts over JSON.  Validation,
 * authorisation and the store work live in opportunities/opportunity_actions.c.
 */
#include "api/api_opportunities.h"
#include "opportunities/opportunity_actions.h"

#include <string.h>

static const char *const MSG_NOT_FOUND = N_("There is nothing at this address.");

/* id_param: path parameter 0 as an id, or answer 404. */
static bool id_param(request *r, int64_t *id)
{
	if (req_param_id(r, 0, id))
		return true;
	respond_error(r, 404, "not_found", MSG_NOT_FOUND, NULL);
	return false;
}

/* body_object: the JSON body must be an object (an empty body counts as {}). */
static bool body_object(request *r)
{
	if (r->json && json_is_object(r->json))
		return true;
	if (r->body_kind == BODY_NONE && !r->json)
		return true;
	respond_error(r, 400, "malformed", N_("Send a JSON object."), NULL);
	return false;
}

/* respond_opportunity: `status` with {"opportunity", "shifts"} of `id`. */
static void respond_opportunity(request *r, int status, int64_t id)
{
	struct opportunity o;
	struct outcome out;
	opp_load(r, id, &o, NULL, &out);
	if (out.status != 200) {
		respond_outcome(r, &out);
		return;
	}
	respond_json(r, status, json_pack("{s:o, s:o}", "opportunity", opp_json(&o), "shifts", opp_shifts_json(&o)));
	opportunity_free(&o);
}

void api_opportunity_create(request *r)
{
	int64_t org_id, id = 0;
	if (!id_param(r, &org_id) || !body_object(r))
		return;
	struct opportunity o;
	struct opp_errors errs = { 0 };
	int capacity = 1;
	opportunity_init(&o);
	opp_from_json(r, r->json, true, &o, &capacity, &errs);
	struct outcome out;
	opp_create(r, org_id, &o, capacity, &errs, &id, &out);
	opportunity_free(&o);
	if (out.status != 201) {
		respond_outcome(r, &out);
		return;
	}
	respond_opportunity(r, 201, id);
}

void api_opportunity_get(request *r)
{
	int64_t id;
	if (id_param(r, &id))
		respond_opportunity(r, 200, id);
}

void api_opportunity_update(request *r)
{
	int64_t id;
	if (!id_param(r, &id) || !body_object(r))
		return;
	struct opportunity o;
	struct outcome out;
	opp_load_for_edit(r, id, &o, &out);
	if (out.status != 200) {
		respond_outcome(r, &out);
		return;
	}
	struct opp_errors errs = { 0 };
	int capacity = 1;
	opp_from_json(r, r->json, false, &o, &capacity, &errs);
	opp_save(r, &o, &errs, &out);
	opportunity_free(&o);
	if (out.status != 200) {
		respond_outcome(r, &out);
		return;
	}
	respond_opportunity(r, 200, id);
}

static void status_action(request *r, enum opp_action action)
{
	int64_t id;
	if (!id_param(r, &id) || !body_object(r))
		return;
	json_t *reason = r->json ? json_object_get(r->json, "reason") : NULL;
	if (reason && !json_is_string(reason) && !json_is_null(reason)) {
		respond_error(r, 422, "invalid", N_("Some fields need your attention."),
			      json_pack("{s:s}", "reason", tr(r, N_("This must be text."))));
		return;
	}
	struct outcome out;
	opp_change_status(r, id, action, json_string_value(reason), &out);
	if (out.status != 200) {
		respond_outcome(r, &out);
		return;
	}
	respond_opportunity(r, 200, id);
}

void api_opportunity_publish(request *r) { status_action(r, OPP_PUBLISH); }
void api_opportunity_close(request *r) { status_action(r, OPP_CLOSE); }
void api_opportunity_complete(request *r) { status_action(r, OPP_COMPLETE); }
void api_opportunity_cancel(request *r) { status_action(r, OPP_CANCEL); }

/* respond_list: a page of opportunities for the filter f. */
static void respond_list(request *r, const struct opp_filter *f)
{
	struct opportunity *list = NULL;
	int n = 0;
	char next[OPP_CURSOR_MAX];
	if (store_opportunities_list(req_db(r), f, &list, &n, next) != DB_OK) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, opp_json(&list[i]));
	opportunities_free(list, n);
	respond_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", *next ? json_string(next) : json_null()));
}

/* filter_of_query: the filters, or a 422 answered. */
static bool filter_of_query(request *r, struct opp_filter *f, char *city, size_t city_len)
{
	struct opp_errors errs = { 0 };
	opp_filter_from_query(r, f, city, city_len, &errs);
	if (errs.n == 0)
		return true;
	respond_error(r, 422, "invalid", N_("Some fields need your attention."), opp_errors_json(r, &errs));
	return false;
}

void api_opportunities_list(request *r)
{
	struct opp_filter f;
	char city[64];
	if (!filter_of_query(r, &f, city, sizeof city))
		return;
	opp_filter_upcoming(&f, time(NULL));
	respond_list(r, &f);
}

void api_org_opportunities(request *r)
{
	int64_t org_id;
	struct opp_filter f;
	char city[64];
	if (!id_param(r, &org_id) || !filter_of_query(r, &f, city, sizeof city))
		return;
	struct org_record org;
	int st = store_org_get(req_db(r), org_id, &org);
	if (st != DB_OK) {
		respond_error(r, st == STORE_NOT_FOUND ? 404 : 500, st == STORE_NOT_FOUND ? "not_found" : "internal",
			      st == STORE_NOT_FOUND ? MSG_NOT_FOUND : N_("Something went wrong on our side. Please try again."),
			      NULL);
		return;
	}
	org_record_free(&org);
	f.org_id = org_id;
	f.scope = org_standing_of(r, org_id) != ORG_OUTSIDER ? OPP_SCOPE_ALL : OPP_SCOPE_PUBLIC;
	respond_list(r, &f);
}
