/*
 * demo_messages.c — demo threads: the coordinator of جمعية البر الخيرية and
 * the first demo specialist who applied to one of its opportunities; and the
 * same coordinator with family.ahmad about the rental-contract help request.
 */
#include "cli/demo_messages.h"
#include "auth/sealed.h"
#include "store/messages.h"

#include <stdio.h>
#include <string.h>

/* One line of a thread: who says it (0: the first side, 1: the second). */
struct line { int side; const char *text; };

static const struct line application_lines[] = {
	{ 1, "السلام عليكم، شكراً لتقدّمك. هل يناسبك الحضور قبل البداية بنصف ساعة لترتيب المكان؟" },
	{ 0, "وعليكم السلام، نعم بإذن الله. هل أحضر معي أي أدوات؟" },
	{ 1, "الأدوات متوفرة لدينا، نحتاج فقط إلى بطاقتك المهنية. نراك قريباً." },
};

static const struct line request_lines[] = {
	{ 1, "مرحباً، استلمنا طلبكم ونبحث عن محامٍ متطوع مناسب. هل لديكم نسخة من عقد الإيجار؟" },
	{ 0, "نعم، لدينا نسخة ورقية من العقد وإيصالات دفع التأمين." },
	{ 1, "ممتاز، جهّزوها من فضلكم، وسنحدّد لكم موعداً خلال هذا الأسبوع." },
};

static int64_t user_id(db_conn *c, const char *email)
{
	int64_t id = 0;
	return db_query_int(c, "SELECT id FROM users WHERE email = ?", DB_PARAMS(DB_TEXT(email)), &id) == DB_OK ? id : 0;
}

/* write_thread: the lines, a minute apart and ending an hour ago, unless the
 * thread already holds messages. */
static int write_thread(db_conn *c, const char *kind, int64_t thread_id, const int64_t sides[2],
			const struct line *lines, size_t n, int64_t now)
{
	int64_t last = 0;
	if (store_messages_last_id(c, kind, thread_id, &last) != DB_OK)
		return 1;
	if (last)
		return 0; /* already loaded */
	for (size_t i = 0; i < n; i++) {
		int64_t id = 0;
		int64_t at = now - 3600 - (int64_t)(n - i) * 60;
		if (store_message_post(c, kind, thread_id, sides[lines[i].side], lines[i].text, at, &id) != DB_OK)
			return 1;
		/* each side has read up to its own last message */
		if (store_messages_mark_read(c, sides[lines[i].side], kind, thread_id, id) != DB_OK)
			return 1;
	}
	return 0;
}

int demo_messages(db_conn *c, int64_t now)
{
	if (!sealed_key()) {
		fprintf(stderr, "khibra: demo messages need the sealing key (load the help requests first)\n");
		return 1;
	}
	int64_t coordinator = user_id(c, "coordinator@khibra.local");
	if (!coordinator)
		return 0; /* the people come from the main demo */
	int64_t app = 0, applicant = 0;
	int st;
	db_rows *r = db_query(c, "SELECT a.id, a.user_id FROM applications a JOIN opportunities o ON o.id = a.opportunity_id "
				 "JOIN org_members m ON m.org_id = o.org_id JOIN users u ON u.id = a.user_id "
				 "WHERE m.user_id = ? AND u.email LIKE '%@khibra.local' ORDER BY a.id LIMIT 1",
			      DB_PARAMS(DB_INT(coordinator)), &st);
	if (!r)
		return 1;
	if (db_next(r)) {
		app = db_int(r, 0);
		applicant = db_int(r, 1);
	}
	db_rows_free(r);
	if (app) {
		const int64_t sides[2] = { applicant, coordinator };
		if (write_thread(c, "application", app, sides, application_lines,
				 sizeof application_lines / sizeof application_lines[0], now) != 0)
			return 1;
	}
	int64_t family = user_id(c, "family.ahmad@khibra.local"), request = 0;
	if (family && db_query_int(c, "SELECT min(h.id) FROM help_requests h JOIN org_members m ON m.org_id = h.org_id "
				      "WHERE h.requester_id = ? AND m.user_id = ?",
				   DB_PARAMS(DB_INT(family), DB_INT(coordinator)), &request) < 0)
		return 1;
	if (request) {
		const int64_t sides[2] = { family, coordinator };
		if (write_thread(c, "request", request, sides, request_lines,
				 sizeof request_lines / sizeof request_lines[0], now) != 0)
			return 1;
	}
	return 0;
}
