/*
 * demo_moderation.c — demo credentials waiting for a moderator (demo_moderation.h).
 */
#include "cli/demo_moderation.h"
#include "core/buf.h"
#include "store/files.h"
#include "store/moderation.h"

#include <stdio.h>
#include <string.h>

static const struct demo_licence {
	const char *email;
	const char *issuer;
	const char *number;
	const char *title; /* ASCII: the text drawn in the PDF */
	bool verified;     /* approved by the demo administrator, else waiting */
} licences[] = {
	/* Sara's waits in the moderators' queue; Khalid's is verified, so that a
	 * legal consultation can be booked with him from the start. */
	{ "dr.sara@khibra.local", "الهيئة السعودية للتخصصات الصحية", "SCFHS-10-R-48213",
	  "Saudi Commission for Health Specialties - Professional licence SCFHS-10-R-48213", false },
	{ "lawyer.khalid@khibra.local", "وزارة العدل", "MOJ-LAW-55871",
	  "Ministry of Justice - Lawyer licence MOJ-LAW-55871", true },
};

/* demo_pdf: a one-page PDF 1.4 showing `title`, with a correct xref table. */
static void demo_pdf(const char *title, buf *out)
{
	char content[256];
	int clen = snprintf(content, sizeof content, "BT /F1 12 Tf 40 780 Td (%s) Tj ET", title);
	const char *objects[5];
	char page_content[400];
	snprintf(page_content, sizeof page_content, "<< /Length %d >>\nstream\n%s\nendstream", clen, content);
	objects[0] = "<< /Type /Catalog /Pages 2 0 R >>";
	objects[1] = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
	objects[2] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
		     "/Resources << /Font << /F1 5 0 R >> >> >>";
	objects[3] = page_content;
	objects[4] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
	size_t offsets[5];
	buf_puts(out, "%PDF-1.4\n");
	for (int i = 0; i < 5; i++) {
		offsets[i] = out->len;
		buf_printf(out, "%d 0 obj\n%s\nendobj\n", i + 1, objects[i]);
	}
	size_t xref = out->len;
	buf_puts(out, "xref\n0 6\n0000000000 65535 f \n");
	for (int i = 0; i < 5; i++)
		buf_printf(out, "%010zu 00000 n \n", offsets[i]);
	buf_printf(out, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
}

/* has_licence: does the person already have a licence (of any status)? */
static bool has_licence(db_conn *c, int64_t user_id)
{
	int64_t n = 0;
	return db_query_int(c, "SELECT count(*) FROM credentials WHERE user_id = ? AND kind = 'licence'",
			    DB_PARAMS(DB_INT(user_id)), &n) == DB_OK && n > 0;
}

/* approve: the demo administrator verifies the credential. */
static int approve(db_conn *c, int64_t credential_id, int64_t now)
{
	struct user_record admin;
	if (store_user_by_email(c, "admin@khibra.local", &admin) != DB_OK)
		return DB_ERROR;
	int st = store_credential_decide(c, credential_id, true, "", admin.id, now);
	user_record_free(&admin);
	return st;
}

int demo_moderation(db_conn *c, int64_t now, const char *data_dir)
{
	for (size_t i = 0; i < sizeof licences / sizeof licences[0]; i++) {
		const struct demo_licence *l = &licences[i];
		struct user_record u;
		if (store_user_by_email(c, l->email, &u) != DB_OK)
			continue; /* the demo people come first; nothing to attach to */
		int64_t user_id = u.id;
		user_record_free(&u);
		if (has_licence(c, user_id))
			continue;
		buf pdf = BUF_INIT;
		demo_pdf(l->title, &pdf);
		char hash[FILES_HASH_HEX];
		bool stored = files_store(data_dir, pdf.data, pdf.len, hash);
		struct credential_new in = {
			.user_id = user_id, .kind = "licence", .issuer = l->issuer, .number = l->number,
			.file_hash = hash, .file_type = "application/pdf", .file_name = "licence.pdf",
			.file_size = (int64_t)pdf.len,
		};
		int64_t id = 0;
		int st = stored ? store_credential_create(c, &in, now, &id) : DB_ERROR;
		if (st == DB_OK && l->verified)
			st = approve(c, id, now);
		buf_free(&pdf);
		if (st != DB_OK) {
			fprintf(stderr, "khibra: cannot create the demo licence of %s\n", l->email);
			return 1;
		}
	}
	return 0;
}
