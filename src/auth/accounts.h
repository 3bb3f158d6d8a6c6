/*
 * accounts.h — the account actions shared by the JSON API and the HTML pages:
 * register, log in, confirm an e-mail address, reset a password, and the
 * e-mails with a link these send (through the durable job queue).
 *
 * Each action validates its input, applies the rate limits, does its work in
 * the store and reports an `outcome`.  The API turns an outcome into a JSON
 * error; the pages into a form shown again with the messages.  Messages are
 * gettext msgids; field reasons are already translated.
 */
#ifndef KHIBRA_ACCOUNTS_H
#define KHIBRA_ACCOUNTS_H

#include "domain/email.h"
#include "http/request.h"
#include "mail/mail.h"

/* Rate-limit windows not in core/limits.h, and the longest of all, which
 * the daily housekeeping keeps (jobs/run.c). */
#define RATE_RESET_WINDOW 3600 /* reset e-mails per address */
#define RATE_LONGEST_WINDOW                                                                         \
	(RATE_WINDOW_SECONDS > RATE_REGISTER_WINDOW                                                 \
		 ? (RATE_WINDOW_SECONDS > RATE_RESET_WINDOW ? RATE_WINDOW_SECONDS : RATE_RESET_WINDOW) \
		 : (RATE_REGISTER_WINDOW > RATE_RESET_WINDOW ? RATE_REGISTER_WINDOW : RATE_RESET_WINDOW))

struct outcome {
	int status;          /* HTTP status: 200/201/202 on success */
	const char *code;    /* error code for the API ("invalid", "duplicate", …) */
	const char *message; /* msgid */
	json_t *fields;      /* field → translated reason, or NULL; owned */
	int retry_after;     /* seconds, for 429 */
};
void outcome_clear(struct outcome *o);
/* outcome_fail: the outcome's status, error code and message (a msgid). */
void outcome_fail(struct outcome *o, int status, const char *code, const char *message);
/* outcome_field: a 422 "invalid" outcome with a translated reason for one
 * field; the first reason given for a field is the one kept. */
void outcome_field(request *r, struct outcome *o, const char *field, const char *reason);
/* respond_outcome: answer an API call with the outcome's error. */
void respond_outcome(request *r, struct outcome *o);

struct register_input {
	const char *email;
	const char *password;
	const char *name;
	const char *role;   /* "specialist", "beneficiary", "organisation" */
	const char *locale; /* "ar", "en" or NULL for the page language */
};

/* account_register: create the account, log it in, mail the confirmation
 * link.  201 with *user_id on success. */
void account_register(request *r, const struct register_input *in, int64_t *user_id, struct outcome *o);
/* account_login: check the password under the rate limits and start a session. */
void account_login(request *r, const char *email, const char *password, struct outcome *o);
/* account_mail_enqueue: queue the e-mail with a link for `purpose` ("verify":
 * confirm the address; "reset": a new password) as a durable "account_mail"
 * job {user_id, purpose}, and wake the worker.  False (logged) when the
 * queue refused it. */
bool account_mail_enqueue(db_conn *c, int64_t user_id, const char *purpose, int64_t now);
/* account_mail_deliver: the job's work: make a fresh single-use token (only
 * its hash is stored, so no secret waits in the queue) and mail the link in
 * the person's language.  1 sent, 0 nothing to send (erased, unknown
 * purpose), -1 to retry. */
int account_mail_deliver(const struct mail_config *mail, const char *public_url, db_conn *c, int64_t user_id,
			 const char *purpose, int64_t now);
void account_verify_email(request *r, const char *token, struct outcome *o);
/* account_reset_request: mail a reset link if the address is known; the
 * answer is the same either way (202). */
void account_reset_request(request *r, const char *email, struct outcome *o);
void account_reset_confirm(request *r, const char *token, const char *password, struct outcome *o);
/* account_set_locale: save the caller's language, "ar" or "en" exactly (422
 * otherwise); it chooses the language of their e-mails and notifications,
 * and of their pages when neither ?lang= nor the language cookie does. */
void account_set_locale(request *r, const char *locale, struct outcome *o);


#endif
