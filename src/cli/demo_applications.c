/*
 * demo_applications.c — demo applications in every state (demo_applications.h).
 * Everything goes through store/applications.c, so the demo obeys the same
 * capacity, overlap, hour-cap and licence rules as real use; a move the rules
 * refuse is simply left out.
 */
#include "cli/demo_applications.h"
#include "store/applications.h"

#include <stdio.h>

static int64_t user_id(db_conn *c, const char *email)
{
	int64_t id = 0;
	return db_query_int(c, "SELECT id FROM users WHERE email = ?", DB_PARAMS(DB_TEXT(email)), &id) == DB_OK ? id : 0;
}

/* One step of the script: who applies (or is invited) where, and the moves
 * that follow, by the organisation (org = true) or the person. */
static const struct step {
	int opportunity;          /* 0 or 1: the first or second open opportunity */
	const char *email;
	bool invited;
	const char *message;
	struct { enum app_action action; bool org; const char *text; } moves[3];
	int nmoves;
} script[] = {
	{ 0, "dr.sara@khibra.local", false, "يسعدني المشاركة بخبرتي في طب الأسرة.",
	  { { ACT_ACCEPT, true, NULL }, { ACT_CHECKIN, true, NULL }, { ACT_COMPLETE, true, NULL } }, 3 },
	{ 0, "lawyer.khalid@khibra.local", false, "أستطيع تقديم التوعية القانونية للأسر.",
	  { { ACT_DECLINE, true, "اكتمل العدد المطلوب من هذا التخصص، شكرًا لاهتمامك." } }, 1 },
	{ 0, "eng.omar@khibra.local", false, "I can help with logistics and the site layout.",
	  { { ACT_ACCEPT, true, NULL } }, 1 },
	{ 0, "dev.layla@khibra.local", true, "نود دعوتك للمشاركة في هذه الفرصة.", { { 0 } }, 0 },
	{ 0, "teacher.huda@khibra.local", false, "متاحة طوال اليوم.", { { ACT_WAITLIST, true, NULL } }, 1 },
	{ 1, "teacher.huda@khibra.local", false, "أرغب في المساعدة.", { { ACT_WAITLIST, true, NULL } }, 1 },
	{ 1, "dev.layla@khibra.local", false, "أستطيع الحضور صباحًا.",
	  { { ACT_ACCEPT, true, NULL }, { ACT_WITHDRAW, false, NULL } }, 2 }, /* frees the place: Huda is offered it */
	{ 1, "eng.omar@khibra.local", false, "Happy to help.",
	  { { ACT_ACCEPT, true, NULL }, { ACT_NO_SHOW, true, NULL }, { ACT_CONTEST, false, "I was there from 8:00; please check the sign-in sheet." } }, 3 },
	{ 1, "dr.sara@khibra.local", false, "سأحضر بإذن الله.", { { 0 } }, 0 }, /* waits for an answer */
};

int demo_applications(db_conn *c, int64_t now)
{
	int64_t coordinator = user_id(c, "coordinator@khibra.local");
	if (!coordinator)
		return 0;
	/* The first two open opportunities of the coordinator's organisation that
	 * have a shift and need no licence (so that the script's accepts hold). */
	int64_t opportunities[2] = { 0, 0 }, org = 0;
	int n = 0, st;
	db_rows *r = db_query(c, "SELECT o.id, o.org_id FROM opportunities o JOIN org_members m ON m.org_id = o.org_id "
				 "WHERE m.user_id = ? AND o.status = 'open' "
				 "AND NOT (o.kind = 'consultation' AND o.domain IN ('health', 'law')) "
				 "AND EXISTS (SELECT 1 FROM shifts s WHERE s.opportunity_id = o.id) ORDER BY o.id LIMIT 2",
			      DB_PARAMS(DB_INT(coordinator)), &st);
	if (!r)
		return 1;
	while (db_next(r) && n < 2) {
		opportunities[n++] = db_int(r, 0);
		org = db_int(r, 1);
	}
	db_rows_free(r);
	if (n == 0)
		return 0; /* no demo opportunities yet */
	int64_t existing = 0;
	if (db_query_int(c, "SELECT count(*) FROM applications a JOIN opportunities o ON o.id = a.opportunity_id "
			    "JOIN users u ON u.id = a.user_id WHERE o.org_id = ? AND u.email LIKE '%@khibra.local'",
			 DB_PARAMS(DB_INT(org)), &existing) != DB_OK)
		return 1;
	if (existing > 0)
		return 0; /* already loaded */
	for (size_t i = 0; i < sizeof script / sizeof script[0]; i++) {
		const struct step *s = &script[i];
		int64_t person = user_id(c, s->email), opportunity = opportunities[s->opportunity < n ? s->opportunity : 0];
		if (!person)
			continue;
		/* The first shift; BOOK_SHIFT_NEEDED is avoided by naming it. */
		int64_t shift = 0, id = 0;
		db_query_int(c, "SELECT id FROM shifts WHERE opportunity_id = ? ORDER BY position, starts_at, id LIMIT 1",
			     DB_PARAMS(DB_INT(opportunity)), &shift);
		st = s->invited ? store_application_invite(c, opportunity, coordinator, person, shift, s->message, now, &id)
				: store_application_apply(c, opportunity, person, shift, s->message, now, &id);
		if (st != DB_OK)
			continue;
		for (int m = 0; m < s->nmoves; m++)
			if (store_application_act(c, id, s->moves[m].org ? coordinator : person, s->moves[m].action,
						  s->moves[m].text, now) != DB_OK)
				break; /* refused by the rules (full, licence…): leave it there */
	}
	return 0;
}
