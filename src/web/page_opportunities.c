/*
 * page_opportunities.c — opportunity pages (page_opportunities.h).  Every
 * page works without JavaScript: the search is a GET form, the management
 * buttons are POST forms that come back with a notice (303).
 */
#include "web/page_opportunities.h"
#include "core/timefmt.h"
#include "opportunities/opportunity_actions.h"
#include "store/taxonomy.h"
#include "web/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const MSG_INTERNAL = N_("Something went wrong on our side. Please try again.");

/* Notices after a redirect: the query names one by code; no text from the
 * address is ever shown. */
static const struct { const char *code; const char *msgid; } notices[] = {
	{ "created", N_("The opportunity has been saved as a draft. Publish it when it is ready.") },
	{ "saved", N_("The changes have been saved.") },
	{ "published", N_("The opportunity is open: specialists can now find it and apply.") },
	{ "closed", N_("The opportunity is closed to new applications.") },
	{ "completed", N_("The opportunity is marked as completed. Thank you!") },
	{ "cancelled", N_("The opportunity has been cancelled; accepted participants were notified.") },
};

static const char *notice_text(request *r)
{
	const char *code = req_query(r, "notice");
	for (size_t i = 0; code && i < sizeof notices / sizeof notices[0]; i++)
		if (strcmp(notices[i].code, code) == 0)
			return tr(r, notices[i].msgid);
	return NULL;
}

static void url_encode(buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-_.~", *p)) {
			buf_putc(out, (char)*p);
		} else {
			buf_putc(out, '%');
			buf_putc(out, hex[*p >> 4]);
			buf_putc(out, hex[*p & 15]);
		}
	}
}

static void fail_page(request *r, struct outcome *o)
{
	respond_error(r, o->status, o->code, o->message, NULL);
	outcome_clear(o);
}

/* ---- shared views ---- */

static json_t *date_pair(request *r, int64_t t)
{
	buf g = BUF_INIT, h = BUF_INIT;
	i18n_format_date(r->lang, (time_t)t, true, &g);
	i18n_format_hijri(r->lang, (time_t)t, &h);
	json_t *v = json_pack("{s:s, s:s}", "gregorian", g.data ? g.data : "", "hijri", h.data ? h.data : "");
	buf_free(&g);
	buf_free(&h);
	return v;
}

static const char *domain_name(request *r, const char *slug)
{
	const struct taxonomy_domain *d = taxonomy_domain_find(slug);
	return d ? tr(r, d->name_en) : "";
}

/* city_name: the city's name in the page language when `city` is a slug. */
static json_t *city_name(request *r, const char *city)
{
	struct taxonomy_city c;
	if (*city && store_city_by_slug(req_db(r), city, &c) == DB_OK) {
		json_t *v = json_string(r->lang == LANG_AR ? c.name_ar : c.name_en);
		taxonomy_city_free(&c);
		return v;
	}
	return json_string(city);
}

static const char *org_name(request *r, const struct opportunity *o)
{
	return r->lang == LANG_EN && o->org_name_en && *o->org_name_en ? o->org_name_en : o->org_name;
}

/* places_text: "3 of 5" in words, so that the order survives right-to-left
 * text ("٣ / ٥" is shown as "٥ / ٣" in an Arabic line). */
static json_t *places_text(request *r, int64_t left, int64_t capacity)
{
	buf l = BUF_INIT, c = BUF_INIT;
	i18n_format_number(r->lang, (double)left, 0, &l);
	i18n_format_number(r->lang, (double)capacity, 0, &c);
	/* TRANSLATORS: places left of the places in all; %1$s and %2$s are numbers. */
	const char *fmt = tr(r, N_("%1$s of %2$s"));
	char text[160];
	/* The format is a catalogue entry: msgfmt --check makes sure each
	 * translation takes the same two strings. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(text, sizeof text, fmt, l.data, c.data);
#pragma GCC diagnostic pop
	buf_free(&l);
	buf_free(&c);
	return json_string(text);
}

/* card_view: what a result card shows. */
static json_t *card_view(request *r, const struct opportunity *o)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:b, s:o, s:o, s:o, s:s, s:s}", "id", (json_int_t)o->id,
			 "title", o->title, "kind_label", tr(r, opportunity_kind_label(o->kind)), "domain_label",
			 domain_name(r, o->domain), "org_name", org_name(r, o), "city_name", city_name(r, o->city),
			 "remote", o->remote, "starts", date_pair(r, o->starts_at), "ends", date_pair(r, o->ends_at),
			 "places_left", page_number(r, o->places_left), "status", o->status, "status_label",
			 tr(r, opportunity_status_label(o->status)));
}

static json_t *domain_options(request *r, const char *selected)
{
	json_t *list = json_array();
	for (int i = 0; i < TAXONOMY_DOMAIN_COUNT; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", taxonomy_domains[i].slug, "label",
						      tr(r, taxonomy_domains[i].name_en), "selected",
						      selected && !strcmp(selected, taxonomy_domains[i].slug)));
	return list;
}

/* ---- the search ---- */

/* next_link: this search's address with the cursor of the next page. */
static json_t *next_link(request *r, const char *cursor)
{
	static const char *const keep[] = { "q", "domain", "skill", "city", "remote", "from", "to", "near",
					    "radius_km", "limit" };
	buf url = BUF_INIT;
	buf_puts(&url, "/opportunities?");
	for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
		const char *v = req_query(r, keep[i]);
		if (!v || !*v)
			continue;
		buf_printf(&url, "%s=", keep[i]);
		url_encode(&url, v);
		buf_putc(&url, '&');
	}
	buf_puts(&url, "cursor=");
	buf_puts(&url, cursor);
	json_t *v = json_string(url.data);
	buf_free(&url);
	return v;
}

void page_opportunities(request *r)
{
	struct opp_filter f;
	struct opp_errors errs = { 0 };
	char city[64];
	opp_filter_from_query(r, &f, city, sizeof city, &errs);
	opp_filter_upcoming(&f, time(NULL));
	json_t *ctx = page_ctx(r, N_("Volunteering opportunities"));
	const char *q = req_query(r, "q"), *c = req_query(r, "city"), *from = req_query(r, "from"), *to = req_query(r, "to");
	json_object_set_new(ctx, "form", json_pack("{s:s, s:s, s:s, s:s, s:b}", "q", q ? q : "", "city", c ? c : "",
						   "from", from ? from : "", "to", to ? to : "", "remote", f.remote == 1));
	json_object_set_new(ctx, "domains", domain_options(r, req_query(r, "domain")));
	if (errs.n) {
		json_object_set_new(ctx, "error", json_string(tr(r, N_("Some fields need your attention."))));
		json_object_set_new(ctx, "fields", opp_errors_json(r, &errs));
		respond_page(r, 422, "opportunities", ctx);
		return;
	}
	struct opportunity *list = NULL;
	int n = 0;
	char next[OPP_CURSOR_MAX];
	if (store_opportunities_list(req_db(r), &f, &list, &n, next) != DB_OK) {
		json_decref(ctx);
		respond_error(r, 500, "internal", MSG_INTERNAL, NULL);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, card_view(r, &list[i]));
	opportunities_free(list, n);
	json_object_set_new(ctx, "items", items);
	if (*next)
		json_object_set_new(ctx, "next_url", next_link(r, next));
	if (f.has_cursor)
		json_object_set_new(ctx, "first_url", json_string("/opportunities"));
	respond_page(r, 200, "opportunities", ctx);
}

/* ---- the detail page ---- */

static json_t *skills_view(request *r, const struct opportunity *o)
{
	json_t *list = json_array();
	for (int i = 0; i < o->nskills; i++) {
		struct taxonomy_skill s;
		if (store_skill_by_slug(req_db(r), o->skills[i], &s) != DB_OK)
			continue;
		json_array_append_new(list, json_pack("{s:s}", "name", r->lang == LANG_AR ? s.name_ar : s.name_en));
		taxonomy_skill_free(&s);
	}
	return list;
}

static json_t *shifts_view(request *r, const struct opportunity *o)
{
	json_t *list = json_array();
	for (int i = 0; i < o->nshifts; i++) {
		const struct opp_shift *s = &o->shifts[i];
		json_t *skill = json_string("");
		struct taxonomy_skill k;
		if (s->skill && store_skill_by_slug(req_db(r), s->skill, &k) == DB_OK) {
			json_decref(skill);
			skill = json_string(r->lang == LANG_AR ? k.name_ar : k.name_en);
			taxonomy_skill_free(&k);
		}
		json_array_append_new(list, json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "role", s->role, "skill", skill,
						      "starts", date_pair(r, s->starts_at), "ends",
						      date_pair(r, s->ends_at), "capacity", page_number(r, s->capacity),
						      "left", page_number(r, s->capacity - s->taken)));
	}
	return list;
}

void page_opportunity(request *r)
{
	int64_t id = 0;
	struct opportunity o;
	struct outcome out;
	enum org_standing standing = ORG_OUTSIDER;
	if (!req_param_id(r, 0, &id)) {
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	opp_load(r, id, &o, &standing, &out);
	if (out.status != 200) {
		fail_page(r, &out);
		return;
	}
	json_t *ctx = page_form_ctx(r, N_("Opportunity"));
	json_object_set_new(ctx, "title", json_string(o.title));
	json_t *v = card_view(r, &o);
	json_object_set_new(v, "org_id", json_integer(o.org_id));
	json_object_set_new(v, "description", json_string(o.description));
	json_object_set_new(v, "address", json_string(o.address));
	json_object_set_new(v, "skills", skills_view(r, &o));
	json_object_set_new(v, "has_skills", json_boolean(o.nskills > 0));
	json_object_set_new(v, "shifts", shifts_view(r, &o));
	json_object_set_new(v, "places_text", places_text(r, o.places_left, o.capacity_total));
	json_object_set_new(ctx, "opp", v);
	if (standing != ORG_OUTSIDER) {
		json_object_set_new(ctx, "manage", json_pack("{s:b, s:b, s:b, s:b, s:b}", "publish",
							     opportunity_transition(o.status, OPP_PUBLISH) != NULL,
							     "close", opportunity_transition(o.status, OPP_CLOSE) != NULL,
							     "complete", opportunity_transition(o.status, OPP_COMPLETE) != NULL,
							     "cancel", opportunity_transition(o.status, OPP_CANCEL) != NULL,
							     "edit", strcmp(o.status, "completed") && strcmp(o.status, "cancelled")));
		json_object_set_new(ctx, "reopen", json_boolean(strcmp(o.status, "closed") == 0));
	}
	/* An open opportunity offers its apply form to everyone outside it
	 * (visitors are asked to log in first). */
	json_object_set_new(ctx, "can_apply", json_boolean(standing == ORG_OUTSIDER && strcmp(o.status, "open") == 0));
	const char *notice = notice_text(r);
	if (notice)
		json_object_set_new(ctx, "notice", json_string(notice));
	opportunity_free(&o);
	respond_page(r, 200, "opportunity", ctx);
}

/* ---- create and edit ---- */

static json_t *shift_row(int n, const struct opp_shift *s)
{
	char start[20] = "", end[20] = "", id[24] = "", cap[12] = "";
	if (s) {
		if (s->starts_at || s->ends_at) {
			time_local_minute(s->starts_at, start, sizeof start);
			time_local_minute(s->ends_at, end, sizeof end);
		}
		if (s->id)
			snprintf(id, sizeof id, "%lld", (long long)s->id);
		snprintf(cap, sizeof cap, "%d", s->capacity);
	}
	return json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s}", "n", n, "id", id, "starts_at", start, "ends_at", end,
			 "capacity", cap, "role", s ? s->role : "", "skill", s && s->skill ? s->skill : "");
}

/* render_form: the create (org_id) or edit (o->id) form with `o`'s values. */
static void render_form(request *r, int status, int64_t org_id, const struct opportunity *o, int capacity,
			struct outcome *out)
{
	bool editing = o->id != 0;
	json_t *ctx = page_form_ctx(r, editing ? N_("Edit the opportunity") : N_("New opportunity"));
	char action[80], start[20] = "", end[20] = "", lat[32] = "", lon[32] = "";
	if (editing)
		snprintf(action, sizeof action, "/opportunities/%lld/edit", (long long)o->id);
	else
		snprintf(action, sizeof action, "/orgs/%lld/opportunities/new", (long long)org_id);
	if (o->starts_at || o->ends_at) {
		time_local_minute(o->starts_at, start, sizeof start);
		time_local_minute(o->ends_at, end, sizeof end);
	}
	if (o->has_coords) {
		snprintf(lat, sizeof lat, "%.6f", o->lat);
		snprintf(lon, sizeof lon, "%.6f", o->lon);
	}
	json_t *kinds = json_array();
	for (int i = 0; i < 4; i++)
		json_array_append_new(kinds, json_pack("{s:s, s:s, s:b}", "value", opportunity_kinds[i], "label",
						       tr(r, opportunity_kind_label(opportunity_kinds[i])), "selected",
						       o->kind && !strcmp(o->kind, opportunity_kinds[i])));
	struct taxonomy_skill *sk = NULL;
	int nsk = 0;
	json_t *skills = json_array();
	if (store_skills_list(req_db(r), NULL, &sk, &nsk) == DB_OK) {
		for (int i = 0; i < nsk; i++) {
			bool chosen = false;
			for (int k = 0; k < o->nskills; k++)
				chosen = chosen || !strcmp(o->skills[k], sk[i].slug);
			json_array_append_new(skills, json_pack("{s:s, s:s, s:s, s:b}", "slug", sk[i].slug, "name",
								r->lang == LANG_AR ? sk[i].name_ar : sk[i].name_en,
								"domain", domain_name(r, sk[i].domain), "selected", chosen));
		}
		taxonomy_skills_free(sk, nsk);
	}
	json_t *rows = json_array();
	int nrows = o->nshifts + (o->nshifts < OPP_FORM_SHIFT_ROWS ? OPP_FORM_SHIFT_ROWS - o->nshifts : 1);
	for (int i = 0; i < nrows && i < OPP_SHIFTS_MAX; i++)
		json_array_append_new(rows, shift_row(i + 1, i < o->nshifts ? &o->shifts[i] : NULL));
	char cap[12], benef[12];
	snprintf(cap, sizeof cap, "%d", capacity);
	snprintf(benef, sizeof benef, "%d", o->expected_beneficiaries);
	json_object_set_new(ctx, "action", json_string(action));
	json_object_set_new(ctx, "editing", json_boolean(editing));
	json_object_set_new(ctx, "opp_id", json_integer(o->id));
	json_object_set_new(ctx, "kinds", kinds);
	json_object_set_new(ctx, "domains", domain_options(r, o->domain));
	json_object_set_new(ctx, "skills", skills);
	json_object_set_new(ctx, "shifts", rows);
	json_object_set_new(ctx, "form", json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s}", "title",
						   o->title, "description", o->description, "city", o->city, "address",
						   o->address, "starts_at", start, "ends_at", end, "lat", lat, "lon", lon,
						   "remote", o->remote, "capacity", cap, "expected_beneficiaries", benef));
	if (out) {
		json_object_set_new(ctx, "error", json_string(tr(r, out->message)));
		if (out->fields)
			json_object_set(ctx, "fields", out->fields);
		outcome_clear(out);
	}
	respond_page(r, status, "opportunity_form", ctx);
}

static bool org_param(request *r, int64_t *org_id)
{
	struct org_record org;
	int st = req_param_id(r, 0, org_id) ? store_org_get(req_db(r), *org_id, &org) : STORE_NOT_FOUND;
	if (st != DB_OK) {
		respond_error(r, st == STORE_NOT_FOUND ? 404 : 500, st == STORE_NOT_FOUND ? "not_found" : "internal",
			      st == STORE_NOT_FOUND ? N_("There is nothing at this address.") : MSG_INTERNAL, NULL);
		return false;
	}
	org_record_free(&org);
	if (org_standing_of(r, *org_id) == ORG_OUTSIDER) {
		respond_error(r, 403, "forbidden", N_("Only the organisation's owners and coordinators may do this."), NULL);
		return false;
	}
	return true;
}

void page_opportunity_new_form(request *r)
{
	int64_t org_id;
	if (!org_param(r, &org_id))
		return;
	struct opportunity o;
	opportunity_init(&o);
	render_form(r, 200, org_id, &o, 1, NULL);
	opportunity_free(&o);
}

void page_opportunity_new(request *r)
{
	int64_t org_id, id = 0;
	if (!org_param(r, &org_id))
		return;
	struct opportunity o;
	struct opp_errors errs = { 0 };
	int capacity = 1;
	opportunity_init(&o);
	opp_from_form(r, &o, &capacity, &errs);
	struct outcome out;
	opp_create(r, org_id, &o, capacity, &errs, &id, &out);
	if (out.status == 201) {
		char to[80];
		snprintf(to, sizeof to, "/opportunities/%lld?notice=created", (long long)id);
		respond_redirect(r, to);
	} else if (out.status == 422) {
		render_form(r, 422, org_id, &o, capacity, &out);
	} else {
		fail_page(r, &out);
	}
	opportunity_free(&o);
}

static bool load_for_edit(request *r, struct opportunity *o)
{
	int64_t id = 0;
	struct outcome out = { .status = 404, .code = "not_found", .message = N_("There is nothing at this address.") };
	if (req_param_id(r, 0, &id))
		opp_load_for_edit(r, id, o, &out);
	if (out.status == 200)
		return true;
	fail_page(r, &out);
	return false;
}

void page_opportunity_edit_form(request *r)
{
	struct opportunity o;
	if (!load_for_edit(r, &o))
		return;
	render_form(r, 200, o.org_id, &o, 1, NULL);
	opportunity_free(&o);
}

void page_opportunity_edit(request *r)
{
	struct opportunity o;
	if (!load_for_edit(r, &o))
		return;
	struct opp_errors errs = { 0 };
	int capacity = 1;
	opp_from_form(r, &o, &capacity, &errs);
	struct outcome out;
	opp_save(r, &o, &errs, &out);
	if (out.status == 200) {
		char to[80];
		snprintf(to, sizeof to, "/opportunities/%lld?notice=saved", (long long)o.id);
		respond_redirect(r, to);
	} else if (out.status == 422) {
		render_form(r, 422, o.org_id, &o, capacity, &out);
	} else {
		fail_page(r, &out);
	}
	opportunity_free(&o);
}

/* ---- status actions ---- */

static void page_action(request *r, enum opp_action action, const char *notice)
{
	int64_t id = 0;
	if (!req_param_id(r, 0, &id)) {
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	struct outcome out;
	const char *reason = req_str(r, "reason");
	opp_change_status(r, id, action, reason && *reason ? reason : NULL, &out);
	if (out.status != 200) {
		fail_page(r, &out);
		return;
	}
	char to[80];
	snprintf(to, sizeof to, "/opportunities/%lld?notice=%s", (long long)id, notice);
	respond_redirect(r, to);
}

void page_opportunity_publish(request *r) { page_action(r, OPP_PUBLISH, "published"); }
void page_opportunity_close(request *r) { page_action(r, OPP_CLOSE, "closed"); }
void page_opportunity_complete(request *r) { page_action(r, OPP_COMPLETE, "completed"); }
void page_opportunity_cancel(request *r) { page_action(r, OPP_CANCEL, "cancelled"); }
