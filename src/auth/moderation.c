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
#include "store/orgs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const struct audit_action audit_actions[] = {
	{ "account.erase", N_("Erased their account") },
	{ "account.export", N_("Downloaded their data") },
	{ "account.locale", N_("Changed their language") },
	{ "account.login", N_("Logged in") },
	{ "account.password_reset", N_("Reset their password") },
	{ "account.register", N_("Registered an account") },
	{ "account.reset_requested", N_("Asked for a password reset") },
	{ "account.verify_email", N_("Confirmed their e-mail address") },
	{ "admin.create", N_("Created an administrator from the command line") },
	{ "calendar.feed.create", N_("Created a calendar feed link") },
	{ "calendar.feed.revoke", N_("Revoked a calendar feed link") },
	{ "credential.approve", N_("Approved a credential") },
	{ "credential.reject", N_("Rejected a credential") },
	{ "credential.upload", N_("Uploaded a credential") },
	{ "opportunity.create", N_("Created an opportunity") },
	{ "opportunity.status", N_("Changed an opportunity's status") },
	{ "org.approve", N_("Verified an organisation") },
	{ "org.create", N_("Registered an organisation") },
	{ "org.invitation_accept", N_("Accepted an invitation to an organisation") },
	{ "org.invitation_send", N_("Invited someone to an organisation") },
	{ "org.logo", N_("Changed an organisation's logo") },
	{ "org.member_add", N_("Added a member to an organisation") },
	{ "org.member_remove", N_("Removed a member from an organisation") },
	{ "org.reject", N_("Rejected an organisation") },
	{ "org.resubmit", N_("Sent an organisation back for verification after a change") },
	{ "org.update", N_("Edited an organisation") },
	{ "request.decline", N_("Handed a help request back to the moderators") },
	{ "request.route", N_("Sent a help request to an organisation") },
	{ "request.triage", N_("Reviewed a help request") },
	{ "session.revoke", N_("Signed out a session") },
	{ "token.create", N_("Created an API token") },
};
const size_t audit_actions_count = sizeof audit_actions / sizeof audit_actions[0];

const char *audit_action_label(const char *action)
{
	for (size_t i = 0; action && i < audit_actions_count; i++)
		if (strcmp(audit_actions[i].action, action) == 0)
			return audit_actions[i].label;
	return NULL;
}

bool audit_action_filter_valid(const char *filter)
{
	size_t n = filter ? strlen(filter) : 0;
	if (n == 0)
		return false;
	if (filter[n - 1] != '.')
		return audit_action_label(filter) != NULL;
	for (size_t i = 0; i < audit_actions_count; i++)
		if (strncmp(audit_actions[i].action, filter, n) == 0)
			return true;
	return false;
}

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

/* decision_gate: after the item was locked (st), stop with its 404 or 500,
 * with 403 when the moderator is a party to it (`own`), or with 200 and no
 * change when it already stands as decided (`same`); true to go on. */
static bool decision_gate(db_conn *c, int st, bool own, const char *own_msgid, bool same, struct outcome *o)
{
	if (st != DB_OK) {
		finish(c, st, o);
		return false;
	}
	if (own || same)
		db_rollback(c);
	if (own)
		outcome_fail(o, 403, "forbidden", own_msgid);
	else if (same)
		o->status = 200;
	return !own && !same;
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
	char status[16] = "";
	int64_t owner = 0;
	st = store_credential_lock(c, id, &owner, status, sizeof status);
	if (!decision_gate(c, st, owner == r->user->id,
			   N_("You cannot decide on your own credential. Another moderator will review it."),
			   strcmp(status, approved ? "approved" : "rejected") == 0, o)) {
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
	char status[16] = "", role[16];
	st = store_org_lock(c, id, status, sizeof status);
	int member = st == DB_OK ? store_org_member_role(c, id, r->user->id, role, sizeof role) : STORE_NOT_FOUND;
	if (member != DB_OK && member != STORE_NOT_FOUND)
		st = member;
	if (!decision_gate(c, st, member == DB_OK,
			   N_("You cannot decide on an organisation you are a member of. Another moderator will review it."),
			   strcmp(status, approved ? "verified" : "rejected") == 0, o)) {
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
