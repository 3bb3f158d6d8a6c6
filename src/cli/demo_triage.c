/*
 * demo_triage.c — demo triage (demo_triage.h): the legal request that
 * demo_help hands to جمعية البر الخيرية is marked reviewed, as one of its
 * coordinators would, so the organisation's queue shows both stages.
 */
#include "cli/demo_triage.h"

int demo_triage(db_conn *c, int64_t now)
{
	/* Only a request still "new" moves: running the demo again changes nothing. */
	int st = db_exec(c, "UPDATE help_requests SET status = 'triaged', updated_at = ? "
			    "WHERE status = 'new' AND title = ? AND org_id = (SELECT id FROM orgs WHERE name = ?)",
			 DB_PARAMS(DB_INT(now), DB_TEXT("استشارة قانونية بخصوص عقد إيجار"),
				   DB_TEXT("جمعية البر الخيرية")),
			 NULL);
	return st == DB_OK ? 0 : -1;
}
