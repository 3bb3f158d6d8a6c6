/*
 * api_privacy.c — DELETE /me and GET /admin/access-log.  The work is done by
 * auth/erase.c, shared with the pages.
 */
#include "api/api_privacy.h"
#include "auth/erase.h"
#include "core/timefmt.h"
#include "http/session.h"

#include <stdio.h>
#include <stdlib.h>

void api_me_delete(request *r)
{
	struct outcome o;
	account_erase(r, req_str(r, "password"), &o);
	if (o.status != 204) {
		respond_outcome(r, &o);
		return;
	}
	session_end(r); /* the session row is gone; this clears the cookie */
	respond_no_content(r);
}

void api_admin_access_log(request *r)
{
	int64_t request_id = req_query_id(r, "request_id"), reader_id = req_query_id(r, "reader_id");
	int64_t cursor;
	if (!req_cursor(r, INT64_MAX, &cursor))
		return;
	if (request_id < 0 || reader_id < 0) {
		json_t *fields = json_object();
		if (request_id < 0)
			json_object_set_new(fields, "request_id", json_string(tr(r, N_("Give a request number."))));
		if (reader_id < 0)
			json_object_set_new(fields, "reader_id", json_string(tr(r, N_("Give a person's number."))));
		respond_error(r, 422, "invalid", N_("Some fields need your attention."), fields);
		return;
	}
	struct access_log_entry *list = NULL;
	int n = 0;
	bool more = false;
	if (store_access_log_list(req_db(r), request_id, reader_id, cursor, req_limit(r), &list, &n, &more) != DB_OK) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		json_t *reader = list[i].reader_id ? json_pack("{s:I, s:s}", "id", (json_int_t)list[i].reader_id, "name",
							       list[i].reader_name)
						   : json_null();
		json_array_append_new(items, json_pack("{s:I, s:I, s:o, s:s, s:s, s:o}", "id", (json_int_t)list[i].id,
						       "request_id", (json_int_t)list[i].request_id, "reader", reader,
						       "reason", list[i].reason, "address", list[i].address, "at",
						       time_json(list[i].at)));
	}
	json_t *next = json_null();
	if (more && n > 0) {
		char s[24];
		snprintf(s, sizeof s, "%lld", (long long)list[n - 1].id);
		next = json_string(s);
	}
	access_log_entries_free(list, n);
	respond_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}
