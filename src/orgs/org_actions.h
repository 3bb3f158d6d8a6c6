/*
 * org_actions.h — organisation actions shared by the JSON API (api_orgs.c)
 * and the HTML pages (page_orgs.c): create, edit, add or invite a member,
 * remove a member, accept an invitation.
 *
 * Like auth/accounts.h, each action validates, authorises (who the caller is
 * in the organisation), does its work in the store, writes the audit log,
 * and reports a `struct outcome`: 200/201/202 on success, otherwise the
 * status, code and msgid of the error, with translated per-field reasons
 * for 422.
 */
#ifndef KHIBRA_ORG_ACTIONS_H
#define KHIBRA_ORG_ACTIONS_H

#include "auth/accounts.h"
#include "core/timefmt.h"
#include "store/orgs.h"

#define ORG_INVITATION_SECONDS (7 * 24 * 3600) /* an invitation link lives a week */
#define ORG_NAME_MIN_CHARS 2
#define ORG_NAME_MAX_CHARS 120
#define ORG_REGISTRATION_MAX_CHARS 60
#define ORG_DESCRIPTION_MAX_CHARS 5000
#define ORG_WEBSITE_MAX_BYTES 300

/* What a person sent; NULL means the field was not given (PATCH keeps it). */
struct org_input {
	const char *name, *name_en, *kind, *registration_no, *city, *description, *website;
};

/* The caller's standing in one organisation. */
enum org_standing { ORG_OUTSIDER = 0, ORG_COORDINATOR, ORG_OWNER };

/* org_standing_of: the logged-in caller's role in the organisation
 * (ORG_OUTSIDER for visitors and non-members). */
enum org_standing org_standing_of(request *r, int64_t org_id);
/* org_caller_is_moderator: the caller moderates the platform. */
bool org_caller_is_moderator(request *r);

/* org_kind_valid: one of charity, nonprofit, school, clinic,
 * community_council, company. */
bool org_kind_valid(const char *kind);
/* org_kind_label / org_role_label: msgids to translate with tr(). */
const char *org_kind_label(const char *kind);
const char *org_role_label(const char *role);
/* org_kind_list: [{value, label, selected}] for a form's <select>. */
json_t *org_kind_list(request *r, const char *selected);

/* org_json: the public view {id, name, name_en, kind, registration_no, city,
 * city_name, description, website, status, verified, created_at, logo_url}
 * (review_reason is added by callers for members only). */
json_t *org_json(request *r, const struct org_record *o);

/* org_create: the caller becomes the owner of a new pending organisation;
 * 201 and *id. */
void org_create(request *r, const struct org_input *in, int64_t *id, struct outcome *o);
/* org_update: owners and coordinators edit; absent fields are kept.  200;
 * *resubmitted (may be NULL) when the edit sent the organisation back to the
 * moderators' queue (see store_org_update). */
void org_update(request *r, int64_t org_id, const struct org_input *in, bool *resubmitted, struct outcome *o);

/* org_set_logo: owners and coordinators replace the logo with `file`
 * (req_upload(r, "file")): 415 unless it is a PNG or JPEG from its bytes,
 * 422 when it is missing, cannot be decoded or has too many pixels.  The
 * stored logo is the re-encoded PNG (core/image.h), never the upload. 200. */
void org_set_logo(request *r, int64_t org_id, const struct form_field *file, struct outcome *o);

/* ---- members and invitations (orgs/org_members.c) ---- */

/* org_load: the organisation `org_id` into *org (404 / 500 in *o when it
 * cannot be read); false then. */
bool org_load(request *r, int64_t org_id, struct org_record *org, struct outcome *o);

/* org_add_member: owners only.  Every address gets an invitation by e-mail
 * (202, *invitation_id set), whether it has an account or not, so nothing
 * tells the caller which addresses have accounts; an existing account also
 * gets an in-app notification linking to /invitations.  409 when the
 * address's account is already a member. */
void org_add_member(request *r, int64_t org_id, const char *email, const char *role, int64_t *invitation_id,
		    struct outcome *o);
/* org_remove_member: owners remove anyone; any member may remove themself
 * (leave).  Never the last owner (409).  200. */
void org_remove_member(request *r, int64_t org_id, int64_t user_id, struct outcome *o);
/* org_set_member_role: owners only; owner or coordinator (422 otherwise);
 * never demotes the last owner (409).  200. */
void org_set_member_role(request *r, int64_t org_id, int64_t user_id, const char *role, struct outcome *o);
/* org_cancel_invitation: owners withdraw an open invitation (422 when
 * invitation_id is not a positive number, 404 when there is no such open
 * invitation in this organisation).  200. */
void org_cancel_invitation(request *r, int64_t org_id, int64_t invitation_id, struct outcome *o);

/* org_open_invitations: owners only; the organisation's open invitations
 * (free with org_invitations_free).  200. */
void org_open_invitations(request *r, int64_t org_id, struct org_invitation **list, int *count, struct outcome *o);

/* org_invitation_lookup: the open invitation of a mailed token (404 when
 * unknown, used or expired). */
void org_invitation_lookup(request *r, const char *token, struct org_invitation *inv, struct outcome *o);
/* org_accept_invitation: the logged-in person, whose e-mail address must be
 * the invited one (else 403), joins.  200 and *org_id. */
void org_accept_invitation(request *r, const char *token, int64_t *org_id, struct outcome *o);
/* org_answer_invitation: the logged-in invitee accepts (or declines) an open
 * invitation to their address from their account, without the e-mail's
 * link: 404 for any other invitation, 403 (email_unverified) until their
 * address is confirmed.  200 and *org_id. */
void org_answer_invitation(request *r, int64_t invitation_id, bool accept, int64_t *org_id, struct outcome *o);

#endif
