/*
 * api_moderation.c — credentials, moderation queues and decisions, the audit
 * log and notifications over JSON.  The work is shared with the pages
 * through auth/moderation.c and auth/notify.c.
 */
#include "api/api_moderation.h"
#include "auth/moderation.h"
#include "auth/notify.h"
#include "store/notifications.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define INTERNAL_ERROR N_("Something went wrong on our side. Please try again.")

static json_t *person_json(int64_t id, const char *name)
{
	return id ? json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name ? name : "") : json_null();
}

json_t *credential_json(const struct credential_record *c, bool with_owner)
{
	char url[64];
	snprintf(url, sizeof url, "/credentials/%lld/file", (long long)c->id);
	json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:o, s:o}", "id", (json_int_t)c->id,
			      "kind", c->kind, "issuer", c->issuer, "number", c->number, "status", c->status,
			      "reason", c->reason, "file_type", c->file_type, "file_size", (json_int_t)c->file_size,
			      "file_name", c->file_name, "file_url", url, "created_at", time_json(c->created_at),
			      "reviewed_at", time_json(c->reviewed_at));
	if (with_owner)
		json_object_set_new(j, "owner", person_json(c->user_id, c->owner_name));
	return j;
}

json_t *org_review_json(const struct org_review *o)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:o, s:o, s:o}", "id",
			 (json_int_t)o->id, "name", o->name, "name_en", o->name_en, "kind", o->kind,
			 "registration_no", o->registration_no, "city", o->city, "description", o->description,
			 "website", o->website, "status", o->status, "verified", strcmp(o->status, "verified") == 0,
			 "review_reason", o->review_reason, "verified_at", time_json(o->verified_at), "created_at",
			 time_json(o->created_at), "owner", person_json(o->owner_id, o->owner_name));
}

/* page_args: ?cursor= (a positive id, or absent) and ?limit=; false after
 * answering 400 for a cursor that is not one. */
static bool page_args(request *r, int64_t *cursor, int *limit)
{
	*limit = req_limit(r);
	return req_cursor(r, INT64_MAX, cursor);
}

static json_t *next_cursor(bool more, int64_t last_id)
{
	if (!more)
		return json_null();
	char s[24];
	snprintf(s, sizeof s, "%lld", (long long)last_id);
	return json_string(s);
}

/* queue_status: ?status=, "pending" by default; NULL after answering 422. */
static const char *queue_status(request *r, const char *const *allowed)
{
	const char *s = req_query(r, "status");
	if (!s || !*s)
		return "pending";
	for (; *allowed; allowed++)
		if (strcmp(s, *allowed) == 0)
			return s;
	respond_error(r, 422, "invalid", N_("Some fields need your attention."),
		      json_pack("{s:s}", "status", tr(r, N_("This status does not exist here."))));
	return NULL;
}

void api_credential_upload(request *r)
{
	struct credential_input in = {
		.kind = req_str(r, "kind"),
		.issuer = req_str(r, "issuer"),
		.number = req_str(r, "number"),
		.file = req_upload(r, "file"),
	};
	struct outcome o;
	int64_t id = 0;
	credential_upload(r, &in, &id, &o);
	if (o.status != 201) {
		respond_outcome(r, &o);
		return;
	}
	struct credential_record c;
	if (store_credential_by_id(req_db(r), id, &c) != DB_OK) {
		respond_error(r, 500, "internal", INTERNAL_ERROR, NULL);
		return;
	}
	respond_json(r, 201, json_pack("{s:o}", "credential", credential_json(&c, false)));
	credential_record_free(&c);
}

void api_credentials_mine(request *r)
{
	struct credential_record *list = NULL;
	int n = 0;
	if (store_credentials_of_user(req_db(r), r->user->id, &list, &n) != DB_OK) {
		respond_error(r, 500, "internal", INTERNAL_ERROR, NULL);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, credential_json(&list[i], false));
	credential_records_free(list, n);
	respond_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

void api_admin_credentials(request *r)
{
	static const char *const statuses[] = { "pending", "approved", "rejected", NULL };
	int64_t cursor;
	int limit;
	const char *status = queue_status(r, statuses);
	if (!status || !page_args(r, &cursor, &limit))
		return;
	struct credential_record *list = NULL;
	int n = 0;
	bool more = false;
	if (store_credentials_by_status(req_db(r), status, cursor, limit, &list, &n, &more) != DB_OK) {
		respond_error(r, 500, "internal", INTERNAL_ERROR, NULL);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, credential_json(&list[i], true));
	json_t *next = next_cursor(more, n ? list[n - 1].id : 0);
	credential_records_free(list, n);
	respond_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}

void api_admin_orgs(request *r)
{
	static const char *const statuses[] = { "pending", "verified", "rejected", NULL };
	int64_t cursor;
	int limit;
	const char *status = queue_status(r, statuses);
	if (!status || !page_args(r, &cursor, &limit))
		return;
	struct org_review *list = NULL;
	int n = 0;
	bool more = false;
	if (store_orgs_by_status(req_db(r), status, cursor, limit, &list, &n, &more) != DB_OK) {
		respond_error(r, 500, "internal", INTERNAL_ERROR, NULL);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, org_review_json(&list[i]));
	json_t *next = next_cursor(more, n ? list[n - 1].id : 0);
	org_reviews_free(list, n);
	respond_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}

void api_admin_credential_verify(request *r)
{
	int64_t id;
	if (!req_param_id(r, 0, &id)) {
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	bool given = false;
	bool approved = req_bool(r, "approved", &given);
	struct outcome o;
	moderation_decide_credential(r, id, given, approved, req_str(r, "reason"), &o);
	if (o.status != 200) {
		respond_outcome(r, &o);
		return;
	}
	struct credential_record c;
	if (store_credential_by_id(req_db(r), id, &c) != DB_OK) {
		respond_error(r, 500, "internal", INTERNAL_ERROR, NULL);
		return;
	}
	respond_json(r, 200, json_pack("{s:o}", "credential", credential_json(&c, true)));
	credential_record_free(&c);
}

void api_admin_org_verify(request *r)
{
	int64_t id;
	if (!req_param_id(r, 0, &id)) {
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	bool given = false;
	bool approved = req_bool(r, "approved", &given);
	struct outcome o;
	moderation_decide_org(r, id, given, approved, req_str(r, "reason"), &o);
	if (o.status != 200) {
		respond_outcome(r, &o);
		return;
	}
	struct org_review org;
	if (store_org_review_by_id(req_db(r), id, &org) != DB_OK) {
		respond_error(r, 500, "internal", INTERNAL_ERROR, NULL);
		return;
	}
	respond_json(r, 200, json_pack("{s:o}", "org", org_review_json(&org)));
	org_review_free(&org);
}

void api_admin_audit(request *r)
{
	int64_t cursor;
	int limit;
	const char *action = req_query(r, "action");
	if (action && *action && !audit_action_filter_valid(action)) {
		respond_error(r, 422, "invalid", N_("Some fields need your attention."),
			      json_pack("{s:s}", "action", tr(r, N_("The audit log records no such action."))));
		return;
	}
	if (!page_args(r, &cursor, &limit))
		return;
	struct audit_entry *list = NULL;
	int n = 0;
	bool more = false;
	if (store_audit_list(req_db(r), action, cursor, limit, &list, &n, &more) != DB_OK) {
		respond_error(r, 500, "internal", INTERNAL_ERROR, NULL);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:I, s:o, s:s, s:s, s:s, s:o}", "id", (json_int_t)list[i].id,
						       "actor", person_json(list[i].actor_id, list[i].actor_name),
						       "action", list[i].action, "target", list[i].target, "detail",
						       list[i].detail, "at", time_json(list[i].at)));
	json_t *next = next_cursor(more, n ? list[n - 1].id : 0);
	audit_entries_free(list, n);
	respond_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}

void api_notifications(request *r)
{
	int64_t cursor, unread = 0;
	int limit;
	if (!page_args(r, &cursor, &limit))
		return;
	struct notification_record *list = NULL;
	int n = 0;
	bool more = false;
	db_conn *c = req_db(r);
	if (store_notifications_list(c, r->user->id, cursor, limit, &list, &n, &more) != DB_OK ||
	    store_notifications_unread(c, r->user->id, &unread) != DB_OK) {
		notification_records_free(list, n);
		respond_error(r, 500, "internal", INTERNAL_ERROR, NULL);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		buf text = BUF_INIT;
		notify_text(r->lang, list[i].kind, list[i].params, &text);
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:o, s:b}", "id", (json_int_t)list[i].id,
						       "kind", list[i].kind, "text", text.data, "link", list[i].link,
						       "created_at", time_json(list[i].created_at), "read",
						       list[i].read_at != 0));
		buf_free(&text);
	}
	json_t *next = next_cursor(more, n ? list[n - 1].id : 0);
	notification_records_free(list, n);
	respond_json(r, 200, json_pack("{s:o, s:o, s:I}", "items", items, "next_cursor", next, "unread",
				       (json_int_t)unread));
}

void api_notifications_read(request *r)
{
	json_t *ids = r->json ? json_object_get(r->json, "ids") : NULL;
	int64_t list[PAGE_MAX_LIMIT];
	size_t n = 0;
	if (ids) {
		bool ok = json_is_array(ids) && json_array_size(ids) <= PAGE_MAX_LIMIT;
		for (size_t i = 0; ok && i < json_array_size(ids); i++) {
			json_t *v = json_array_get(ids, i);
			ok = json_is_integer(v) && json_integer_value(v) > 0;
			if (ok)
				list[n++] = json_integer_value(v);
		}
		if (!ok) {
			respond_error(r, 422, "invalid", N_("Some fields need your attention."),
				      json_pack("{s:s}", "ids", tr(r, N_("Give up to 100 notification ids."))));
			return;
		}
	}
	int64_t unread = 0;
	db_conn *c = req_db(r);
	if (store_notifications_mark_read(c, r->user->id, ids ? list : NULL, (int)n, time(NULL), NULL) != DB_OK ||
	    store_notifications_unread(c, r->user->id, &unread) != DB_OK) {
		respond_error(r, 500, "internal", INTERNAL_ERROR, NULL);
		return;
	}
	respond_json(r, 200, json_pack("{s:I}", "unread", (json_int_t)unread));
}
