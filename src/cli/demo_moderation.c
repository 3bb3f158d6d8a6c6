/*
 * demo_moderation.c — the moderators' side of the demo (demo_moderation.h):
 * credentials of the demo specialists, some waiting, some decided, and the
 * demo moderator's decisions on credentials and organisations, each written
 * to the audit log as a moderator's decision is (src/auth/moderation.c).
 */
#include "cli/demo_moderation.h"
#include "cli/demo_files.h"
#include "core/buf.h"
#include "store/files.h"
#include "store/moderation.h"

#include <stdio.h>
#include <string.h>

#define DEMO_MODERATOR "moderator@khibra.local"

enum decision { WAITING, APPROVE, REJECT };

static const struct demo_credential {
	const char *email;
	const char *kind;   /* licence | degree */
	const char *issuer;
	const char *number;
	const char *title;  /* ASCII: the text of the PDF, the seed of the PNG */
	bool png;           /* a scan (PNG) rather than a PDF */
	enum decision decision;
	const char *reason; /* the moderator's reason, as the applicant reads it */
} credentials[] = {
	/* Khalid's is verified, so that a legal consultation can be booked with
	 * him from the start; the help journey (tests/browser) relies on it. */
	{ "lawyer.khalid@khibra.local", "licence", "وزارة العدل", "MOJ-LAW-55871",
	  "Ministry of Justice - Lawyer licence MOJ-LAW-55871", false, APPROVE,
	  "رقم الترخيص مطابق لسجل المحامين في وزارة العدل." },
	{ "adviser.hessa@khibra.local", "licence", "وزارة العدل", "MOJ-LAW-61204",
	  "Ministry of Justice - Legal adviser licence MOJ-LAW-61204", false, APPROVE,
	  "تحققنا من الترخيص في سجل وزارة العدل وهو ساري المفعول." },
	{ "energy.saeed@khibra.local", "degree", "جامعة السلطان قابوس", "SQU-ENG-2014-0387",
	  "Sultan Qaboos University - BSc Electrical Engineering SQU-ENG-2014-0387", true, APPROVE,
	  "الشهادة واضحة والاسم مطابق للحساب." },
	{ "coach.amal@khibra.local", "degree", "Cairo University", "CU-COM-2013-11872",
	  "Cairo University - BCom Business Administration CU-COM-2013-11872", true, REJECT,
	  "The scan is cut off: the graduation date and the university's seal are missing. "
	  "Please upload the whole page." },
	/* Waiting for a moderator: three licences and two degrees. */
	{ "dr.sara@khibra.local", "licence", "الهيئة السعودية للتخصصات الصحية", "SCFHS-10-R-48213",
	  "Saudi Commission for Health Specialties - Professional licence SCFHS-10-R-48213", false, WAITING, NULL },
	{ "psych.nada@khibra.local", "degree", "American University of Beirut", "AUB-MA-PSY-2015-0442",
	  "American University of Beirut - MA Clinical Psychology AUB-MA-PSY-2015-0442", false, WAITING, NULL },
	{ "teacher.abdullah@khibra.local", "degree", "جامعة أم القرى", "UQU-SCI-2011-7720",
	  "Umm Al-Qura University - BSc Physics UQU-SCI-2011-7720", true, WAITING, NULL },
	{ "nurse.reem@khibra.local", "licence", "الهيئة السعودية للتخصصات الصحية", "SCFHS-14-N-20931",
	  "Saudi Commission for Health Specialties - Nursing licence SCFHS-14-N-20931", true, WAITING, NULL },
	{ "dentist.faisal@khibra.local", "licence", "الهيئة السعودية للتخصصات الصحية", "SCFHS-12-D-33175",
	  "Saudi Commission for Health Specialties - Dentist licence SCFHS-12-D-33175", false, WAITING, NULL },
};

/* The organisations of demo.c and demo_orgs.c the moderator has decided on;
 * the others stay in the queue. */
static const struct demo_org_decision {
	const char *name;
	bool approve;
	const char *reason;
} org_decisions[] = {
	{ "جمعية البر الخيرية", true, "رقم التسجيل NCNP-1021 مطابق لسجل المركز الوطني لتنمية القطاع غير الربحي." },
	{ "عيادة الشفاء الخيرية", true, "الترخيص MOH-JED-2291 ساري في سجل وزارة الصحة." },
	{ "جمعية سند لدعم اللاجئين", true, "تحققنا من التسجيل لدى وزارة التنمية الاجتماعية في الأردن." },
	{ "شركة ضوء للحلول الرقمية", true, "السجل التجاري 2050123456 قائم ونشاطه مطابق." },
	{ "معهد المستقبل للتدريب", false,
	  "لم نجد الترخيص TVTC-TBK-0093 في سجل المؤسسة العامة للتدريب التقني والمهني. "
	  "صحّحوا الرقم أو أرفقوا صورة الترخيص ثم أعيدوا الإرسال." },
};

/* user_id: the id of a demo person into *id; STORE_NOT_FOUND if missing. */
static int user_id(db_conn *c, const char *email, int64_t *id)
{
	struct user_record u;
	int st = store_user_by_email(c, email, &u);
	if (st == DB_OK) {
		*id = u.id;
		user_record_free(&u);
	}
	return st;
}

/* find_credential: the id of the person's credential of this kind and
 * number into *id; STORE_NOT_FOUND if they have none. */
static int find_credential(db_conn *c, int64_t owner, const char *kind, const char *number, int64_t *id)
{
	struct credential_record *list = NULL;
	int n = 0;
	int st = store_credentials_of_user(c, owner, &list, &n);
	if (st != DB_OK)
		return st;
	st = STORE_NOT_FOUND;
	for (int i = 0; i < n && st != DB_OK; i++)
		if (strcmp(list[i].kind, kind) == 0 && strcmp(list[i].number, number) == 0) {
			*id = list[i].id;
			st = DB_OK;
		}
	credential_records_free(list, n);
	return st;
}

/* upload: store the document of `d` under data_dir/files and create the
 * pending credential. */
static int upload(db_conn *c, const struct demo_credential *d, int64_t owner, const char *data_dir, int64_t at,
		  int64_t *id)
{
	buf doc = BUF_INIT;
	bool made = d->png ? demo_png(d->title, &doc) : (demo_pdf(d->title, &doc), true);
	char hash[FILES_HASH_HEX];
	bool stored = made && files_store(data_dir, doc.data, doc.len, hash);
	struct credential_new in = {
		.user_id = owner, .kind = d->kind, .issuer = d->issuer, .number = d->number,
		.file_hash = hash, .file_type = d->png ? "image/png" : "application/pdf",
		.file_name = d->png ? "scan.png" : (strcmp(d->kind, "licence") == 0 ? "licence.pdf" : "degree.pdf"),
		.file_size = (int64_t)doc.len,
	};
	int st = stored ? store_credential_create(c, &in, at, id) : DB_ERROR;
	buf_free(&doc);
	return st;
}

/* audited: *yes = the audit log already has `action` on `target` (the demo
 * records each decision once; no store call filters the log by target). */
static int audited(db_conn *c, const char *action, const char *target, bool *yes)
{
	int64_t n = 0;
	int st = db_query_int(c, "SELECT count(*) FROM audit_log WHERE action = ? AND target = ?",
			      DB_PARAMS(DB_TEXT(action), DB_TEXT(target)), &n);
	*yes = n > 0;
	return st;
}

/* decide: the moderator's decision on credential or organisation `id`, with
 * its audit row, in one transaction, unless the log already has it. */
static int decide(db_conn *c, bool is_org, int64_t id, bool approve, const char *reason, int64_t moderator,
		  int64_t at)
{
	char target[48];
	snprintf(target, sizeof target, "%s:%lld", is_org ? "org" : "credential", (long long)id);
	const char *action = is_org ? (approve ? "org.approve" : "org.reject")
				    : (approve ? "credential.approve" : "credential.reject");
	bool done = false;
	int st = audited(c, action, target, &done);
	if (st != DB_OK || done)
		return st;
	st = db_begin(c, true);
	if (st != DB_OK)
		return st;
	st = is_org ? store_org_decide(c, id, approve, reason, moderator, at)
		    : store_credential_decide(c, id, approve, reason, moderator, at);
	if (st == DB_OK)
		st = store_audit(c, moderator, action, target, reason, "", at);
	if (st == DB_OK)
		return db_commit(c);
	db_rollback(c);
	return st;
}

/* load_credential: the credential of `d`, uploaded if missing, and the
 * moderator's decision on it. */
static int load_credential(db_conn *c, const struct demo_credential *d, int64_t moderator, int64_t now,
			   const char *data_dir)
{
	int64_t owner = 0, id = 0;
	int st = user_id(c, d->email, &owner);
	if (st == STORE_NOT_FOUND)
		return DB_OK; /* the person comes from an earlier part; nothing to attach to */
	if (st == DB_OK)
		st = find_credential(c, owner, d->kind, d->number, &id);
	if (st == STORE_NOT_FOUND)
		st = upload(c, d, owner, data_dir, now, &id);
	if (st != DB_OK || d->decision == WAITING)
		return st;
	return decide(c, false, id, d->decision == APPROVE, d->reason, moderator, now);
}

int demo_moderation(db_conn *c, int64_t now, const char *data_dir)
{
	int64_t moderator = 0;
	if (user_id(c, DEMO_MODERATOR, &moderator) != DB_OK) {
		fprintf(stderr, "khibra: the demo moderator %s is missing\n", DEMO_MODERATOR);
		return 1;
	}
	for (size_t i = 0; i < sizeof credentials / sizeof credentials[0]; i++)
		if (load_credential(c, &credentials[i], moderator, now, data_dir) != DB_OK) {
			fprintf(stderr, "khibra: cannot load the demo credential %s\n", credentials[i].number);
			return 1;
		}
	for (size_t i = 0; i < sizeof org_decisions / sizeof org_decisions[0]; i++) {
		const struct demo_org_decision *o = &org_decisions[i];
		int64_t id = 0;
		int st = store_org_by_name(c, o->name, &id);
		if (st == DB_OK)
			st = decide(c, true, id, o->approve, o->reason, moderator, now);
		if (st != DB_OK && st != STORE_NOT_FOUND) {
			fprintf(stderr, "khibra: cannot record the demo decision on %s\n", o->name);
			return 1;
		}
	}
	return 0;
}
