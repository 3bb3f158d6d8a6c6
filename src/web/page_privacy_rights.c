/*
 * page_privacy_rights.c — the "delete my account" form and its confirmation
 * (templates/account_deleted.html), and the moderators' access log of private
 * help-request details (templates/moderation_access_log.html).  The work is
 * done by auth/erase.c, shared with the API.
 */
#include "web/page_privacy_rights.h"
#include "web/pages.h"
#include "auth/erase.h"
#include "http/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* render_delete_form: the form, with an error and a field reason if any. */
static void render_delete_form(request *r, int status, const char *error, const char *password_reason,
			       const char *confirm_reason)
{
	json_t *ctx = page_form_ctx(r, N_("Delete my account"));
	if (error)
		json_object_set_new(ctx, "error", json_string(tr(r, error)));
	if (password_reason)
		json_object_set_new(ctx, "password_error", json_string(password_reason));
	if (confirm_reason)
		json_object_set_new(ctx, "confirm_error", json_string(tr(r, confirm_reason)));
	respond_page(r, status, "account_deleted", ctx);
}

void page_account_delete_form(request *r)
{
	render_delete_form(r, 200, NULL, NULL, NULL);
}

void page_account_delete(request *r)
{
	bool present = false;
	if (!req_bool(r, "confirm", &present)) {
		render_delete_form(r, 422, N_("Some fields need your attention."), NULL,
				   N_("Tick the box to confirm that you want to delete your account."));
		return;
	}
	struct outcome o;
	account_erase(r, req_str(r, "password"), &o);
	if (o.status != 204) {
		const char *reason = o.fields ? json_string_value(json_object_get(o.fields, "password")) : NULL;
		char *copy = reason ? strdup(reason) : NULL;
		if (o.retry_after > 0) {
			char secs[24];
			snprintf(secs, sizeof secs, "%d", o.retry_after);
			respond_header(r, "Retry-After", secs);
		}
		if (o.status == 403)
			copy = copy ? copy : strdup(tr(r, N_("The password is not right.")));
		render_delete_form(r, o.status, o.message, copy, NULL);
		free(copy);
		outcome_clear(&o);
		return;
	}
	session_end(r);
	auth_user_free(r->user); /* the page is shown as to a visitor */
	r->user = NULL;
	json_t *ctx = page_ctx(r, N_("Your account has been deleted"));
	json_object_set_new(ctx, "done", json_true());
	respond_page(r, 200, "account_deleted", ctx);
}

/* ---- the access log ---- */

/* entry_json: one read, for the template. */
static json_t *entry_json(request *r, const struct access_log_entry *e)
{
	const char *label = access_reason_label(e->reason);
	buf when = BUF_INIT, hijri = BUF_INIT;
	i18n_format_date(r->lang, (time_t)e->at, true, &when);
	i18n_format_hijri(r->lang, (time_t)e->at, &hijri);
	json_t *item = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)e->id, "request_id",
				 (json_int_t)e->request_id, "reader",
				 *e->reader_name ? e->reader_name
				 : tr(r, e->reader_id ? N_("A former member") : N_("(someone no longer here)")),
				 "role", label ? tr(r, label) : e->reason, "address", e->address, "when",
				 when.data ? when.data : "", "hijri", hijri.data ? hijri.data : "");
	if (e->reader_id)
		json_object_set_new(item, "reader_id", json_integer(e->reader_id));
	buf_free(&when);
	buf_free(&hijri);
	return item;
}

void page_moderation_access_log(request *r)
{
	/* A filter that is not a number is no filter (the form's fields are numbers). */
	int64_t request_id = req_query_id(r, "request_id"), reader_id = req_query_id(r, "reader_id");
	request_id = request_id < 0 ? 0 : request_id;
	reader_id = reader_id < 0 ? 0 : reader_id;
	int64_t cursor;
	if (!req_cursor(r, INT64_MAX, &cursor))
		return;
	struct access_log_entry *list = NULL;
	int n = 0;
	bool more = false;
	if (store_access_log_list(req_db(r), request_id, reader_id, cursor, PAGE_DEFAULT_LIMIT, &list, &n, &more) !=
	    DB_OK) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	json_t *ctx = page_ctx(r, N_("Who read private requests"));
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, entry_json(r, &list[i]));
	json_object_set_new(ctx, "items", items);
	json_object_set_new(ctx, "has_items", json_boolean(n > 0));
	if (request_id)
		json_object_set_new(ctx, "request_id", json_integer(request_id));
	if (reader_id)
		json_object_set_new(ctx, "reader_id", json_integer(reader_id));
	json_object_set_new(ctx, "filtered", json_boolean(request_id || reader_id));
	json_object_set_new(ctx, "paged", json_boolean(cursor > 0));
	if (more && n > 0)
		json_object_set_new(ctx, "older", json_integer(list[n - 1].id));
	access_log_entries_free(list, n);
	respond_page(r, 200, "moderation_access_log", ctx);
}
