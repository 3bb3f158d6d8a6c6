/*
 * opportunities.h — opportunities, their skills and shifts (store/opportunities.c).
 *
 * Conventions are store.h's: DB_OK, STORE_NOT_FOUND, DB_CONSTRAINT; the
 * struct opportunity (domain/opportunity.h) filled here owns its strings and
 * is freed with opportunity_free().  Applications belong to another module:
 * this one only counts them (a shift with accepted people is not edited).
 */
#ifndef KHIBRA_STORE_OPPORTUNITIES_H
#define KHIBRA_STORE_OPPORTUNITIES_H

#include "domain/opportunity.h"
#include "store/store.h"

#define STORE_SHIFT_TAKEN   3   /* the shift has accepted people: not editable */
#define STORE_WRONG_STATE   4   /* the status changed meanwhile */
#define OPP_SCAN_MAX        2000 /* rows a filtered page may read past the SQL filters */

/* store_opportunity_create: the opportunity (o->org_id, o->created_by set),
 * its skills and shifts in one transaction, as a draft.  *id on success. */
int store_opportunity_create(db_conn *c, const struct opportunity *o, int64_t now, int64_t *id);
/* store_opportunity_get: with its organisation's names, skills (by slug) and
 * shifts (in position order); STORE_NOT_FOUND when there is none. */
int store_opportunity_get(db_conn *c, int64_t id, struct opportunity *out);
/* store_opportunity_update: write every field of `o` (loaded, then changed),
 * replace its skills, insert its new shifts (id 0) and update the others.
 * STORE_SHIFT_TAKEN (nothing changed) when a changed shift has accepted people. */
int store_opportunity_update(db_conn *c, const struct opportunity *o, int64_t now);
/* store_opportunity_set_status: from `from` to `to` (STORE_WRONG_STATE when
 * the status is no longer `from`).  Opening sets published_at the first time;
 * cancelling keeps the reason, moves every open application (invited,
 * applied, waitlisted, offered, accepted) to "cancelled" and notifies each
 * person (kind "opportunity_cancelled", params {title, opportunity_id}, with
 * its e-mail job), all in one transaction. */
int store_opportunity_set_status(db_conn *c, int64_t id, const char *from, const char *to, const char *reason,
				 int64_t now);
/* store_skills_unknown: the first of these slugs that is not a skill into
 * *unknown (borrowed from slugs), or NULL when all exist. */
int store_skills_unknown(db_conn *c, char *const *slugs, int n, const char **unknown);
/* store_org_is_verified: *verified tells whether the organisation may publish. */
int store_org_is_verified(db_conn *c, int64_t org_id, bool *verified);

/* Which statuses a list shows. */
enum opp_scope { OPP_SCOPE_OPEN = 0, OPP_SCOPE_PUBLIC = 1, OPP_SCOPE_ALL = 2 };

struct opp_filter {
	const char *q;            /* words, all of them in title or description; NULL: none */
	const char *domain, *skill, *city; /* NULL: any */
	int remote;               /* -1 any, 0 on-site only, 1 remote only (with near: also remote ones) */
	bool near;                /* keep on-site ones within radius_km of (lat, lon) */
	double lat, lon, radius_km;
	bool has_from, has_to;    /* time span meets [from, to] */
	int64_t from, to;
	int64_t org_id;           /* 0: every organisation */
	enum opp_scope scope;
	int64_t not_before;       /* 0: any; else only those ending after this time */
	int limit;                /* 1 … PAGE_MAX_LIMIT */
	bool has_cursor;          /* continue after (cursor_start, cursor_id) */
	int64_t cursor_start, cursor_id;
};

/* store_opportunities_list: a page of opportunities (no shifts; skills,
 * places_left and capacity_total filled), soonest start first.  *next gets
 * the cursor of the next page, or "" when this is the last one. */
int store_opportunities_list(db_conn *c, const struct opp_filter *f, struct opportunity **out, int *count,
			     char next[OPP_CURSOR_MAX]);
void opportunities_free(struct opportunity *list, int count);

/* store_opportunities_featured: up to `limit` open opportunities that have
 * not ended by `now`, soonest first — for the home page. */
int store_opportunities_featured(db_conn *c, int limit, int64_t now, struct opportunity **out, int *count);

#endif
