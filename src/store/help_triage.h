/*
 * help_triage.h — the store side of triaging and routing help requests
 * (help/help_triage.c does the work in one transaction it opens itself).
 *
 * The functions marked "in the caller's transaction" assume one is open
 * (db_begin(c, true)) and that the request was locked with store_help_lock.
 * Queues carry no title and no details unless they say so.
 */
#ifndef KHIBRA_HELP_TRIAGE_STORE_H
#define KHIBRA_HELP_TRIAGE_STORE_H

#include "store/help.h"

/* The state of a locked request, as the triage rules need it. */
struct help_lock {
	unsigned circle;          /* enum help_circle bits of the actor */
	int64_t requester_id;     /* 0: erased */
	int64_t org_id;           /* 0: none (waiting for the moderators) */
	char status[12];
};

/* help_triage_open: is the request still before assignment ("new" or
 * "triaged"), the only states in which it may be triaged, routed or handed back? */
bool help_triage_open(const char *status);

/* store_help_lock: in the caller's transaction, lock request `id` and read its
 * state and the actor's circle.  STORE_NOT_FOUND when there is no such
 * request or the actor is outside its circle. */
int store_help_lock(db_conn *c, int64_t id, int64_t actor_id, unsigned roles, struct help_lock *out);
/* store_help_set_triaged: in the caller's transaction, status "triaged" and,
 * when `urgency` is not NULL, the new urgency. */
int store_help_set_triaged(db_conn *c, int64_t id, const char *urgency, int64_t now);
/* store_help_set_org: in the caller's transaction, hand the request to
 * organisation `org_id` (0: back to the moderators); status "new" either way. */
int store_help_set_org(db_conn *c, int64_t id, int64_t org_id, int64_t now);
/* store_help_verified_org_name: the name of a verified organisation
 * (caller frees *name); HELP_BAD_ORG when there is none with that id. */
int store_help_verified_org_name(db_conn *c, int64_t org_id, char **name);
/* store_help_org_member_ids: the members of an organisation (caller frees *ids). */
int store_help_org_member_ids(db_conn *c, int64_t org_id, int64_t **ids, int *count);

/* store_help_list_unrouted: requests with no organisation still waiting
 * ("new", "triaged"), urgent first, then oldest; `offset` rows skipped.
 * Only id, domain, city, urgency, status and created_at are filled (no
 * title, no details). */
int store_help_list_unrouted(db_conn *c, int offset, int limit, struct help_request **out, int *count);
/* store_help_queue_org: an organisation's requests for its queue page, open
 * ones first, then urgent first, then oldest; with titles, without details. */
int store_help_queue_org(db_conn *c, int64_t org_id, int limit, struct help_request **out, int *count);

#endif
