/*
 * help.h — help requests from beneficiaries, and who may read them.
 *
 * Privacy is the feature.  The private details are sealed (auth/sealed.h)
 * before they reach the database and opened only for the request's circle:
 *   - the requester;
 *   - members of the handling organisation (org_members);
 *   - the assigned specialist;
 *   - moderators and admins.
 * Anyone else is told STORE_NOT_FOUND, as if the request did not exist.
 * Every opening of the details writes a row to request_access_log (reader,
 * reason, address, time).  Titles and details never go to a log line.
 *
 * Conventions are store.h's; the action functions also return the HELP_*
 * codes below for refusals the callers turn into 403 / 409.
 */
#ifndef KHIBRA_HELP_H
#define KHIBRA_HELP_H

#include "store/store.h"

#include <stdbool.h>
#include <stdint.h>

#define HELP_FORBIDDEN            2  /* in the circle, but this action is not theirs */
#define HELP_NOT_SPECIALIST       3  /* the person to assign is not a specialist */
#define HELP_LICENCE_REQUIRED     4  /* health and law need an approved licence */
#define HELP_OUTSIDE_AVAILABILITY 5  /* the session is outside the specialist's week */
#define HELP_WRONG_STATE          6  /* e.g. booking before assigning, rating twice */
#define HELP_BAD_ORG              7  /* no such verified organisation */
#define HELP_NO_KEY               8  /* the sealing key is not loaded */

#define HELP_TITLE_MAX    200   /* bytes */
#define HELP_DETAILS_MAX  8000
#define HELP_CITY_MAX     120
#define HELP_COMMENT_MAX  1000

/* Who someone is to a request (bits; one person may be several). */
enum help_circle {
	HELP_REQUESTER = 1u << 0,
	HELP_ORG_MEMBER = 1u << 1,
	HELP_SPECIALIST = 1u << 2,
	HELP_MODERATOR = 1u << 3,
};

struct help_request {
	int64_t id;
	int64_t requester_id;
	int64_t org_id;                 /* 0: none */
	int64_t specialist_id;          /* 0: not assigned */
	char domain[16];
	char urgency[8];
	char status[12];
	char *title;
	char *city;
	char *org_name;                 /* "" when none */
	char *specialist_name;          /* "" when none */
	char *details;                  /* opened plaintext (store_help_get only), else NULL */
	int64_t session_starts_at;      /* 0: no session booked */
	int64_t session_ends_at;
	char session_mode[12];
	int rating;                     /* 0: not rated */
	char *rating_comment;
	int64_t created_at, updated_at, resolved_at;
	unsigned circle;                /* enum help_circle bits of the reader */
};
void help_request_free(struct help_request *h);
void help_requests_free(struct help_request *list, int count);

/* help_domain_ok / help_urgency_ok / help_mode_ok: is this one of the names? */
bool help_domain_ok(const char *domain);
bool help_urgency_ok(const char *urgency);
bool help_mode_ok(const char *mode);

/* store_help_create: seal `details` and store a new request (status "new");
 * gives the requester the beneficiary role.  HELP_BAD_ORG when org_id is not
 * 0 and not a verified organisation; HELP_NO_KEY without a key. */
int store_help_create(db_conn *c, int64_t requester_id, int64_t org_id, const char *domain, const char *title,
		      const char *details, const char *city, const char *urgency, int64_t now, int64_t *id);

/* store_help_get: the request with its details opened, for a reader in its
 * circle (`roles` are the reader's enum role bits); writes the access log
 * with `reason` (NULL: from the circle — "requester", "specialist",
 * "organisation", "moderation") and `address`.  STORE_NOT_FOUND for anyone else. */
int store_help_get(db_conn *c, int64_t id, int64_t reader_id, unsigned roles, const char *reason,
		   const char *address, int64_t now, struct help_request *out);
/* store_help_summary: the request without its details (no log line) for a
 * reader in its circle — to show the result of an action.  STORE_NOT_FOUND
 * for anyone else. */
int store_help_summary(db_conn *c, int64_t id, int64_t reader_id, unsigned roles, struct help_request *out);
/* store_help_circle: the reader's circle bits for request `id` (0: outside);
 * STORE_NOT_FOUND when there is no such request. */
int store_help_circle(db_conn *c, int64_t id, int64_t reader_id, unsigned roles, unsigned *circle);

/* Lists, newest first, without details (arrays owned by the caller).
 * `before_id` > 0 continues a list after that id (cursor). */
int store_help_list_mine(db_conn *c, int64_t requester_id, int64_t before_id, int limit,
			 struct help_request **out, int *count);
int store_help_list_org(db_conn *c, int64_t org_id, int64_t before_id, int limit,
			struct help_request **out, int *count);
int store_help_list_assigned(db_conn *c, int64_t specialist_id, int64_t before_id, int limit,
			     struct help_request **out, int *count);

/* store_help_org_member: is the person a member of the organisation? */
bool store_help_org_member(db_conn *c, int64_t org_id, int64_t user_id);

/* store_help_assign: members of the handling organisation and moderators
 * assign a specialist (HELP_NOT_SPECIALIST, HELP_LICENCE_REQUIRED for health
 * and law without an approved licence; HELP_WRONG_STATE once resolved). */
int store_help_assign(db_conn *c, int64_t id, int64_t actor_id, unsigned roles, int64_t specialist_id,
		      int64_t now);
/* store_help_book: the assigned specialist or the organisation's members book
 * a session inside one of the specialist's availability ranges. */
int store_help_book(db_conn *c, int64_t id, int64_t actor_id, unsigned roles, int64_t starts_at,
		    int64_t ends_at, const char *mode, int64_t now);
/* store_help_resolve: the handlers (specialist, organisation, moderators)
 * mark the request resolved. */
int store_help_resolve(db_conn *c, int64_t id, int64_t actor_id, unsigned roles, int64_t now);
/* store_help_rate: the requester rates a resolved request once. */
int store_help_rate(db_conn *c, int64_t id, int64_t actor_id, unsigned roles, int rating, const char *comment,
		    int64_t now);

/* A weekly availability range (Asia/Riyadh local minutes). */
struct help_availability { int weekday; int start_minute; int end_minute; };
/* help_slot_fits: does [starts_at, ends_at) fall, in Asia/Riyadh (UTC+3 all
 * year), inside one range on one day?  Pure. */
bool help_slot_fits(const struct help_availability *ranges, int n, int64_t starts_at, int64_t ends_at);

struct help_access { int64_t reader_id; char *reader_name; char *reason; char *address; int64_t at; };
/* store_help_access_log: the reads of request `id`, oldest first. */
int store_help_access_log(db_conn *c, int64_t id, struct help_access **out, int *count);
void help_access_free(struct help_access *list, int count);

/* store_help_specialists_for: specialists whose profile domain is `domain`
 * (for the assign form): ids and names, by name. */
struct help_person { int64_t id; char *name; bool licensed; };
int store_help_specialists_for(db_conn *c, const char *domain, struct help_person **out, int *count);
void help_people_free(struct help_person *list, int count);
/* store_help_verified_orgs: verified organisations (id, name) for the form. */
int store_help_verified_orgs(db_conn *c, struct help_person **out, int *count);

#endif
