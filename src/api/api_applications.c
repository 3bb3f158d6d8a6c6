/*
 * api_applications.c — apply, invite, list and move applications over JSON.
 * The rules and the capacity-checked transactions are in store/applications.c
 * and domain/booking.c; each handler here parses, authorises what the store
 * cannot know, calls the store once and answers.
 */
#include "api/api_applications.h"
#include "core/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void booking_refusal(int result, int *status, const char **code, const char **message)
{
	static const struct { int result, status; const char *code, *message; } table[] = {
		{ STORE_NOT_FOUND, 404, "not_found", N_("There is nothing at this address.") },
		{ BOOK_FORBIDDEN, 403, "forbidden", N_("You are not allowed to do this.") },
		{ BOOK_WRONG_STATE, 409, "wrong_state", N_("This cannot be done to the application in its present state.") },
		{ BOOK_FULL, 409, "full", N_("This shift is full: every place is taken.") },
		{ BOOK_OVERLAP, 409, "overlap", N_("This overlaps another shift the specialist has already accepted.") },
		{ BOOK_HOUR_CAP, 409, "hour_cap", N_("This would take the specialist past their monthly hour limit.") },
		{ BOOK_LICENCE, 409, "licence_required", N_("Consultations in health and law need a verified professional licence.") },
		{ BOOK_DUPLICATE, 409, "duplicate", N_("There is already an application for this shift.") },
		{ BOOK_NOT_OPEN, 409, "wrong_state", N_("This opportunity is not open for applications.") },
		{ BOOK_BAD_SHIFT, 422, "invalid", N_("Some fields need your attention.") },
		{ BOOK_SHIFT_NEEDED, 422, "invalid", N_("Some fields need your attention.") },
		{ BOOK_NO_PERSON, 422, "invalid", N_("Some fields need your attention.") },
		{ DB_BUSY, 503, "unavailable", N_("The service is busy. Please try again in a moment.") },
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].result == result) {
			*status = table[i].status;
			*code = table[i].code;
			*message = table[i].message;
			return;
		}
	*status = 500;
	*code = "internal";
	*message = N_("Something went wrong on our side. Please try again.");
}

const char *booking_refusal_field(int result)
{
	switch (result) {
	case BOOK_BAD_SHIFT: return "shift_id";
	case BOOK_SHIFT_NEEDED: return "shift_id";
	case BOOK_NO_PERSON: return "specialist_id";
	default: return NULL;
	}
}

/* field_reason: the translated reason for a 422 refusal's field. */
static const char *field_reason(int result)
{
	switch (result) {
	case BOOK_BAD_SHIFT: return N_("This shift is not part of the opportunity.");
	case BOOK_SHIFT_NEEDED: return N_("Choose one of the shifts.");
	case BOOK_NO_PERSON: return N_("There is no such person.");
	default: return NULL;
	}
}

/* respond_refusal: answer a store result that is not DB_OK. */
static void respond_refusal(request *r, int result)
{
	int status;
	const char *code, *message;
	booking_refusal(result, &status, &code, &message);
	json_t *fields = NULL;
	if (booking_refusal_field(result))
		fields = json_pack("{s:s}", booking_refusal_field(result), tr(r, field_reason(result)));
	respond_error(r, status, code, message, fields);
}

json_t *application_json(const struct application *a)
{
	json_t *shift = json_null();
	if (a->shift_id)
		shift = json_pack("{s:I, s:o, s:o, s:I, s:I}", "id", (json_int_t)a->shift_id,
				  "starts_at", time_json(a->shift_starts_at), "ends_at", time_json(a->shift_ends_at),
				  "capacity", (json_int_t)a->shift_capacity, "taken", (json_int_t)a->shift_taken);
	return json_pack("{s:I, s:I, s:o, s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:{s:I, s:s}, s:{s:I, s:s}, s:o}",
			 "id", (json_int_t)a->id, "opportunity_id", (json_int_t)a->opportunity_id,
			 "shift_id", a->shift_id ? json_integer(a->shift_id) : json_null(),
			 "user_id", (json_int_t)a->user_id, "status", a->status, "message", a->message,
			 "decline_reason", a->decline_reason, "no_show_contest", a->no_show_contest,
			 "created_at", time_json(a->created_at), "updated_at", time_json(a->updated_at),
			 "offered_at", time_json(a->offered_at), "offer_expires_at", time_json(a->offer_expires_at),
			 "checked_in_at", time_json(a->checked_in_at),
			 "applicant", "id", (json_int_t)a->user_id, "name", a->user_name,
			 "opportunity", "id", (json_int_t)a->opportunity_id, "title", a->opportunity_title,
			 "shift", shift);
}

/* respond_application: 200/201 with {"application": …} freshly read. */
static void respond_application(request *r, int status, int64_t id)
{
	struct application a;
	int st = store_application_get(req_db(r), id, &a);
	if (st != DB_OK) {
		respond_refusal(r, st);
		return;
	}
	respond_json(r, status, json_pack("{s:o}", "application", application_json(&a)));
	application_free(&a);
}

/* body_id: an optional positive id field (JSON integer, or digits in a form).
 * false when present but not one. */
static bool body_id(request *r, const char *name, int64_t *out)
{
	*out = 0;
	if (r->json) {
		json_t *v = json_object_get(r->json, name);
		if (!v || json_is_null(v))
			return true;
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return false;
		*out = json_integer_value(v);
		return true;
	}
	const char *s = req_str(r, name);
	if (!s || !*s)
		return true;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*end || v <= 0)
		return false;
	*out = v;
	return true;
}

/* text_ok: an optional text field within APPLICATION_MESSAGE_MAX bytes; a
 * non-string value is refused. */
static bool text_ok(request *r, const char *name, const char **out)
{
	*out = req_str(r, name);
	if (r->json) {
		json_t *v = json_object_get(r->json, name);
		if (v && !json_is_null(v) && !json_is_string(v))
			return false;
	}
	return !*out || strlen(*out) <= APPLICATION_MESSAGE_MAX;
}

static void invalid(request *r, const char *field, const char *reason)
{
	respond_error(r, 422, "invalid", N_("Some fields need your attention."),
		      json_pack("{s:s}", field, tr(r, reason)));
}

#define TEXT_TOO_LONG N_("Write at most 2000 characters.")
#define BAD_ID N_("This must be a positive whole number.")

void api_application_create(request *r)
{
	int64_t opportunity_id, shift_id;
	const char *message;
	if (!req_param_id(r, 0, &opportunity_id)) {
		respond_refusal(r, STORE_NOT_FOUND);
		return;
	}
	if (!body_id(r, "shift_id", &shift_id)) {
		invalid(r, "shift_id", BAD_ID);
		return;
	}
	if (!text_ok(r, "message", &message)) {
		invalid(r, "message", TEXT_TOO_LONG);
		return;
	}
	int64_t id = 0;
	int st = store_application_apply(req_db(r), opportunity_id, r->user->id, shift_id, message, time(NULL), &id);
	if (st != DB_OK) {
		respond_refusal(r, st);
		return;
	}
	respond_application(r, 201, id);
}

/* org_opportunity: the opportunity if the caller is one of its organisation's
 * members; otherwise answers 404 (unknown) or 403 and returns false. */
static bool org_opportunity(request *r, int64_t *opportunity_id)
{
	struct booking_opportunity o;
	if (!req_param_id(r, 0, opportunity_id) || store_booking_opportunity(req_db(r), *opportunity_id, &o) != DB_OK) {
		respond_refusal(r, STORE_NOT_FOUND);
		return false;
	}
	bool member = store_is_org_member(req_db(r), o.org_id, r->user->id);
	bool draft = strcmp(o.status, "draft") == 0;
	booking_opportunity_free(&o);
	if (!member) {
		respond_refusal(r, draft ? STORE_NOT_FOUND : BOOK_FORBIDDEN);
		return false;
	}
	return true;
}

void api_invitation_create(request *r)
{
	int64_t opportunity_id, specialist_id, shift_id;
	const char *message;
	if (!org_opportunity(r, &opportunity_id))
		return;
	if (!body_id(r, "specialist_id", &specialist_id) || specialist_id == 0) {
		invalid(r, "specialist_id", N_("Choose the specialist to invite."));
		return;
	}
	if (!body_id(r, "shift_id", &shift_id)) {
		invalid(r, "shift_id", BAD_ID);
		return;
	}
	if (!text_ok(r, "message", &message)) {
		invalid(r, "message", TEXT_TOO_LONG);
		return;
	}
	int64_t id = 0;
	int st = store_application_invite(req_db(r), opportunity_id, r->user->id, specialist_id, shift_id, message,
					  time(NULL), &id);
	if (st != DB_OK) {
		respond_refusal(r, st);
		return;
	}
	respond_application(r, 201, id);
}

/* respond_list: {"items": […], "next_cursor": "…"|null}. */
static void respond_list(request *r, struct application *list, int n, bool more)
{
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		json_t *item = application_json(&list[i]);
		json_object_set_new(item, "messages_unread", json_integer(list[i].messages_unread));
		json_array_append_new(items, item);
	}
	char next[24];
	if (more && n > 0)
		snprintf(next, sizeof next, "%lld", (long long)list[n - 1].id);
	respond_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor",
				       more && n > 0 ? json_string(next) : json_null()));
	applications_free(list, n);
}

void api_opportunity_applications(request *r)
{
	int64_t opportunity_id;
	if (!org_opportunity(r, &opportunity_id))
		return;
	struct application *list;
	int n;
	bool more;
	int64_t after;
	if (!req_cursor(r, INT64_MAX, &after))
		return;
	int st = store_applications_of_opportunity(req_db(r), r->user->id, opportunity_id, after, req_limit(r), &list, &n,
						   &more);
	if (st != DB_OK) {
		respond_refusal(r, st);
		return;
	}
	respond_list(r, list, n, more);
}

void api_my_applications(request *r)
{
	struct application *list;
	int n;
	bool more;
	int64_t after;
	if (!req_cursor(r, INT64_MAX, &after))
		return;
	int st = store_applications_of_user(req_db(r), r->user->id, after, req_limit(r), &list, &n, &more);
	if (st != DB_OK) {
		respond_refusal(r, st);
		return;
	}
	respond_list(r, list, n, more);
}

/* act: one move of an application; `text_field` names the body's text
 * ("reason", "text") or is NULL; `required` makes it mandatory. */
static void act(request *r, enum app_action action, const char *text_field, bool required)
{
	int64_t id;
	const char *text = NULL;
	if (!req_param_id(r, 0, &id)) {
		respond_refusal(r, STORE_NOT_FOUND);
		return;
	}
	if (text_field && !text_ok(r, text_field, &text)) {
		invalid(r, text_field, TEXT_TOO_LONG);
		return;
	}
	if (required && (!text || !*text)) {
		invalid(r, text_field, N_("Please write a few words."));
		return;
	}
	int st = store_application_act(req_db(r), id, r->user->id, action, text, time(NULL));
	if (st != DB_OK) {
		respond_refusal(r, st);
		return;
	}
	respond_application(r, 200, id);
}

void api_application_accept(request *r) { act(r, ACT_ACCEPT, NULL, false); }
void api_application_decline(request *r) { act(r, ACT_DECLINE, "reason", false); }
void api_application_withdraw(request *r) { act(r, ACT_WITHDRAW, NULL, false); }
void api_application_waitlist(request *r) { act(r, ACT_WAITLIST, NULL, false); }
void api_application_complete(request *r) { act(r, ACT_COMPLETE, NULL, false); }
void api_application_no_show(request *r) { act(r, ACT_NO_SHOW, NULL, false); }
void api_application_contest(request *r) { act(r, ACT_CONTEST, "text", true); }
void api_application_checkin(request *r) { act(r, ACT_CHECKIN, NULL, false); }
