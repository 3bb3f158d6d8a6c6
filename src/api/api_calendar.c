/*
 * api_calendar.c — GET /me/calendar and the feed token over JSON, and the
 * event texts, links and UIDs the calendar page and the feed share.
 */
#include "api/api_calendar.h"
#include "domain/ical.h"
#include "domain/opportunity.h"
#include "core/timefmt.h"
#include "http/app.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---- shared by the API, the page and the feed ---- */

void calendar_event_title(enum lang lang, const struct calendar_event *e, bool with_role, buf *out)
{
	if (e->kind == CAL_SESSION) {
		buf_puts(out, i18n_gettext(lang, N_("Consultation session")));
		return;
	}
	buf_puts(out, e->title);
	if (with_role && e->role && *e->role)
		buf_printf(out, " — %s", e->role);
}

void calendar_event_location(enum lang lang, const struct calendar_event *e, buf *out)
{
	if (e->kind == CAL_SESSION) {
		const char *msgid = strcmp(e->mode, "video") == 0 ? N_("Video call")
				    : strcmp(e->mode, "phone") == 0 ? N_("Phone call") : N_("In person");
		buf_puts(out, i18n_gettext(lang, msgid));
		return;
	}
	if (e->remote) {
		buf_puts(out, i18n_gettext(lang, N_("Remote")));
		return;
	}
	const char *city = lang == LANG_EN ? e->city_en : e->city_ar;
	buf_puts(out, city ? city : "");
	if (e->address && *e->address)
		buf_printf(out, "%s%s", out->len ? (lang == LANG_AR ? "، " : ", ") : "", e->address);
}

const char *calendar_event_org(enum lang lang, const struct calendar_event *e)
{
	if (lang == LANG_EN && e->org_name_en && *e->org_name_en)
		return e->org_name_en;
	return e->org_name ? e->org_name : "";
}

void calendar_event_link(const struct calendar_event *e, char *out, size_t outlen)
{
	snprintf(out, outlen, e->kind == CAL_SHIFT ? "/opportunities/%lld" : "/requests/%lld", (long long)e->link_id);
}

void calendar_event_uid(request *r, const struct calendar_event *e, char *out, size_t outlen)
{
	ical_uid(e->kind == CAL_SHIFT ? "shift" : "session", e->id, r->app ? r->app->cfg.public_url : NULL, out,
		 outlen);
}

bool calendar_feed_create(request *r, char token[SECRET_TOKEN_SIZE])
{
	char hash[SECRET_HASH_SIZE];
	secret_token(token);
	secret_hash(token, hash);
	if (store_calendar_feed_set(req_db(r), r->user->id, hash, time(NULL)) != DB_OK)
		return false;
	store_audit(req_db(r), r->user->id, "calendar.feed.create", "", "", r->client_addr, time(NULL));
	return true;
}

const char *calendar_public_url(request *r)
{
	return r->app && r->app->cfg.public_url ? r->app->cfg.public_url : "";
}

void calendar_absolute_url(request *r, const char *path, buf *out)
{
	const char *base = calendar_public_url(r);
	size_t n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	buf_printf(out, "%.*s%s", (int)n, base, path);
}

void calendar_feed_url(request *r, const char *token, buf *out)
{
	char path[SECRET_TOKEN_SIZE + 24];
	snprintf(path, sizeof path, "/calendar/%s.ics", token);
	calendar_absolute_url(r, path, out);
}

/* ---- the JSON API ---- */

/* parse_bound: ?from= / ?to= as RFC 3339 or YYYY-MM-DD (midnight in
 * Asia/Riyadh; a date alone as `to` includes that whole day). */
static bool parse_bound(const char *s, bool is_to, int64_t *out)
{
	if (strlen(s) == 10) {
		if (!time_parse_date(s, out))
			return false;
		if (is_to)
			*out += CALENDAR_DAY;
		return true;
	}
	return time_parse_rfc3339(s, false, out);
}

static json_t *event_json(request *r, const struct calendar_event *e)
{
	buf title = BUF_INIT, location = BUF_INIT;
	char uid[ICAL_UID_MAX], link[48];
	calendar_event_title(r->lang, e, false, &title);
	calendar_event_location(r->lang, e, &location);
	calendar_event_uid(r, e, uid, sizeof uid);
	calendar_event_link(e, link, sizeof link);
	const char *org = calendar_event_org(r->lang, e);
	json_t *j = json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:b, s:s, s:s, s:o, s:o}", "uid", uid, "kind",
			      e->kind == CAL_SHIFT ? "shift" : "session", "title", title.data, "starts_at",
			      time_json(e->starts_at), "ends_at", time_json(e->ends_at), "location", location.data,
			      "remote", e->remote, "link", link, "status", e->cancelled ? "cancelled" : "confirmed",
			      "role", *e->role ? json_string(e->role) : json_null(), "organisation",
			      *org ? json_string(org) : json_null());
	buf_free(&title);
	buf_free(&location);
	return j;
}

static void field_invalid(request *r, const char *field, const char *reason)
{
	respond_error(r, 422, "invalid", N_("Some fields need your attention."),
		      json_pack("{s:s}", field, tr(r, reason)));
}

void api_calendar_get(request *r)
{
	int64_t now = time(NULL), from = now, to = now + CALENDAR_API_DEFAULT_DAYS * CALENDAR_DAY;
	const char *qfrom = req_query(r, "from"), *qto = req_query(r, "to");
	if (qfrom && !parse_bound(qfrom, false, &from)) {
		field_invalid(r, "from", N_("Give a date as YYYY-MM-DD or a time as 2026-12-04T08:00:00+03:00."));
		return;
	}
	if (qto && !parse_bound(qto, true, &to)) {
		field_invalid(r, "to", N_("Give a date as YYYY-MM-DD or a time as 2026-12-04T08:00:00+03:00."));
		return;
	}
	if (qfrom && !qto)
		to = from + CALENDAR_API_DEFAULT_DAYS * CALENDAR_DAY;
	if (to <= from) {
		field_invalid(r, "to", N_("The end must come after the start."));
		return;
	}
	if (to - from > CALENDAR_API_MAX_DAYS * CALENDAR_DAY) {
		field_invalid(r, "to", N_("Ask for at most 400 days at a time."));
		return;
	}
	struct calendar_event *list = NULL;
	int n = 0;
	if (store_calendar_events(req_db(r), r->user->id, from, to, now - CALENDAR_CANCELLED_DAYS * CALENDAR_DAY,
				  &list, &n) != DB_OK) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, event_json(r, &list[i]));
	calendar_events_free(list, n);
	respond_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

void api_calendar_feed_create(request *r)
{
	char token[SECRET_TOKEN_SIZE];
	if (!calendar_feed_create(r, token)) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	buf url = BUF_INIT;
	calendar_feed_url(r, token, &url);
	respond_json(r, 201, json_pack("{s:s, s:s}", "url", url.data, "token", token));
	buf_free(&url);
}

void api_calendar_feed_delete(request *r)
{
	int st = store_calendar_feed_delete(req_db(r), r->user->id);
	if (st != DB_OK && st != STORE_NOT_FOUND) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	if (st == DB_OK)
		store_audit(req_db(r), r->user->id, "calendar.feed.revoke", "", "", r->client_addr, time(NULL));
	respond_no_content(r);
}
