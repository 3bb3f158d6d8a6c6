/*
 * profiles.c — specialists' profiles, their skills and availability
 * (profiles.h).  SQL accepted by SQLite 3.40 and PostgreSQL 15.
 */
#include "store/profiles.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* dup_or_null: a copy of a text column, NULL when the column is NULL. */
static char *dup_or_null(db_rows *r, int col)
{
	return db_is_null(r, col) ? NULL : xstrdup(db_text(r, col));
}

/* split_languages: "ar,en" → p->languages. */
static void split_languages(struct profile *p, const char *list)
{
	p->nlanguages = 0;
	while (*list) {
		size_t n = strcspn(list, ",");
		if (n > 0 && n < sizeof p->languages[0]) {
			char code[sizeof p->languages[0]];
			memcpy(code, list, n);
			code[n] = '\0';
			if (!specialist_profile_add_language(p, code))
				break;
		}
		list += n;
		if (*list == ',')
			list++;
	}
}

/* The columns fill_profile() reads, in its order. */
#define PROFILE_SELECT                                                                                  \
	"SELECT p.headline, p.profession, p.domain, p.bio, p.years_experience, p.city, p.lat, p.lon, "   \
	"p.remote, p.onsite, p.languages, p.max_hours_month, p.public, u.name, pr.name_ar, pr.name_en, " \
	"ci.name_ar, ci.name_en "                                                                       \
	"FROM specialist_profiles p JOIN users u ON u.id = p.user_id "                                  \
	"LEFT JOIN professions pr ON pr.slug = p.profession LEFT JOIN cities ci ON ci.slug = p.city "

static void fill_profile(db_rows *r, struct profile *p)
{
	specialist_profile_set_text(&p->headline, db_text(r, 0));
	p->profession = dup_or_null(r, 1);
	p->domain = dup_or_null(r, 2);
	specialist_profile_set_text(&p->bio, db_text(r, 3));
	p->years_experience = (int)db_int(r, 4);
	p->city = dup_or_null(r, 5);
	p->has_lat = !db_is_null(r, 6);
	p->has_lon = !db_is_null(r, 7);
	p->lat = db_double(r, 6);
	p->lon = db_double(r, 7);
	p->remote = db_int(r, 8) != 0;
	p->onsite = db_int(r, 9) != 0;
	split_languages(p, db_text(r, 10));
	p->max_hours_month = (int)db_int(r, 11);
	p->public = db_int(r, 12) != 0;
	p->name = xstrdup(db_text(r, 13));
	p->profession_ar = dup_or_null(r, 14);
	p->profession_en = dup_or_null(r, 15);
	p->city_ar = dup_or_null(r, 16);
	p->city_en = dup_or_null(r, 17);
}

/* load_lists: the profile's skills (with names) and availability. */
static int load_lists(db_conn *c, struct profile *p)
{
	int st;
	db_rows *r = db_query(c, "SELECT s.skill_slug, s.level, k.name_ar, k.name_en FROM specialist_skills s "
				 "JOIN skills k ON k.slug = s.skill_slug WHERE s.user_id = ? "
				 "ORDER BY s.level DESC, k.position, k.slug",
			      DB_PARAMS(DB_INT(p->user_id)), &st);
	if (!r)
		return st;
	while (db_next(r)) {
		specialist_profile_add_skill(p, db_text(r, 0), (int)db_int(r, 1));
		p->skills[p->nskills - 1].name_ar = xstrdup(db_text(r, 2));
		p->skills[p->nskills - 1].name_en = xstrdup(db_text(r, 3));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK)
		return st;
	r = db_query(c, "SELECT weekday, start_minute, end_minute FROM availability WHERE user_id = ? "
			"ORDER BY weekday, start_minute",
		     DB_PARAMS(DB_INT(p->user_id)), &st);
	if (!r)
		return st;
	while (db_next(r))
		specialist_profile_add_slot(p, (int)db_int(r, 0), (int)db_int(r, 1), (int)db_int(r, 2));
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK)
		return st;
	return profile_licence_verified(c, p->user_id, &p->licence_verified);
}

/* finish_load: read the profile row from r (freed here), then its lists;
 * *out is reset to the defaults when there is no row or on error. */
static int finish_load(db_conn *c, db_rows *r, int64_t user_id, struct profile *out)
{
	int st;
	if (!db_next(r)) {
		st = db_rows_status(r);
		db_rows_free(r);
		return st != DB_OK ? st : STORE_NOT_FOUND;
	}
	fill_profile(r, out);
	db_rows_free(r);
	st = load_lists(c, out);
	if (st != DB_OK) {
		specialist_profile_free(out);
		specialist_profile_init(out);
		out->user_id = user_id;
	}
	return st;
}

int store_profile_load(db_conn *c, int64_t user_id, struct profile *out)
{
	specialist_profile_init(out);
	out->user_id = user_id;
	int st;
	db_rows *r = db_query(c, PROFILE_SELECT "WHERE p.user_id = ?", DB_PARAMS(DB_INT(user_id)), &st);
	if (!r)
		return st;
	st = finish_load(c, r, user_id, out);
	if (st == STORE_NOT_FOUND)
		profile_licence_verified(c, user_id, &out->licence_verified);
	return st;
}

int store_profile_public(db_conn *c, int64_t user_id, struct profile *out)
{
	specialist_profile_init(out);
	out->user_id = user_id;
	int st;
	db_rows *r = db_query(c, PROFILE_SELECT "WHERE p.user_id = ? AND p.public = 1 AND u.deleted_at IS NULL "
				 "AND EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = p.user_id "
				 "AND ur.role = 'specialist')",
			      DB_PARAMS(DB_INT(user_id)), &st);
	if (!r)
		return st;
	return finish_load(c, r, user_id, out);
}

/* join_languages: "ar,en" from p->languages into out. */
static void join_languages(const struct profile *p, char *out, size_t size)
{
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; i < p->nlanguages && len + 5 < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s", i ? "," : "", p->languages[i]);
}

/* save_rows: the statements of store_profile_save, inside its transaction. */
static int save_rows(db_conn *c, const struct profile *p, int64_t now)
{
	char languages[PROFILE_LANGUAGES_MAX * 4 + 1];
	join_languages(p, languages, sizeof languages);
	bool coords = p->has_lat && p->has_lon;
	int st = db_exec(c, "INSERT INTO specialist_profiles (user_id, headline, profession, domain, bio, "
			    "years_experience, city, lat, lon, remote, onsite, languages, max_hours_month, public, "
			    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
			    "ON CONFLICT (user_id) DO UPDATE SET headline = excluded.headline, "
			    "profession = excluded.profession, domain = excluded.domain, bio = excluded.bio, "
			    "years_experience = excluded.years_experience, city = excluded.city, lat = excluded.lat, "
			    "lon = excluded.lon, remote = excluded.remote, onsite = excluded.onsite, "
			    "languages = excluded.languages, max_hours_month = excluded.max_hours_month, "
			    "public = excluded.public, updated_at = excluded.updated_at",
			 DB_PARAMS(DB_INT(p->user_id), DB_TEXT(p->headline ? p->headline : ""), DB_TEXT(p->profession),
				   DB_TEXT(p->domain), DB_TEXT(p->bio ? p->bio : ""), DB_INT(p->years_experience),
				   DB_TEXT(p->city), coords ? DB_DOUBLE(p->lat) : DB_NULL,
				   coords ? DB_DOUBLE(p->lon) : DB_NULL, DB_INT(p->remote), DB_INT(p->onsite),
				   DB_TEXT(languages), DB_INT(p->max_hours_month), DB_INT(p->public), DB_INT(now),
				   DB_INT(now)),
			 NULL);
	if (st == DB_OK)
		st = db_exec(c, "DELETE FROM specialist_skills WHERE user_id = ?", DB_PARAMS(DB_INT(p->user_id)), NULL);
	for (int i = 0; st == DB_OK && i < p->nskills; i++)
		st = db_exec(c, "INSERT INTO specialist_skills (user_id, skill_slug, level) VALUES (?, ?, ?)",
			     DB_PARAMS(DB_INT(p->user_id), DB_TEXT(p->skills[i].slug), DB_INT(p->skills[i].level)),
			     NULL);
	if (st == DB_OK)
		st = db_exec(c, "DELETE FROM availability WHERE user_id = ?", DB_PARAMS(DB_INT(p->user_id)), NULL);
	for (int i = 0; st == DB_OK && i < p->nslots; i++)
		st = db_exec(c, "INSERT INTO availability (user_id, weekday, start_minute, end_minute) VALUES (?, ?, ?, ?)",
			     DB_PARAMS(DB_INT(p->user_id), DB_INT(p->slots[i].weekday), DB_INT(p->slots[i].start),
				       DB_INT(p->slots[i].end)),
			     NULL);
	if (st == DB_OK)
		st = store_user_add_role(c, p->user_id, "specialist", now);
	return st;
}

int store_profile_save(db_conn *c, const struct profile *p, int64_t now)
{
	int st = db_begin(c, true);
	if (st != DB_OK)
		return st;
	st = save_rows(c, p, now);
	if (st != DB_OK) {
		db_rollback(c);
		return st;
	}
	return db_commit(c);
}

int profile_licence_verified(db_conn *c, int64_t user_id, bool *verified)
{
	int64_t n = 0;
	*verified = false;
	int st = db_query_int(c, "SELECT count(*) FROM credentials WHERE user_id = ? AND kind = 'licence' "
				 "AND status = 'approved'",
			      DB_PARAMS(DB_INT(user_id)), &n);
	if (st < 0)
		return st;
	*verified = n > 0;
	return DB_OK;
}

/* ---- taxonomy look-ups ---- */

int store_profile_skill_exists(db_conn *c, const char *slug)
{
	int64_t n = 0;
	int st = db_query_int(c, "SELECT count(*) FROM skills WHERE slug = ?", DB_PARAMS(DB_TEXT(slug)), &n);
	if (st < 0)
		return st;
	return n > 0 ? DB_OK : STORE_NOT_FOUND;
}

int store_profile_profession(db_conn *c, const char *slug, char domain[16])
{
	int st;
	domain[0] = '\0';
	db_rows *r = db_query(c, "SELECT domain FROM professions WHERE slug = ?", DB_PARAMS(DB_TEXT(slug)), &st);
	if (!r)
		return st;
	st = STORE_NOT_FOUND;
	if (db_next(r)) {
		snprintf(domain, 16, "%s", db_text(r, 0));
		st = DB_OK;
	} else if (db_rows_status(r) != DB_OK) {
		st = db_rows_status(r);
	}
	db_rows_free(r);
	return st;
}

int store_profile_city(db_conn *c, const char *slug, double *lat, double *lon)
{
	int st;
	db_rows *r = db_query(c, "SELECT lat, lon FROM cities WHERE slug = ?", DB_PARAMS(DB_TEXT(slug)), &st);
	if (!r)
		return st;
	st = STORE_NOT_FOUND;
	if (db_next(r)) {
		*lat = db_double(r, 0);
		*lon = db_double(r, 1);
		st = DB_OK;
	} else if (db_rows_status(r) != DB_OK) {
		st = db_rows_status(r);
	}
	db_rows_free(r);
	return st;
}

int store_profile_choices(db_conn *c, enum profile_choice_kind kind, struct profile_choice **out, int *count)
{
	int st;
	*out = NULL;
	*count = 0;
	db_rows *r;
	switch (kind) {
	case CHOICE_SKILLS:
		r = db_query(c, "SELECT slug, domain, name_ar, name_en FROM skills ORDER BY domain, position, slug",
			     DB_NO_PARAMS, &st);
		break;
	case CHOICE_PROFESSIONS:
		r = db_query(c, "SELECT slug, domain, name_ar, name_en FROM professions ORDER BY domain, position, slug",
			     DB_NO_PARAMS, &st);
		break;
	case CHOICE_CITIES:
	default:
		r = db_query(c, "SELECT slug, '', name_ar, name_en FROM cities ORDER BY position, slug",
			     DB_NO_PARAMS, &st);
		break;
	}
	if (!r)
		return st;
	int cap = 0;
	while (db_next(r)) {
		if (*count == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xreallocarray(*out, (size_t)cap, sizeof **out);
		}
		(*out)[(*count)++] = (struct profile_choice){ xstrdup(db_text(r, 0)), xstrdup(db_text(r, 1)),
							      xstrdup(db_text(r, 2)), xstrdup(db_text(r, 3)) };
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != DB_OK) {
		profile_choices_free(*out, *count);
		*out = NULL;
		*count = 0;
	}
	return st;
}

void profile_choices_free(struct profile_choice *list, int count)
{
	for (int i = 0; i < count; i++) {
		free(list[i].slug);
		free(list[i].domain);
		free(list[i].name_ar);
		free(list[i].name_en);
	}
	free(list);
}
