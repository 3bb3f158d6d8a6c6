/*
 * page_credentials.c — "my credentials" (list, upload form), downloading a
 * credential's file, and "my notifications".
 */
#include "web/page_moderation.h"
#include "web/pages.h"
#include "auth/moderation.h"
#include "auth/notify.h"
#include "http/app.h"
#include "store/files.h"
#include "store/notifications.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *credential_status_label(request *r, const char *status)
{
	if (strcmp(status, "approved") == 0)
		return tr(r, N_("Verified"));
	if (strcmp(status, "rejected") == 0)
		return tr(r, N_("Not accepted"));
	if (strcmp(status, "verified") == 0)
		return tr(r, N_("Verified"));
	return tr(r, N_("Awaiting review"));
}

const char *status_badge_class(const char *status)
{
	if (strcmp(status, "approved") == 0 || strcmp(status, "verified") == 0)
		return "badge-success";
	if (strcmp(status, "rejected") == 0)
		return "badge-muted";
	return "badge-warning";
}

/* render_credentials: the page, with an outcome's errors and the values
 * typed when the upload needs fixing. */
static void render_credentials(request *r, int status, struct outcome *o)
{
	json_t *ctx = page_form_ctx(r, N_("My credentials"));
	struct credential_record *list = NULL;
	int n = 0;
	json_t *items = json_array();
	if (store_credentials_of_user(req_db(r), r->user->id, &list, &n) == DB_OK) {
		for (int i = 0; i < n; i++) {
			buf date = BUF_INIT;
			i18n_format_date(r->lang, (time_t)list[i].created_at, false, &date);
			json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
							       "id", (json_int_t)list[i].id, "kind",
							       credential_kind_label(r->lang, list[i].kind), "issuer",
							       list[i].issuer, "number", list[i].number, "status",
							       credential_status_label(r, list[i].status), "badge",
							       status_badge_class(list[i].status), "reason",
							       list[i].reason, "file_name", list[i].file_name, "date",
							       date.data));
			buf_free(&date);
		}
		credential_records_free(list, n);
	}
	json_object_set_new(ctx, "has_items", json_boolean(json_array_size(items) > 0));
	json_object_set_new(ctx, "items", items);
	if (req_query(r, "uploaded"))
		json_object_set_new(ctx, "notice",
				    json_string(tr(r, N_("Thank you. A moderator will review your document soon."))));
	if (o && o->status) {
		json_object_set_new(ctx, "error", json_string(tr(r, o->message)));
		if (o->fields)
			json_object_set(ctx, "fields", o->fields);
		const char *kind = req_str(r, "kind");
		json_object_set_new(ctx, "value", json_pack("{s:s, s:s, s:b, s:b, s:b}", "issuer",
							    req_str(r, "issuer") ? req_str(r, "issuer") : "", "number",
							    req_str(r, "number") ? req_str(r, "number") : "",
							    "licence", kind && !strcmp(kind, "licence"), "degree",
							    kind && !strcmp(kind, "degree"), "certificate",
							    kind && !strcmp(kind, "certificate")));
		outcome_clear(o);
	}
	respond_page(r, status, "credentials", ctx);
}

void page_credentials(request *r)
{
	render_credentials(r, 200, NULL);
}

void page_credential_upload(request *r)
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
	if (o.status == 201) {
		respond_redirect(r, "/credentials?uploaded=1");
		return;
	}
	render_credentials(r, o.status, &o);
}

void page_credential_file(request *r)
{
	int64_t id;
	struct credential_record c;
	if (!req_param_id(r, 0, &id) || store_credential_by_id(req_db(r), id, &c) != DB_OK) {
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	bool visible = credential_visible(r, &c);
	buf data = BUF_INIT;
	bool read = visible && files_read(r->app->cfg.data_dir, c.file_hash, &data);
	credential_record_free(&c);
	if (!read) {
		buf_free(&data);
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	/* The type is read again from the bytes: a static string, and the truth. */
	const char *type = filetype_detect(data.data, data.len);
	char disposition[96];
	snprintf(disposition, sizeof disposition, "attachment; filename=\"credential-%lld%s\"", (long long)id,
		 filetype_extension(type));
	respond_header(r, "Content-Disposition", disposition);
	respond_header(r, "Cache-Control", "private, no-store");
	respond_bytes(r, 200, type ? type : "application/octet-stream", data.data, data.len);
	buf_free(&data);
}

void page_notifications(request *r)
{
	json_t *ctx = page_ctx(r, N_("Notifications"));
	struct notification_record *list = NULL;
	int n = 0;
	bool more = false;
	int64_t unread = 0;
	json_t *items = json_array();
	db_conn *c = req_db(r);
	if (store_notifications_list(c, r->user->id, 0, PAGE_MAX_LIMIT, &list, &n, &more) == DB_OK) {
		for (int i = 0; i < n; i++) {
			buf text = BUF_INIT, date = BUF_INIT;
			notify_text(r->lang, list[i].kind, list[i].params, &text);
			i18n_format_date(r->lang, (time_t)list[i].created_at, true, &date);
			json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:b}", "text", text.data, "date",
							       date.data, "link", page_safe_next(list[i].link, ""),
							       "unread", list[i].read_at == 0));
			buf_free(&text);
			buf_free(&date);
		}
		notification_records_free(list, n);
	}
	store_notifications_unread(c, r->user->id, &unread);
	json_object_set_new(ctx, "has_items", json_boolean(json_array_size(items) > 0));
	json_object_set_new(ctx, "items", items);
	json_object_set_new(ctx, "unread", json_integer(unread));
	respond_page(r, 200, "notifications", ctx);
}

void page_notifications_read(request *r)
{
	if (store_notifications_mark_read(req_db(r), r->user->id, NULL, 0, time(NULL), NULL) != DB_OK) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	respond_redirect(r, "/notifications");
}
