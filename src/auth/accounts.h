/*
 * accounts.h — the account actions shared by the JSON API and the HTML pages:
 * register, log in, confirm an e-mail address, reset a password.
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
/* account_send_verification: mail a fresh confirmation link to the user. */
bool account_send_verification(request *r, int64_t user_id, const char *email, const char *name, const char *locale);
void account_verify_email(request *r, const char *token, struct outcome *o);
/* account_reset_request: mail a reset link if the address is known; the
 * answer is the same either way (202). */
void account_reset_request(request *r, const char *email, struct outcome *o);
void account_reset_confirm(request *r, const char *token, const char *password, struct outcome *o);


#endif
