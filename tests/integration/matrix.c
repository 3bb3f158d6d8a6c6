/*
 * matrix.c — the access-control matrix: who gets what from every route.
 *
 * matrix_test.c enumerates the real route table (routes[] of http/routes.c)
 * and fails for every route that has no row here, and for every row whose
 * route no longer exists.  It makes every call below with each caller, on
 * the "own" object and on the "others'" object, and compares.
 *
 * HOW TO ADD A ROUTE: one line, R(method, pattern, object, own, others), in
 * the section of its subject; copy a row with the same rule and adapt it.
 *
 * Columns of `own` and `others`, one word per caller:
 *   visitor  specialist  beneficiary  other-org  own-org  moderator
 * (other-org: the owner of organisation B, a member of another organisation;
 *  own-org: the owner of organisation A, the organisation that owns the object.)
 * Words:
 *   ok    authorised: any answer but 401, 403, 404 and a redirect to /login
 *         (2xx, 3xx, 409, 422, 429: a 422 from the deliberately empty body counts)
 *   auth  must log in: 401 (API and unsafe methods), 303 to /login (pages)
 *   deny  403
 *   hide  404: the object is hidden from this caller
 *   -     not applicable (no such call is made)
 * Unsafe calls carry a valid CSRF token and an empty body ({} for the API, an
 * empty form for pages, a multipart with no file for uploads).  Handlers
 * validate before they authorise, so where an empty body would be refused
 * with 422 before the access rule is reached, the row gives a valid body (RB).
 * In RB bodies {S} is the specialist's id (the other specialist's on the others'
 * side), {T} the invitation token, {R} a fresh e-mail address.
 *
 * What {id} stands for (matrix_test.c makes these objects once per run):
 *   ORG      own: organisation A.  others: organisation C (no caller belongs to C).
 *   OPP      own: A's open opportunity with a shift.  others: C's.
 *   DRAFT    own: A's draft opportunity.  others: C's draft.
 *   OPP_NEW / DRAFT_NEW: the same, made afresh for each call (the route changes its state).
 *   APP      own: the specialist's application to a fresh open opportunity of A (for the
 *            specialist it is his own; for A's owner, an application to his organisation).
 *            others: another specialist's application to C.  Fresh for each call; {action} = accept.
 *   MEMBER   own: {id} = A, {user_id} = a member added to A for this call.  others: the same in C.
 *   REQ      own: the beneficiary's request, handled by A and assigned to the specialist.
 *            others: another beneficiary's request handled by C, unassigned.
 *   CRED     own: the specialist's credential.  others: another specialist's credential.
 *   USER     own: the caller himself (the visitor: the specialist).  others: another
 *            specialist with a public profile.
 *   TOKEN, SESSION  own: a token / an extra session of the caller's, made for this call.
 *            others: another specialist's, made for this call.
 *   SELF     no parameter; the call ends the caller's session, so it is made with a
 *            fresh session of the caller's account.
 *   INVITE   no parameter; an invitation to A for an address that no caller has
 *            (GET: ?token=…; POST: the token in the body).
 *   ERASE    no parameter; the call erases the caller's account, so it is made by a
 *            throw-away account of the caller's kind (an organisation owner owns a fresh
 *            organisation), with its right password and confirm=1.
 * A route may have several rows (one per object kind, e.g. open and draft opportunities).
 */
#include "matrix.h"

#include <stddef.h>

#define API "/api/v1"
#define R(method, pattern, obj, own, others) { method, pattern, OBJ_##obj, own, others, NULL }
/* RB: the same with a valid body, for handlers that validate before they authorise. */
#define RB(method, pattern, obj, own, others, body) { method, pattern, OBJ_##obj, own, others, body }
#define PUBLIC "ok   ok   ok   ok   ok   ok"
#define USER   "auth ok   ok   ok   ok   ok"
#define MODS   "auth deny deny deny deny ok"

const struct mx_row matrix[] = {
	/* service */
	R("GET", "/healthz", NONE, PUBLIC, NULL),
	R("GET", "/metrics", NONE, PUBLIC, NULL),
	R("GET", "/static/", STATIC, PUBLIC, NULL),

	/* pages                                          visitor spec  benef other own   mod */
	R("GET", "/", NONE, PUBLIC, NULL),
	R("GET", "/about", NONE, PUBLIC, NULL),
	R("GET", "/privacy", NONE, PUBLIC, NULL),
	R("GET", "/login", NONE, PUBLIC, NULL),
	RB("POST", "/login", NONE, "auth auth auth auth auth auth", NULL, "email={R}&password=wrong-password"), /* wrong password: 401 */
	R("GET", "/register", NONE, PUBLIC, NULL),
	R("POST", "/register", NONE, PUBLIC, NULL),
	R("POST", "/logout", SELF, USER, NULL),
	R("GET", "/forgot-password", NONE, PUBLIC, NULL),
	R("POST", "/forgot-password", NONE, PUBLIC, NULL),
	R("GET", "/reset-password", NONE, PUBLIC, NULL),
	R("POST", "/reset-password", NONE, PUBLIC, NULL),
	R("GET", "/verify-email", NONE, PUBLIC, NULL),
	R("POST", "/verify-email", NONE, PUBLIC, NULL),
	R("GET", "/account", NONE, USER, NULL),
	R("GET", "/dashboard", NONE, USER, NULL),
	R("POST", "/account/tokens", NONE, USER, NULL),
	R("POST", "/account/tokens/{id}/revoke", TOKEN, "-    ok   ok   ok   ok   ok", "auth hide hide hide hide hide"),
	R("GET", "/account/export", NONE, USER, NULL),
	R("POST", "/account/sessions/{id}/revoke", SESSION, "-    ok   ok   ok   ok   ok", "auth hide hide hide hide hide"),
	R("POST", "/account/verify-email", NONE, USER, NULL),
	R("POST", "/account/language", NONE, USER, NULL),

	/* JSON API: accounts */
	R("GET", API "/openapi.json", NONE, PUBLIC, NULL),
	R("POST", API "/auth/register", NONE, PUBLIC, NULL),
	RB("POST", API "/auth/login", NONE, "auth auth auth auth auth auth", NULL,
	   "{\"email\": \"{R}\", \"password\": \"wrong-password\"}"), /* wrong password: 401 */
	R("POST", API "/auth/logout", SELF, USER, NULL),
	R("POST", API "/auth/verify-email", NONE, PUBLIC, NULL),
	R("POST", API "/auth/password-reset", NONE, PUBLIC, NULL),
	R("POST", API "/auth/password-reset/confirm", NONE, PUBLIC, NULL),
	R("GET", API "/me", NONE, USER, NULL),
	R("PATCH", API "/me", NONE, USER, NULL),
	R("GET", API "/me/export", NONE, USER, NULL),
	R("GET", API "/me/sessions", NONE, USER, NULL),
	R("DELETE", API "/me/sessions/{id}", SESSION, "-    ok   ok   ok   ok   ok", "auth hide hide hide hide hide"),
	R("GET", API "/me/tokens", NONE, USER, NULL),
	R("POST", API "/tokens", NONE, USER, NULL),
	R("DELETE", API "/tokens/{id}", TOKEN, "-    ok   ok   ok   ok   ok", "auth hide hide hide hide hide"),

	/* taxonomy */
	R("GET", API "/skills", NONE, PUBLIC, NULL),
	R("GET", API "/professions", NONE, PUBLIC, NULL),
	R("GET", API "/cities", NONE, PUBLIC, NULL),
	R("GET", "/skills", NONE, PUBLIC, NULL),

	/* specialist profiles                            visitor spec  benef other own   mod */
	R("GET", "/profile", NONE, USER, NULL),
	R("POST", "/profile", NONE, USER, NULL),
	R("GET", "/specialists/{id}", USER, "ok   ok   hide hide hide hide", PUBLIC),
	R("GET", API "/me/profile", NONE, USER, NULL),
	R("PUT", API "/me/profile", NONE, USER, NULL),
	R("GET", API "/specialists/{id}", USER, "ok   ok   hide hide hide hide", PUBLIC),

	/* organisations and members                      visitor spec  benef other own   mod */
	R("GET", "/orgs/new", NONE, USER, NULL),
	R("POST", "/orgs/new", NONE, USER, NULL),
	R("GET", "/orgs/{id}", ORG, PUBLIC, PUBLIC),
	R("GET", "/orgs/{id}/edit", ORG, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),
	R("POST", "/orgs/{id}/edit", ORG, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),
	R("POST", "/orgs/{id}/logo", ORG, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),
	R("GET", "/orgs/{id}/logo.png", ORG, PUBLIC, "hide hide hide hide hide hide"), /* C has no logo */
	RB("POST", "/orgs/{id}/members", ORG, "auth deny deny deny ok   deny", "auth deny deny deny deny deny", "email=matrix-invitee%40example.org&role=coordinator"),
	R("POST", "/orgs/{id}/members/{user_id}/remove", MEMBER, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),
	RB("POST", "/orgs/{id}/members/{user_id}/role", MEMBER, "auth deny deny deny ok   deny", "auth deny deny deny deny deny", "role=coordinator"),
	R("POST", "/orgs/{id}/invitations/cancel", ORG, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"), /* the owner: 422, no invitation_id */
	R("GET", "/invitations", NONE, USER, NULL),
	R("POST", "/invitations/{id}/accept", NONE, "auth hide hide hide hide hide", NULL), /* {id} = 0: nobody's */
	R("POST", "/invitations/{id}/decline", NONE, "auth hide hide hide hide hide", NULL),
	R("GET", "/invitations/accept", INVITE, PUBLIC, NULL),
	RB("POST", "/invitations/accept", INVITE, "auth deny deny deny deny deny", NULL, "token={T}"), /* not the invited address */
	R("POST", API "/orgs", NONE, USER, NULL),
	R("GET", API "/orgs/{id}", ORG, PUBLIC, PUBLIC),
	R("PATCH", API "/orgs/{id}", ORG, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),
	R("POST", API "/orgs/{id}/logo", ORG, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),
	R("GET", API "/orgs/{id}/members", ORG, "auth deny deny deny ok   ok", "auth deny deny deny deny ok"),
	RB("POST", API "/orgs/{id}/members", ORG, "auth deny deny deny ok   deny", "auth deny deny deny deny deny", "{\"email\": \"matrix-invitee@example.org\", \"role\": \"coordinator\"}"),
	R("DELETE", API "/orgs/{id}/members/{user_id}", MEMBER, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),
	RB("PATCH", API "/orgs/{id}/members/{user_id}", MEMBER, "auth deny deny deny ok   deny", "auth deny deny deny deny deny", "{\"role\": \"coordinator\"}"),
	R("GET", API "/orgs/{id}/invitations", ORG, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),
	R("POST", API "/orgs/{id}/invitations/cancel", ORG, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"), /* the owner: 422, no invitation_id */
	R("GET", API "/me/invitations", NONE, USER, NULL),
	R("POST", API "/me/invitations/{id}/accept", NONE, "auth hide hide hide hide hide", NULL), /* {id} = 0: nobody's */
	R("POST", API "/me/invitations/{id}/decline", NONE, "auth hide hide hide hide hide", NULL),
	RB("POST", API "/invitations/accept", INVITE, "auth deny deny deny deny deny", NULL, "{\"token\": \"{T}\"}"),
	R("GET", API "/me/orgs", NONE, USER, NULL),

	/* credentials, moderation, notifications         visitor spec  benef other own   mod */
	R("GET", "/credentials", NONE, USER, NULL),
	R("POST", "/credentials", NONE, USER, NULL),
	R("GET", "/credentials/{id}/file", CRED, "auth ok   hide hide hide ok", "auth hide hide hide hide ok"),
	R("GET", "/notifications", NONE, USER, NULL),
	R("POST", "/notifications/read", NONE, USER, NULL),
	R("GET", "/moderation", NONE, MODS, NULL),
	R("POST", "/moderation/credentials/{id}", CRED, MODS, MODS),
	R("POST", "/moderation/orgs/{id}", ORG, MODS, MODS),
	R("GET", "/moderation/audit", NONE, MODS, NULL),
	R("GET", "/moderation/decisions", NONE, MODS, NULL),
	R("POST", API "/me/credentials", NONE, USER, NULL),
	R("GET", API "/me/credentials", NONE, USER, NULL),
	R("GET", API "/me/notifications", NONE, USER, NULL),
	R("POST", API "/me/notifications/read", NONE, USER, NULL),
	R("GET", API "/admin/credentials", NONE, MODS, NULL),
	R("POST", API "/admin/credentials/{id}/verify", CRED, MODS, MODS),
	R("GET", API "/admin/orgs", NONE, MODS, NULL),
	R("POST", API "/admin/orgs/{id}/verify", ORG, MODS, MODS),
	R("GET", API "/admin/audit", NONE, MODS, NULL),

	/* opportunities and shifts                       visitor spec  benef other own   mod */
	R("GET", "/opportunities", NONE, PUBLIC, NULL),
	R("GET", "/opportunities/{id}", OPP, PUBLIC, PUBLIC),
	R("GET", "/opportunities/{id}", DRAFT, "hide hide hide hide ok   hide", "hide hide hide hide hide hide"),
	R("GET", "/opportunities/{id}/edit", OPP, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),
	R("POST", "/opportunities/{id}/edit", OPP_NEW, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),
	R("POST", "/opportunities/{id}/publish", DRAFT_NEW, "auth hide hide hide ok   hide", "auth hide hide hide hide hide"),
	R("POST", "/opportunities/{id}/close", OPP_NEW, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),
	R("POST", "/opportunities/{id}/complete", OPP_NEW, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),
	R("POST", "/opportunities/{id}/cancel", OPP_NEW, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),
	R("GET", "/orgs/{id}/opportunities/new", ORG, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),
	R("POST", "/orgs/{id}/opportunities/new", ORG, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),
	R("POST", API "/orgs/{id}/opportunities", ORG, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),
	R("GET", API "/orgs/{id}/opportunities", ORG, PUBLIC, PUBLIC),
	R("GET", API "/opportunities", NONE, PUBLIC, NULL),
	R("GET", API "/opportunities/{id}", OPP, PUBLIC, PUBLIC),
	R("GET", API "/opportunities/{id}", DRAFT, "hide hide hide hide ok   hide", "hide hide hide hide hide hide"),
	R("PATCH", API "/opportunities/{id}", OPP_NEW, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),
	R("POST", API "/opportunities/{id}/publish", DRAFT_NEW, "auth hide hide hide ok   hide", "auth hide hide hide hide hide"),
	R("POST", API "/opportunities/{id}/close", OPP_NEW, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),
	R("POST", API "/opportunities/{id}/complete", OPP_NEW, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),
	R("POST", API "/opportunities/{id}/cancel", OPP_NEW, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),

	/* applications and booking                       visitor spec  benef other own   mod */
	R("GET", "/me/applications", NONE, USER, NULL),
	R("GET", "/opportunities/{id}/applicants", OPP, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),
	R("GET", "/opportunities/{id}/apply", OPP, USER, USER),
	R("POST", "/opportunities/{id}/apply", OPP, USER, USER),
	R("POST", "/applications/{id}/{action}", APP, "auth ok   hide hide ok   hide", "auth hide hide hide hide hide"),
	R("POST", API "/opportunities/{id}/applications", OPP, USER, USER),
	R("POST", API "/opportunities/{id}/invitations", OPP, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),
	R("GET", API "/opportunities/{id}/applications", OPP, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),
	R("GET", API "/me/applications", NONE, USER, NULL),
	R("POST", API "/applications/{id}/accept", APP, "auth ok   hide hide ok   hide", "auth hide hide hide hide hide"),
	R("POST", API "/applications/{id}/decline", APP, "auth ok   hide hide ok   hide", "auth hide hide hide hide hide"),
	R("POST", API "/applications/{id}/withdraw", APP, "auth ok   hide hide deny hide", "auth hide hide hide hide hide"),
	R("POST", API "/applications/{id}/waitlist", APP, "auth deny hide hide ok   hide", "auth hide hide hide hide hide"),
	R("POST", API "/applications/{id}/complete", APP, "auth deny hide hide ok   hide", "auth hide hide hide hide hide"),
	R("POST", API "/applications/{id}/no-show", APP, "auth deny hide hide ok   hide", "auth hide hide hide hide hide"),
	RB("POST", API "/applications/{id}/contest", APP, "auth ok   hide hide deny hide", "auth hide hide hide hide hide", "{\"text\": \"كنت حاضراً\"}"),
	R("POST", API "/applications/{id}/checkin", APP, "auth deny hide hide ok   hide", "auth hide hide hide hide hide"),

	/* calendar                                       visitor spec  benef other own   mod */
	R("GET", "/calendar", NONE, USER, NULL),
	R("POST", "/calendar/feed", NONE, USER, NULL),
	R("POST", "/calendar/feed/revoke", NONE, USER, NULL),
	R("GET", "/calendar/{file}", NONE, "hide hide hide hide hide hide", NULL), /* an unknown feed token */
	R("GET", API "/me/calendar", NONE, USER, NULL),
	R("POST", API "/me/calendar/feed", NONE, USER, NULL),
	R("DELETE", API "/me/calendar/feed", NONE, USER, NULL),

	/* privacy                                        visitor spec  benef other own   mod */
	R("GET", "/account/delete", NONE, USER, NULL),
	R("POST", "/account/delete", ERASE, USER, NULL),
	R("GET", "/moderation/access-log", NONE, MODS, NULL),
	R("DELETE", API "/me", ERASE, USER, NULL),
	R("GET", API "/admin/access-log", NONE, MODS, NULL),

	/* messages                                       visitor spec  benef other own   mod */
	R("GET", "/messages", NONE, USER, NULL),
	R("GET", "/applications/{id}", APP, "auth ok   hide hide ok   hide", "auth hide hide hide hide hide"),
	R("POST", "/applications/{id}/messages", APP, "auth ok   hide hide ok   hide", "auth hide hide hide hide hide"),
	R("POST", "/requests/{id}/messages", REQ, "auth ok   ok   hide ok   ok", "auth hide hide hide hide ok"),
	R("GET", API "/applications/{id}/messages", APP, "auth ok   hide hide ok   hide", "auth hide hide hide hide hide"),
	R("POST", API "/applications/{id}/messages", APP, "auth ok   hide hide ok   hide", "auth hide hide hide hide hide"),
	R("GET", API "/requests/{id}/messages", REQ, "auth ok   ok   hide ok   ok", "auth hide hide hide hide ok"),
	R("POST", API "/requests/{id}/messages", REQ, "auth ok   ok   hide ok   ok", "auth hide hide hide hide ok"),
	R("GET", API "/me/messages", NONE, USER, NULL),

	/* help requests                                  visitor spec  benef other own   mod */
	R("GET", "/help", NONE, PUBLIC, NULL),
	R("POST", "/help", NONE, USER, NULL),
	R("GET", "/requests/{id}", REQ, "auth ok   ok   hide ok   ok", "auth hide hide hide hide ok"),
	RB("POST", "/requests/{id}/assign", REQ, "auth deny deny hide ok   ok", "auth hide hide hide hide ok",
	   "specialist_id={S}"),
	RB("POST", "/requests/{id}/book", REQ, "auth ok   deny hide ok   deny", "auth hide hide hide hide deny",
	   "date=2030-01-06&start=10:00&end=11:00&mode=video"),
	R("POST", "/requests/{id}/resolve", REQ, "auth ok   deny hide ok   ok", "auth hide hide hide hide ok"),
	RB("POST", "/requests/{id}/rate", REQ, "auth deny ok   hide deny deny", "auth hide hide hide hide deny",
	   "rating=5"),
	R("GET", "/me/requests", NONE, USER, NULL),
	R("GET", "/orgs/{id}/requests", ORG, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),
	R("POST", API "/requests", NONE, USER, NULL),
	R("GET", API "/requests/{id}", REQ, "auth ok   ok   hide ok   ok", "auth hide hide hide hide ok"),
	RB("POST", API "/requests/{id}/assign", REQ, "auth deny deny hide ok   ok", "auth hide hide hide hide ok",
	   "{\"specialist_id\": {S}}"),
	RB("POST", API "/requests/{id}/book", REQ, "auth ok   deny hide ok   deny", "auth hide hide hide hide deny",
	   "{\"starts_at\": \"2030-01-06T10:00:00+03:00\", \"ends_at\": \"2030-01-06T11:00:00+03:00\", \"mode\": \"video\"}"),
	R("POST", API "/requests/{id}/resolve", REQ, "auth ok   deny hide ok   ok", "auth hide hide hide hide ok"),
	RB("POST", API "/requests/{id}/rate", REQ, "auth deny ok   hide deny deny", "auth hide hide hide hide deny",
	   "{\"rating\": 5}"),
	R("GET", API "/me/requests", NONE, USER, NULL),
	R("GET", API "/orgs/{id}/requests", ORG, "auth deny deny deny ok   deny", "auth deny deny deny deny deny"),
	R("GET", API "/admin/requests/{id}/access-log", REQ, MODS, MODS),

	/* help triage                                    visitor spec  benef other own   mod */
	R("POST", "/requests/{id}/triage", REQ, "auth deny deny hide ok   ok", "auth hide hide hide hide ok"),
	RB("POST", "/requests/{id}/decline", REQ, "auth deny deny hide ok   deny", "auth hide hide hide hide deny",
	   "reason=none+free"),
	R("POST", "/requests/{id}/route", REQ, MODS, MODS),
	R("POST", API "/requests/{id}/triage", REQ, "auth deny deny hide ok   ok", "auth hide hide hide hide ok"),
	R("POST", API "/requests/{id}/route", REQ, MODS, MODS),
	RB("POST", API "/requests/{id}/decline", REQ, "auth deny deny hide ok   deny", "auth hide hide hide hide deny",
	   "{\"reason\": \"none free\"}"),
	R("GET", API "/admin/requests", NONE, MODS, NULL),
};

const int matrix_count = (int)(sizeof matrix / sizeof matrix[0]);
