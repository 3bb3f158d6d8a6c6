/*
 * api_export.c — GET /api/v1/me/export and GET /account/export: everything
 * Khibra holds about the caller, as one JSON document (the right of access
 * of the Saudi PDPL and the GDPR).  Secrets are never exported: no password
 * hash, no session or token hashes, no sealing key.  Reading one's own help
 * requests for the export is logged like any other read.
 */
#include "api/api.h"
#include "api/api_applications.h"
#include "api/api_moderation.h"
#include "api/api_profiles.h"
#include "help/help_flow.h"
#include "store/applications.h"
#include "store/calendar.h"
#include "store/help.h"
#include "store/messages.h"
#include "store/moderation.h"
#include "store/notifications.h"
#include "store/profiles.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXPORT_MAX_ROWS 10000

static json_t *export_sessions(request *r)
{
	json_t *list = json_array();
	struct session_info *s = NULL;
	int n = 0;
	if (store_sessions_list(req_db(r), r->user->id, time(NULL), SESSION_IDLE_SECONDS, &s, &n) == DB_OK) {
		for (int i = 0; i < n; i++)
			json_array_append_new(list, json_pack("{s:I, s:o, s:o, s:s, s:s}", "id", (json_int_t)s[i].id,
							      "created_at", time_json(s[i].created_at), "last_seen_at",
							      time_json(s[i].last_seen_at), "address", s[i].address,
							      "user_agent", s[i].user_agent));
		free(s);
	}
	return list;
}

static json_t *export_tokens(request *r)
{
	json_t *list = json_array();
	struct token_record *t = NULL;
	int n = 0;
	if (store_tokens_list(req_db(r), r->user->id, &t, &n) == DB_OK) {
		for (int i = 0; i < n; i++)
			json_array_append_new(list, json_pack("{s:I, s:s, s:o}", "id", (json_int_t)t[i].id, "name",
							      t[i].name, "created_at", time_json(t[i].created_at)));
		free(t);
	}
	return list;
}

static json_t *export_orgs(request *r)
{
	json_t *list = json_array();
	struct org_membership *m = NULL;
	int n = 0;
	if (store_user_orgs(req_db(r), r->user->id, &m, &n) == DB_OK) {
		for (int i = 0; i < n; i++)
			json_array_append_new(list, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)m[i].id, "name",
							      m[i].name, "role", m[i].role));
		org_memberships_free(m, n);
	}
	return list;
}

static json_t *export_credentials(request *r)
{
	json_t *list = json_array();
	struct credential_record *c = NULL;
	int n = 0;
	if (store_credentials_of_user(req_db(r), r->user->id, &c, &n) == DB_OK) {
		for (int i = 0; i < n; i++)
			json_array_append_new(list, credential_json(&c[i], false));
		credential_records_free(c, n);
	}
	return list;
}

static json_t *export_applications(request *r)
{
	json_t *list = json_array();
	struct application *a = NULL;
	int n = 0;
	bool more = false;
	if (store_applications_of_user(req_db(r), r->user->id, 0, EXPORT_MAX_ROWS, &a, &n, &more) == DB_OK) {
		for (int i = 0; i < n; i++)
			json_array_append_new(list, application_json(&a[i]));
		applications_free(a, n);
	}
	return list;
}

/* export_requests: the person's own help requests, with their details. */
static json_t *export_requests(request *r)
{
	json_t *list = json_array();
	struct help_request *h = NULL;
	int n = 0;
	db_conn *c = req_db(r);
	if (store_help_list_mine(c, r->user->id, 0, EXPORT_MAX_ROWS, &h, &n) != DB_OK)
		return list;
	for (int i = 0; i < n; i++) {
		struct help_request full;
		if (store_help_get(c, h[i].id, r->user->id, r->user->roles, "export", r->client_addr, time(NULL),
				   &full) == DB_OK) {
			json_array_append_new(list, help_json(&full, true));
			help_request_free(&full);
		}
	}
	help_requests_free(h, n);
	return list;
}

static json_t *export_notifications(request *r)
{
	json_t *list = json_array();
	struct notification_record *nt = NULL;
	int n = 0;
	bool more = false;
	if (store_notifications_list(req_db(r), r->user->id, 0, EXPORT_MAX_ROWS, &nt, &n, &more) == DB_OK) {
		for (int i = 0; i < n; i++) {
			json_t *params = json_loads(nt[i].params, 0, NULL);
			json_array_append_new(list, json_pack("{s:I, s:s, s:o, s:s, s:o, s:b}", "id", (json_int_t)nt[i].id,
							      "kind", nt[i].kind, "params", params ? params : json_object(),
							      "link", nt[i].link, "created_at", time_json(nt[i].created_at),
							      "read", nt[i].read_at != 0));
		}
		notification_records_free(nt, n);
	}
	return list;
}

/* export_messages: the threads the person takes part in, each with the
 * messages they wrote (what others wrote is theirs, not this person's). */
static json_t *export_messages(request *r)
{
	json_t *list = json_array();
	db_conn *c = req_db(r);
	struct message_thread *t = NULL;
	int nt = 0;
	bool more = false;
	if (store_message_threads(c, r->user->id, r->user->roles & ROLE_MODERATOR, 0, EXPORT_MAX_ROWS, &t, &nt,
				  &more) != DB_OK)
		return list;
	for (int i = 0; i < nt; i++) {
		json_t *mine = json_array();
		int64_t after = 0;
		bool again = true;
		while (again) {
			struct message *m = NULL;
			int n = 0;
			if (store_messages_list(c, t[i].kind, t[i].thread_id, after, 500, &m, &n, &again) != DB_OK)
				break;
			for (int k = 0; k < n; k++) {
				after = m[k].id;
				if (m[k].author_id == r->user->id)
					json_array_append_new(mine, json_pack("{s:I, s:s, s:o}", "id", (json_int_t)m[k].id,
									      "body", m[k].body, "created_at",
									      time_json(m[k].created_at)));
			}
			messages_free(m, n);
		}
		json_array_append_new(list, json_pack("{s:s, s:I, s:s, s:o}", "thread_kind", t[i].kind, "thread_id",
						      (json_int_t)t[i].thread_id, "title", t[i].title, "my_messages", mine));
	}
	message_threads_free(t, nt);
	return list;
}

/* export_calendar: whether a private calendar link exists (its token is
 * never stored, only its hash, so it cannot be exported). */
static json_t *export_calendar(request *r)
{
	int64_t since = 0;
	if (store_calendar_feed_get(req_db(r), r->user->id, &since) != DB_OK || since == 0)
		return json_pack("{s:b}", "feed_active", 0);
	return json_pack("{s:b, s:o}", "feed_active", 1, "feed_created_at", time_json(since));
}

/* build_export: the whole document. */
static json_t *build_export(request *r)
{
	json_t *roles = json_array();
	for (unsigned bit = 1; bit <= ROLE_ADMIN; bit <<= 1)
		if (r->user->roles & bit)
			json_array_append_new(roles, json_string(role_name(bit)));
	json_t *profile = json_null();
	struct profile p;
	/* store_profile_load fills defaults even when there is no profile yet:
	 * the struct is ours to free either way. */
	if (store_profile_load(req_db(r), r->user->id, &p) == DB_OK)
		profile = own_profile_json(&p);
	specialist_profile_free(&p);
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			 "format", "khibra-export-1", "exported_at", time_json(time(NULL)),
			 "user", api_user_json(r->user), "roles", roles, "profile", profile,
			 "organisations", export_orgs(r), "credentials", export_credentials(r),
			 "applications", export_applications(r), "help_requests", export_requests(r),
			 "messages", export_messages(r), "calendar", export_calendar(r),
			 "notifications", export_notifications(r), "sessions", export_sessions(r),
			 "api_tokens", export_tokens(r));
}

void api_me_export(request *r)
{
	store_audit(req_db(r), r->user->id, "account.export", "", "", r->client_addr, time(NULL));
	respond_json(r, 200, build_export(r));
}

void page_me_export(request *r)
{
	store_audit(req_db(r), r->user->id, "account.export", "", "", r->client_addr, time(NULL));
	json_t *doc = build_export(r);
	char *text = json_dumps(doc, JSON_INDENT(1) | JSON_ENSURE_ASCII);
	json_decref(doc);
	if (!text) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	respond_header(r, "Content-Disposition", "attachment; filename=\"khibra-my-data.json\"");
	respond_header(r, "Cache-Control", "private, no-store");
	respond_bytes(r, 200, "application/json; charset=utf-8", text, strlen(text));
	free(text);
}
