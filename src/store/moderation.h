/*
 * moderation.h — the store of credentials (licences, degrees, certificates
 * that specialists upload), of organisations' verification, and of the audit
 * log as moderators read it.  Conventions as in store.h: DB_OK,
 * STORE_NOT_FOUND or a negative db_status; records own their strings.
 *
 * Queues and the audit log are paged by id: `cursor` is the last id of the
 * previous page (0 for the first page); a page holds at most `limit` rows and
 * *more says whether another page follows.
 */
#ifndef KHIBRA_STORE_MODERATION_H
#define KHIBRA_STORE_MODERATION_H

#include "store/store.h"

/* ---- credentials (credentials.c) ---- */
struct credential_record {
	int64_t id;
	int64_t user_id;
	char *owner_name;
	char *kind;        /* licence | degree | certificate */
	char *issuer;
	char *number;
	char *file_hash;   /* SHA-256 hex: DATA/files/ab/abcdef… */
	char *file_type;   /* application/pdf | image/png | image/jpeg */
	int64_t file_size;
	char *file_name;   /* as the uploader named it: shown, never used as a path */
	char *status;      /* pending | approved | rejected */
	char *reason;      /* the moderator's reason for a rejection */
	int64_t reviewed_by, reviewed_at; /* 0 when not reviewed */
	int64_t created_at;
};
void credential_record_free(struct credential_record *c);
void credential_records_free(struct credential_record *list, int count);

struct credential_new {
	int64_t user_id;
	const char *kind, *issuer, *number, *file_hash, *file_type, *file_name;
	int64_t file_size;
};
/* store_credential_create: a new pending credential; DB_CONSTRAINT for a bad kind or type. */
int store_credential_create(db_conn *c, const struct credential_new *in, int64_t now, int64_t *id);
int store_credential_by_id(db_conn *c, int64_t id, struct credential_record *out);
/* store_credentials_of_user: the person's credentials, newest first (array owned by caller). */
int store_credentials_of_user(db_conn *c, int64_t user_id, struct credential_record **out, int *count);
/* store_credentials_by_status: the queue for one status, oldest first. */
int store_credentials_by_status(db_conn *c, const char *status, int64_t cursor, int limit,
				struct credential_record **out, int *count, bool *more);
/* store_credential_decide: approve or reject (with the reason); STORE_NOT_FOUND
 * for an unknown id.  A decided credential may be decided again. */
int store_credential_decide(db_conn *c, int64_t id, bool approved, const char *reason, int64_t moderator_id,
			    int64_t now);
/* store_credential_count: how many credentials have this status. */
int store_credential_count(db_conn *c, const char *status, int64_t *count);

/* ---- organisations' verification (moderation.c) ---- */
struct org_review {
	int64_t id;
	char *name, *name_en, *kind, *registration_no, *city, *description, *website;
	char *city_ar, *city_en; /* the city's names when `city` is a known slug, else "" */
	char *status;        /* pending | verified | rejected */
	char *review_reason;
	int64_t verified_at; /* 0 unless verified */
	int64_t created_at;
	int64_t owner_id;    /* the first owner, 0 if none */
	char *owner_name;
};
void org_review_free(struct org_review *o);
void org_reviews_free(struct org_review *list, int count);
int store_org_review_by_id(db_conn *c, int64_t id, struct org_review *out);
/* store_orgs_by_status: the queue for one status, oldest first. */
int store_orgs_by_status(db_conn *c, const char *status, int64_t cursor, int limit, struct org_review **out,
			 int *count, bool *more);
/* store_org_decide: approved → verified with verified_at; rejected → rejected
 * with the reason, verified_at cleared.  STORE_NOT_FOUND for an unknown id. */
int store_org_decide(db_conn *c, int64_t id, bool approved, const char *reason, int64_t moderator_id, int64_t now);
/* store_org_owners: the ids of the organisation's owners (array owned by caller). */
int store_org_owners(db_conn *c, int64_t org_id, int64_t **ids, int *count);
int store_org_count(db_conn *c, const char *status, int64_t *count);

/* ---- locking an item for a decision (moderation.c) ---- */
/* store_credential_lock / store_org_lock: inside a write transaction, lock
 * the row and read its status (at least 16 bytes) and, for a credential, its
 * owner; STORE_NOT_FOUND for an unknown id. */
int store_credential_lock(db_conn *c, int64_t id, int64_t *owner_id, char *status, size_t size);
int store_org_lock(db_conn *c, int64_t id, char *status, size_t size);

/* ---- the audit log (moderation.c) ---- */
struct audit_entry {
	int64_t id;
	int64_t actor_id;   /* 0 when the actor is gone */
	char *actor_name;   /* "" when the actor is gone */
	char *action, *target, *detail;
	int64_t at;
	bool latest;        /* store_decisions_list: the item's latest decision */
};
void audit_entries_free(struct audit_entry *list, int count);
/* `action` filters the log: NULL or "" for every entry, a name ending in
 * '.' ("org.") for every action under that prefix, otherwise one exact
 * action name ("org.approve"). */
/* store_audit_list: newest first; `cursor` is the last id already shown (0: start). */
int store_audit_list(db_conn *c, const char *action, int64_t cursor, int limit, struct audit_entry **out,
		     int *count, bool *more);
/* store_audit_newer: the `limit` entries just after id `after` (the page
 * before, going back to the newest), still newest first; *more says whether
 * newer ones remain beyond them. */
int store_audit_newer(db_conn *c, const char *action, int64_t after, int limit, struct audit_entry **out,
		      int *count, bool *more);
/* store_decisions_list: moderators' decisions (credential.approve/reject,
 * org.approve/reject), newest first, paged like store_audit_list; `latest`
 * marks the newest decision on each item, the one a moderator may reverse. */
int store_decisions_list(db_conn *c, int64_t cursor, int limit, struct audit_entry **out, int *count, bool *more);

#endif
