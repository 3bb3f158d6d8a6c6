/*
 * page_taxonomy.c — GET /skills: the taxonomy as visitors and specialists
 * read it.  Each domain lists its broad skills as cards with their narrower
 * skills inside, the top-level skills without children in one more card, and
 * the domain's professions.  Names are in the page language, with the other
 * language beside them (marked with its lang and dir).
 */
#include "web/page_taxonomy.h"
#include "store/profiles.h"
#include "store/taxonomy.h"
#include "web/pages.h"

#include <string.h>

/* named: {name, other} for a pair of names, in the page language first. */
static json_t *named(request *r, const char *name_ar, const char *name_en)
{
	bool ar = r->lang == LANG_AR;
	return json_pack("{s:s, s:s}", "name", ar ? name_ar : name_en, "other", ar ? name_en : name_ar);
}

/* domain_section: the context of one domain from the full lists. */
static json_t *domain_section(request *r, const struct taxonomy_domain *d, const struct taxonomy_skill *s, int ns,
			      const struct taxonomy_profession *p, int np)
{
	json_t *parents = json_object();  /* slugs that have children */
	for (int i = 0; i < ns; i++)
		if (s[i].parent_slug && !strcmp(s[i].domain, d->slug))
			json_object_set_new(parents, s[i].parent_slug, json_true());

	json_t *groups = json_array(), *loose = json_array();
	json_t *group_of = json_object(); /* skill slug → its group (borrowed) */
	for (int i = 0; i < ns; i++) {
		if (strcmp(s[i].domain, d->slug) != 0)
			continue;
		if (!s[i].parent_slug && !json_object_get(parents, s[i].slug)) {
			json_array_append_new(loose, named(r, s[i].name_ar, s[i].name_en));
		} else if (!s[i].parent_slug) {
			json_t *g = named(r, s[i].name_ar, s[i].name_en);
			json_object_set_new(g, "children", json_array());
			json_array_append_new(groups, g);
			json_object_set(group_of, s[i].slug, g);
		} else {
			/* Parents come first; a grandchild joins its grandparent's card. */
			json_t *g = json_object_get(group_of, s[i].parent_slug);
			if (!g)
				continue;
			json_array_append_new(json_object_get(g, "children"), named(r, s[i].name_ar, s[i].name_en));
			json_object_set(group_of, s[i].slug, g);
		}
	}
	json_decref(group_of);
	json_decref(parents);

	json_t *professions = json_array();
	for (int i = 0; i < np; i++) {
		if (strcmp(p[i].domain, d->slug) != 0)
			continue;
		json_t *item = named(r, p[i].name_ar, p[i].name_en);
		json_object_set_new(item, "licensed", json_boolean(p[i].licensed));
		json_array_append_new(professions, item);
	}
	return json_pack("{s:s, s:s, s:o, s:b, s:o, s:b, s:o}", "slug", d->slug, "name", tr(r, d->name_en),
			 "groups", groups, "has_loose", json_array_size(loose) > 0, "loose", loose,
			 "has_professions", json_array_size(professions) > 0, "professions", professions);
}

void page_skills(request *r)
{
	const char *only = req_query(r, "domain");
	if (only && !taxonomy_domain_valid(only)) {
		respond_error(r, 404, "not_found", N_("There is nothing at this address."), NULL);
		return;
	}
	struct taxonomy_skill *s = NULL;
	struct taxonomy_profession *p = NULL;
	int ns = 0, np = 0;
	if (store_skills_list(req_db(r), NULL, &s, &ns) != DB_OK ||
	    store_professions_list(req_db(r), NULL, &p, &np) != DB_OK) {
		taxonomy_skills_free(s, ns);
		respond_error(r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL);
		return;
	}
	json_t *ctx = page_ctx(r, N_("Skills and professions"));
	json_t *nav = json_array(), *domains = json_array();
	for (int i = 0; i < TAXONOMY_DOMAIN_COUNT; i++) {
		const struct taxonomy_domain *d = &taxonomy_domains[i];
		bool current = only && !strcmp(only, d->slug);
		json_array_append_new(nav, json_pack("{s:s, s:s, s:b}", "slug", d->slug, "name", tr(r, d->name_en),
						     "current", current));
		if (!only || current)
			json_array_append_new(domains, domain_section(r, d, s, ns, p, np));
	}
	taxonomy_skills_free(s, ns);
	taxonomy_professions_free(p, np);
	bool ar = r->lang == LANG_AR;
	json_object_set_new(ctx, "nav", nav);
	if (ns == 0) /* not migrated: say so instead of six empty sections */
		json_array_clear(domains);
	json_object_set_new(ctx, "domains", domains);
	json_object_set_new(ctx, "filtered", json_boolean(only != NULL));
	json_object_set_new(ctx, "other_lang", json_string(ar ? "en" : "ar"));
	json_object_set_new(ctx, "other_dir", json_string(ar ? "ltr" : "rtl"));
	respond_page(r, 200, "skills", ctx);
}

json_t *taxonomy_city_options(request *r, const char *selected)
{
	struct profile_choice *list = NULL;
	int n = 0;
	json_t *cities = json_array();
	store_profile_choices(req_db(r), CHOICE_CITIES, &list, &n);
	for (int i = 0; i < n; i++)
		json_array_append_new(cities, json_pack("{s:s, s:s, s:b}", "slug", list[i].slug, "name",
							r->lang == LANG_AR ? list[i].name_ar : list[i].name_en,
							"selected", selected && strcmp(list[i].slug, selected) == 0));
	profile_choices_free(list, n);
	return cities;
}
