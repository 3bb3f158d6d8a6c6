/*
 * opportunity_actions.h — opportunity actions shared by the JSON API
 * (api_opportunities.c) and the HTML pages (page_opportunities.c): read the
 * input, create, load what the caller may see, save changes, change status,
 * read the list filters, and the JSON views.
 *
 * Like auth/accounts.h, each action validates, authorises (the caller's
 * standing in the opportunity's organisation), does its work in the store
 * and reports a `struct outcome`: 200/201 on success, otherwise the status,
 * code and msgid of the error, with translated per-field reasons for 422.
 */
#ifndef KHIBRA_OPPORTUNITY_ACTIONS_H
#define KHIBRA_OPPORTUNITY_ACTIONS_H

#include "auth/accounts.h"
#include "core/timefmt.h"
#include "domain/opportunity.h"
#include "orgs/org_actions.h"
#include "store/opportunities.h"

#define OPP_FORM_SHIFT_ROWS 6     /* empty shift rows a new form offers */
#define OPP_Q_MAX 200             /* bytes of a search */
#define OPP_RADIUS_DEFAULT 50.0   /* km */
#define OPP_RADIUS_MAX 2000.0

/* opp_from_json: apply the fields present in a JSON body to `o` (PATCH
 * semantics; with `create`, starts_at and ends_at are required).  *capacity
 * gets the "capacity" field (default 1).  Unreadable values → errs. */
void opp_from_json(request *r, const json_t *body, bool create, struct opportunity *o, int *capacity,
		   struct opp_errors *errs);
/* opp_from_form: the same from the page form (every field is in the form;
 * shift rows shift_N_*, times as datetime-local in Asia/Riyadh). */
void opp_from_form(request *r, struct opportunity *o, int *capacity, struct opp_errors *errs);
/* opp_errors_json: {field: translated reason}. */
json_t *opp_errors_json(request *r, const struct opp_errors *errs);

/* opp_create: in organisation org_id (404 unknown; 403 unless the caller is
 * an owner or coordinator), validate `o` (422), add the default shift when
 * there is none, save as a draft.  201 and *id. */
void opp_create(request *r, int64_t org_id, struct opportunity *o, int capacity, const struct opp_errors *parse_errs,
		int64_t *id, struct outcome *out);
/* opp_load: the opportunity if the caller may see it — drafts only for the
 * organisation's members (404 otherwise).  *standing (may be NULL) gets the
 * caller's standing in its organisation.  200. */
void opp_load(request *r, int64_t id, struct opportunity *o, enum org_standing *standing, struct outcome *out);
/* opp_load_for_edit: opp_load, then 403 unless the caller is a member. */
void opp_load_for_edit(request *r, int64_t id, struct opportunity *o, struct outcome *out);
/* opp_save: validate the changed `o` (loaded with opp_load_for_edit), check
 * the skills, save.  409 "shift_taken" when a changed shift has accepted
 * people.  200. */
void opp_save(request *r, struct opportunity *o, const struct opp_errors *parse_errs, struct outcome *out);
/* opp_change_status: members only (403; drafts of others 404); publish needs a
 * verified organisation (403 "org_unverified"); a move the status does not
 * allow → 409 "wrong_state".  200. */
void opp_change_status(request *r, int64_t id, enum opp_action action, const char *reason, struct outcome *out);

/* opp_filter_from_query: the list filters of the query string; bad ones →
 * errs (fields q, domain, skill, city, remote, near, radius_km, from, to,
 * cursor).  The strings of f are borrowed from the request. */
void opp_filter_from_query(request *r, struct opp_filter *f, char *city_slug, size_t city_len,
			   struct opp_errors *errs);
/* opp_filter_upcoming: a public list given neither `from` nor `to` shows
 * only what has not ended by `now` (past work stays on the organisation's
 * own list, and is found by asking for its dates). */
void opp_filter_upcoming(struct opp_filter *f, int64_t now);

/* JSON views (API.md): the opportunity object, and its shifts. */
json_t *opp_json(const struct opportunity *o);
json_t *opp_shifts_json(const struct opportunity *o);

#endif
