/*
 * matrix.h — the access-control matrix: for every route of http/routes.c,
 * the answer each kind of caller must get, on its own object and on
 * someone else's.  The table is in matrix.c; matrix_test.c enumerates the
 * real route table, looks every route up here and makes every call.
 */
#ifndef KHIBRA_TEST_MATRIX_H
#define KHIBRA_TEST_MATRIX_H

/* The six callers, in the order of the columns of an expectation string. */
enum mx_role {
	MX_VISITOR,      /* no cookie at all */
	MX_SPECIALIST,   /* S: has an application, a credential, a public profile */
	MX_BENEFICIARY,  /* B: has a help request handled by organisation A */
	MX_OTHER_ORG,    /* owner of organisation B: a member of another organisation */
	MX_OWN_ORG,      /* owner of organisation A: a member of the owning organisation */
	MX_MODERATOR,    /* moderator and admin */
	MX_ROLES
};

/* What {id} (and {user_id}, {action}) stand for.  "own" and "others'"
 * objects for each kind are described in matrix.c above the table. */
enum mx_obj {
	OBJ_NONE,     /* no parameter */
	OBJ_STATIC,   /* ROUTE_PREFIX: /static/ + style.css */
	OBJ_SELF,     /* no parameter, but the call ends the session: a fresh session per call */
	OBJ_ORG,      /* an organisation */
	OBJ_OPP,      /* an open opportunity with one shift */
	OBJ_DRAFT,    /* a draft opportunity */
	OBJ_OPP_NEW,  /* an open opportunity made for this call alone (state-changing routes) */
	OBJ_DRAFT_NEW,/* a draft made for this call alone */
	OBJ_APP,      /* an application made for this call alone; {action} = accept */
	OBJ_MEMBER,   /* {id} organisation, {user_id} a member added for this call alone */
	OBJ_REQ,      /* a help request */
	OBJ_CRED,     /* a credential */
	OBJ_USER,     /* a person (public specialist profile) */
	OBJ_TOKEN,    /* an API token made for this call alone */
	OBJ_SESSION,  /* a session opened for this call alone */
	OBJ_INVITE,   /* no parameter: ?token= (GET) or the body's {T} is an invitation to A
		       * for an address no caller has */
	OBJ_ERASE,    /* no parameter; the call erases the caller: a throw-away account of the
		       * caller's kind per call, sending its password (and confirm=1) */
};

/* One row: the route and the expected answers.  `own` and `others` are six
 * words, one per caller in enum mx_role order: ok, auth, deny, hide or -.
 * `others` is NULL where the route has no object.  `body`, when not NULL,
 * replaces the empty body (JSON for the API, a form for pages): for handlers
 * that validate before they authorise; {S} stands for the specialist's id
 * (the other specialist's on the others' side),
 * {T} for the invitation token, {R} for a fresh random e-mail address. */
struct mx_row {
	const char *method;
	const char *pattern;
	enum mx_obj obj;
	const char *own;
	const char *others;
	const char *body;
};

extern const struct mx_row matrix[];
extern const int matrix_count;

#endif
