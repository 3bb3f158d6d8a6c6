/*
 * store.h — Khibra's storage interface.
 *
 * Every read and write of the platform's data goes through a store_* function.
 * The functions are written once, in SQL both backends accept, over the
 * driver interface of db.h; the same tests (tests/store/) run them on SQLite
 * and on PostgreSQL.
 *
 * Conventions:
 *  - The first argument is a borrowed connection (db_acquire / req_db).
 *  - Functions return a db_status (DB_OK, DB_CONSTRAINT, …), or STORE_NOT_FOUND
 *    when the row asked for does not exist.
 *  - Times are Unix seconds; `now` is passed in so that callers (and tests)
 *    decide what time it is.
 *  - Records filled by the store own their strings; free them with the
 *    matching *_free function.
 */
#ifndef KHIBRA_STORE_H
#define KHIBRA_STORE_H

#include "core/limits.h"
#include "store/db.h"

#include <stdbool.h>
#include <stdint.h>

#define STORE_NOT_FOUND 1

/* Roles a person holds; one person may hold several. */
enum role {
	ROLE_SPECIALIST = 1u << 0,
	ROLE_BENEFICIARY = 1u << 1,
	ROLE_ORGANISATION = 1u << 2, /* registered as, or member of, an organisation */
	ROLE_MODERATOR = 1u << 3,
	ROLE_ADMIN = 1u << 4,
};
/* role_bit: "specialist" → ROLE_SPECIALIST …; 0 for an unknown name. */
unsigned role_bit(const char *name);
const char *role_name(unsigned bit);

/* ---- migrations (migrate.c) ---- */
/* store_migrate: apply every embedded migration not yet applied, each in its
 * own transaction, printing a progress line when `progress` is true. */
int store_migrate(db *d, bool progress, char *err, size_t errlen);
int store_schema_version(db_conn *c, int64_t *version);

/* ---- people (users.c) ---- */
struct user_record {
	int64_t id;
	char *email;
	char *name;
	char *locale;
	char *password_hash;
	int64_t email_verified_at; /* 0 when not verified */
	int64_t created_at;
	unsigned roles;            /* enum role bits */
};
void user_record_free(struct user_record *u);

/* store_user_create: a new person with one role ("specialist", "beneficiary",
 * "organisation", "moderator", "admin"); DB_CONSTRAINT if the e-mail is taken. */
int store_user_create(db_conn *c, const char *email, const char *name, const char *password_hash,
		      const char *locale, const char *role, int64_t now, int64_t *id);
int store_user_by_email(db_conn *c, const char *email, struct user_record *out);
int store_user_by_id(db_conn *c, int64_t id, struct user_record *out);
int store_user_add_role(db_conn *c, int64_t user_id, const char *role, int64_t now);
int store_user_set_password(db_conn *c, int64_t user_id, const char *password_hash);
int store_user_set_verified(db_conn *c, int64_t user_id, int64_t now);
int store_user_set_locale(db_conn *c, int64_t user_id, const char *locale);
int store_user_count(db_conn *c, const char *role, int64_t *count);

struct org_membership { int64_t id; char *name; char *role; };
/* store_user_orgs: the organisations a person belongs to (array owned by caller). */
int store_user_orgs(db_conn *c, int64_t user_id, struct org_membership **out, int *count);
void org_memberships_free(struct org_membership *m, int count);

/* ---- organisations (orgs.c) ---- */
int store_org_create(db_conn *c, const char *name, const char *name_en, const char *kind,
		     const char *registration_no, const char *city, const char *description, int64_t now, int64_t *id);
int store_org_by_name(db_conn *c, const char *name, int64_t *id);
int store_org_add_member(db_conn *c, int64_t org_id, int64_t user_id, const char *role, int64_t now);
int store_org_set_verified(db_conn *c, int64_t org_id, int64_t now);

/* ---- sessions and API tokens (sessions.c) ---- */
struct session_record {
	int64_t id;
	int64_t user_id;
	char csrf_token[48];
	int64_t last_seen_at;
	int64_t expires_at;
};
int store_session_create(db_conn *c, int64_t user_id, const char *token_hash, const char *csrf_token,
			 int64_t now, int64_t expires_at, const char *address, const char *user_agent,
			 int64_t *id);
/* store_session_find: a live session (not revoked, not past its absolute
 * expiry, seen within idle_seconds). */
int store_session_find(db_conn *c, const char *token_hash, int64_t now, int64_t idle_seconds,
		       struct session_record *out);
int store_session_touch(db_conn *c, int64_t id, int64_t now);
int store_session_revoke(db_conn *c, int64_t id, int64_t now);
int store_sessions_revoke_user(db_conn *c, int64_t user_id, int64_t now);

struct session_info {
	int64_t id;
	int64_t created_at, last_seen_at;
	char address[64];
	char user_agent[200];
};
/* store_sessions_list: the person's live sessions, most recently used first. */
int store_sessions_list(db_conn *c, int64_t user_id, int64_t now, int64_t idle_seconds,
			struct session_info **out, int *count);
/* store_sessions_page: the same, skipping `offset` and returning at most `limit`. */
int store_sessions_page(db_conn *c, int64_t user_id, int64_t now, int64_t idle_seconds, int64_t offset, int limit,
			struct session_info **out, int *count);
/* store_sessions_prune: delete sessions that can no longer be used (revoked,
 * past their absolute expiry, or idle since before now - idle_seconds). */
int store_sessions_prune(db_conn *c, int64_t now, int64_t idle_seconds, int64_t *deleted);
/* store_session_revoke_own: STORE_NOT_FOUND unless the session is the person's and live. */
int store_session_revoke_own(db_conn *c, int64_t user_id, int64_t id, int64_t now);

int store_token_create(db_conn *c, int64_t user_id, const char *name, const char *token_hash,
		       int64_t now, int64_t *id);
struct token_record { int64_t id; char name[LIMIT_TOKEN_NAME_BYTES + 1]; int64_t created_at, last_used_at; };
/* store_tokens_list: the person's live tokens, oldest first (array owned by caller). */
int store_tokens_list(db_conn *c, int64_t user_id, struct token_record **out, int *count);
/* store_tokens_page: the same, with ids above `after_id`, at most `limit`. */
int store_tokens_page(db_conn *c, int64_t user_id, int64_t after_id, int limit, struct token_record **out,
		      int *count);
/* store_token_revoke: STORE_NOT_FOUND unless the token is the person's and live. */
int store_token_revoke(db_conn *c, int64_t user_id, int64_t id, int64_t now);
/* store_token_find: the user of a live (not revoked) API token; touches last_used_at. */
int store_token_find(db_conn *c, const char *token_hash, int64_t now, int64_t *user_id);

/* ---- single-use e-mailed tokens: verification and password reset ---- */
int store_email_token_create(db_conn *c, int64_t user_id, const char *kind, const char *token_hash,
			     int64_t now, int64_t expires_at);
/* store_email_token_use: mark an unused, unexpired token used and give its user;
 * STORE_NOT_FOUND when it is unknown, used or expired. */
int store_email_token_use(db_conn *c, const char *kind, const char *token_hash, int64_t now,
			  int64_t *user_id);
/* store_email_tokens_prune: delete e-mailed tokens that are used or expired. */
int store_email_tokens_prune(db_conn *c, int64_t now, int64_t *deleted);

/* ---- rate limits (ratelimit.c) ---- */
int store_rate_count(db_conn *c, const char *kind, const char *key, int64_t since, int64_t *count);
/* store_rate_oldest: time of the oldest event since `since` (for Retry-After). */
int store_rate_oldest(db_conn *c, const char *kind, const char *key, int64_t since, int64_t *at);
int store_rate_add(db_conn *c, const char *kind, const char *key, int64_t now);
/* store_rate_prune: forget events older than `before`; *deleted (may be NULL) counts them. */
int store_rate_prune(db_conn *c, int64_t before, int64_t *deleted);

/* ---- audit log ---- */
int store_audit(db_conn *c, int64_t actor_id, const char *action, const char *target,
		const char *detail, const char *address, int64_t now);

#endif
