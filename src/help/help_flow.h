/*
 * help_flow.h — the help-request actions shared by the JSON API and the HTML
 * pages: validate the input, authorise through the store's circle rule, do
 * the work, and report an `outcome` (auth/accounts.h) the caller renders.
 *
 * Titles and details never appear in an outcome's message, nor in a log line.
 */
#ifndef KHIBRA_HELP_FLOW_H
#define KHIBRA_HELP_FLOW_H

#include "auth/accounts.h"
#include "core/timefmt.h"
#include "store/help.h"

struct help_input {
	const char *domain;
	const char *title;
	const char *details;
	const char *city;
	const char *urgency;
	const char *org_id;   /* decimal text, "" or NULL for none (pages send text) */
	json_t *org_id_json;  /* the JSON value, when the API sent one (borrowed) */
};

/* help_create: validate and store a new request of the caller; 201 + *id. */
void help_create(request *r, const struct help_input *in, int64_t *id, struct outcome *o);
/* help_get: the request with details for the caller (the read is logged);
 * 404 outside the circle.  On 200 the caller frees *out. */
void help_get(request *r, int64_t id, struct help_request *out, struct outcome *o);
void help_assign(request *r, int64_t id, int64_t specialist_id, struct outcome *o);
/* help_book: starts_at / ends_at as Unix seconds, already parsed. */
void help_book(request *r, int64_t id, int64_t starts_at, int64_t ends_at, const char *mode, struct outcome *o);
void help_resolve(request *r, int64_t id, struct outcome *o);
void help_rate(request *r, int64_t id, int rating, const char *comment, struct outcome *o);
/* help_after_action: 200 + the request as the caller may see it now (no details,
 * no log line), or the outcome of the failed lookup. */
void help_reload(request *r, int64_t id, struct help_request *out, struct outcome *o);

/* help_store_outcome: a store result (DB_OK, STORE_NOT_FOUND, HELP_*) as an
 * outcome: 200, or the refusal in the caller's words (404, 403, 409, 422). */
void help_store_outcome(request *r, int st, struct outcome *o);

/* help_parse_local: "YYYY-MM-DD" and "HH:MM" (or "HH:MM:SS", as some
 * browsers send it) in Asia/Riyadh → Unix seconds. */
bool help_parse_local(const char *date, const char *time_of_day, int64_t *out);
/* help_json: the request as the API shows it; details only when with_details. */
json_t *help_json(const struct help_request *h, bool with_details);

/* help_domain_label: the msgid naming a domain ("Health" …). */
const char *help_domain_label(const char *domain);

#endif
