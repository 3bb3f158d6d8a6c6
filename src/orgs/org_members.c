/*
 * org_members.c — membership by consent (org_actions.h): owners invite,
 * change roles, remove members and withdraw invitations; members leave;
 * invitees accept with the mailed link or from their account.
 */
#include "orgs/org_actions.h"
#include "auth/notify.h"
#include "auth/secret.h"
#include "core/log.h"
#include "http/app.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static void fail_internal(struct outcome *o)
{
	outcome_fail(o, 500, "internal", N_("Something went wrong on our side. Please try again."));
}

static void fail_invalid_invitation(struct outcome *o)
{
	outcome_fail(o, 404, "invalid_token", N_("This invitation is not valid, has expired or has already been used."));
}

static void audit(request *r, const char *action, int64_t org_id, const char *detail, int64_t now)
{
	char target[32];
	snprintf(target, sizeof target, "org:%lld", (long long)org_id);
	store_audit(req_db(r), r->user->id, action, target, detail, r->client_addr, now);
}

static bool role_valid(const char *role)
{
	return role && (strcmp(role, "owner") == 0 || strcmp(role, "coordinator") == 0);
}

/* owner_check: 404 for an unknown organisation, 403 unless the caller owns
 * it; fills *org when it returns true. */
static bool owner_check(request *r, int64_t org_id, struct org_record *org, struct outcome *o)
{
	if (!org_load(r, org_id, org, o))
		return false;
	if (org_standing_of(r, org_id) != ORG_OWNER) {
		org_record_free(org);
		outcome_fail(o, 403, "forbidden", N_("Only the organisation's owners may do this."));
		return false;
	}
	return true;
}

/* ---- inviting ---- */

/* invitation_mail: mail the invitee a link to /invitations/accept, in the
 * inviter's language. */
static bool invitation_mail(request *r, const char *to, const char *org_name, const char *role, const char *token)
{
	enum lang l = r->lang;
	buf body = BUF_INIT;
	buf_printf(&body, "%s\n\n%s\n\n  %s\n  %s %s\n  %s %s\n\n%s\n\n%s/invitations/accept?token=%s\n\n%s\n\n— %s\n",
		   i18n_gettext(l, N_("Hello")),
		   i18n_gettext(l, N_("You have been invited to join this organisation on Khibra:")), org_name,
		   i18n_gettext(l, N_("Role:")), i18n_gettext(l, org_role_label(role)),
		   i18n_gettext(l, N_("Invited by:")), r->user->name,
		   i18n_gettext(l, N_("To accept, log in or create an account with this e-mail address, then open this link within 7 days:")),
		   r->app->cfg.public_url, token,
		   i18n_gettext(l, N_("If you did not ask for this, you can ignore this message.")),
		   i18n_gettext(l, N_("Khibra")));
	bool ok = mail_send(&r->app->mail, to,
			    i18n_gettext(l, N_("An invitation to join an organisation on Khibra")), body.data);
	buf_free(&body);
	return ok;
}

/* notify_invitee: when `email` has an account, tell it in the app too, with
 * a link to its invitations (where it can accept without the e-mail). */
static void notify_invitee(request *r, const char *email, const char *org_name, int64_t now)
{
	struct user_record u;
	if (store_user_by_email(req_db(r), email, &u) != DB_OK)
		return;
	json_t *params = json_pack("{s:s, s:s}", "org", org_name, "name", r->user->name);
	if (notify_create(req_db(r), u.id, "org_invited", params, "/invitations", now) != DB_OK)
		log_error("orgs", "could not notify user %lld of an invitation", (long long)u.id);
	json_decref(params);
	user_record_free(&u);
}

/* already_member: the address's account belongs to the organisation.  The
 * caller is an owner, who sees the members anyway: this reveals nothing. */
static bool already_member(request *r, int64_t org_id, const char *email)
{
	struct user_record u;
	if (store_user_by_email(req_db(r), email, &u) != DB_OK)
		return false;
	char role[16];
	bool member = store_org_member_role(req_db(r), org_id, u.id, role, sizeof role) == DB_OK;
	user_record_free(&u);
	return member;
}

void org_add_member(request *r, int64_t org_id, const char *email_in, const char *role, int64_t *invitation_id,
		    struct outcome *o)
{
	memset(o, 0, sizeof *o);
	char email[LIMIT_EMAIL_BYTES + 1];
	if (!email_normalise(email_in, email, sizeof email))
		outcome_field(r, o, "email", N_("Please enter a valid e-mail address."));
	if (!role_valid(role))
		outcome_field(r, o, "role", N_("Choose owner or coordinator."));
	struct org_record org;
	if (o->status || !owner_check(r, org_id, &org, o))
		return;
	if (already_member(r, org_id, email)) {
		org_record_free(&org);
		outcome_fail(o, 409, "duplicate", N_("This person is already a member of the organisation."));
		return;
	}
	int64_t now = time(NULL);
	char token[SECRET_TOKEN_SIZE], hash[SECRET_HASH_SIZE];
	secret_token(token);
	secret_hash(token, hash);
	if (store_org_invitation_create(req_db(r), org_id, email, role, hash, r->user->id, now,
					now + ORG_INVITATION_SECONDS, invitation_id) != DB_OK) {
		org_record_free(&org);
		fail_internal(o);
		return;
	}
	if (!invitation_mail(r, email, org.name, role, token))
		log_error("orgs", "could not mail the invitation %lld", (long long)*invitation_id);
	notify_invitee(r, email, org.name, now);
	char detail[LIMIT_EMAIL_BYTES + 64];
	snprintf(detail, sizeof detail, "%s %s", email, role);
	audit(r, "org.invitation_send", org_id, detail, now);
	org_record_free(&org);
	o->status = 202;
}

void org_cancel_invitation(request *r, int64_t org_id, int64_t invitation_id, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	struct org_record org;
	if (!owner_check(r, org_id, &org, o))
		return;
	org_record_free(&org);
	if (invitation_id <= 0) {
		outcome_field(r, o, "invitation_id", N_("Choose the invitation to withdraw."));
		return;
	}
	int st = store_org_invitation_delete(req_db(r), org_id, invitation_id);
	if (st == STORE_NOT_FOUND) {
		outcome_fail(o, 404, "not_found", N_("There is no open invitation with this number."));
		return;
	}
	if (st != DB_OK) {
		fail_internal(o);
		return;
	}
	char detail[48];
	snprintf(detail, sizeof detail, "invitation:%lld", (long long)invitation_id);
	audit(r, "org.invitation_cancel", org_id, detail, time(NULL));
	o->status = 200;
}

void org_open_invitations(request *r, int64_t org_id, struct org_invitation **list, int *count, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	*list = NULL;
	*count = 0;
	struct org_record org;
	if (!owner_check(r, org_id, &org, o))
		return;
	org_record_free(&org);
	if (store_org_invitations_open(req_db(r), org_id, NULL, time(NULL), list, count) != DB_OK)
		fail_internal(o);
	else
		o->status = 200;
}

/* ---- members ---- */

/* member_result: the store's answer for a change to one member into *o. */
static bool member_result(int st, struct outcome *o)
{
	if (st == STORE_NOT_FOUND)
		outcome_fail(o, 404, "not_found", N_("This person is not a member of the organisation."));
	else if (st == STORE_LAST_OWNER)
		outcome_fail(o, 409, "last_owner", N_("An organisation needs at least one owner. Add another owner first."));
	else if (st != DB_OK)
		fail_internal(o);
	return st == DB_OK;
}

void org_remove_member(request *r, int64_t org_id, int64_t user_id, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	struct org_record org;
	bool leaving = user_id == r->user->id;
	if (!org_load(r, org_id, &org, o))
		return;
	org_record_free(&org);
	enum org_standing standing = org_standing_of(r, org_id);
	if (leaving ? standing == ORG_OUTSIDER : standing != ORG_OWNER) {
		outcome_fail(o, 403, "forbidden", N_("Only the organisation's owners may do this."));
		return;
	}
	if (!member_result(store_org_remove_member(req_db(r), org_id, user_id), o))
		return;
	char detail[32];
	snprintf(detail, sizeof detail, "user:%lld", (long long)user_id);
	audit(r, leaving ? "org.member_leave" : "org.member_remove", org_id, detail, time(NULL));
	o->status = 200;
}

void org_set_member_role(request *r, int64_t org_id, int64_t user_id, const char *role, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	if (!role_valid(role)) {
		outcome_field(r, o, "role", N_("Choose owner or coordinator."));
		return;
	}
	struct org_record org;
	if (!owner_check(r, org_id, &org, o))
		return;
	org_record_free(&org);
	if (!member_result(store_org_set_member_role(req_db(r), org_id, user_id, role), o))
		return;
	char detail[48];
	snprintf(detail, sizeof detail, "user:%lld %s", (long long)user_id, role);
	audit(r, "org.member_role", org_id, detail, time(NULL));
	o->status = 200;
}

/* ---- accepting ---- */

void org_invitation_lookup(request *r, const char *token, struct org_invitation *inv, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	memset(inv, 0, sizeof *inv);
	char hash[SECRET_HASH_SIZE];
	if (!token || !secret_looks_like_token(token)) {
		fail_invalid_invitation(o);
		return;
	}
	secret_hash(token, hash);
	int st = store_org_invitation_find(req_db(r), hash, time(NULL), inv);
	if (st == STORE_NOT_FOUND)
		fail_invalid_invitation(o);
	else if (st != DB_OK)
		fail_internal(o);
	else
		o->status = 200;
}

/* join: the caller takes the open invitation `inv` (already checked to be
 * theirs); 200 and *org_id. */
static void join(request *r, const struct org_invitation *inv, int64_t *org_id, struct outcome *o)
{
	int64_t now = time(NULL);
	int st = store_org_invitation_accept(req_db(r), inv->id, r->user->id, now);
	if (st != DB_OK) {
		st == STORE_NOT_FOUND ? fail_invalid_invitation(o) : fail_internal(o);
		return;
	}
	char detail[64];
	snprintf(detail, sizeof detail, "invitation:%lld %s", (long long)inv->id, inv->role);
	audit(r, "org.invitation_accept", inv->org_id, detail, now);
	*org_id = inv->org_id;
	o->status = 200;
}

void org_accept_invitation(request *r, const char *token, int64_t *org_id, struct outcome *o)
{
	struct org_invitation inv;
	org_invitation_lookup(r, token, &inv, o);
	if (o->status != 200)
		return;
	memset(o, 0, sizeof *o);
	if (strcasecmp(inv.email, r->user->email) != 0)
		outcome_fail(o, 403, "wrong_account",
			     N_("This invitation was sent to another e-mail address. Log in with that address to accept it."));
	else
		join(r, &inv, org_id, o);
	org_invitation_free(&inv);
}

void org_answer_invitation(request *r, int64_t invitation_id, bool accept, int64_t *org_id, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	struct org_invitation inv;
	int st = store_org_invitation_get(req_db(r), invitation_id, time(NULL), &inv);
	if (st != DB_OK && st != STORE_NOT_FOUND) {
		fail_internal(o);
		return;
	}
	/* Someone else's invitation is hidden, like an unknown one. */
	if (st == STORE_NOT_FOUND || strcasecmp(inv.email, r->user->email) != 0) {
		org_invitation_free(&inv);
		fail_invalid_invitation(o);
		return;
	}
	/* Without the mailed link, only a confirmed address proves the mailbox. */
	if (!r->user->email_verified) {
		org_invitation_free(&inv);
		outcome_fail(o, 403, "email_unverified",
			     N_("Confirm your e-mail address first, or use the link in the invitation e-mail."));
		return;
	}
	if (accept) {
		join(r, &inv, org_id, o);
	} else if (store_org_invitation_delete(req_db(r), inv.org_id, inv.id) == DB_OK) {
		char detail[48];
		snprintf(detail, sizeof detail, "invitation:%lld", (long long)inv.id);
		audit(r, "org.invitation_decline", inv.org_id, detail, time(NULL));
		*org_id = inv.org_id;
		o->status = 200;
	} else {
		fail_invalid_invitation(o);
	}
	org_invitation_free(&inv);
}
