/*
 * erase.c — erasing an account (erase.h), and the access log listing.
 *
 * What erasing does, table by table (migrations 0001–0014):
 *
 *  table                   decision
 *  ---------------------   ----------------------------------------------------
 *  users                   kept as a tombstone: email NULL (UNIQUE allows many
 *                          NULLs), name "", password_hash NULL,
 *                          email_verified_at NULL, deleted_at = now; id,
 *                          locale and created_at kept.  Everything that reads
 *                          people already skips deleted_at rows.
 *  user_roles              deleted (the person no longer counts anywhere)
 *  sessions, api_tokens,   deleted
 *  email_tokens
 *  rate_events             rows keyed by the e-mail, its hash or "user:<id>" deleted
 *                          (address-keyed rows name no one and stay)
 *  org_members             deleted; the LAST owner of an organisation that
 *                          has other members is refused (409 last_owner,
 *                          nothing changes).  An organisation left with no
 *                          member stays, as the record of work done.
 *  orgs, opportunities,    kept (the organisation's); created_by, reviewed_by,
 *  shifts                  invited_by … keep pointing at the tombstone
 *  org_invitations         rows sent to the person's e-mail deleted
 *  specialist_profiles,    deleted: the public profile answers 404
 *  specialist_skills,
 *  availability
 *  credentials             deleted; their files under DATA/files are removed
 *                          after commit unless another credential or a logo
 *                          has the same content hash
 *  notifications           deleted
 *  applications            kept for the organisation's records (status,
 *                          times, check-in) but anonymised: message and
 *                          no_show_contest wiped; live ones (invited, applied,
 *                          waitlisted, offered, and accepted for a shift not
 *                          yet started) are withdrawn and free their place,
 *                          which is offered to the shift's waiting list
 *  help_requests           as requester: title, city, rating_comment wiped,
 *                          details re-sealed as "" (an empty box when no key
 *                          is loaded); domain, urgency, status, dates kept for
 *                          the statistics.  As assigned specialist: kept.
 *  request_access_log      kept: it is the audit of who read what
 *  audit_log               kept; the e-mail, where an entry holds it (account
 *                          registration, admin creation, member added,
 *                          invitation sent), is replaced by "user:<id>".
 *                          One entry "account.erase" (actor = the id, no
 *                          personal data, no address) is added.
 *  calendar_feeds (0012)   deleted
 *  messages (0013)         the person's messages: body_box re-sealed as ""
 *                          (like the help details), author_id NULL
 *  message_reads (0013)    the person's rows deleted
 *  jobs (0014)             jobs whose payload names the user ("user_id":ID in
 *                          the JSON, as mail and reminder jobs do) or the
 *                          e-mail deleted, done or not
 *
 *  certificates (later)    not built yet.  A certificates table must copy the
 *                          holder's name into its own column at issue time
 *                          (never join users for it), so that certificates
 *                          stay valid with the name after an erasure; this
 *                          file then leaves that table alone.
 *
 * Outside the database: e-mails already sent (SMTP, or DATA/outbox/ when
 * no relay is configured) are kept — they are copies of mail that has left
 * the platform, like a relay's spool, and are not read back by Khibra.
 *
 * The migrations 0012–0014 come from other subjects; their tables are only
 * touched when schema_migrations says they were applied.
 */
#include "auth/erase.h"
#include "auth/sealed.h"
#include "auth/secret.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "http/app.h"
#include "store/applications.h"
#include "store/files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void erase_files_free(struct erase_files *f)
{
	for (int i = 0; i < f->count; i++)
		free(f->hashes[i]);
	free(f->hashes);
	f->hashes = NULL;
	f->count = 0;
}

/* run: execute one statement when all before it went well. */
static void run(db_conn *c, int *st, const char *sql, const db_value *params, int nparams)
{
	if (*st == DB_OK)
		*st = db_exec(c, sql, params, nparams, NULL);
}

/* migrated: has migration `version` been applied? */
static bool migrated(db_conn *c, int64_t version)
{
	int64_t n = 0;
	return db_query_int(c, "SELECT count(*) FROM schema_migrations WHERE version = ?",
			    DB_PARAMS(DB_INT(version)), &n) == DB_OK && n > 0;
}

/* load_person: the live person's e-mail and password hash, row-locked. */
static int load_person(db_conn *c, int64_t user_id, char **email, char **hash)
{
	int st;
	db_rows *r = db_query(c, "SELECT COALESCE(email, ''), COALESCE(password_hash, '') FROM users "
				 "WHERE id = ? AND deleted_at IS NULL FOR UPDATE",
			      DB_PARAMS(DB_INT(user_id)), &st);
	if (!r)
		return st;
	st = STORE_NOT_FOUND;
	if (db_next(r)) {
		*email = xstrdup(db_text(r, 0));
		*hash = xstrdup(db_text(r, 1));
		st = DB_OK;
	} else if (db_rows_status(r) != DB_OK) {
		st = db_rows_status(r);
	}
	db_rows_free(r);
	return st;
}

/* is_last_owner: does the person own, alone, an organisation with other members? */
static int is_last_owner(db_conn *c, int64_t user_id, bool *last)
{
	int64_t n = 0;
	int st = db_query_int(c, "SELECT count(*) FROM org_members m WHERE m.user_id = ? AND m.role = 'owner' "
				 "AND NOT EXISTS (SELECT 1 FROM org_members o WHERE o.org_id = m.org_id "
				 "AND o.user_id <> m.user_id AND o.role = 'owner') "
				 "AND EXISTS (SELECT 1 FROM org_members o WHERE o.org_id = m.org_id AND o.user_id <> m.user_id)",
			      DB_PARAMS(DB_INT(user_id)), &n);
	*last = n > 0;
	return st;
}

/* collect_files: the content hashes of the person's credentials. */
static int collect_files(db_conn *c, int64_t user_id, struct erase_files *files)
{
	int st;
	db_rows *r = db_query(c, "SELECT DISTINCT file_hash FROM credentials WHERE user_id = ?",
			      DB_PARAMS(DB_INT(user_id)), &st);
	if (!r)
		return st;
	while (db_next(r)) {
		files->hashes = xreallocarray(files->hashes, (size_t)files->count + 1, sizeof *files->hashes);
		files->hashes[files->count++] = xstrdup(db_text(r, 0));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

/* freed_shifts: the shifts not yet started on which the person holds a
 * place (accepted, or offered: an offer holds its place); caller frees. */
static int freed_shifts(db_conn *c, int64_t user_id, int64_t now, int64_t **ids, int *n)
{
	return db_query_ids(c, "SELECT DISTINCT a.shift_id FROM applications a JOIN shifts s ON s.id = a.shift_id "
			       "WHERE a.user_id = ? AND a.status IN ('accepted', 'offered') AND s.starts_at > ?",
			    DB_PARAMS(DB_INT(user_id), DB_INT(now)), ids, n);
}

/* erase_applications: withdraw the live ones, freeing the places they held
 * on shifts not yet started and offering each to the first on that shift's
 * waiting list, then wipe the person's words from all of them. */
static void erase_applications(db_conn *c, int *st, int64_t user_id, int64_t now)
{
	int64_t *shifts = NULL;
	int nshifts = 0;
	if (*st == DB_OK)
		*st = freed_shifts(c, user_id, now, &shifts, &nshifts);
	run(c, st, "UPDATE shifts SET taken = taken - 1 WHERE starts_at > ? AND taken > 0 AND id IN "
		   "(SELECT shift_id FROM applications WHERE user_id = ? AND status IN ('accepted', 'offered') AND "
		   "shift_id IS NOT NULL)",
	    DB_PARAMS(DB_INT(now), DB_INT(user_id)));
	run(c, st, "UPDATE applications SET status = 'withdrawn', updated_at = ? WHERE user_id = ? AND "
		   "(status IN ('invited', 'applied', 'waitlisted', 'offered') OR (status = 'accepted' AND "
		   "((shift_id IS NOT NULL AND shift_id IN (SELECT id FROM shifts WHERE starts_at > ?)) OR "
		   "(shift_id IS NULL AND opportunity_id IN (SELECT id FROM opportunities WHERE starts_at > ?)))))",
	    DB_PARAMS(DB_INT(now), DB_INT(user_id), DB_INT(now), DB_INT(now)));
	run(c, st, "UPDATE applications SET message = '', no_show_contest = '' WHERE user_id = ?",
	    DB_PARAMS(DB_INT(user_id)));
	for (int i = 0; *st == DB_OK && i < nshifts; i++)
		*st = store_shift_offer_places_tx(c, shifts[i], now);
	free(shifts);
}

/* empty_box: "" sealed under the loaded key (so readers open it as an empty
 * text), or an empty value when no key is loaded; caller frees *box. */
static bool empty_box(unsigned char **box, size_t *len)
{
	*box = NULL;
	*len = 0;
	const unsigned char *key = sealed_key();
	return !key || sealed_seal(key, "", 0, box, len);
}

/* erase_help_requests: wipe what the person wrote in their requests. */
static void erase_help_requests(db_conn *c, int *st, int64_t user_id)
{
	unsigned char *box;
	size_t boxlen;
	if (!empty_box(&box, &boxlen)) {
		*st = DB_ERROR;
		return;
	}
	run(c, st, "UPDATE help_requests SET title = '', details_box = ?, city = '', rating_comment = '' "
		   "WHERE requester_id = ?",
	    DB_PARAMS(DB_BLOB(box ? (const char *)box : "", boxlen), DB_INT(user_id)));
	free(box);
}

/* erase_later_tables: the tables of migrations 0012–0014, when present. */
static void erase_later_tables(db_conn *c, int *st, int64_t user_id, const char *email)
{
	if (*st == DB_OK && migrated(c, 12))
		run(c, st, "DELETE FROM calendar_feeds WHERE user_id = ?", DB_PARAMS(DB_INT(user_id)));
	if (*st == DB_OK && migrated(c, 13)) {
		unsigned char *box;
		size_t boxlen;
		if (!empty_box(&box, &boxlen))
			*st = DB_ERROR;
		run(c, st, "UPDATE messages SET body_box = ?, author_id = NULL WHERE author_id = ?",
		    DB_PARAMS(DB_BLOB(box ? (const char *)box : "", boxlen), DB_INT(user_id)));
		free(box);
		run(c, st, "DELETE FROM message_reads WHERE user_id = ?", DB_PARAMS(DB_INT(user_id)));
	}
	if (*st == DB_OK && migrated(c, 14)) {
		/* The payload is JSON text: look for the id as a "user_id" member
		 * (compact or spaced, last member or not) and for the address. */
		char p1[48], p2[48], p3[48], p4[48];
		snprintf(p1, sizeof p1, "\"user_id\":%lld,", (long long)user_id);
		snprintf(p2, sizeof p2, "\"user_id\":%lld}", (long long)user_id);
		snprintf(p3, sizeof p3, "\"user_id\": %lld,", (long long)user_id);
		snprintf(p4, sizeof p4, "\"user_id\": %lld}", (long long)user_id);
		run(c, st, "DELETE FROM jobs WHERE REPLACE(payload, ?, '') <> payload OR REPLACE(payload, ?, '') <> payload "
			   "OR REPLACE(payload, ?, '') <> payload OR REPLACE(payload, ?, '') <> payload "
			   "OR REPLACE(payload, ?, '') <> payload",
		    DB_PARAMS(DB_TEXT(p1), DB_TEXT(p2), DB_TEXT(p3), DB_TEXT(p4), DB_TEXT(*email ? email : p1)));
	}
}

/* erase_rows: every statement of the table at the top, in order. */
static int erase_rows(db_conn *c, int64_t user_id, const char *email, int64_t now)
{
	int st = DB_OK;
	char me[32];
	snprintf(me, sizeof me, "user:%lld", (long long)user_id);
	const db_value id = DB_INT(user_id);
	run(c, &st, "DELETE FROM sessions WHERE user_id = ?", &id, 1);
	run(c, &st, "DELETE FROM api_tokens WHERE user_id = ?", &id, 1);
	run(c, &st, "DELETE FROM email_tokens WHERE user_id = ?", &id, 1);
	char email_key[SECRET_HASH_SIZE]; /* failed log-ins are counted under this hash */
	secret_hash(email, email_key);
	run(c, &st, "DELETE FROM rate_events WHERE key IN (?, ?, ?)",
	    DB_PARAMS(DB_TEXT(email), DB_TEXT(email_key), DB_TEXT(me)));
	run(c, &st, "DELETE FROM user_roles WHERE user_id = ?", &id, 1);
	run(c, &st, "DELETE FROM org_members WHERE user_id = ?", &id, 1);
	if (*email)
		run(c, &st, "DELETE FROM org_invitations WHERE email = ?", DB_PARAMS(DB_TEXT(email)));
	run(c, &st, "DELETE FROM specialist_skills WHERE user_id = ?", &id, 1);
	run(c, &st, "DELETE FROM availability WHERE user_id = ?", &id, 1);
	run(c, &st, "DELETE FROM specialist_profiles WHERE user_id = ?", &id, 1);
	run(c, &st, "DELETE FROM credentials WHERE user_id = ?", &id, 1);
	run(c, &st, "DELETE FROM notifications WHERE user_id = ?", &id, 1);
	erase_applications(c, &st, user_id, now);
	if (st == DB_OK)
		erase_help_requests(c, &st, user_id);
	if (*email)
		run(c, &st, "UPDATE audit_log SET target = REPLACE(target, ?, ?), detail = REPLACE(detail, ?, ?) "
			    "WHERE REPLACE(target, ?, '') <> target OR REPLACE(detail, ?, '') <> detail",
		    DB_PARAMS(DB_TEXT(email), DB_TEXT(me), DB_TEXT(email), DB_TEXT(me), DB_TEXT(email),
			      DB_TEXT(email)));
	erase_later_tables(c, &st, user_id, email);
	run(c, &st, "UPDATE users SET email = NULL, name = '', password_hash = NULL, email_verified_at = NULL, "
		    "deleted_at = ? WHERE id = ?",
	    DB_PARAMS(DB_INT(now), DB_INT(user_id)));
	if (st == DB_OK)
		st = store_audit(c, user_id, "account.erase", me, "", "", now);
	return st;
}

int store_account_erase(db_conn *c, int64_t user_id, const char *checked_hash, int64_t now,
			struct erase_files *files)
{
	memset(files, 0, sizeof *files);
	char *email = NULL, *hash = NULL;
	int st = db_begin(c, true);
	if (st == DB_OK)
		st = load_person(c, user_id, &email, &hash);
	if (st == DB_OK && checked_hash && strcmp(hash, checked_hash) != 0)
		st = ERASE_CHANGED;
	bool last = false;
	if (st == DB_OK)
		st = is_last_owner(c, user_id, &last);
	if (st == DB_OK && last)
		st = ERASE_LAST_OWNER;
	if (st == DB_OK)
		st = collect_files(c, user_id, files);
	if (st == DB_OK)
		st = erase_rows(c, user_id, email, now);
	if (st == DB_OK)
		st = db_commit(c);
	if (st != DB_OK) {
		db_rollback(c);
		erase_files_free(files);
	}
	free(email);
	if (hash)
		sodium_memzero(hash, strlen(hash));
	free(hash);
	return st;
}

void erase_remove_files(db_conn *c, const char *data_dir, const struct erase_files *files)
{
	for (int i = 0; i < files->count; i++) {
		const char *h = files->hashes[i];
		int64_t users = 1;
		if (!files_hash_valid(h) ||
		    db_query_int(c, "SELECT (SELECT count(*) FROM credentials WHERE file_hash = ?) + "
				    "(SELECT count(*) FROM orgs WHERE logo_hash = ?)",
				 DB_PARAMS(DB_TEXT(h), DB_TEXT(h)), &users) != DB_OK || users > 0)
			continue;
		char *path = xasprintf("%s/files/%.2s/%s", data_dir, h, h);
		if (unlink(path) != 0)
			log_info("erase", "credential file %s was already gone", h);
		free(path);
	}
}

/* ---- the account's own call ---- */

/* check_password: 403 unless `password` is the person's, under the limit of
 * RATE_LOGIN_PER_ACCOUNT wrong tries per window.  Fills `hash` on success. */
static bool check_password(request *r, db_conn *c, const char *password, int64_t now, char **hash,
			   struct outcome *o)
{
	char key[32];
	snprintf(key, sizeof key, "user:%lld", (long long)r->user->id);
	int64_t wrong = 0;
	if (store_rate_count(c, "erase_fail", key, now - RATE_WINDOW_SECONDS, &wrong) == DB_OK &&
	    wrong >= RATE_LOGIN_PER_ACCOUNT) {
		int64_t oldest = now;
		store_rate_oldest(c, "erase_fail", key, now - RATE_WINDOW_SECONDS, &oldest);
		int64_t wait = oldest + RATE_WINDOW_SECONDS - now;
		o->retry_after = (int)(wait > 0 ? wait : 1);
		outcome_fail(o, 429, "rate_limited", N_("Too many attempts. Please wait a little and try again."));
		return false;
	}
	struct user_record u;
	int st = store_user_by_id(c, r->user->id, &u);
	if (st != DB_OK) {
		outcome_fail(o, 404, "not_found", N_("There is nothing at this address."));
		return false;
	}
	bool ok = u.password_hash && *u.password_hash && password_verify(u.password_hash, password);
	if (ok)
		*hash = xstrdup(u.password_hash);
	user_record_free(&u);
	if (!ok) {
		store_rate_add(c, "erase_fail", key, now);
		outcome_fail(o, 403, "wrong_password", N_("The password is not right. Your account has not been deleted."));
	}
	return ok;
}

void account_erase(request *r, const char *password, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	if (!password || !*password) {
		o->fields = json_pack("{s:s}", "password", tr(r, N_("Enter your password to confirm.")));
		outcome_fail(o, 422, "invalid", N_("Some fields need your attention."));
		return;
	}
	db_conn *c = req_db(r);
	if (!c) {
		outcome_fail(o, 503, "unavailable", N_("The service is busy. Please try again in a moment."));
		return;
	}
	/* The slow hash is checked before the write transaction, so no lock is
	 * held meanwhile; the transaction then insists the hash is unchanged. */
	int64_t now = time(NULL);
	char *hash = NULL;
	if (!check_password(r, c, password, now, &hash, o))
		return;
	struct erase_files files;
	int st = store_account_erase(c, r->user->id, hash, now, &files);
	free(hash);
	if (st == ERASE_LAST_OWNER) {
		outcome_fail(o, 409, "last_owner",
		     N_("You are the last owner of an organisation that has other members. Make another member an owner first."));
		return;
	}
	if (st == ERASE_CHANGED || st == DB_BUSY) {
		outcome_fail(o, 409, "conflict", N_("Your account changed meanwhile. Please try again."));
		return;
	}
	if (st != DB_OK) {
		outcome_fail(o, 500, "internal", N_("Something went wrong on our side. Please try again."));
		return;
	}
	erase_remove_files(c, r->app->cfg.data_dir, &files);
	erase_files_free(&files);
	log_info("erase", "account %lld erased", (long long)r->user->id);
	o->status = 204;
}

/* ---- the access log ---- */

void access_log_entries_free(struct access_log_entry *list, int count)
{
	for (int i = 0; i < count; i++) {
		free(list[i].reader_name);
		free(list[i].reason);
		free(list[i].address);
	}
	free(list);
}

int store_access_log_list(db_conn *c, int64_t request_id, int64_t reader_id, int64_t before_id, int limit,
			  struct access_log_entry **out, int *count, bool *more)
{
	int st;
	*out = NULL;
	*count = 0;
	*more = false;
	db_rows *r = db_query(c, "SELECT l.id, l.request_id, COALESCE(l.reader_id, 0), COALESCE(u.name, ''), l.reason, "
				 "l.address, l.at FROM request_access_log l LEFT JOIN users u ON u.id = l.reader_id "
				 "WHERE (CAST(? AS BIGINT) = 0 OR l.request_id = ?) AND (CAST(? AS BIGINT) = 0 OR l.reader_id = ?) "
				 "AND l.id < ? "
				 "ORDER BY l.id DESC LIMIT ?",
			      DB_PARAMS(DB_INT(request_id), DB_INT(request_id), DB_INT(reader_id), DB_INT(reader_id),
					DB_INT(before_id > 0 ? before_id : INT64_MAX), DB_INT(limit + 1)),
			      &st);
	if (!r)
		return st;
	while (db_next(r)) {
		if (*count == limit) {
			*more = true;
			break;
		}
		*out = xreallocarray(*out, (size_t)*count + 1, sizeof **out);
		(*out)[(*count)++] = (struct access_log_entry){
			.id = db_int(r, 0), .request_id = db_int(r, 1), .reader_id = db_int(r, 2),
			.reader_name = xstrdup(db_text(r, 3)), .reason = xstrdup(db_text(r, 4)),
			.address = xstrdup(db_text(r, 5)), .at = db_int(r, 6),
		};
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK) {
		access_log_entries_free(*out, *count);
		*out = NULL;
		*count = 0;
	}
	return st;
}

const char *access_reason_label(const char *reason)
{
	static const struct { const char *reason, *msgid; } labels[] = {
		{ "requester", N_("The requester") },
		{ "specialist", N_("The assigned specialist") },
		{ "organisation", N_("A member of the handling organisation") },
		{ "moderation", N_("A moderator") },
		{ "view", N_("Reader") },
	};
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].reason, reason) == 0)
			return labels[i].msgid;
	return NULL;
}
