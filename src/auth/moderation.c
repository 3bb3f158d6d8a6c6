/*
 * moderation.c — credential uploads and moderators' decisions (moderation.h).
 */
#include "auth/moderation.h"
#include "auth/notify.h"
#include "http/app.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "domain/profile.h"
#include "store/files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

long text_chars(const char *s, bool multiline)
{
	return profile_utf8_length(s, multiline);
}

/* trimmed: a copy of s without white space at either end ("" for NULL). */
static char *trimmed(const char *s)
{
	if (!s)
		return xstrdup("");
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return xstrndup(s, n);
}

static bool kind_ok(const char *kind)
{
	return kind && (strcmp(kind, "licence") == 0 || strcmp(kind, "degree") == 0 ||
			strcmp(kind, "certificate") == 0);
}

bool credential_visible(const request *r, const struct credential_record *c)
{
	return r->user && (r->user->id == c->user_id || (r->user->roles & (ROLE_MODERATOR | ROLE_ADMIN)));
}

/* check_credential_fields: the 422s of an upload, before the file's type. */
static void check_credential_fields(request *r, const struct credential_input *in, const char *issuer,
				    const char *number, struct outcome *o)
{
	if (!kind_ok(in->kind))
		outcome_field(r, o, "kind", N_("Choose a professional licence, an academic degree or a certificate."));
	long n = text_chars(issuer, false);
	if (n <= 0 || n > LIMIT_ISSUER_CHARS)
		outcome_field(r, o, "issuer", N_("Enter who issued it, in 1 to 200 characters."));
	n = text_chars(number, false);
	if (n < 0 || n > LIMIT_NUMBER_CHARS)
		outcome_field(r, o, "number", N_("The number may have at most 100 characters."));
	if (!in->file)
		outcome_field(r, o, "file", N_("Choose the file to upload: a PDF, PNG or JPEG."));
	else if (in->file->len == 0)
		outcome_field(r, o, "file", N_("The file is empty."));
}

void credential_upload(request *r, const struct credential_input *in, int64_t *id, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	if (r->body_kind != BODY_MULTIPART) {
		outcome_fail(o, 415, "unsupported_media_type",
		     N_("Send the credential as multipart/form-data, with the file in the field \"file\"."));
		return;
	}
	char *issuer = trimmed(in->issuer), *number = trimmed(in->number);
	check_credential_fields(r, in, issuer, number, o);
	const char *type = o->status ? NULL : filetype_detect(in->file->value, in->file->len);
	if (!o->status && !type)
		outcome_fail(o, 415, "unsupported_media_type",
		     N_("This file is not a PDF, PNG or JPEG document. Upload a scan or photo in one of these formats."));
	char hash[FILES_HASH_HEX];
	if (!o->status && !files_store(r->app->cfg.data_dir, in->file->value, in->file->len, hash))
		outcome_fail(o, 500, "internal", N_("Something went wrong on our side. Please try again."));
	if (o->status) {
		free(issuer);
		free(number);
		return;
	}
	/* The name is kept only to be shown back; it never reaches a path or a header. */
	char file_name[256];
	snprintf(file_name, sizeof file_name, "%s", in->file->filename ? in->file->filename : "");
	if (text_chars(file_name, false) < 0)
		file_name[0] = '\0';
	struct credential_new rec = {
		.user_id = r->user->id, .kind = in->kind, .issuer = issuer, .number = number,
		.file_hash = hash, .file_type = type, .file_name = file_name, .file_size = (int64_t)in->file->len,
	};
	int64_t now = time(NULL), new_id = 0;
	db_conn *c = req_db(r);
	if (!c || store_credential_create(c, &rec, now, &new_id) != DB_OK) {
		outcome_fail(o, 500, "internal", N_("Something went wrong on our side. Please try again."));
	} else {
		char target[48];
		snprintf(target, sizeof target, "credential:%lld", (long long)new_id);
		store_audit(c, r->user->id, "credential.upload", target, in->kind, r->client_addr, now);
		*id = new_id;
		o->status = 201;
	}
	free(issuer);
	free(number);
}

/* check_decision: the 422s of a decision; the trimmed reason into *out. */
static bool check_decision(request *r, bool approved_given, bool approved, const char *reason_in, char **out,
			   struct outcome *o)
{
	char *reason = trimmed(reason_in);
	long n = text_chars(reason, true);
	if (!approved_given)
		outcome_field(r, o, "approved", N_("Say whether you approve (true) or reject (false)."));
	if (n < 0 || n > LIMIT_REASON_CHARS)
		outcome_field(r, o, "reason", N_("The reason may have at most 500 characters."));
	else if (approved_given && !approved && n == 0)
		outcome_field(r, o, "reason", N_("Give the reason for the rejection: the applicant will read it."));
	if (o->status) {
		free(reason);
		return false;
	}
	*out = reason;
	return true;
}

/* finish: commit, or roll back and report; true when committed. */
static bool finish(db_conn *c, int st, struct outcome *o)
{
	if (st == DB_OK)
		st = db_commit(c);
	if (st == DB_OK)
		return true;
	db_rollback(c);
	if (st == STORE_NOT_FOUND)
		outcome_fail(o, 404, "not_found", N_("There is nothing at this address."));
	else
		outcome_fail(o, 500, "internal", N_("Something went wrong on our side. Please try again."));
	return false;
}

void moderation_decide_credential(request *r, int64_t id, bool approved_given, bool approved, const char *reason_in,
				  struct outcome *o)
{
	memset(o, 0, sizeof *o);
	char *reason = NULL;
	if (!check_decision(r, approved_given, approved, reason_in, &reason, o))
		return;
	db_conn *c = req_db(r);
	int64_t now = time(NULL);
	struct credential_record cred = { 0 };
	char target[48];
	snprintf(target, sizeof target, "credential:%lld", (long long)id);
	json_t *params = NULL;
	int st = c ? db_begin(c, true) : DB_ERROR;
	if (st != DB_OK) {
		outcome_fail(o, 503, "unavailable", N_("The service is busy. Please try again in a moment."));
		free(reason);
		return;
	}
	st = store_credential_decide(c, id, approved, reason, r->user->id, now);
	if (st == DB_OK)
		st = store_credential_by_id(c, id, &cred);
	if (st == DB_OK)
		st = store_audit(c, r->user->id, approved ? "credential.approve" : "credential.reject", target, reason,
				 r->client_addr, now);
	if (st == DB_OK) {
		params = json_pack("{s:s, s:s}", "kind", cred.kind, "reason", reason);
		st = notify_create(c, cred.user_id, approved ? "credential_approved" : "credential_rejected", params,
				   "/credentials", now);
	}
	if (finish(c, st, o)) {
		notify_mail(r->app, c, cred.user_id, approved ? "credential_approved" : "credential_rejected", params,
			    "/credentials");
		o->status = 200;
	}
	json_decref(params);
	credential_record_free(&cred);
	free(reason);
}

void moderation_decide_org(request *r, int64_t id, bool approved_given, bool approved, const char *reason_in,
			   struct outcome *o)
{
	memset(o, 0, sizeof *o);
	char *reason = NULL;
	if (!check_decision(r, approved_given, approved, reason_in, &reason, o))
		return;
	db_conn *c = req_db(r);
	int64_t now = time(NULL);
	struct org_review org = { 0 };
	int64_t *owners = NULL;
	int nowners = 0;
	char target[48], link[48];
	snprintf(target, sizeof target, "org:%lld", (long long)id);
	snprintf(link, sizeof link, "/orgs/%lld", (long long)id);
	const char *kind = approved ? "org_verified" : "org_rejected";
	json_t *params = NULL;
	int st = c ? db_begin(c, true) : DB_ERROR;
	if (st != DB_OK) {
		outcome_fail(o, 503, "unavailable", N_("The service is busy. Please try again in a moment."));
		free(reason);
		return;
	}
	st = store_org_decide(c, id, approved, reason, r->user->id, now);
	if (st == DB_OK)
		st = store_org_review_by_id(c, id, &org);
	if (st == DB_OK)
		st = store_org_owners(c, id, &owners, &nowners);
	if (st == DB_OK)
		st = store_audit(c, r->user->id, approved ? "org.approve" : "org.reject", target, reason,
				 r->client_addr, now);
	if (st == DB_OK)
		params = json_pack("{s:s, s:s}", "org", org.name, "reason", reason);
	for (int i = 0; st == DB_OK && i < nowners; i++)
		st = notify_create(c, owners[i], kind, params, link, now);
	if (finish(c, st, o)) {
		for (int i = 0; i < nowners; i++)
			notify_mail(r->app, c, owners[i], kind, params, link);
		o->status = 200;
	}
	json_decref(params);
	free(owners);
	org_review_free(&org);
	free(reason);
}
