/*
 * orgs.h — organisations, their members and invitations (store/orgs.c).
 *
 * The older calls (store_org_create, store_org_add_member, …) stay declared
 * in store.h; this header adds the rest.  Conventions are store.h's: DB_OK,
 * STORE_NOT_FOUND, DB_CONSTRAINT; records own their strings and are freed
 * with their *_free function.
 *
 * An organisation always has at least one owner: it is created with its
 * creator as owner in one transaction, and store_org_remove_member refuses to
 * remove the last one (STORE_LAST_OWNER).
 */
#ifndef KHIBRA_STORE_ORGS_H
#define KHIBRA_STORE_ORGS_H

#include "store/store.h"

#define STORE_LAST_OWNER 2   /* removing this member would leave no owner */

/* The editable fields of an organisation (borrowed strings). `city` is a
 * cities slug when the caller resolved one, otherwise the free text the
 * person typed. */
struct org_fields {
	const char *name;
	const char *name_en;
	const char *kind;
	const char *registration_no;
	const char *city;
	const char *description;
	const char *website;
};

struct org_record {
	int64_t id;
	char *name, *name_en, *kind, *registration_no, *city, *description, *website;
	char *city_ar, *city_en;   /* the city's names when `city` is a known slug, else "" */
	char *status;              /* pending, verified, rejected */
	char *review_reason;       /* the moderator's reason (shown to members when rejected) */
	char *role;                /* the member's role in store_orgs_of_user, else NULL */
	int64_t verified_at;       /* 0 while not verified */
	int64_t created_at;
	int64_t created_by;        /* 0 when unknown */
	char *logo_hash;           /* the logo's file (files.h), "" when there is none */
};
void org_record_free(struct org_record *o);
void org_records_free(struct org_record *o, int count);

/* store_org_create_owned: a new, pending organisation with `owner_id` as its
 * owner, in one transaction. */
int store_org_create_owned(db_conn *c, const struct org_fields *f, int64_t owner_id, int64_t now, int64_t *id);
/* store_org_get: STORE_NOT_FOUND when there is no such organisation. */
int store_org_get(db_conn *c, int64_t id, struct org_record *out);
/* store_org_update: replace every field of `f`; STORE_NOT_FOUND if unknown.
 * Verification sticks to what was verified: a verified organisation whose
 * name, English name, kind or registration number changes goes back to
 * 'pending' (verified_at cleared), and a rejected one goes back to 'pending'
 * on any edit (its people resubmit by editing).  *resubmitted (may be NULL)
 * tells whether the status went back to pending. */
int store_org_update(db_conn *c, int64_t id, const struct org_fields *f, bool *resubmitted);
/* store_org_set_logo: point the organisation at a logo already in the files
 * store (a re-encoded PNG, see core/image.h); STORE_NOT_FOUND if unknown. */
int store_org_set_logo(db_conn *c, int64_t id, const char *logo_hash);
/* store_org_city_slug: the slug of the city whose slug, English or Arabic
 * name is `text` (case-insensitive for ASCII), into out; STORE_NOT_FOUND if
 * none. */
int store_org_city_slug(db_conn *c, const char *text, char *out, size_t outlen);
/* store_orgs_of_user: the person's organisations with their role, by name. */
int store_orgs_of_user(db_conn *c, int64_t user_id, struct org_record **out, int *count);

struct org_member {
	int64_t user_id;
	char *name;
	char *email;
	char *role;       /* owner, coordinator */
	int64_t created_at;
};
/* store_org_members: owners first, then by name (array owned by caller). */
int store_org_members(db_conn *c, int64_t org_id, struct org_member **out, int *count);
void org_members_free(struct org_member *m, int count);
/* store_org_member_role: the person's role ("owner"/"coordinator") into role
 * (at least 16 bytes); STORE_NOT_FOUND when they are not a member. */
int store_org_member_role(db_conn *c, int64_t org_id, int64_t user_id, char *role, size_t rolelen);
/* store_org_remove_member: STORE_NOT_FOUND if not a member, STORE_LAST_OWNER
 * if they are the only owner (nothing changes then). */
int store_org_remove_member(db_conn *c, int64_t org_id, int64_t user_id);
/* store_org_set_member_role: make the member owner or coordinator;
 * STORE_NOT_FOUND if not a member, STORE_LAST_OWNER when it would demote the
 * only owner (nothing changes then). */
int store_org_set_member_role(db_conn *c, int64_t org_id, int64_t user_id, const char *role);

/* ---- invitations: single use, the token's hash only is stored ---- */
struct org_invitation {
	int64_t id;
	int64_t org_id;
	char *email;
	char *role;
	int64_t invited_by;
	int64_t created_at, expires_at, accepted_at; /* accepted_at 0 while open */
	char *org_name, *org_name_en;                /* the organisation's names */
};
void org_invitation_free(struct org_invitation *inv);
int store_org_invitation_create(db_conn *c, int64_t org_id, const char *email, const char *role,
				const char *token_hash, int64_t invited_by, int64_t now, int64_t expires_at,
				int64_t *id);
/* store_org_invitation_find: an open invitation (not accepted, not expired);
 * STORE_NOT_FOUND otherwise. */
int store_org_invitation_find(db_conn *c, const char *token_hash, int64_t now, struct org_invitation *out);
/* store_org_invitation_accept: in one transaction, mark the open invitation
 * used by `user_id` and make them a member with its role (an existing
 * coordinator invited as owner becomes owner; nobody is demoted).
 * STORE_NOT_FOUND when it is unknown, used or expired. */
int store_org_invitation_accept(db_conn *c, int64_t invitation_id, int64_t user_id, int64_t now);
void org_invitations_free(struct org_invitation *list, int count);
/* store_org_invitation_get: the open invitation `id` (with its organisation's
 * names); STORE_NOT_FOUND when unknown, used or expired. */
int store_org_invitation_get(db_conn *c, int64_t id, int64_t now, struct org_invitation *out);
/* store_org_invitations_open: the organisation's open invitations, newest
 * first (org_id > 0), or those sent to `email` (org_id == 0, email given). */
int store_org_invitations_open(db_conn *c, int64_t org_id, const char *email, int64_t now,
			       struct org_invitation **out, int *count);
/* store_org_invitation_delete: withdraw (or decline) the open invitation `id`
 * of organisation `org_id`; STORE_NOT_FOUND when there is none. */
int store_org_invitation_delete(db_conn *c, int64_t org_id, int64_t id);

#endif
