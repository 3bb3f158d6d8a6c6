/*
 * accounts.c — register, log in, confirm e-mail, reset password (accounts.h).
 */
#include "auth/accounts.h"
#include "auth/secret.h"
#include "http/app.h"
#include "http/session.h"
#include "core/log.h"
#include "jobs/worker.h"
#include "store/jobs.h"
#include "core/xalloc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void outcome_clear(struct outcome *o)
{
	json_decref(o->fields);
	memset(o, 0, sizeof *o);
}

void respond_outcome(request *r, struct outcome *o)
{
	if (o->retry_after > 0) {
		char secs[24];
		snprintf(secs, sizeof secs, "%d", o->retry_after);
		respond_header(r, "Retry-After", secs);
	}
	json_t *fields = o->fields;
	o->fields = NULL;
	respond_error(r, o->status, o->code, o->message, fields);
}

void outcome_fail(struct outcome *o, int status, const char *code, const char *message)
{
	o->status = status;
	o->code = code;
	o->message = message;
}

void outcome_field(request *r, struct outcome *o, const char *field, const char *reason)
{
	if (!o->fields)
		o->fields = json_object();
	if (!json_object_get(o->fields, field))
		json_object_set_new(o->fields, field, json_string(tr(r, reason)));
	outcome_fail(o, 422, "invalid", N_("Some fields need your attention."));
}

/* clean_name: trimmed copy of a display name, or NULL if empty, too long or
 * holding control characters. */
static char *clean_name(const char *in)
{
	if (!in)
		return NULL;
	while (*in == ' ' || *in == '\t')
		in++;
	size_t n = strlen(in);
	while (n && (in[n - 1] == ' ' || in[n - 1] == '\t'))
		n--;
	if (n == 0 || n > LIMIT_NAME_BYTES)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)in[i] < ' ' || in[i] == 0x7f)
			return NULL;
	return xstrndup(in, n);
}

/* rate_limited: has `kind` for `key` reached `limit` within `window`?  Sets
 * o->retry_after to when the oldest counted event leaves the window. */
static bool rate_limited(db_conn *c, const char *kind, const char *key, int64_t limit, int64_t window,
			 int64_t now, struct outcome *o)
{
	int64_t count = 0;
	if (store_rate_count(c, kind, key, now - window, &count) != DB_OK || count < limit)
		return false;
	int64_t oldest = now;
	store_rate_oldest(c, kind, key, now - window, &oldest);
	int64_t wait = oldest + window - now;
	o->retry_after = (int)(wait > 0 ? wait : 1);
	outcome_fail(o, 429, "rate_limited", N_("Too many attempts. Please wait a little and try again."));
	return true;
}

/* ---- the e-mails with a link (verification, reset), through the job queue ---- */

/* One row per purpose: the token kind, its lifetime, the page the link
 * opens, and the message. */
static const struct account_mail_kind {
	const char *purpose;
	int64_t lifetime;
	const char *path;
	const char *subject;
	const char *intro;
} account_mails[] = {
	{ "verify", EMAIL_TOKEN_SECONDS, "/verify-email", N_("Confirm your e-mail address"),
	  N_("Welcome to Khibra. Please confirm your e-mail address by opening this link:") },
	{ "reset", RESET_TOKEN_SECONDS, "/reset-password", N_("Reset your Khibra password"),
	  N_("Someone asked to reset the password of your Khibra account. To choose a new password, open this link within one hour:") },
};

static const struct account_mail_kind *account_mail_kind(const char *purpose)
{
	for (size_t i = 0; purpose && i < sizeof account_mails / sizeof account_mails[0]; i++)
		if (strcmp(account_mails[i].purpose, purpose) == 0)
			return &account_mails[i];
	return NULL;
}

bool account_mail_enqueue(db_conn *c, int64_t user_id, const char *purpose, int64_t now)
{
	char payload[96];
	snprintf(payload, sizeof payload, "{\"user_id\":%lld,\"purpose\":\"%s\"}", (long long)user_id, purpose);
	if (!c || store_job_enqueue(c, "account_mail", payload, now, 0, NULL, now, NULL) != DB_OK) {
		log_error("accounts", "could not queue the %s e-mail for user %lld", purpose, (long long)user_id);
		return false;
	}
	jobs_worker_kick();
	return true;
}

int account_mail_deliver(const struct mail_config *mail, const char *public_url, db_conn *c, int64_t user_id,
			 const char *purpose, int64_t now)
{
	const struct account_mail_kind *k = account_mail_kind(purpose);
	if (!k)
		return 0;
	struct user_record u;
	int st = store_user_by_id(c, user_id, &u);
	if (st != DB_OK)
		return st == STORE_NOT_FOUND ? 0 : -1;
	/* An erased person (no e-mail address) gets nothing.  The token is
	 * made now, so that no secret waits in the queue. */
	bool erased = !u.email || !*u.email;
	char token[SECRET_TOKEN_SIZE], hash[SECRET_HASH_SIZE];
	secret_token(token);
	secret_hash(token, hash);
	if (erased || store_email_token_create(c, user_id, k->purpose, hash, now, now + k->lifetime) != DB_OK) {
		user_record_free(&u);
		return erased ? 0 : -1;
	}
	enum lang lang = LANG_DEFAULT;
	i18n_parse(u.locale, &lang);
	buf body = BUF_INIT;
	buf_printf(&body, "%s %s\n\n%s\n\n%s%s?token=%s\n\n%s\n\n— %s\n", i18n_gettext(lang, N_("Hello")), u.name,
		   i18n_gettext(lang, k->intro), public_url ? public_url : "", k->path, token,
		   i18n_gettext(lang, N_("If you did not ask for this, you can ignore this message.")),
		   i18n_gettext(lang, N_("Khibra")));
	bool ok = mail_send(mail, u.email, i18n_gettext(lang, k->subject), body.data);
	if (!ok)
		log_error("accounts", "could not send the %s e-mail to user %lld", k->purpose, (long long)user_id);
	buf_free(&body);
	user_record_free(&u);
	return ok ? 1 : -1;
}

void account_register(request *r, const struct register_input *in, int64_t *user_id, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	char email[LIMIT_EMAIL_BYTES + 1];
	char *name = clean_name(in->name);
	if (!in->name || !*in->name)
		outcome_field(r, o, "name", N_("Please enter your name."));
	else if (!name)
		outcome_field(r, o, "name", N_("The name must be 1 to 120 characters without control characters."));
	if (!email_normalise(in->email, email, sizeof email))
		outcome_field(r, o, "email", N_("Please enter a valid e-mail address."));
	if (!in->password || !password_length_ok(in->password))
		outcome_field(r, o, "password", N_("The password must be 10 to 256 characters long."));
	if (!in->role || (strcmp(in->role, "specialist") != 0 && strcmp(in->role, "beneficiary") != 0 &&
			  strcmp(in->role, "organisation") != 0))
		outcome_field(r, o, "role", N_("Choose specialist, beneficiary or organisation."));
	enum lang locale = r->lang;
	if (in->locale && *in->locale && !i18n_parse(in->locale, &locale))
		outcome_field(r, o, "locale", N_("The language must be ar or en."));
	if (o->status) {
		free(name);
		return;
	}

	db_conn *c = req_db(r);
	int64_t now = time(NULL);
	if (!c) {
		outcome_fail(o, 503, "unavailable", N_("The service is busy. Please try again in a moment."));
		free(name);
		return;
	}
	if (rate_limited(c, "register_address", r->client_addr, RATE_REGISTER_PER_ADDRESS, RATE_REGISTER_WINDOW,
			 now, o)) {
		free(name);
		return;
	}
	char hash[PASSWORD_HASH_SIZE];
	if (!password_hash(in->password, hash)) {
		outcome_fail(o, 500, "internal", N_("Something went wrong on our side. Please try again."));
		free(name);
		return;
	}
	int64_t id = 0;
	int st = store_user_create(c, email, name, hash, i18n_code(locale), in->role, now, &id);
	if (st == DB_CONSTRAINT) {
		outcome_fail(o, 409, "duplicate", N_("An account with this e-mail address already exists."));
		o->fields = json_pack("{s:s}", "email", tr(r, N_("This e-mail address is already registered.")));
		free(name);
		return;
	}
	if (st != DB_OK) {
		outcome_fail(o, 500, "internal", N_("Something went wrong on our side. Please try again."));
		free(name);
		return;
	}
	store_rate_add(c, "register_address", r->client_addr, now);
	store_audit(c, id, "account.register", email, in->role, r->client_addr, now);
	account_mail_enqueue(c, id, "verify", now);
	free(name);
	if (user_id)
		*user_id = id;
	o->status = 201;
}

/* A real Argon2id hash of a random password, made once, for unknown addresses. */
static char dummy_hash[PASSWORD_HASH_SIZE];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void make_dummy_hash(void)
{
	char random_password[SECRET_TOKEN_SIZE];
	secret_token(random_password);
	password_hash(random_password, dummy_hash);
}

void account_login(request *r, const char *email_in, const char *password, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	char email[LIMIT_EMAIL_BYTES + 1];
	if (!email_normalise(email_in, email, sizeof email))
		snprintf(email, sizeof email, "%.*s", LIMIT_EMAIL_BYTES, email_in ? email_in : "");
	if (!password)
		password = "";
	db_conn *c = req_db(r);
	if (!c) {
		outcome_fail(o, 503, "unavailable", N_("The service is busy. Please try again in a moment."));
		return;
	}
	int64_t now = time(NULL);
	/* Failed log-ins are counted per account under a hash of the address,
	 * so rate_events never holds an e-mail address (not even an erased one). */
	char account_key[SECRET_HASH_SIZE];
	secret_hash(email, account_key);
	if (rate_limited(c, "login_fail_account", account_key, RATE_LOGIN_PER_ACCOUNT, RATE_WINDOW_SECONDS, now, o) ||
	    rate_limited(c, "login_fail_address", r->client_addr, RATE_LOGIN_PER_ADDRESS, RATE_WINDOW_SECONDS, now, o))
		return;

	struct user_record u;
	int st = store_user_by_email(c, email, &u);
	/* Verify against a real hash even for unknown addresses, so that the time
	 * taken does not tell which addresses have accounts. */
	pthread_once(&dummy_once, make_dummy_hash);
	bool ok = password_verify(st == DB_OK ? u.password_hash : dummy_hash, password) && st == DB_OK;
	if (!ok) {
		store_rate_add(c, "login_fail_account", account_key, now);
		store_rate_add(c, "login_fail_address", r->client_addr, now);
		if (st == DB_OK)
			user_record_free(&u);
		outcome_fail(o, 401, "bad_credentials", N_("The e-mail address or the password is not right."));
		return;
	}
	int64_t id = u.id;
	user_record_free(&u);
	if (!session_start(r, id)) {
		outcome_fail(o, 500, "internal", N_("Something went wrong on our side. Please try again."));
		return;
	}
	store_audit(c, id, "account.login", "", "", r->client_addr, now);
	o->status = 200;
}

void account_verify_email(request *r, const char *token, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	db_conn *c = req_db(r);
	int64_t user_id = 0;
	char hash[SECRET_HASH_SIZE];
	int64_t now = time(NULL);
	if (!token || !secret_looks_like_token(token)) {
		outcome_fail(o, 422, "invalid_token", N_("This link is not valid or has already been used."));
		return;
	}
	secret_hash(token, hash);
	if (!c || store_email_token_use(c, "verify", hash, now, &user_id) != DB_OK ||
	    store_user_set_verified(c, user_id, now) != DB_OK) {
		outcome_fail(o, 422, "invalid_token", N_("This link is not valid or has already been used."));
		return;
	}
	store_audit(c, user_id, "account.verify_email", "", "", r->client_addr, now);
	if (r->user && r->user->id == user_id)
		r->user->email_verified = true;
	o->status = 200;
}

void account_reset_request(request *r, const char *email_in, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	char email[LIMIT_EMAIL_BYTES + 1];
	if (!email_normalise(email_in, email, sizeof email)) {
		outcome_field(r, o, "email", N_("Please enter a valid e-mail address."));
		return;
	}
	db_conn *c = req_db(r);
	if (!c) {
		outcome_fail(o, 503, "unavailable", N_("The service is busy. Please try again in a moment."));
		return;
	}
	int64_t now = time(NULL);
	if (rate_limited(c, "reset_address", r->client_addr, RATE_RESET_PER_ADDRESS, RATE_RESET_WINDOW, now, o))
		return;
	store_rate_add(c, "reset_address", r->client_addr, now);
	struct user_record u;
	if (store_user_by_email(c, email, &u) == DB_OK) {
		account_mail_enqueue(c, u.id, "reset", now);
		store_audit(c, u.id, "account.reset_requested", "", "", r->client_addr, now);
		user_record_free(&u);
	}
	o->status = 202;
}

void account_reset_confirm(request *r, const char *token, const char *password, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	if (!password || !password_length_ok(password)) {
		outcome_field(r, o, "password", N_("The password must be 10 to 256 characters long."));
		return;
	}
	if (!token || !secret_looks_like_token(token)) {
		outcome_fail(o, 422, "invalid_token", N_("This link is not valid or has already been used."));
		return;
	}
	char hash[SECRET_HASH_SIZE], pw[PASSWORD_HASH_SIZE];
	if (!password_hash(password, pw)) {
		outcome_fail(o, 500, "internal", N_("Something went wrong on our side. Please try again."));
		return;
	}
	secret_hash(token, hash);
	db_conn *c = req_db(r);
	int64_t now = time(NULL), user_id = 0;
	if (!c || db_begin(c, true) != DB_OK) {
		outcome_fail(o, 503, "unavailable", N_("The service is busy. Please try again in a moment."));
		return;
	}
	int st = store_email_token_use(c, "reset", hash, now, &user_id);
	if (st == DB_OK)
		st = store_user_set_password(c, user_id, pw);
	if (st == DB_OK)
		st = store_sessions_revoke_user(c, user_id, now);
	if (st == DB_OK)
		st = store_user_set_verified(c, user_id, now); /* the link proved the address */
	if (st == DB_OK)
		st = store_audit(c, user_id, "account.password_reset", "", "", r->client_addr, now);
	if (st == DB_OK)
		st = db_commit(c);
	if (st != DB_OK) {
		db_rollback(c);
		outcome_fail(o, 422, "invalid_token", N_("This link is not valid or has already been used."));
		return;
	}
	o->status = 200;
}

void account_set_locale(request *r, const char *locale, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	enum lang lang;
	if (!locale || !i18n_parse(locale, &lang) || strcmp(locale, i18n_code(lang)) != 0) {
		outcome_field(r, o, "locale", N_("The language must be ar or en."));
		return;
	}
	db_conn *c = req_db(r);
	int64_t now = time(NULL);
	if (!c || store_user_set_locale(c, r->user->id, i18n_code(lang)) != DB_OK) {
		outcome_fail(o, 503, "unavailable", N_("The service is busy. Please try again in a moment."));
		return;
	}
	store_audit(c, r->user->id, "account.locale", "", i18n_code(lang), r->client_addr, now);
	free(r->user->locale);
	r->user->locale = xstrdup(i18n_code(lang));
	o->status = 200;
}
