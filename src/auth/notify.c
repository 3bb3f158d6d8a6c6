/*
 * notify.c — notifications rendered per language, and their e-mails (notify.h).
 */
#include "auth/notify.h"
#include "http/app.h"
#include "core/log.h"
#include "jobs/worker.h"
#include "store/jobs.h"
#include "store/notifications.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One row per kind: the e-mail subject and the sentence, with {param} slots
 * filled from the notification's params. */
static const struct notice_kind {
	const char *kind;
	const char *subject;
	const char *text;
} notice_kinds[] = {
	/* the booking loop, reminders and nudges (jobs) */
	{ "application_invited", N_("You are invited to volunteer"),
	  N_("You are invited to take part in {title}. Answer the invitation in your applications.") },
	{ "application_accepted", N_("Your application was accepted"),
	  N_("Your application to {title} has been accepted. Thank you for volunteering!") },
	{ "application_declined", N_("Your application was not accepted"),
	  N_("Your application to {title} was not accepted this time.") },
	{ "application_offered", N_("A place is free for you"),
	  N_("A place has become free in {title} and is held for you until {date} at {time} (Riyadh time). Confirm it in your applications to take it.") },
	{ "application_offer_expired", N_("Your offered place has expired"),
	  N_("The place held for you in {title} until {date} at {time} (Riyadh time) was not confirmed in time, so the offer has expired.") },
	{ "application_no_show", N_("You were marked absent"),
	  N_("You were marked absent from {title}. If this is wrong, you can contest it in your applications.") },
	{ "opportunity_cancelled", N_("An opportunity was cancelled"),
	  N_("{title} has been cancelled by its organisation.") },
	{ "application_withdrawn", N_("A volunteer withdrew"),
	  N_("{name} has withdrawn from {title}.") },
	{ "no_show_contested", N_("A no-show was contested"),
	  N_("{name} contests being marked absent from {title}: {reason}") },
	{ "reminder_shift", N_("Reminder: your volunteering starts soon"),
	  N_("Reminder: {title} starts on {date} at {time} (Riyadh time).") },
	{ "reminder_session", N_("Reminder: your session starts soon"),
	  N_("Reminder: your session on Khibra starts on {date} at {time} (Riyadh time).") },
	{ "nudge_applications", N_("Applications are waiting for your answer"),
	  N_("Applications to {title} have been waiting three days or more for an answer: {count}.") },
	/* end of the booking loop, reminders and nudges */
	{ "credential_approved", N_("Your credential has been verified"),
	  N_("Your {kind} has been reviewed and verified by the Khibra moderators.") },
	{ "credential_rejected", N_("Your credential was not accepted"),
	  N_("Your {kind} was not accepted by the Khibra moderators. Reason: {reason}") },
	{ "org_verified", N_("Your organisation has been verified"),
	  N_("{org} is now a verified organisation on Khibra and can publish opportunities.") },
	{ "org_rejected", N_("Your organisation was not verified"),
	  N_("{org} was not verified by the Khibra moderators. Reason: {reason}") },
	{ "org_invited", N_("An invitation to join an organisation"),
	  N_("{name} invites you to join {org} on Khibra. Accept or decline the invitation in your invitations.") },
	{ "message_application", N_("New message about an application"),
	  N_("You have a new message about the application to “{title}”.") },
	{ "message_request", N_("New message about a help request"),
	  N_("You have a new message about the help request “{title}”.") },
	/* help triage */
	{ "help_routed", N_("A help request was sent to your organisation"),
	  N_("The Khibra moderators have sent a help request to {org}. Review it in the organisation's queue.") },
	{ "help_declined", N_("Your help request is with the moderators again"),
	  N_("The organisation could not take your request; the moderators will find another. Reason: {reason}") },
	/* end of help triage */
};

static const struct { const char *kind; const char *label; } credential_kinds[] = {
	{ "licence", N_("professional licence") },
	{ "degree", N_("academic degree") },
	{ "certificate", N_("professional certificate") },
};

const char *credential_kind_label(enum lang l, const char *kind)
{
	for (size_t i = 0; kind && i < sizeof credential_kinds / sizeof credential_kinds[0]; i++)
		if (strcmp(credential_kinds[i].kind, kind) == 0)
			return i18n_gettext(l, credential_kinds[i].label);
	return kind ? kind : "";
}

static const struct notice_kind *find_kind(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof notice_kinds / sizeof notice_kinds[0]; i++)
		if (strcmp(notice_kinds[i].kind, kind) == 0)
			return &notice_kinds[i];
	return NULL;
}

/* fill_slots: append `text` to out with each {name} replaced by params[name]
 * ("kind" shown as its translated label). */
static void fill_slots(enum lang l, const char *text, const json_t *params, buf *out)
{
	const char *p = text;
	while (*p) {
		const char *open = strchr(p, '{');
		const char *close = open ? strchr(open, '}') : NULL;
		if (!open || !close || close - open > 32) {
			buf_puts(out, p);
			return;
		}
		buf_append(out, p, (size_t)(open - p));
		char name[33];
		snprintf(name, sizeof name, "%.*s", (int)(close - open - 1), open + 1);
		const char *value = json_string_value(json_object_get(params, name));
		if (value && strcmp(name, "kind") == 0)
			value = credential_kind_label(l, value);
		buf_puts(out, value ? value : "");
		p = close + 1;
	}
}

void notify_text(enum lang l, const char *kind, const char *params_json, buf *out)
{
	const struct notice_kind *k = find_kind(kind);
	if (!k) {
		buf_puts(out, i18n_gettext(l, N_("You have a new notification.")));
		return;
	}
	json_t *params = json_loads(params_json ? params_json : "{}", 0, NULL);
	fill_slots(l, i18n_gettext(l, k->text), params, out);
	json_decref(params);
}

int notify_create(db_conn *c, int64_t user_id, const char *kind, const json_t *params, const char *link,
		  int64_t now)
{
	char *text = json_dumps(params, JSON_COMPACT);
	int st = store_notification_create(c, user_id, kind, text ? text : "{}", link, now, NULL);
	free(text);
	return st;
}

bool notify_mail(struct app *app, db_conn *c, int64_t user_id, const char *kind, const json_t *params,
		 const char *link)
{
	(void)app;
	/* Durable: the worker sends it (and retries it) even if this process
	 * stops now.  Kick this process's worker so it goes out at once. */
	char *params_json = json_dumps(params, JSON_COMPACT);
	int st = store_job_enqueue_mail(c, user_id, kind, params_json ? params_json : "{}", link, time(NULL));
	free(params_json);
	if (st != DB_OK) {
		log_error("notify", "could not queue an e-mail to user %lld about %s", (long long)user_id, kind);
		return false;
	}
	jobs_worker_kick();
	return true;
}

int notify_mail_deliver(const struct mail_config *mail, const char *public_url, db_conn *c, int64_t user_id,
			const char *kind, const char *params_json, const char *link)
{
	struct user_record u;
	int st = store_user_by_id(c, user_id, &u);
	if (st == STORE_NOT_FOUND)
		return 0;
	if (st != DB_OK)
		return -1;
	if (!u.email || !*u.email) {
		user_record_free(&u);
		return 0;
	}
	enum lang l = LANG_DEFAULT;
	i18n_parse(u.locale, &l);
	const struct notice_kind *k = find_kind(kind);
	buf body = BUF_INIT;
	buf_printf(&body, "%s %s\n\n", i18n_gettext(l, N_("Hello")), u.name);
	notify_text(l, kind, params_json, &body);
	if (link && *link)
		buf_printf(&body, "\n\n%s%s", public_url ? public_url : "", link);
	buf_printf(&body, "\n\n— %s\n", i18n_gettext(l, N_("Khibra")));
	bool ok = mail_send(mail, u.email, i18n_gettext(l, k ? k->subject : N_("You have a new notification.")),
			    body.data);
	if (!ok)
		log_error("notify", "could not e-mail user %lld about %s", (long long)user_id, kind);
	buf_free(&body);
	user_record_free(&u);
	return ok ? 1 : -1;
}
