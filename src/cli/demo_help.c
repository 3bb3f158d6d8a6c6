/*
 * demo_help.c — demo help requests: a legal consultation about a rental
 * contract from family.ahmad, handled by جمعية البر الخيرية, and maths
 * tutoring for student.mariam in a remote village, assigned to teacher.huda.
 */
#include "cli/demo_help.h"
#include "auth/sealed.h"
#include "store/help.h"

#include <stdio.h>

static const struct demo_request {
	const char *requester;
	const char *org;          /* organisation name or NULL */
	const char *domain;
	const char *title;
	const char *details;
	const char *city;
	const char *urgency;
	const char *specialist;   /* e-mail of the specialist to assign, or NULL */
} requests[] = {
	{ "family.ahmad@khibra.local", "جمعية البر الخيرية", "law", "استشارة قانونية بخصوص عقد إيجار",
	  "انتهى عقد إيجار شقتنا والمالك يرفض إعادة مبلغ التأمين ويطالبنا بإصلاحات لم نتسبب فيها. "
	  "نحتاج إلى من يشرح لنا حقوقنا وكيف نكتب له خطاباً رسمياً.",
	  "الرياض", "urgent", NULL },
	{ "student.mariam@khibra.local", NULL, "education", "Maths tutoring for the secondary-school exam",
	  "I live in a small village two hours from Hail and there is no maths teacher this term. "
	  "I need weekly online lessons in algebra and geometry before the final exam.",
	  "قرية الشعبة، حائل", "normal", "teacher.huda@khibra.local" },
};

/* user_id: the id of a demo user by e-mail, 0 when absent. */
static int64_t user_id(db_conn *c, const char *email)
{
	int64_t id = 0;
	db_query_int(c, "SELECT id FROM users WHERE email = ?", DB_PARAMS(DB_TEXT(email)), &id);
	return id;
}

int demo_help(db_conn *c, int64_t now, const char *data_dir)
{
	char err[512];
	if (!sealed_key() && !sealed_key_load(data_dir, err, sizeof err)) {
		fprintf(stderr, "khibra: %s\n", err);
		return 1;
	}
	int64_t admin = user_id(c, "admin@khibra.local");
	for (size_t i = 0; i < sizeof requests / sizeof requests[0]; i++) {
		const struct demo_request *d = &requests[i];
		int64_t requester = user_id(c, d->requester), org = 0, existing = 0;
		if (!requester)
			continue; /* the people come from the main demo */
		if (db_query_int(c, "SELECT count(*) FROM help_requests WHERE requester_id = ? AND title = ?",
				 DB_PARAMS(DB_INT(requester), DB_TEXT(d->title)), &existing) != DB_OK)
			return 1;
		if (existing)
			continue;
		if (d->org)
			db_query_int(c, "SELECT id FROM orgs WHERE name = ? AND status = 'verified'",
				     DB_PARAMS(DB_TEXT(d->org)), &org);
		int64_t id = 0;
		int st = store_help_create(c, requester, org, d->domain, d->title, d->details, d->city, d->urgency, now, &id);
		if (st != DB_OK) {
			fprintf(stderr, "khibra: demo help request %zu: store error %d\n", i + 1, st);
			return 1;
		}
		int64_t specialist = d->specialist ? user_id(c, d->specialist) : 0;
		if (specialist && admin)
			store_help_assign(c, id, admin, ROLE_ADMIN | ROLE_MODERATOR, specialist, now); /* best effort */
	}
	return 0;
}
