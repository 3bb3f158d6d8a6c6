/*
 * opportunity.h — an opportunity (consultation, project, campaign, workshop)
 * with its shifts, as data, and the rules it must follow.
 *
 * Pure functions only: no I/O, no database, no request.  The API and the
 * pages build a `struct opportunity`, call opportunity_validate(), and only
 * then ask the store (store/opportunities.h) whether the skill slugs exist
 * and to save.  Reasons are gettext msgids (N_), translated by the caller.
 *
 * Times are Unix seconds.  Input times are RFC 3339 with an offset
 * ("2026-12-04T08:00:00+03:00"); output times are RFC 3339 in Asia/Riyadh
 * (+03:00 all year: no daylight saving).
 *
 * Ownership: a struct opportunity owns every string and array it points to;
 * opportunity_free() releases them and zeroes the struct.  Text fields are
 * never NULL after opportunity_init(); kind and domain may be NULL (unset).
 */
#ifndef KHIBRA_DOMAIN_OPPORTUNITY_H
#define KHIBRA_DOMAIN_OPPORTUNITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OPP_TITLE_MIN          3        /* characters (code points) */
#define OPP_TITLE_MAX          160
#define OPP_DESCRIPTION_MAX    5000
#define OPP_CITY_MAX           80
#define OPP_ADDRESS_MAX        300
#define OPP_REASON_MAX         500      /* a cancellation's reason */
#define OPP_SKILLS_MAX         20
#define OPP_SHIFTS_MAX         50
#define OPP_ROLE_MAX           80
#define OPP_CAPACITY_MAX       10000
#define OPP_BENEFICIARIES_MAX  1000000
#define OPP_SLUG_MAX           64       /* bytes in a skill slug */
#define OPP_ERRORS_MAX         24
#define OPP_CURSOR_MAX         64       /* bytes of an encoded cursor, with its NUL */
#define OPP_RIYADH_OFFSET      (3 * 3600)

struct opp_shift {
	int64_t id;            /* 0 for a shift not saved yet */
	int64_t starts_at, ends_at;
	int capacity;          /* 1 … OPP_CAPACITY_MAX */
	int taken;             /* accepted places (loaded views) */
	char *role;            /* never NULL, may be "" */
	char *skill;           /* a skill slug or NULL */
};

struct opportunity {
	int64_t id;
	int64_t org_id;
	char *org_name, *org_name_en;  /* loaded views only */
	char *kind;            /* consultation, project, campaign, workshop; NULL unset */
	char *domain;          /* one of the six; NULL unset */
	char *title, *description, *city, *address; /* never NULL */
	bool has_coords;       /* lat and lon given */
	double lat, lon;
	bool remote;
	int64_t starts_at, ends_at;
	int expected_beneficiaries;
	char *status;          /* draft, open, closed, completed, cancelled */
	char *cancel_reason;   /* never NULL */
	int64_t created_by, created_at, updated_at;
	int64_t published_at;  /* 0 while never published */
	char **skills;         /* slugs */
	int nskills;
	struct opp_shift *shifts;
	int nshifts;
	int places_left;       /* loaded views: sum of capacity - taken */
	int capacity_total;    /* loaded views: sum of capacity */
};

void opportunity_init(struct opportunity *o);
void opportunity_free(struct opportunity *o);
/* opportunity_set_text: replace *field with a copy of value (NULL stays NULL). */
void opportunity_set_text(char **field, const char *value);
/* opportunity_add_skill: append a copy of slug unless it is already there. */
void opportunity_add_skill(struct opportunity *o, const char *slug);
void opportunity_clear_skills(struct opportunity *o);
/* opportunity_add_shift: append a shift (strings copied); returns it. */
struct opp_shift *opportunity_add_shift(struct opportunity *o, int64_t id, int64_t starts_at, int64_t ends_at,
					int capacity, const char *role, const char *skill);
/* opportunity_find_shift: the shift with this id, or NULL. */
struct opp_shift *opportunity_find_shift(struct opportunity *o, int64_t id);
/* opportunity_default_shift: when there is no shift, add one spanning the
 * whole opportunity with `capacity` places (1 for a consultation). */
void opportunity_default_shift(struct opportunity *o, int capacity);

/* Per-field reasons, at most one per field (the first one found). */
struct opp_errors {
	int n;
	struct { char field[32]; const char *reason; } e[OPP_ERRORS_MAX];
};
void opp_error(struct opp_errors *errs, const char *field, const char *reason);
const char *opp_error_for(const struct opp_errors *errs, const char *field);

/* opportunity_validate: every rule on the values (not whether slugs exist —
 * that is the store's); a reason per failing field.  True when nothing was
 * added.  Fields: kind, domain, title, description, city, address, lat, lon,
 * starts_at, ends_at, expected_beneficiaries, skills, shifts. */
bool opportunity_validate(const struct opportunity *o, struct opp_errors *errs);

bool opportunity_kind_valid(const char *kind);
bool opportunity_domain_valid(const char *domain);
/* opportunity_slug_valid: lower-case ASCII letters, digits and '-', 1 … 64 bytes. */
bool opportunity_slug_valid(const char *slug);
/* Labels: msgids to translate ("Campaign", "Open" …), NULL when unknown. */
const char *opportunity_kind_label(const char *kind);
const char *opportunity_status_label(const char *status);
extern const char *const opportunity_kinds[4];
extern const char *const opportunity_statuses[5];

/* ---- status ---- */
enum opp_action { OPP_PUBLISH, OPP_CLOSE, OPP_COMPLETE, OPP_CANCEL };
/* opportunity_action_parse: "publish", "close", "complete", "cancel"; false otherwise. */
bool opportunity_action_parse(const char *name, enum opp_action *out);
/* opportunity_transition: the status an action leads to from `from`, or NULL
 * when it is not allowed (→ 409 wrong_state).  publish: draft|closed → open;
 * close: open → closed; complete: open|closed → completed; cancel:
 * draft|open|closed → cancelled. */
const char *opportunity_transition(const char *from, enum opp_action action);
/* opportunity_is_public: anyone may see it (every status but draft). */
bool opportunity_is_public(const char *status);

/* ---- search helpers ---- */
/* opportunity_distance_km: great-circle distance (haversine, R = 6371 km). */
double opportunity_distance_km(double lat1, double lon1, double lat2, double lon2);
/* opportunity_text_matches: every word of q occurs in the title or the
 * description (ASCII case ignored).  The one place where `q` is matched: the
 * Arabic-aware search replaces this function. */
bool opportunity_text_matches(const char *q, const char *title, const char *description);
/* Cursors: the sort key (starts_at, id) as an opaque string. */
void opportunity_cursor_encode(int64_t starts_at, int64_t id, char out[OPP_CURSOR_MAX]);
bool opportunity_cursor_decode(const char *s, int64_t *starts_at, int64_t *id);

#endif
