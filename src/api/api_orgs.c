/*
 * api_orgs.c — organisations and their members over JSON.  Validation,
 * authorisation and the store work live in orgs/org_actions.c.
 */
#include "api/api_orgs.h"
#include "orgs/org_actions.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const org_field_names[] = {
	"name", "name_en", "kind", "registration_no", "city", "description", "website",
};

/* org_input_of: the organisation fields of the JSON body; false (and a 422
 * answered) when one of them is there but is not a string. */
static bool org_input_of(request *r, struct org_input *in)
{
	json_t *bad = NULL;
	for (size_t i = 0; i < sizeof org_field_names / sizeof org_field_names[0]; i++) {
		json_t *v = r->json ? json_object_get(r->json, org_field_names[i]) : NULL;
		if (v && !json_is_string(v)) {
			if (!bad)
				bad = json_object();
			json_object_set_new(bad, org_field_names[i], json_string(tr(r, N_("This must be text."))));
		}
	}
	if (bad) {
		respond_error(r, 422, "invalid", N_("Some fields need your attention."), bad);
		return false;
	}
	*in = (struct org_input){ req_str(r, "name"), req_str(r, "name_en"), req_str(r, "kind"),
				  req_str(r, "registration_no"), req_str(r, "city"), req_str(r, "description"),
				  req_str(r, "website") };
	return true;
}

/* org_id_param: the {id} of the path, or answer 404. */
static bool org_id_param(request *r, int64_t *id)
{
	if (req_param_id(r, 0, id))
		return true;
	respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
	return false;
}

/* respond_org: 'status' with {"org": …} for the organisation `id`. */
static void respond_org(request *r, int status, int64_t id)
{
	struct org_record o;
	int st = store_org_get(req_db(r), id, &o);
	if (st == STORE_NOT_FOUND) {
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	if (st != DB_OK) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	json_t *org = org_json(r, &o);
	/* Members' names and roles are for the organisation and moderators. */
	enum org_standing standing = org_standing_of(r, id);
	if (standing != ORG_OUTSIDER || org_caller_is_moderator(r)) {
		struct org_member *m = NULL;
		int n = 0;
		json_t *members = json_array();
		if (store_org_members(req_db(r), id, &m, &n) == DB_OK) {
			for (int i = 0; i < n; i++)
				json_array_append_new(members, json_pack("{s:I, s:s, s:s}", "user_id",
									 (json_int_t)m[i].user_id, "name", m[i].name,
									 "role", m[i].role));
			org_members_free(m, n);
		}
		json_object_set_new(org, "members", members);
		json_object_set_new(org, "my_role", standing == ORG_OWNER ? json_string("owner")
						  : standing == ORG_COORDINATOR ? json_string("coordinator")
										: json_null());
	}
	/* Why the moderators refused it is for its own people only. */
	if (standing != ORG_OUTSIDER && strcmp(o.status, "rejected") == 0)
		json_object_set_new(org, "review_reason", json_string(o.review_reason));
	org_record_free(&o);
	respond_json(r, status, json_pack("{s:o}", "org", org));
}

void api_org_create(request *r)
{
	struct org_input in;
	if (!org_input_of(r, &in))
		return;
	struct outcome o;
	int64_t id = 0;
	org_create(r, &in, &id, &o);
	if (o.status != 201) {
		respond_outcome(r, &o);
		return;
	}
	respond_org(r, 201, id);
}

void api_org_get(request *r)
{
	int64_t id;
	if (org_id_param(r, &id))
		respond_org(r, 200, id);
}

void api_org_update(request *r)
{
	int64_t id;
	struct org_input in;
	if (!org_id_param(r, &id) || !org_input_of(r, &in))
		return;
	struct outcome o;
	org_update(r, id, &in, NULL, &o);
	if (o.status != 200) {
		respond_outcome(r, &o);
		return;
	}
	respond_org(r, 200, id);
}

void api_org_logo(request *r)
{
	int64_t id;
	if (!org_id_param(r, &id))
		return;
	struct outcome o;
	org_set_logo(r, id, req_upload(r, "file"), &o);
	if (o.status != 200) {
		respond_outcome(r, &o);
		return;
	}
	respond_org(r, 200, id);
}

void api_org_members(request *r)
{
	int64_t id;
	if (!org_id_param(r, &id))
		return;
	struct org_record org;
	int st = store_org_get(req_db(r), id, &org);
	if (st != DB_OK) {
		if (st == STORE_NOT_FOUND)
			respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		else
			respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	org_record_free(&org);
	if (org_standing_of(r, id) == ORG_OUTSIDER && !org_caller_is_moderator(r)) {
		respond_error(r, 403, "forbidden", N_("Only the organisation's members may see this."), NULL);
		return;
	}
	struct org_member *m = NULL;
	int n = 0;
	if (store_org_members(req_db(r), id, &m, &n) != DB_OK) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s}", "user_id", (json_int_t)m[i].user_id,
						       "name", m[i].name, "email", m[i].email, "role", m[i].role));
	org_members_free(m, n);
	respond_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

void api_org_member_add(request *r)
{
	int64_t id, invitation_id = 0;
	if (!org_id_param(r, &id))
		return;
	const char *role = req_str(r, "role");
	struct outcome o;
	org_add_member(r, id, req_str(r, "email"), role, &invitation_id, &o);
	if (o.status != 202) {
		respond_outcome(r, &o);
		return;
	}
	/* The same answer whether the address has an account or not. */
	char email[LIMIT_EMAIL_BYTES + 1];
	email_normalise(req_str(r, "email"), email, sizeof email);
	respond_json(r, 202, json_pack("{s:{s:I, s:s, s:s}}", "invitation", "id", (json_int_t)invitation_id, "email",
				       email, "role", role));
}

/* two_ids: the {id} and the second path parameter, or answer 404. */
static bool two_ids(request *r, int64_t *id, int64_t *second)
{
	if (!org_id_param(r, id))
		return false;
	if (req_param_id(r, 1, second))
		return true;
	respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
	return false;
}

void api_org_member_remove(request *r)
{
	int64_t id, user_id;
	if (!two_ids(r, &id, &user_id))
		return;
	struct outcome o;
	org_remove_member(r, id, user_id, &o);
	if (o.status != 200) {
		respond_outcome(r, &o);
		return;
	}
	respond_no_content(r);
}

void api_org_member_role(request *r)
{
	int64_t id, user_id;
	if (!two_ids(r, &id, &user_id))
		return;
	const char *role = req_str(r, "role");
	struct outcome o;
	org_set_member_role(r, id, user_id, role, &o);
	if (o.status != 200) {
		respond_outcome(r, &o);
		return;
	}
	respond_json(r, 200, json_pack("{s:{s:I, s:s}}", "member", "user_id", (json_int_t)user_id, "role", role));
}

/* invitation_json: {id, email, role, created_at, expires_at, org: {id, name, name_en}}. */
static json_t *invitation_json(const struct org_invitation *inv)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:o, s:{s:I, s:s, s:s}}", "id", (json_int_t)inv->id, "email",
			 inv->email, "role", inv->role, "created_at", time_json(inv->created_at), "expires_at",
			 time_json(inv->expires_at), "org", "id", (json_int_t)inv->org_id, "name",
			 inv->org_name ? inv->org_name : "", "name_en", inv->org_name_en ? inv->org_name_en : "");
}

static void respond_invitations(request *r, struct org_invitation *list, int n)
{
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, invitation_json(&list[i]));
	org_invitations_free(list, n);
	respond_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

void api_org_invitations(request *r)
{
	int64_t id;
	if (!org_id_param(r, &id))
		return;
	struct org_invitation *list = NULL;
	int n = 0;
	struct outcome o;
	org_open_invitations(r, id, &list, &n, &o);
	if (o.status != 200) {
		respond_outcome(r, &o);
		return;
	}
	respond_invitations(r, list, n);
}

void api_org_invitation_cancel(request *r)
{
	int64_t id;
	if (!org_id_param(r, &id))
		return;
	/* {"invitation_id": 12} (a number, or its digits as text). */
	json_t *v = r->json ? json_object_get(r->json, "invitation_id") : NULL;
	const char *text = req_str(r, "invitation_id");
	int64_t invitation_id = json_is_integer(v) ? (int64_t)json_integer_value(v) : text ? strtoll(text, NULL, 10) : 0;
	struct outcome o;
	org_cancel_invitation(r, id, invitation_id, &o);
	if (o.status != 200) {
		respond_outcome(r, &o);
		return;
	}
	respond_no_content(r);
}

void api_my_invitations(request *r)
{
	struct org_invitation *list = NULL;
	int n = 0;
	if (store_org_invitations_open(req_db(r), 0, r->user->email, time(NULL), &list, &n) != DB_OK) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	respond_invitations(r, list, n);
}

/* answer: accept or decline my invitation {id}. */
static void answer(request *r, bool accept)
{
	int64_t id, org_id = 0;
	if (!org_id_param(r, &id))
		return;
	struct outcome o;
	org_answer_invitation(r, id, accept, &org_id, &o);
	if (o.status != 200)
		respond_outcome(r, &o);
	else if (accept)
		respond_org(r, 200, org_id);
	else
		respond_no_content(r);
}

void api_my_invitation_accept(request *r)
{
	answer(r, true);
}

void api_my_invitation_decline(request *r)
{
	answer(r, false);
}

void api_invitation_accept(request *r)
{
	struct outcome o;
	int64_t org_id = 0;
	org_accept_invitation(r, req_str(r, "token"), &org_id, &o);
	if (o.status != 200) {
		respond_outcome(r, &o);
		return;
	}
	respond_org(r, 200, org_id);
}

void api_my_orgs(request *r)
{
	struct org_record *orgs = NULL;
	int n = 0;
	if (store_orgs_of_user(req_db(r), r->user->id, &orgs, &n) != DB_OK) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		json_t *org = org_json(r, &orgs[i]);
		json_object_set_new(org, "role", json_string(orgs[i].role));
		json_array_append_new(items, org);
	}
	org_records_free(orgs, n);
	respond_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}
