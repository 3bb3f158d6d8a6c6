/*
 * page_orgs.c — organisation pages: create, public page (with members and
 * the invite form for its people), edit, the logo (upload and serve), add or
 * remove members, accept an invitation.  The work is done by orgs/org_actions.c.
 */
#include "web/page_orgs.h"
#include "orgs/org_actions.h"
#include "web/pages.h"
#include "http/app.h"
#include "domain/opportunity.h"
#include "i18n/i18n.h"
#include "store/files.h"
#include "store/opportunities.h"
#include "web/page_taxonomy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Notices shown after a redirect: the query names one by code, so no text
 * from the address is ever shown. */
static const struct { const char *code; const char *msgid; } notices[] = {
	{ "created", N_("Your organisation has been created. A moderator will review it soon.") },
	{ "saved", N_("The changes have been saved.") },
	{ "resubmitted", N_("The changes have been saved. The organisation will be reviewed again before it can publish new opportunities.") },
	{ "invited", N_("We sent the invitation. The person joins once they accept it.") },
	{ "removed", N_("The member has been removed.") },
	{ "left", N_("You have left the organisation.") },
	{ "role", N_("The member's role has been changed.") },
	{ "cancelled", N_("The invitation has been withdrawn.") },
	{ "joined", N_("Welcome! You are now a member of this organisation.") },
	{ "logo", N_("The new logo has been saved.") },
};

static const char *notice_text(request *r)
{
	const char *code = req_query(r, "notice");
	for (size_t i = 0; code && i < sizeof notices / sizeof notices[0]; i++)
		if (strcmp(notices[i].code, code) == 0)
			return tr(r, notices[i].msgid);
	return NULL;
}

static void redirect_org(request *r, int64_t id, const char *notice)
{
	char to[96];
	snprintf(to, sizeof to, "/orgs/%lld?notice=%s", (long long)id, notice);
	respond_redirect(r, to);
}

/* with_outcome: an outcome's message and field reasons into a page context. */
static void with_outcome(request *r, json_t *ctx, struct outcome *o)
{
	json_object_set_new(ctx, "error", json_string(tr(r, o->message)));
	if (o->fields)
		json_object_set(ctx, "fields", o->fields);
	outcome_clear(o);
}

/* load_org: the organisation of path parameter 0, or an error page. */
static bool load_org(request *r, int64_t *id, struct org_record *org)
{
	int st = req_param_id(r, 0, id) ? store_org_get(req_db(r), *id, org) : STORE_NOT_FOUND;
	if (st == DB_OK)
		return true;
	if (st == STORE_NOT_FOUND)
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
	else
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
	return false;
}

/* org_view: what the org template shows of an organisation, in the page language. */
static json_t *org_view(request *r, const struct org_record *o)
{
	json_t *v = org_json(r, o);
	bool english = r->lang == LANG_EN && *o->name_en;
	json_object_set_new(v, "heading", json_string(english ? o->name_en : o->name));
	json_object_set_new(v, "other_name", json_string(english ? o->name : o->name_en));
	json_object_set_new(v, "other_lang", json_string(english ? "" : "en"));
	json_object_set_new(v, "kind_label", json_string(tr(r, org_kind_label(o->kind))));
	json_object_set_new(v, "rejected", json_boolean(strcmp(o->status, "rejected") == 0));
	json_object_set_new(v, "has_logo", json_boolean(*o->logo_hash != '\0'));
	return v;
}

/* ---- the public page ---- */

/* opportunities_view: the organisation's opportunities, soonest first —
 * drafts and all for its members, the published ones for everyone else. */
static json_t *opportunities_view(request *r, int64_t org_id, bool insider)
{
	struct opp_filter f = { .remote = -1, .org_id = org_id, .limit = 50,
				.scope = insider ? OPP_SCOPE_ALL : OPP_SCOPE_PUBLIC };
	struct opportunity *list = NULL;
	int n = 0;
	char next[OPP_CURSOR_MAX];
	json_t *items = json_array();
	if (store_opportunities_list(req_db(r), &f, &list, &n, next) != DB_OK)
		return items;
	for (int i = 0; i < n; i++) {
		buf starts = BUF_INIT;
		i18n_format_date(r->lang, (time_t)list[i].starts_at, false, &starts);
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:b}", "id", (json_int_t)list[i].id,
						       "title", list[i].title, "starts", starts.data, "status_label",
						       tr(r, opportunity_status_label(list[i].status)), "open",
						       strcmp(list[i].status, "open") == 0));
		buf_free(&starts);
	}
	opportunities_free(list, n);
	return items;
}

/* members_view: [{user_id, name, email, role_label, owner, self}]. */
static json_t *members_view(request *r, int64_t org_id)
{
	struct org_member *m = NULL;
	int n = 0;
	json_t *members = json_array();
	if (store_org_members(req_db(r), org_id, &m, &n) != DB_OK)
		return members;
	for (int i = 0; i < n; i++)
		json_array_append_new(members, json_pack("{s:I, s:s, s:s, s:s, s:b, s:b}", "user_id",
							 (json_int_t)m[i].user_id, "name", m[i].name, "email", m[i].email,
							 "role_label", tr(r, org_role_label(m[i].role)), "owner",
							 strcmp(m[i].role, "owner") == 0, "self",
							 r->user && m[i].user_id == r->user->id));
	org_members_free(m, n);
	return members;
}

/* invitations_view: the open invitations [{id, email, role_label, expires}]
 * for the owners' page. */
static json_t *invitations_view(request *r, int64_t org_id)
{
	struct org_invitation *list = NULL;
	int n = 0;
	struct outcome o;
	json_t *items = json_array();
	org_open_invitations(r, org_id, &list, &n, &o);
	outcome_clear(&o);
	for (int i = 0; i < n; i++) {
		buf expires = BUF_INIT;
		i18n_format_date(r->lang, (time_t)list[i].expires_at, false, &expires);
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)list[i].id, "email",
						       list[i].email, "role_label", tr(r, org_role_label(list[i].role)),
						       "expires", expires.data));
		buf_free(&expires);
	}
	org_invitations_free(list, n);
	return items;
}

static void render_org(request *r, int status, const struct org_record *o, const char *invite_email,
		       const char *invite_role, struct outcome *out)
{
	json_t *ctx = page_ctx(r, N_("Organisation"));
	json_object_set_new(ctx, "title", json_string(r->lang == LANG_EN && *o->name_en ? o->name_en : o->name));
	json_object_set_new(ctx, "org", org_view(r, o));
	enum org_standing standing = org_standing_of(r, o->id);
	bool insider = standing != ORG_OUTSIDER || org_caller_is_moderator(r);
	json_object_set_new(ctx, "is_insider", json_boolean(insider));
	json_object_set_new(ctx, "can_edit", json_boolean(standing != ORG_OUTSIDER));
	json_object_set_new(ctx, "is_owner", json_boolean(standing == ORG_OWNER));
	json_t *opportunities = opportunities_view(r, o->id, standing != ORG_OUTSIDER);
	json_object_set_new(ctx, "has_opportunities", json_boolean(json_array_size(opportunities) > 0));
	json_object_set_new(ctx, "opportunities", opportunities);
	if (insider) {
		json_object_set_new(ctx, "members", members_view(r, o->id));
		json_object_set_new(ctx, "invite_email", json_string(invite_email ? invite_email : ""));
		json_object_set_new(ctx, "invite_owner", json_boolean(invite_role && strcmp(invite_role, "owner") == 0));
	}
	if (standing == ORG_OWNER) {
		json_t *invitations = invitations_view(r, o->id);
		json_object_set_new(ctx, "has_invitations", json_boolean(json_array_size(invitations) > 0));
		json_object_set_new(ctx, "invitations", invitations);
	}
	/* Why the moderators refused it is for its own people only. */
	if (standing != ORG_OUTSIDER && strcmp(o->status, "rejected") == 0)
		json_object_set_new(ctx, "review_reason", json_string(o->review_reason));
	const char *notice = notice_text(r);
	if (notice)
		json_object_set_new(ctx, "notice", json_string(notice));
	if (out)
		with_outcome(r, ctx, out);
	respond_page(r, status, "org", ctx);
}

void page_org(request *r)
{
	int64_t id;
	struct org_record o;
	if (!load_org(r, &id, &o))
		return;
	render_org(r, 200, &o, NULL, NULL, NULL);
	org_record_free(&o);
}

/* ---- create and edit: one form ---- */

static void render_form(request *r, int status, int64_t id, const struct org_input *in, bool has_logo,
			struct outcome *o)
{
	json_t *ctx = page_form_ctx(r, id ? N_("Edit the organisation") : N_("Register an organisation"));
	char action[64];
	if (id)
		snprintf(action, sizeof action, "/orgs/%lld/edit", (long long)id);
	else
		snprintf(action, sizeof action, "/orgs/new");
	json_object_set_new(ctx, "action", json_string(action));
	json_object_set_new(ctx, "editing", json_boolean(id != 0));
	json_object_set_new(ctx, "kinds", org_kind_list(r, in->kind));
	json_object_set_new(ctx, "cities", taxonomy_city_options(r, in->city));
	json_object_set_new(ctx, "form", json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", in->name ? in->name : "",
						   "name_en", in->name_en ? in->name_en : "", "registration_no",
						   in->registration_no ? in->registration_no : "", "description",
						   in->description ? in->description : "", "website",
						   in->website ? in->website : ""));
	if (id)
		json_object_set_new(ctx, "org_id", json_integer(id));
	if (has_logo)
		json_object_set_new(ctx, "has_logo", json_true());
	if (o)
		with_outcome(r, ctx, o);
	respond_page(r, status, "org_form", ctx);
}

static struct org_input form_input(request *r)
{
	return (struct org_input){ req_str(r, "name"), req_str(r, "name_en"), req_str(r, "kind"),
				   req_str(r, "registration_no"), req_str(r, "city"), req_str(r, "description"),
				   req_str(r, "website") };
}

void page_org_new_form(request *r)
{
	struct org_input empty = { 0 };
	render_form(r, 200, 0, &empty, false, NULL);
}

void page_org_new(request *r)
{
	struct org_input in = form_input(r);
	struct outcome o;
	int64_t id = 0;
	org_create(r, &in, &id, &o);
	if (o.status != 201) {
		render_form(r, o.status, 0, &in, false, &o);
		return;
	}
	redirect_org(r, id, "created");
}

/* render_edit_form: the edit form filled from the stored organisation. */
static void render_edit_form(request *r, int status, const struct org_record *o, struct outcome *out)
{
	struct org_input in = { o->name, o->name_en, o->kind, o->registration_no, o->city, o->description,
				o->website };
	render_form(r, status, o->id, &in, *o->logo_hash != '\0', out);
}

void page_org_edit_form(request *r)
{
	int64_t id;
	struct org_record o;
	if (!load_org(r, &id, &o))
		return;
	if (org_standing_of(r, id) == ORG_OUTSIDER) {
		org_record_free(&o);
		respond_error(r, 403, "forbidden", N_("Only the organisation's owners and coordinators may do this."), NULL);
		return;
	}
	render_edit_form(r, 200, &o, NULL);
	org_record_free(&o);
}

void page_org_edit(request *r)
{
	int64_t id;
	if (!req_param_id(r, 0, &id)) {
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	struct org_input in = form_input(r);
	struct outcome o;
	bool resubmitted = false;
	org_update(r, id, &in, &resubmitted, &o);
	if (o.status == 422) {
		render_form(r, 422, id, &in, false, &o);
		return;
	}
	if (o.status != 200) {
		respond_error(r, o.status, o.code, o.message, NULL);
		outcome_clear(&o);
		return;
	}
	redirect_org(r, id, resubmitted ? "resubmitted" : "saved");
}

/* ---- the logo ---- */

void page_org_logo(request *r)
{
	int64_t id;
	struct org_record org;
	if (!load_org(r, &id, &org))
		return;
	struct outcome o;
	org_set_logo(r, id, req_upload(r, "file"), &o);
	if (o.status == 200)
		redirect_org(r, id, "logo");
	else if (o.status == 415 || o.status == 422)
		render_edit_form(r, o.status, &org, &o);
	else {
		respond_error(r, o.status, o.code, o.message, NULL);
		outcome_clear(&o);
	}
	org_record_free(&org);
}

void page_org_logo_file(request *r)
{
	int64_t id;
	struct org_record org;
	if (!load_org(r, &id, &org))
		return;
	buf data = BUF_INIT;
	bool found = *org.logo_hash && files_read(r->app->cfg.data_dir, org.logo_hash, &data);
	if (!found) {
		org_record_free(&org);
		buf_free(&data);
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	/* The hash names the content: it is the strongest ETag there is. */
	char etag[FILES_HASH_HEX + 2];
	snprintf(etag, sizeof etag, "\"%s\"", org.logo_hash);
	org_record_free(&org);
	respond_header(r, "ETag", etag);
	respond_header(r, "Cache-Control", "public, max-age=86400");
	const char *inm = req_header(r, "If-None-Match");
	if (inm && strstr(inm, etag)) {
		r->status = 304;
		r->content_type = NULL;
		r->responded = true;
	} else {
		respond_bytes(r, 200, "image/png", data.data, data.len);
	}
	buf_free(&data);
}

/* ---- members ---- */

/* answer_org: after a member action on the organisation `org`: redirect
 * with `notice` on success, show the org page again for 409 and 422, else
 * the error page. */
static void answer_org(request *r, const struct org_record *org, struct outcome *o, const char *notice)
{
	if (o->status >= 200 && o->status < 300)
		redirect_org(r, org->id, notice);
	else if (o->status == 409 || o->status == 422)
		render_org(r, o->status, org, req_str(r, "email"), req_str(r, "role"), o);
	else {
		respond_error(r, o->status, o->code, o->message, NULL);
		outcome_clear(o);
	}
}

/* load_org_and_second: the organisation of parameter 0 and the id in
 * parameter 1, or an error page. */
static bool load_org_and_second(request *r, int64_t *id, struct org_record *org, int64_t *second)
{
	if (!load_org(r, id, org))
		return false;
	if (req_param_id(r, 1, second))
		return true;
	org_record_free(org);
	respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
	return false;
}

void page_org_member_add(request *r)
{
	int64_t id, invitation_id = 0;
	struct org_record org;
	if (!load_org(r, &id, &org))
		return;
	struct outcome o;
	org_add_member(r, id, req_str(r, "email"), req_str(r, "role"), &invitation_id, &o);
	answer_org(r, &org, &o, "invited");
	org_record_free(&org);
}

void page_org_member_remove(request *r)
{
	int64_t id, user_id;
	struct org_record org;
	if (!load_org_and_second(r, &id, &org, &user_id))
		return;
	struct outcome o;
	bool leaving = user_id == r->user->id;
	org_remove_member(r, id, user_id, &o);
	answer_org(r, &org, &o, leaving ? "left" : "removed");
	org_record_free(&org);
}

void page_org_member_role(request *r)
{
	int64_t id, user_id;
	struct org_record org;
	if (!load_org_and_second(r, &id, &org, &user_id))
		return;
	struct outcome o;
	org_set_member_role(r, id, user_id, req_str(r, "role"), &o);
	answer_org(r, &org, &o, "role");
	org_record_free(&org);
}

void page_org_invitation_cancel(request *r)
{
	int64_t id;
	struct org_record org;
	if (!load_org(r, &id, &org))
		return;
	const char *text = req_str(r, "invitation_id");
	struct outcome o;
	org_cancel_invitation(r, id, text ? strtoll(text, NULL, 10) : 0, &o);
	answer_org(r, &org, &o, "cancelled");
	org_record_free(&org);
}

/* ---- invitations ---- */

/* url_encode: percent-encode everything but unreserved characters. */
static void url_encode(buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || strchr("-_.~", ch))
			buf_printf(out, "%c", ch);
		else
			buf_printf(out, "%%%02X", ch);
	}
}

static void render_invitation(request *r, int status, const char *token, struct outcome *o)
{
	json_t *ctx = page_form_ctx(r, N_("Invitation to join an organisation"));
	struct org_invitation inv;
	struct outcome found;
	org_invitation_lookup(r, token, &inv, &found);
	if (found.status != 200) {
		json_object_set_new(ctx, "invalid", json_true());
		json_object_set_new(ctx, "error", json_string(tr(r, found.message)));
		respond_page(r, found.status, "invitation", ctx);
		if (o)
			outcome_clear(o);
		return;
	}
	struct org_record org;
	if (store_org_get(req_db(r), inv.org_id, &org) == DB_OK) {
		json_object_set_new(ctx, "org", org_view(r, &org));
		org_record_free(&org);
	}
	json_object_set_new(ctx, "token", json_string(token));
	json_object_set_new(ctx, "invited_email", json_string(inv.email));
	json_object_set_new(ctx, "role_label", json_string(tr(r, org_role_label(inv.role))));
	json_object_set_new(ctx, "wrong_account", json_boolean(r->user && strcasecmp(r->user->email, inv.email) != 0));
	buf next = BUF_INIT;
	buf_puts(&next, "/invitations/accept?token=");
	buf_puts(&next, token);
	buf enc = BUF_INIT;
	url_encode(&enc, next.data);
	json_object_set_new(ctx, "next", json_string(enc.data));
	buf_free(&next);
	buf_free(&enc);
	org_invitation_free(&inv);
	if (o)
		with_outcome(r, ctx, o);
	respond_page(r, status, "invitation", ctx);
}

void page_invitation_form(request *r)
{
	render_invitation(r, 200, req_query(r, "token"), NULL);
}

void page_invitation_accept(request *r)
{
	const char *token = req_str(r, "token");
	struct outcome o;
	int64_t org_id = 0;
	org_accept_invitation(r, token, &org_id, &o);
	if (o.status != 200) {
		render_invitation(r, o.status, token, &o);
		return;
	}
	redirect_org(r, org_id, "joined");
}

/* ---- my invitations: accept without the e-mail ---- */

static void render_my_invitations(request *r, int status, struct outcome *o)
{
	json_t *ctx = page_form_ctx(r, N_("My invitations"));
	struct org_invitation *list = NULL;
	int n = 0;
	json_t *items = json_array();
	if (store_org_invitations_open(req_db(r), 0, r->user->email, time(NULL), &list, &n) == DB_OK) {
		for (int i = 0; i < n; i++) {
			bool english = r->lang == LANG_EN && *list[i].org_name_en;
			buf expires = BUF_INIT;
			i18n_format_date(r->lang, (time_t)list[i].expires_at, false, &expires);
			json_array_append_new(items, json_pack("{s:I, s:I, s:s, s:s, s:s}", "id", (json_int_t)list[i].id,
							       "org_id", (json_int_t)list[i].org_id, "org_name",
							       english ? list[i].org_name_en : list[i].org_name, "role_label",
							       tr(r, org_role_label(list[i].role)), "expires", expires.data));
			buf_free(&expires);
		}
		org_invitations_free(list, n);
	}
	json_object_set_new(ctx, "has_invitations", json_boolean(json_array_size(items) > 0));
	json_object_set_new(ctx, "invitations", items);
	json_object_set_new(ctx, "unverified", json_boolean(!r->user->email_verified));
	if (req_query(r, "notice") && strcmp(req_query(r, "notice"), "declined") == 0)
		json_object_set_new(ctx, "notice", json_string(tr(r, N_("The invitation has been declined."))));
	if (o)
		with_outcome(r, ctx, o);
	respond_page(r, status, "org_invitations", ctx);
}

void page_my_invitations(request *r)
{
	render_my_invitations(r, 200, NULL);
}

/* answer_mine: accept or decline my invitation {id} from the page. */
static void answer_mine(request *r, bool accept)
{
	int64_t id, org_id = 0;
	struct outcome o = { 0 };
	if (!req_param_id(r, 0, &id))
		outcome_fail(&o, 404, "invalid_token", N_("This invitation is not valid, has expired or has already been used."));
	else
		org_answer_invitation(r, id, accept, &org_id, &o);
	if (o.status != 200)
		render_my_invitations(r, o.status, &o);
	else if (accept)
		redirect_org(r, org_id, "joined");
	else
		respond_redirect(r, "/invitations?notice=declined");
}

void page_my_invitation_accept(request *r)
{
	answer_mine(r, true);
}

void page_my_invitation_decline(request *r)
{
	answer_mine(r, false);
}
