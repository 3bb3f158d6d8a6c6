/*
 * org_actions.c — create and edit organisations and their logos
 * (org_actions.h); members and invitations are in org_members.c.
 */
#include "orgs/org_actions.h"
#include "core/image.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "domain/profile.h"
#include "http/app.h"
#include "store/files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const struct { const char *kind; const char *label; } kinds[] = {
	{ "charity", N_("Charity") },
	{ "nonprofit", N_("Non-profit organisation") },
	{ "school", N_("School") },
	{ "clinic", N_("Clinic") },
	{ "community_council", N_("Community council") },
	{ "company", N_("Company") },
};

static void fail_internal(struct outcome *o)
{
	outcome_fail(o, 500, "internal", N_("Something went wrong on our side. Please try again."));
}

static void fail_not_found(struct outcome *o)
{
	outcome_fail(o, 404, "not_found", N_("There is nothing at this address."));
}

bool org_load(request *r, int64_t org_id, struct org_record *org, struct outcome *o)
{
	int st = store_org_get(req_db(r), org_id, org);
	if (st == DB_OK)
		return true;
	st == STORE_NOT_FOUND ? fail_not_found(o) : fail_internal(o);
	return false;
}

/* ---- labels and views ---- */

bool org_kind_valid(const char *kind)
{
	return org_kind_label(kind) != NULL;
}

const char *org_kind_label(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return kinds[i].label;
	return NULL;
}

const char *org_role_label(const char *role)
{
	return role && strcmp(role, "owner") == 0 ? N_("Owner") : N_("Coordinator");
}

json_t *org_kind_list(request *r, const char *selected)
{
	json_t *list = json_array();
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", kinds[i].kind, "label",
						      tr(r, kinds[i].label), "selected",
						      selected && strcmp(selected, kinds[i].kind) == 0));
	return list;
}

json_t *org_json(request *r, const struct org_record *o)
{
	const char *city_name = r->lang == LANG_AR ? o->city_ar : o->city_en;
	if (!city_name || !*city_name)
		city_name = o->city;
	json_t *v = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o}", "id", (json_int_t)o->id,
			 "name", o->name, "name_en", o->name_en, "kind", o->kind, "registration_no", o->registration_no,
			 "city", o->city, "city_name", city_name, "description", o->description, "website", o->website,
			 "status", o->status, "verified", strcmp(o->status, "verified") == 0, "created_at",
			 time_json(o->created_at));
	json_t *logo = json_null();
	if (o->logo_hash && *o->logo_hash) {
		char url[64];
		snprintf(url, sizeof url, "/orgs/%lld/logo.png", (long long)o->id);
		logo = json_string(url);
	}
	json_object_set_new(v, "logo_url", logo);
	return v;
}

/* ---- who is calling ---- */

bool org_caller_is_moderator(request *r)
{
	return r->user && (r->user->roles & (ROLE_MODERATOR | ROLE_ADMIN));
}

enum org_standing org_standing_of(request *r, int64_t org_id)
{
	char role[16];
	if (!r->user || store_org_member_role(req_db(r), org_id, r->user->id, role, sizeof role) != DB_OK)
		return ORG_OUTSIDER;
	return strcmp(role, "owner") == 0 ? ORG_OWNER : ORG_COORDINATOR;
}

/* ---- validation ---- */

struct org_clean {
	char *name, *name_en, *kind, *registration_no, *city, *description, *website;
};

static void org_clean_free(struct org_clean *v)
{
	free(v->name);
	free(v->name_en);
	free(v->kind);
	free(v->registration_no);
	free(v->city);
	free(v->description);
	free(v->website);
	memset(v, 0, sizeof *v);
}

/* trimmed: a copy without surrounding white space; NULL (and *bad) when it
 * holds control characters (line breaks and tabs allowed when multiline). */
static char *trimmed(const char *in, bool multiline, bool *bad)
{
	*bad = false;
	if (!in)
		in = "";
	while (*in == ' ' || *in == '\t' || *in == '\r' || *in == '\n')
		in++;
	size_t n = strlen(in);
	while (n && (in[n - 1] == ' ' || in[n - 1] == '\t' || in[n - 1] == '\r' || in[n - 1] == '\n'))
		n--;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)in[i];
		bool allowed = multiline && (ch == '\n' || ch == '\r' || ch == '\t');
		if ((ch < ' ' && !allowed) || ch == 0x7f) {
			*bad = true;
			return NULL;
		}
	}
	return xstrndup(in, n);
}

/* website_ok: empty, or http(s)://host… with no spaces, quotes or brackets. */
static bool website_ok(const char *w)
{
	if (!*w)
		return true;
	size_t skip = strncasecmp(w, "https://", 8) == 0 ? 8 : strncasecmp(w, "http://", 7) == 0 ? 7 : 0;
	if (!skip || strlen(w) > ORG_WEBSITE_MAX_BYTES || w[skip] == '\0' || w[skip] == '/' || w[skip] == '.')
		return false;
	for (const char *p = w; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || strchr("\"'<>\\`{}|^", *p))
			return false;
	const char *host_end = w + skip + strcspn(w + skip, "/?#");
	return memchr(w + skip, '.', (size_t)(host_end - (w + skip))) != NULL;
}

/* text_field: trim `value` into *out and check its length in characters. */
static void text_field(request *r, struct outcome *o, const char *field, const char *value, bool multiline,
		       size_t min, size_t max, const char *reason, char **out)
{
	bool bad;
	*out = trimmed(value, multiline, &bad);
	long n = bad ? -1 : profile_utf8_length(*out, multiline);
	if (n < 0 || (size_t)n < min || (size_t)n > max)
		outcome_field(r, o, field, reason);
}

/* org_validate: check every field of `in` into owned, trimmed strings. */
static void org_validate(request *r, const struct org_input *in, struct org_clean *v, struct outcome *o)
{
	memset(v, 0, sizeof *v);
	text_field(r, o, "name", in->name, false, ORG_NAME_MIN_CHARS, ORG_NAME_MAX_CHARS,
		   N_("The name must be 2 to 120 characters."), &v->name);
	text_field(r, o, "name_en", in->name_en, false, 0, ORG_NAME_MAX_CHARS,
		   N_("The English name must be at most 120 characters."), &v->name_en);
	if (!org_kind_valid(in->kind))
		outcome_field(r, o, "kind", N_("Choose a kind: charity, non-profit, school, clinic, community council or company."));
	v->kind = xstrdup(in->kind ? in->kind : "");
	text_field(r, o, "registration_no", in->registration_no, false, 1, ORG_REGISTRATION_MAX_CHARS,
		   N_("Enter the registration number (1 to 60 characters)."), &v->registration_no);
	text_field(r, o, "description", in->description, true, 1, ORG_DESCRIPTION_MAX_CHARS,
		   N_("Describe the organisation in 1 to 5000 characters."), &v->description);
	bool bad;
	v->website = trimmed(in->website, false, &bad);
	if (bad || !website_ok(v->website))
		outcome_field(r, o, "website", N_("The website must be an address starting with http:// or https://, or empty."));
}

/* org_validated_fields: validate; the city must be a city of the taxonomy,
 * given by its slug (or its Arabic or English name), and is stored as the
 * slug.  When !city_given (an edit that leaves the city alone) the stored
 * value in->city is kept as it is. */
static bool org_validated_fields(request *r, const struct org_input *in, bool city_given, struct org_clean *v,
				 struct outcome *o)
{
	org_validate(r, in, v, o);
	if (!city_given) {
		v->city = xstrdup(in->city ? in->city : "");
		return o->status == 0;
	}
	bool bad;
	char *text = trimmed(in->city, false, &bad), slug[96];
	if (bad || !*text || store_org_city_slug(req_db(r), text, slug, sizeof slug) != DB_OK)
		outcome_field(r, o, "city", N_("Choose a city from the list."));
	else
		v->city = xstrdup(slug);
	free(text);
	return o->status == 0;
}

static struct org_fields fields_of(const struct org_clean *v)
{
	return (struct org_fields){ v->name, v->name_en, v->kind, v->registration_no, v->city, v->description,
				    v->website };
}

static void org_target(int64_t org_id, char *out, size_t n)
{
	snprintf(out, n, "org:%lld", (long long)org_id);
}

/* ---- create and edit ---- */

void org_create(request *r, const struct org_input *in, int64_t *id, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	struct org_clean v;
	if (!org_validated_fields(r, in, true, &v, o)) {
		org_clean_free(&v);
		return;
	}
	db_conn *c = req_db(r);
	int64_t now = time(NULL), new_id = 0;
	struct org_fields f = fields_of(&v);
	if (store_org_create_owned(c, &f, r->user->id, now, &new_id) != DB_OK) {
		org_clean_free(&v);
		fail_internal(o);
		return;
	}
	char target[32];
	org_target(new_id, target, sizeof target);
	store_audit(c, r->user->id, "org.create", target, v.name, r->client_addr, now);
	org_clean_free(&v);
	*id = new_id;
	o->status = 201;
}

void org_update(request *r, int64_t org_id, const struct org_input *in, bool *resubmitted, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	bool back = false;
	db_conn *c = req_db(r);
	struct org_record cur;
	if (!org_load(r, org_id, &cur, o))
		return;
	if (org_standing_of(r, org_id) == ORG_OUTSIDER) {
		org_record_free(&cur);
		outcome_fail(o, 403, "forbidden", N_("Only the organisation's owners and coordinators may do this."));
		return;
	}
	struct org_input merged = {
		in->name ? in->name : cur.name,
		in->name_en ? in->name_en : cur.name_en,
		in->kind ? in->kind : cur.kind,
		in->registration_no ? in->registration_no : cur.registration_no,
		in->city ? in->city : cur.city,
		in->description ? in->description : cur.description,
		in->website ? in->website : cur.website,
	};
	struct org_clean v;
	bool ok = org_validated_fields(r, &merged, in->city != NULL, &v, o);
	org_record_free(&cur);
	if (!ok) {
		org_clean_free(&v);
		return;
	}
	struct org_fields f = fields_of(&v);
	if (store_org_update(c, org_id, &f, &back) != DB_OK) {
		org_clean_free(&v);
		fail_internal(o);
		return;
	}
	char target[32];
	org_target(org_id, target, sizeof target);
	int64_t now = time(NULL);
	store_audit(c, r->user->id, "org.update", target, v.name, r->client_addr, now);
	/* Back in the moderators' queue: what they verified (or refused) changed. */
	if (back)
		store_audit(c, r->user->id, "org.resubmit", target, v.name, r->client_addr, now);
	if (resubmitted)
		*resubmitted = back;
	org_clean_free(&v);
	o->status = 200;
}

/* ---- the logo ---- */

void org_set_logo(request *r, int64_t org_id, const struct form_field *file, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	db_conn *c = req_db(r);
	struct org_record cur;
	if (!org_load(r, org_id, &cur, o))
		return;
	org_record_free(&cur);
	/* Strangers are turned away before their bytes are decoded. */
	if (org_standing_of(r, org_id) == ORG_OUTSIDER) {
		outcome_fail(o, 403, "forbidden", N_("Only the organisation's owners and coordinators may do this."));
		return;
	}
	if (r->body_kind != BODY_MULTIPART) {
		outcome_fail(o, 415, "unsupported_media_type",
		     N_("Send the logo as multipart/form-data, with the image in the field \"file\"."));
		return;
	}
	if (!file || file->len == 0) {
		outcome_field(r, o, "file", N_("Choose the logo to upload: a PNG or JPEG image."));
		return;
	}
	const char *type = filetype_detect(file->value, file->len);
	if (!type || (strcmp(type, "image/png") != 0 && strcmp(type, "image/jpeg") != 0)) {
		outcome_fail(o, 415, "unsupported_media_type", N_("This file is not a PNG or JPEG image. Upload the logo in one of these formats."));
		return;
	}
	void *png = NULL;
	size_t png_len = 0;
	char why[160];
	if (!image_reencode_png(file->value, file->len, IMAGE_LOGO_SIDE, &png, &png_len, why, sizeof why)) {
		log_info("orgs", "logo refused for org %lld: %s", (long long)org_id, why);
		outcome_field(r, o, "file",
			    N_("This image could not be read, or it is larger than 4000 × 4000 pixels (20 megapixels). Upload a smaller PNG or JPEG."));
		return;
	}
	char hash[FILES_HASH_HEX];
	bool stored = files_store(r->app->cfg.data_dir, png, png_len, hash);
	free(png);
	if (!stored || store_org_set_logo(c, org_id, hash) != DB_OK) {
		fail_internal(o);
		return;
	}
	char target[32];
	org_target(org_id, target, sizeof target);
	store_audit(c, r->user->id, "org.logo", target, hash, r->client_addr, time(NULL));
	o->status = 200;
}
