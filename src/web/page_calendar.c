/*
 * page_calendar.c — "my calendar": a month of the person's shifts and
 * sessions grouped by day (Gregorian and Hijri dates, times in Asia/Riyadh),
 * the private feed's link, and the feed itself (/calendar/TOKEN.ics).
 *
 * Only a hash of the feed token is stored, so the link is shown once, when it
 * is made; afterwards the page says a link exists and offers to replace it.
 */
#include "web/page_calendar.h"
#include "api/api_calendar.h"
#include "core/timefmt.h"
#include "domain/ical.h"
#include "domain/opportunity.h"
#include "http/app.h"
#include "web/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const month_names[12] = {
	N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
	N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
};

/* put_digits: ASCII text with its digits in the language's own (Arabic-Indic
 * for Arabic). */
static void put_digits(enum lang lang, const char *ascii, buf *out)
{
	for (const char *p = ascii; *p; p++) {
		if (lang == LANG_AR && *p >= '0' && *p <= '9')
			buf_printf(out, "\xD9%c", (char)(0xA0 + (*p - '0'))); /* U+0660 + d */
		else
			buf_putc(out, *p);
	}
}

/* riyadh_tm: the broken-down time of t in Asia/Riyadh. */
static void riyadh_tm(int64_t t, struct tm *out)
{
	time_t local = (time_t)(t + RIYADH_UTC_OFFSET);
	gmtime_r(&local, out);
}

/* month_start: midnight in Asia/Riyadh of the first day of the month. */
static int64_t month_start(int year, int month)
{
	char day[40];
	int64_t t = 0;
	snprintf(day, sizeof day, "%04d-%02d-01", year, month);
	time_parse_date(day, &t);
	return t;
}

/* parse_month: "YYYY-MM" (years 2000 to 2200). */
static bool parse_month(const char *s, int *year, int *month)
{
	if (strlen(s) != 7 || s[4] != '-')
		return false;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return false;
	*year = atoi(s);
	*month = atoi(s + 5);
	return *year >= 2000 && *year <= 2200 && *month >= 1 && *month <= 12;
}

/* month_link: {url, label} of a month. */
static json_t *month_link(request *r, int year, int month)
{
	char url[48], y[8];
	snprintf(url, sizeof url, "/calendar?month=%04d-%02d", year, month);
	snprintf(y, sizeof y, "%d", year);
	buf label = BUF_INIT;
	buf_printf(&label, "%s ", tr(r, month_names[month - 1]));
	put_digits(r->lang, y, &label);
	json_t *j = json_pack("{s:s, s:s}", "url", url, "label", label.data);
	buf_free(&label);
	return j;
}

/* event_ctx: one event as the template shows it. */
static json_t *event_ctx(request *r, const struct calendar_event *e)
{
	struct tm a, b;
	riyadh_tm(e->starts_at, &a);
	riyadh_tm(e->ends_at, &b);
	char span[32], link[48];
	snprintf(span, sizeof span, "%02d:%02d–%02d:%02d", a.tm_hour, a.tm_min, b.tm_hour, b.tm_min);
	buf time_text = BUF_INIT, title = BUF_INIT, location = BUF_INIT;
	put_digits(r->lang, span, &time_text);
	calendar_event_title(r->lang, e, false, &title);
	calendar_event_location(r->lang, e, &location);
	calendar_event_link(e, link, sizeof link);
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s}", "time", time_text.data, "title", title.data,
			      "role", e->role, "location", location.data, "org", calendar_event_org(r->lang, e),
			      "link", link, "cancelled", e->cancelled, "kind_label",
			      tr(r, e->kind == CAL_SHIFT ? N_("Shift") : N_("Session")));
	buf_free(&time_text);
	buf_free(&title);
	buf_free(&location);
	return j;
}

/* days_ctx: the events grouped by their day in Asia/Riyadh (an event begun
 * before the month is shown on its first day), each day with its Gregorian
 * and Hijri dates. */
static json_t *days_ctx(request *r, const struct calendar_event *list, int n, int64_t from)
{
	json_t *days = json_array(), *events = NULL;
	int64_t current = -1;
	for (int i = 0; i < n; i++) {
		int64_t at = list[i].starts_at < from ? from : list[i].starts_at;
		int64_t day = (at + RIYADH_UTC_OFFSET) / 86400;
		if (day != current) {
			current = day;
			int64_t noon = day * 86400 - RIYADH_UTC_OFFSET + 12 * 3600;
			buf date = BUF_INIT, hijri = BUF_INIT;
			i18n_format_date(r->lang, (time_t)noon, false, &date);
			i18n_format_hijri(r->lang, (time_t)noon, &hijri);
			char iso[40];
			struct tm t;
			riyadh_tm(noon, &t);
			snprintf(iso, sizeof iso, "%04d-%02d-%02d", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday);
			events = json_array();
			json_array_append_new(days, json_pack("{s:s, s:s, s:s, s:o}", "date", date.data, "hijri", hijri.data,
							      "iso", iso, "events", events));
			buf_free(&date);
			buf_free(&hijri);
		}
		json_array_append_new(events, event_ctx(r, &list[i]));
	}
	return days;
}

/* feed_ctx: the feed section: the new link (shown once) or whether one exists. */
static void feed_ctx(request *r, json_t *ctx, const char *new_token)
{
	int64_t created = 0;
	bool has = store_calendar_feed_get(req_db(r), r->user->id, &created) == DB_OK;
	json_object_set_new(ctx, "has_feed", json_boolean(has));
	if (has) {
		buf date = BUF_INIT;
		i18n_format_date(r->lang, (time_t)created, false, &date);
		json_object_set_new(ctx, "feed_created", json_string(date.data));
		buf_free(&date);
	}
	if (new_token) {
		buf url = BUF_INIT, webcal = BUF_INIT;
		calendar_feed_url(r, new_token, &url);
		const char *rest = strstr(url.data, "://");
		buf_printf(&webcal, "webcal://%s", rest ? rest + 3 : url.data);
		json_object_set_new(ctx, "new_url", json_string(url.data));
		json_object_set_new(ctx, "new_webcal", json_string(webcal.data));
		buf_free(&url);
		buf_free(&webcal);
	}
}

static void render(request *r, int status, int year, int month, const char *new_token)
{
	int64_t now = time(NULL), from = month_start(year, month);
	int next_year = month == 12 ? year + 1 : year, next_month = month == 12 ? 1 : month + 1;
	int prev_year = month == 1 ? year - 1 : year, prev_month = month == 1 ? 12 : month - 1;
	int64_t to = month_start(next_year, next_month);
	struct calendar_event *list = NULL;
	int n = 0;
	if (store_calendar_events(req_db(r), r->user->id, from, to, now - CALENDAR_CANCELLED_DAYS * CALENDAR_DAY,
				  &list, &n) != DB_OK) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	json_t *ctx = page_form_ctx(r, N_("My calendar"));
	json_object_set_new(ctx, "month", month_link(r, year, month));
	json_object_set_new(ctx, "prev", month_link(r, prev_year, prev_month));
	json_object_set_new(ctx, "next", month_link(r, next_year, next_month));
	json_object_set_new(ctx, "days", days_ctx(r, list, n, from));
	calendar_events_free(list, n);
	feed_ctx(r, ctx, new_token);
	if (new_token)
		json_object_set_new(ctx, "notice",
				    json_string(tr(r, N_("Copy this link now: for your safety it is shown only once."))));
	respond_page(r, status, "calendar", ctx);
}

/* current_month: the month it is now in Asia/Riyadh. */
static void current_month(int *year, int *month)
{
	struct tm t;
	riyadh_tm(time(NULL), &t);
	*year = t.tm_year + 1900;
	*month = t.tm_mon + 1;
}

void page_calendar(request *r)
{
	int year, month;
	const char *q = req_query(r, "month");
	if (q && !parse_month(q, &year, &month)) {
		respond_error(r, 422, "invalid", N_("Choose a month as YYYY-MM, for example 2026-12."), NULL);
		return;
	}
	if (!q)
		current_month(&year, &month);
	render(r, 200, year, month, NULL);
}

void page_calendar_feed(request *r)
{
	char token[SECRET_TOKEN_SIZE];
	if (!calendar_feed_create(r, token)) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	int year, month;
	current_month(&year, &month);
	render(r, 201, year, month, token);
}

void page_calendar_feed_revoke(request *r)
{
	int st = store_calendar_feed_delete(req_db(r), r->user->id);
	if (st != DB_OK && st != STORE_NOT_FOUND) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	if (st == DB_OK)
		store_audit(req_db(r), r->user->id, "calendar.feed.revoke", "", "", r->client_addr, time(NULL));
	respond_redirect(r, "/calendar");
}

/* ---- the feed ---- */

/* feed_owner: the person a "TOKEN.ics" path segment belongs to, and their language. */
static bool feed_owner(request *r, int64_t *user_id, enum lang *lang)
{
	const char *file = r->nparams > 0 ? r->params[0] : "";
	size_t n = strlen(file);
	char token[SECRET_TOKEN_SIZE], hash[SECRET_HASH_SIZE], locale[8];
	if (n < 5 || n - 4 >= sizeof token || strcmp(file + n - 4, ".ics") != 0)
		return false;
	memcpy(token, file, n - 4);
	token[n - 4] = '\0';
	if (!secret_looks_like_token(token))
		return false;
	secret_hash(token, hash);
	if (store_calendar_feed_find(req_db(r), hash, user_id, locale, sizeof locale) != DB_OK)
		return false;
	if (!i18n_parse(locale, lang))
		*lang = LANG_DEFAULT;
	return true;
}

/* feed_description: a short description without private details. */
static void feed_description(enum lang lang, const struct calendar_event *e, const char *url, buf *out)
{
	if (e->kind == CAL_SHIFT) {
		const char *org = calendar_event_org(lang, e);
		if (*e->role)
			buf_printf(out, "%s: %s\n", i18n_gettext(lang, N_("Role")), e->role);
		if (*org)
			buf_printf(out, "%s: %s\n", i18n_gettext(lang, N_("Organisation")), org);
	} else {
		buf_printf(out, "%s\n", i18n_gettext(lang, N_("A session booked through Khibra. Its details are on the request's page.")));
	}
	buf_puts(out, url);
}

void page_calendar_ics(request *r)
{
	int64_t user_id;
	enum lang lang;
	if (!feed_owner(r, &user_id, &lang)) {
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	int64_t now = time(NULL);
	struct calendar_event *list = NULL;
	int n = 0;
	if (store_calendar_events(req_db(r), user_id, now - CALENDAR_FEED_PAST_DAYS * CALENDAR_DAY,
				  now + CALENDAR_FEED_AHEAD_DAYS * CALENDAR_DAY,
				  now - CALENDAR_CANCELLED_DAYS * CALENDAR_DAY, &list, &n) != DB_OK) {
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	struct ical_event *events = calloc((size_t)n + 1, sizeof *events);
	buf *texts = calloc((size_t)n * 4 + 1, sizeof *texts); /* title, location, description, url */
	char (*uids)[ICAL_UID_MAX] = calloc((size_t)n + 1, sizeof *uids);
	if (!events || !texts || !uids)
		abort();
	for (int i = 0; i < n; i++) {
		const struct calendar_event *e = &list[i];
		buf *t = &texts[i * 4];
		for (int k = 0; k < 4; k++)
			buf_init(&t[k]);
		char link[48];
		calendar_event_link(e, link, sizeof link);
		calendar_absolute_url(r, link, &t[3]);
		calendar_event_title(lang, e, true, &t[0]);
		calendar_event_location(lang, e, &t[1]);
		feed_description(lang, e, t[3].data, &t[2]);
		calendar_event_uid(r, e, uids[i], sizeof uids[i]);
		events[i] = (struct ical_event){ .uid = uids[i], .summary = t[0].data, .location = t[1].data,
						 .description = t[2].data, .url = t[3].data, .starts_at = e->starts_at,
						 .ends_at = e->ends_at, .sequence = e->sequence, .cancelled = e->cancelled };
	}
	struct ical_calendar cal = { .name = i18n_gettext(lang, N_("Khibra: my calendar")), .lang = i18n_code(lang),
				     .now = now };
	char *text = ical_render(&cal, events, (size_t)n);
	respond_header(r, "Cache-Control", "private, max-age=300");
	respond_bytes(r, 200, "text/calendar; charset=utf-8", text, strlen(text));
	free(text);
	for (int i = 0; i < n * 4; i++)
		buf_free(&texts[i]);
	free(texts);
	free(uids);
	free(events);
	calendar_events_free(list, n);
}
