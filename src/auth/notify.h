/*
 * notify.h — telling people what happened: in-app notifications rendered in
 * the reader's language, and the same news by e-mail in the recipient's
 * locale.
 *
 * A notification is stored as a kind and JSON params; notify_text() turns it
 * into a sentence through one table (kind → msgid with {param} slots), so a
 * new kind is one line in that table and its msgids in the catalogue.
 *
 * Kinds now: credential_approved, credential_rejected (params: kind, reason),
 * org_verified, org_rejected (params: org, reason).
 */
#ifndef KHIBRA_NOTIFY_H
#define KHIBRA_NOTIFY_H

#include "core/buf.h"
#include "i18n/i18n.h"
#include "store/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct app;

/* notify_text: the sentence for `kind` with `params` (a JSON object's text),
 * in language l, appended to out.  Unknown kinds get a generic sentence. */
void notify_text(enum lang l, const char *kind, const char *params_json, buf *out);
/* credential_kind_label: "Professional licence", … translated; the kind itself if unknown. */
const char *credential_kind_label(enum lang l, const char *kind);

/* notify_create: store the notification (inside the caller's transaction if
 * there is one).  params is borrowed. */
int notify_create(db_conn *c, int64_t user_id, const char *kind, const json_t *params, const char *link,
		  int64_t now);
/* notify_mail: e-mail the same news to the person, in their locale, with a
 * link to app->cfg.public_url + link.  The e-mail is a durable "mail" job
 * (store/jobs.h) that the worker renders and sends, retrying on failure; call
 * it inside the notification's transaction or after its commit.  False if
 * the job could not be queued. */
bool notify_mail(struct app *app, db_conn *c, int64_t user_id, const char *kind, const json_t *params,
		 const char *link);
struct mail_config;
/* notify_mail_deliver: render notification `kind` (params: a JSON object's
 * text) as an e-mail in the person's locale and send it now (the "mail" job).
 * 1 sent; 0 nobody to send to (no such person, no address); -1 failed. */
int notify_mail_deliver(const struct mail_config *mail, const char *public_url, db_conn *c, int64_t user_id,
			const char *kind, const char *params_json, const char *link);

#endif
