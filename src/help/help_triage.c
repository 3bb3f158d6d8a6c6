/*
 * help_triage.c — triage, routing and handing back of help requests
 * (help_triage.h).  Each action: validate → lock and authorise → update,
 * audit and notify in one transaction → e-mail after the commit.
 */
#include "help/help_triage.h"
#include "auth/moderation.h"
#include "auth/notify.h"
#include "help/help_flow.h"
#include "http/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* begin: open the write transaction and lock the request; false (outcome
 * set, nothing left open) when that fails. */
static bool begin(request *r, int64_t id, struct help_lock *lock, struct outcome *o)
{
	db_conn *c = req_db(r);
	int st = c ? db_begin(c, true) : DB_ERROR;
	if (st != DB_OK) {
		outcome_fail(o, 503, "unavailable", N_("The service is busy. Please try again in a moment."));
		return false;
	}
	st = store_help_lock(c, id, r->user->id, r->user->roles, lock);
	if (st != DB_OK) {
		db_rollback(c);
		help_store_outcome(r, st, o);
		return false;
	}
	return true;
}

/* finish: commit when all went well (200), else roll back and refuse. */
static bool finish(request *r, int st, struct outcome *o)
{
	db_conn *c = req_db(r);
	if (st == DB_OK)
		st = db_commit(c);
	else
		db_rollback(c);
	if (st != DB_OK) {
		help_store_outcome(r, st, o);
		return false;
	}
	o->status = 200;
	return true;
}

static void target_of(int64_t id, char *out, size_t n)
{
	snprintf(out, n, "request:%lld", (long long)id);
}

void help_triage(request *r, int64_t id, const char *urgency, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	if (urgency && !*urgency)
		urgency = NULL;
	if (urgency && !help_urgency_ok(urgency)) {
		outcome_field(r, o, "urgency", N_("Choose low, normal or urgent."));
		return;
	}
	struct help_lock lock;
	if (!begin(r, id, &lock, o))
		return;
	int st = DB_OK;
	if (!(lock.circle & (HELP_ORG_MEMBER | HELP_MODERATOR)))
		st = HELP_FORBIDDEN;
	else if (!help_triage_open(lock.status))
		st = HELP_WRONG_STATE;
	int64_t now = time(NULL);
	char target[48], detail[32];
	target_of(id, target, sizeof target);
	snprintf(detail, sizeof detail, "urgency:%s", urgency ? urgency : "kept");
	if (st == DB_OK)
		st = store_help_set_triaged(req_db(r), id, urgency, now);
	if (st == DB_OK)
		st = store_audit(req_db(r), r->user->id, "request.triage", target, detail, r->client_addr, now);
	finish(r, st, o);
}

void help_route(request *r, int64_t id, int64_t org_id, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	if (org_id <= 0) {
		outcome_field(r, o, "org_id", N_("Choose one of the verified organisations."));
		return;
	}
	struct help_lock lock;
	if (!begin(r, id, &lock, o))
		return;
	db_conn *c = req_db(r);
	char *org_name = NULL, target[48], detail[32], link[48];
	int64_t *members = NULL, now = time(NULL);
	int nmembers = 0, st = DB_OK;
	json_t *params = NULL;
	if (!(lock.circle & HELP_MODERATOR))
		st = HELP_FORBIDDEN;
	else if (!help_triage_open(lock.status))
		st = HELP_WRONG_STATE;
	if (st == DB_OK)
		st = store_help_verified_org_name(c, org_id, &org_name);
	if (st == DB_OK)
		st = store_help_set_org(c, id, org_id, now);
	target_of(id, target, sizeof target);
	snprintf(detail, sizeof detail, "org:%lld", (long long)org_id);
	snprintf(link, sizeof link, "/orgs/%lld/requests", (long long)org_id);
	if (st == DB_OK)
		st = store_audit(c, r->user->id, "request.route", target, detail, r->client_addr, now);
	if (st == DB_OK)
		st = store_help_org_member_ids(c, org_id, &members, &nmembers);
	if (st == DB_OK)
		params = json_pack("{s:s}", "org", org_name); /* no private detail */
	for (int i = 0; st == DB_OK && i < nmembers; i++)
		st = notify_create(c, members[i], "help_routed", params, link, now);
	if (finish(r, st, o))
		for (int i = 0; i < nmembers; i++)
			notify_mail(r->app, c, members[i], "help_routed", params, link);
	json_decref(params);
	free(members);
	free(org_name);
}

void help_decline(request *r, int64_t id, const char *reason, int64_t *former_org, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	*former_org = 0;
	long chars = reason ? text_chars(reason, true) : -1;
	if (chars < 1 || chars > LIMIT_REASON_CHARS || strspn(reason, " \t\r\n") == strlen(reason)) {
		outcome_field(r, o, "reason", N_("Tell the requester why, in up to 500 characters."));
		return;
	}
	struct help_lock lock;
	if (!begin(r, id, &lock, o))
		return;
	db_conn *c = req_db(r);
	int64_t now = time(NULL);
	int st = DB_OK;
	char target[48], detail[32], link[48];
	json_t *params = NULL;
	if (!(lock.circle & HELP_ORG_MEMBER))
		st = HELP_FORBIDDEN;
	else if (!help_triage_open(lock.status))
		st = HELP_WRONG_STATE;
	if (st == DB_OK)
		st = store_help_set_org(c, id, 0, now);
	target_of(id, target, sizeof target);
	snprintf(detail, sizeof detail, "org:%lld", (long long)lock.org_id);
	snprintf(link, sizeof link, "/requests/%lld", (long long)id);
	if (st == DB_OK)
		st = store_audit(c, r->user->id, "request.decline", target, detail, r->client_addr, now);
	if (st == DB_OK && lock.requester_id) {
		params = json_pack("{s:s}", "reason", reason);
		st = notify_create(c, lock.requester_id, "help_declined", params, link, now);
	}
	if (finish(r, st, o)) {
		*former_org = lock.org_id;
		if (lock.requester_id)
			notify_mail(r->app, c, lock.requester_id, "help_declined", params, link);
	}
	json_decref(params);
}
