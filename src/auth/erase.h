/*
 * erase.h — privacy rights: erasing an account (DELETE /me, the account
 * page's danger zone), and the moderators' view of the access log that
 * records every read of a help request's private details.
 *
 * Erasing keeps what others rely on — an organisation's record of work done,
 * a request's status for the statistics, the audit and access logs — and
 * erases the person's details everywhere else.  The decision for each table
 * is written at the top of erase.c.  The users row stays as a tombstone
 * (deleted_at set, e-mail NULL, name ""), so the ids others point at stay
 * valid and pages show "a former volunteer".
 */
#ifndef KHIBRA_ERASE_H
#define KHIBRA_ERASE_H

#include "auth/accounts.h"
#include "store/store.h"

#include <stdbool.h>
#include <stdint.h>

/* Store refusals of store_account_erase (besides STORE_NOT_FOUND). */
#define ERASE_LAST_OWNER 2 /* last owner of an organisation with other members */
#define ERASE_CHANGED    3 /* the password changed since it was checked */

/* Files the erased credentials pointed at (content hashes), to unlink once
 * the transaction has committed and no other row uses them. */
struct erase_files {
	char **hashes;
	int count;
};
void erase_files_free(struct erase_files *f);

/*
 * store_account_erase: erase person `user_id` in one write transaction.
 * `checked_hash` is the password hash the caller verified the password
 * against; when the stored hash differs now the call answers ERASE_CHANGED
 * and changes nothing (NULL skips that check — tests and the CLI).
 * STORE_NOT_FOUND for an unknown or already erased person; ERASE_LAST_OWNER
 * (nothing changed) when they are the last owner of an organisation that has
 * other members.  On DB_OK *files lists the credential files to remove.
 */
int store_account_erase(db_conn *c, int64_t user_id, const char *checked_hash, int64_t now,
			struct erase_files *files);

/* erase_remove_files: unlink DATA/files/ab/HASH for every hash that no
 * credential or organisation logo references any more. */
void erase_remove_files(db_conn *c, const char *data_dir, const struct erase_files *files);

/*
 * account_erase: the caller's own account, after checking `password` under a
 * rate limit (10 wrong passwords in 15 minutes → 429).  204 on success (the
 * caller must then end the session), 422 without a password, 403
 * "wrong_password", 409 "last_owner".
 */
void account_erase(request *r, const char *password, struct outcome *o);

/* ---- the access log of private help-request details (moderators) ---- */

struct access_log_entry {
	int64_t id;
	int64_t request_id;
	int64_t reader_id;   /* 0 when the reader's row is gone */
	char *reader_name;   /* "" when erased */
	char *reason;        /* "requester", "specialist", "organisation", "moderation", … */
	char *address;
	int64_t at;
};
void access_log_entries_free(struct access_log_entry *list, int count);

/* store_access_log_list: reads of private details, newest first; filters
 * request_id / reader_id when > 0; before_id > 0 continues after that id.
 * *more says whether an older page exists. */
int store_access_log_list(db_conn *c, int64_t request_id, int64_t reader_id, int64_t before_id, int limit,
			  struct access_log_entry **out, int *count, bool *more);

/* access_reason_label: the msgid naming a reader's part ("Requester", …),
 * or NULL for an unknown reason (shown as it is). */
const char *access_reason_label(const char *reason);

#endif
