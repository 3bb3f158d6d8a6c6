/*
 * moderation.h — the work behind credentials and moderation, shared by the
 * JSON API (api/api_moderation.c) and the pages (web/page_moderation.c):
 * uploading a credential, and a moderator's decision on a credential or an
 * organisation.  Each reports a `struct outcome` (auth/accounts.h).
 *
 * A decision may be taken again (a rejected licence approved after a call,
 * a verified organisation rejected after a complaint): each decision updates
 * the object and is recorded on its own — an audit_log row, a notification
 * and an e-mail to the applicant.
 */
#ifndef KHIBRA_MODERATION_H
#define KHIBRA_MODERATION_H

#include "auth/accounts.h"
#include "store/moderation.h"

#define LIMIT_ISSUER_CHARS  200
#define LIMIT_NUMBER_CHARS  100
#define LIMIT_REASON_CHARS  500

struct credential_input {
	const char *kind;                /* licence | degree | certificate */
	const char *issuer;              /* who issued it: required */
	const char *number;              /* its number: optional */
	const struct form_field *file;   /* req_upload(r, "file") */
};

/* credential_upload: check the fields (422) and the file's bytes (415 for
 * anything but PDF, PNG or JPEG), keep the file and record a pending
 * credential; 201 with *id. */
void credential_upload(request *r, const struct credential_input *in, int64_t *id, struct outcome *o);

/* moderation_decide_credential / _org: 200 on success, 404 for an unknown
 * id, 422 when rejecting without a reason or with one over 500 characters.
 * `approved_given` false (the field was missing) is a 422 too.  Separation
 * of duties: a moderator may not decide on their own credential nor on an
 * organisation they are a member of (403; the item stays for another).  The
 * same decision again (approving what is approved) is 200 and changes
 * nothing: no notice, no audit row, the first reason kept. */
void moderation_decide_credential(request *r, int64_t id, bool approved_given, bool approved, const char *reason,
				  struct outcome *o);
void moderation_decide_org(request *r, int64_t id, bool approved_given, bool approved, const char *reason,
			   struct outcome *o);

/* Every action the code writes to the audit log (store_audit), with the
 * msgid that names it; sorted by action.  A test scans src/ for the actions
 * written and fails when one is missing here. */
struct audit_action {
	const char *action;
	const char *label;
};
extern const struct audit_action audit_actions[];
extern const size_t audit_actions_count;
/* audit_action_label: the msgid naming the action, NULL if it is unknown. */
const char *audit_action_label(const char *action);
/* audit_action_filter_valid: `filter` is a known action ("org.approve") or
 * the prefix, up to and including a '.', of one ("org.", "calendar.feed."). */
bool audit_action_filter_valid(const char *filter);

/* credential_visible: may the caller see (and download) this credential? Its
 * owner and moderators only. */
bool credential_visible(const request *r, const struct credential_record *c);

/* text_chars: code points in `s` if it is valid UTF-8 without control
 * characters (newlines and tabs allowed when multiline); -1 otherwise. */
long text_chars(const char *s, bool multiline);

#endif
