/*
 * applications.h — applications and booking in the store (applications.c).
 *
 * Capacity is never exceeded: a place is only taken inside one write
 * transaction that locks the shift row (SELECT … FOR UPDATE on PostgreSQL;
 * SQLite's BEGIN IMMEDIATE serialises writers), checks taken < capacity, the
 * person's other accepted shifts (no overlap), their monthly hour cap and, for
 * consultations in health and law, an approved licence; and only then adds
 * one to shifts.taken.  `taken` counts accepted places and offered ones: a
 * waiting-list offer takes its place when it is made (under the same lock)
 * and holds it for BOOKING_OFFER_HOLD_SECONDS; confirming it takes no second
 * place, declining or expiry frees it and offers it to the next waiting.
 * On PostgreSQL the person's users row is locked first,
 * so two accepts of the same person serialise too.  Lock order, everywhere:
 * users → shifts → applications.  DB_BUSY (lock timeout, deadlock,
 * serialisation failure) retries the whole transaction a few times.
 *
 * Conventions as in store.h; results are DB_OK, STORE_NOT_FOUND, a negative
 * db_status, or one of the BOOK_* refusals below.
 */
#ifndef KHIBRA_STORE_APPLICATIONS_H
#define KHIBRA_STORE_APPLICATIONS_H

#include "domain/booking.h"
#include "store/store.h"

enum booking_result {
	BOOK_WRONG_STATE = 10,  /* the move is not allowed from the current status */
	BOOK_FORBIDDEN,         /* the caller knows the application but may not do this */
	BOOK_FULL,              /* the shift's places are all taken */
	BOOK_OVERLAP,           /* the person has another accepted shift at that time */
	BOOK_HOUR_CAP,          /* it would pass the person's monthly hour cap */
	BOOK_LICENCE,           /* a consultation in health or law needs an approved licence */
	BOOK_DUPLICATE,         /* a live application for this person and shift exists */
	BOOK_BAD_SHIFT,         /* the shift is not one of the opportunity's */
	BOOK_SHIFT_NEEDED,      /* the opportunity has several shifts: choose one */
	BOOK_NOT_OPEN,          /* the opportunity is not open */
	BOOK_NO_PERSON,         /* the invited person does not exist */
};

/* One application with what lists and pages show beside it. */
struct application {
	int64_t id, opportunity_id, shift_id; /* shift_id 0 when none */
	int64_t user_id, org_id;              /* the applicant; the opportunity's organisation */
	char status[16];
	char *message, *decline_reason, *no_show_contest;
	char *user_name;                      /* the applicant's public name */
	char *opportunity_title;
	int64_t shift_starts_at, shift_ends_at; /* 0 without a shift */
	int64_t shift_capacity, shift_taken;
	int64_t created_at, updated_at, offered_at, checked_in_at; /* 0 when not set */
	int64_t offer_expires_at;             /* until when an offer holds the place; 0 when none */
	int64_t messages_unread;              /* lists only: the viewer's unread messages in its thread */
};
void application_free(struct application *a);
void applications_free(struct application *list, int count);

/* The facts about an opportunity that booking needs. */
struct booking_opportunity {
	int64_t id, org_id;
	char status[16];
	char kind[16];
	char domain[16];
	char *title;
};
void booking_opportunity_free(struct booking_opportunity *o);
int store_booking_opportunity(db_conn *c, int64_t opportunity_id, struct booking_opportunity *out);

struct booking_shift {
	int64_t id, starts_at, ends_at, capacity, taken;
	char *role;
};
void booking_shifts_free(struct booking_shift *list, int count);
/* store_booking_shifts: the opportunity's shifts in order (array owned by caller). */
int store_booking_shifts(db_conn *c, int64_t opportunity_id, struct booking_shift **out, int *count);

/* store_is_org_member: is the person an owner or coordinator of the organisation? */
bool store_is_org_member(db_conn *c, int64_t org_id, int64_t user_id);

/* store_application_apply: a new "applied" application on an open
 * opportunity.  shift_id 0: the only shift if there is one (BOOK_SHIFT_NEEDED
 * if several).  STORE_NOT_FOUND when the opportunity does not exist or is a
 * draft; BOOK_NOT_OPEN, BOOK_BAD_SHIFT, BOOK_DUPLICATE. */
int store_application_apply(db_conn *c, int64_t opportunity_id, int64_t user_id, int64_t shift_id,
			    const char *message, int64_t now, int64_t *id);
/* store_application_invite: an "invited" application made by `by` (whose
 * membership the caller has checked); notifies the person.  Same results as
 * apply, plus BOOK_NO_PERSON. */
int store_application_invite(db_conn *c, int64_t opportunity_id, int64_t by, int64_t specialist_id,
			     int64_t shift_id, const char *message, int64_t now, int64_t *id);

/* store_application_get: one application with its details. */
int store_application_get(db_conn *c, int64_t id, struct application *out);

/* store_application_act: `user_id` does `action` to application `id`, in one
 * transaction, as the applicant or as a member of its organisation —
 * whichever the rules allow.  `text` is the decline reason or the contest.
 * STORE_NOT_FOUND when the application does not exist or the caller is
 * neither; BOOK_FORBIDDEN, BOOK_WRONG_STATE; for moves that take a place
 * BOOK_FULL, BOOK_OVERLAP, BOOK_HOUR_CAP, BOOK_LICENCE.  Nothing changes
 * unless DB_OK.  Freeing a place offers it to the first on the waiting list. */
int store_application_act(db_conn *c, int64_t id, int64_t user_id, enum app_action action,
			  const char *text, int64_t now);

/* store_application_expire_offer_tx: inside the caller's write transaction
 * (the offer_expiry job completes itself in it), decline application `id`
 * when it is still offered and its offer_expires_at is not after `now`: the
 * decline reason is "The offer expired" in the person's language, the place
 * is freed and offered to the next on the waiting list, and the person is
 * notified (application_offer_expired).  DB_OK also when there is nothing
 * to do (confirmed, declined, gone, not yet due); *expired (may be NULL)
 * says whether it expired.  Same locks, in the same order, as accept. */
int store_application_expire_offer_tx(db_conn *c, int64_t id, int64_t now, bool *expired);
/* store_application_expire_offer: the same in its own transaction, retried
 * when busy. */
int store_application_expire_offer(db_conn *c, int64_t id, int64_t now, bool *expired);

/* store_shift_offer_places_tx: inside the caller's write transaction, lock
 * shift `shift_id` and offer each of its free places to the first on its
 * waiting list, as a freed place is (for places freed outside a move, when
 * an account is erased).  DB_OK also when nobody waits or nothing is free. */
int store_shift_offer_places_tx(db_conn *c, int64_t shift_id, int64_t now);

/* Lists, oldest first, after application id `after` (0: from the start), at
 * most `limit`; *more says whether more follow.  messages_unread is counted
 * for `viewer` (of_user: the applicant). */
int store_applications_of_opportunity(db_conn *c, int64_t viewer, int64_t opportunity_id, int64_t after, int limit,
				      struct application **out, int *count, bool *more);
int store_applications_of_user(db_conn *c, int64_t user_id, int64_t after, int limit,
			       struct application **out, int *count, bool *more);

#endif
