/*
 * routes.c — the route table: every endpoint of Khibra, who may call it, and
 * the matcher.  Reading this table is reading the site's access rules.
 * Deny by default: the dispatcher refuses any route whose access level is
 * ACCESS_NONE, and any path not listed here is a 404.
 */
#include "http/route.h"
#include "api/api.h"
#include "api/api_accounts.h"
#include "api/api_applications.h"
#include "api/api_calendar.h"
#include "api/api_help.h"
#include "api/api_help_triage.h"
#include "api/api_messages.h"
#include "api/api_moderation.h"
#include "api/api_opportunities.h"
#include "api/api_orgs.h"
#include "api/api_privacy.h"
#include "api/api_profiles.h"
#include "api/api_taxonomy.h"
#include "http/service.h"
#include "web/page_account.h"
#include "web/page_applications.h"
#include "web/page_calendar.h"
#include "web/page_help.h"
#include "web/page_help_triage.h"
#include "web/page_messages.h"
#include "web/page_moderation.h"
#include "web/page_opportunities.h"
#include "web/page_orgs.h"
#include "web/page_privacy_rights.h"
#include "web/page_profiles.h"
#include "web/page_taxonomy.h"
#include "web/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define API "/api/v1"

const struct route routes[] = {
	/* service */
	{ "GET", "/healthz", service_healthz, ACCESS_PUBLIC, ROUTE_NO_BODY, "Liveness and database check" },
	{ "GET", "/metrics", service_metrics, ACCESS_PUBLIC, ROUTE_NO_BODY | ROUTE_NO_SESSION, "Prometheus metrics: loopback callers, or Bearer KHIBRA_METRICS_TOKEN" },
	{ "GET", "/static/", service_static, ACCESS_PUBLIC, ROUTE_NO_BODY | ROUTE_PREFIX, "Static assets" },

	/* pages */
	{ "GET", "/", page_home, ACCESS_PUBLIC, ROUTE_PAGE, "Home" },
	{ "GET", "/about", page_about, ACCESS_PUBLIC, ROUTE_PAGE, "About the platform" },
	{ "GET", "/privacy", page_privacy, ACCESS_PUBLIC, ROUTE_PAGE, "Privacy notice" },
	{ "GET", "/login", page_login_form, ACCESS_PUBLIC, ROUTE_PAGE, "Log-in form" },
	{ "POST", "/login", page_login, ACCESS_PUBLIC, ROUTE_PAGE, "Log in" },
	{ "GET", "/register", page_register_form, ACCESS_PUBLIC, ROUTE_PAGE, "Registration form" },
	{ "POST", "/register", page_register, ACCESS_PUBLIC, ROUTE_PAGE, "Register" },
	{ "POST", "/logout", page_logout, ACCESS_USER, ROUTE_PAGE, "Log out" },
	{ "GET", "/forgot-password", page_forgot_form, ACCESS_PUBLIC, ROUTE_PAGE, "Ask for a reset link" },
	{ "POST", "/forgot-password", page_forgot, ACCESS_PUBLIC, ROUTE_PAGE, "Send a reset link" },
	{ "GET", "/reset-password", page_reset_form, ACCESS_PUBLIC, ROUTE_PAGE, "New-password form" },
	{ "POST", "/reset-password", page_reset, ACCESS_PUBLIC, ROUTE_PAGE, "Set a new password" },
	{ "GET", "/verify-email", page_verify_form, ACCESS_PUBLIC, ROUTE_PAGE, "Confirm an e-mail address" },
	{ "POST", "/verify-email", page_verify, ACCESS_PUBLIC, ROUTE_PAGE, "Confirm an e-mail address" },
	{ "GET", "/account", page_account, ACCESS_USER, ROUTE_PAGE, "My account" },
	{ "GET", "/dashboard", page_dashboard, ACCESS_USER, ROUTE_PAGE, "Dashboard" },
	{ "POST", "/account/tokens", page_token_create, ACCESS_USER, ROUTE_PAGE, "Create an API token" },
	{ "POST", "/account/tokens/{id}/revoke", page_token_revoke, ACCESS_USER, ROUTE_PAGE, "Revoke an API token" },
	{ "GET", "/account/export", page_me_export, ACCESS_USER, ROUTE_PAGE | ROUTE_NO_BODY, "Download my data" },
	{ "POST", "/account/sessions/{id}/revoke", page_session_revoke, ACCESS_USER, ROUTE_PAGE, "End one of my sessions" },
	{ "POST", "/account/verify-email", page_resend_verification, ACCESS_USER, ROUTE_PAGE, "Resend the confirmation e-mail" },
	{ "POST", "/account/language", page_account_language, ACCESS_USER, ROUTE_PAGE, "Save my language" },

	/* JSON API */
	{ "GET", API "/openapi.json", api_openapi, ACCESS_PUBLIC, ROUTE_API | ROUTE_NO_BODY, "This document" },
	{ "POST", API "/auth/register", api_register, ACCESS_PUBLIC, ROUTE_API, "Create an account" },
	{ "POST", API "/auth/login", api_login, ACCESS_PUBLIC, ROUTE_API, "Log in; sets the session cookie" },
	{ "POST", API "/auth/logout", api_logout, ACCESS_USER, ROUTE_API, "End the current session" },
	{ "POST", API "/auth/verify-email", api_verify_email, ACCESS_PUBLIC, ROUTE_API, "Confirm an e-mail address with the mailed token" },
	{ "POST", API "/auth/password-reset", api_password_reset, ACCESS_PUBLIC, ROUTE_API, "E-mail a password-reset link" },
	{ "POST", API "/auth/password-reset/confirm", api_password_reset_confirm, ACCESS_PUBLIC, ROUTE_API, "Set a new password with the mailed token" },
	{ "GET", API "/me", api_me, ACCESS_USER, ROUTE_API | ROUTE_NO_BODY, "Who am I" },
	{ "PATCH", API "/me", api_me_update, ACCESS_USER, ROUTE_API, "Change my settings (locale)" },
	{ "GET", API "/me/export", api_me_export, ACCESS_USER, ROUTE_API | ROUTE_NO_BODY, "Everything Khibra holds about me" },
	{ "GET", API "/me/sessions", api_sessions_list, ACCESS_USER, ROUTE_API | ROUTE_NO_BODY, "My open sessions" },
	{ "DELETE", API "/me/sessions/{id}", api_session_revoke, ACCESS_USER, ROUTE_API, "End one of my sessions" },
	{ "GET", API "/me/tokens", api_tokens_list, ACCESS_USER, ROUTE_API | ROUTE_NO_BODY, "My API tokens" },
	{ "POST", API "/tokens", api_token_create, ACCESS_USER, ROUTE_API, "Create an API token" },
	{ "DELETE", API "/tokens/{id}", api_token_revoke, ACCESS_USER, ROUTE_API, "Revoke an API token" },

	/* taxonomy: skills, professions, cities */
	{ "GET", API "/skills", api_skills_list, ACCESS_PUBLIC, ROUTE_API | ROUTE_NO_BODY, "Every skill, by domain (?domain=)" },
	{ "GET", API "/professions", api_professions_list, ACCESS_PUBLIC, ROUTE_API | ROUTE_NO_BODY, "Professions and their typical skills (?domain=)" },
	{ "GET", API "/cities", api_cities_list, ACCESS_PUBLIC, ROUTE_API | ROUTE_NO_BODY, "Cities with coordinates" },
	{ "GET", "/skills", page_skills, ACCESS_PUBLIC, ROUTE_PAGE, "Skills and professions by domain" },
	/* end of taxonomy */

	/* specialist profiles */
	{ "GET", "/profile", page_profile_form, ACCESS_USER, ROUTE_PAGE, "My specialist profile (form)" },
	{ "POST", "/profile", page_profile_save, ACCESS_USER, ROUTE_PAGE, "Save my specialist profile" },
	{ "GET", "/specialists/{id}", page_specialist, ACCESS_PUBLIC, ROUTE_PAGE, "A specialist's public profile" },
	{ "GET", API "/me/profile", api_profile_get, ACCESS_USER, ROUTE_API | ROUTE_NO_BODY, "My specialist profile" },
	{ "PUT", API "/me/profile", api_profile_put, ACCESS_USER, ROUTE_API, "Save my specialist profile" },
	{ "GET", API "/specialists/{id}", api_specialist_get, ACCESS_PUBLIC, ROUTE_API | ROUTE_NO_BODY, "A specialist's public profile" },
	/* end of specialist profiles */

	/* organisations and members */
	{ "GET", "/orgs/new", page_org_new_form, ACCESS_USER, ROUTE_PAGE, "Form to register an organisation" },
	{ "POST", "/orgs/new", page_org_new, ACCESS_USER, ROUTE_PAGE, "Register an organisation" },
	{ "GET", "/orgs/{id}", page_org, ACCESS_PUBLIC, ROUTE_PAGE, "Organisation page" },
	{ "GET", "/orgs/{id}/edit", page_org_edit_form, ACCESS_USER, ROUTE_PAGE, "Form to edit an organisation" },
	{ "POST", "/orgs/{id}/edit", page_org_edit, ACCESS_USER, ROUTE_PAGE, "Edit an organisation" },
	{ "POST", "/orgs/{id}/logo", page_org_logo, ACCESS_USER, ROUTE_PAGE | ROUTE_UPLOAD, "Upload the organisation's logo" },
	{ "GET", "/orgs/{id}/logo.png", page_org_logo_file, ACCESS_PUBLIC, ROUTE_PAGE, "The organisation's logo (re-encoded PNG)" },
	{ "POST", "/orgs/{id}/members", page_org_member_add, ACCESS_USER, ROUTE_PAGE, "Invite a member by e-mail" },
	{ "POST", "/orgs/{id}/members/{user_id}/remove", page_org_member_remove, ACCESS_USER, ROUTE_PAGE, "Remove a member, or leave (oneself)" },
	{ "POST", "/orgs/{id}/members/{user_id}/role", page_org_member_role, ACCESS_USER, ROUTE_PAGE, "Change a member's role (owners)" },
	{ "POST", "/orgs/{id}/invitations/cancel", page_org_invitation_cancel, ACCESS_USER, ROUTE_PAGE, "Withdraw an invitation (owners)" },
	{ "GET", "/invitations", page_my_invitations, ACCESS_USER, ROUTE_PAGE, "My invitations to organisations" },
	{ "POST", "/invitations/{id}/accept", page_my_invitation_accept, ACCESS_USER, ROUTE_PAGE, "Accept one of my invitations" },
	{ "POST", "/invitations/{id}/decline", page_my_invitation_decline, ACCESS_USER, ROUTE_PAGE, "Decline one of my invitations" },
	{ "GET", "/invitations/accept", page_invitation_form, ACCESS_PUBLIC, ROUTE_PAGE, "An invitation to join an organisation" },
	{ "POST", "/invitations/accept", page_invitation_accept, ACCESS_USER, ROUTE_PAGE, "Accept an invitation" },
	{ "POST", API "/orgs", api_org_create, ACCESS_USER, ROUTE_API, "Register an organisation; the caller becomes its owner" },
	{ "GET", API "/orgs/{id}", api_org_get, ACCESS_PUBLIC, ROUTE_API | ROUTE_NO_BODY, "An organisation (members only for its people and moderators)" },
	{ "PATCH", API "/orgs/{id}", api_org_update, ACCESS_USER, ROUTE_API, "Edit an organisation (owners and coordinators)" },
	{ "POST", API "/orgs/{id}/logo", api_org_logo, ACCESS_USER, ROUTE_API | ROUTE_UPLOAD, "Upload the organisation's logo (multipart; owners and coordinators)" },
	{ "GET", API "/orgs/{id}/members", api_org_members, ACCESS_USER, ROUTE_API | ROUTE_NO_BODY, "Members of an organisation" },
	{ "POST", API "/orgs/{id}/members", api_org_member_add, ACCESS_USER, ROUTE_API, "Invite a member by e-mail (202, the same for every address)" },
	{ "DELETE", API "/orgs/{id}/members/{user_id}", api_org_member_remove, ACCESS_USER, ROUTE_API, "Remove a member, or leave with one's own id (never the last owner)" },
	{ "PATCH", API "/orgs/{id}/members/{user_id}", api_org_member_role, ACCESS_USER, ROUTE_API, "Change a member's role (owners; never the last owner)" },
	{ "GET", API "/orgs/{id}/invitations", api_org_invitations, ACCESS_USER, ROUTE_API | ROUTE_NO_BODY, "Open invitations of an organisation (owners)" },
	{ "POST", API "/orgs/{id}/invitations/cancel", api_org_invitation_cancel, ACCESS_USER, ROUTE_API, "Withdraw an invitation (owners)" },
	{ "GET", API "/me/invitations", api_my_invitations, ACCESS_USER, ROUTE_API | ROUTE_NO_BODY, "My open invitations to organisations" },
	{ "POST", API "/me/invitations/{id}/accept", api_my_invitation_accept, ACCESS_USER, ROUTE_API, "Accept one of my invitations (confirmed address)" },
	{ "POST", API "/me/invitations/{id}/decline", api_my_invitation_decline, ACCESS_USER, ROUTE_API, "Decline one of my invitations (confirmed address)" },
	{ "POST", API "/invitations/accept", api_invitation_accept, ACCESS_USER, ROUTE_API, "Accept an invitation to an organisation" },
	{ "GET", API "/me/orgs", api_my_orgs, ACCESS_USER, ROUTE_API | ROUTE_NO_BODY, "My organisations" },
	/* end of organisations and members */

	/* credentials, moderation, notifications */
	{ "GET", "/credentials", page_credentials, ACCESS_USER, ROUTE_PAGE, "My credentials and the upload form" },
	{ "POST", "/credentials", page_credential_upload, ACCESS_USER, ROUTE_PAGE | ROUTE_UPLOAD, "Upload a credential" },
	{ "GET", "/credentials/{id}/file", page_credential_file, ACCESS_USER, ROUTE_PAGE | ROUTE_NO_BODY, "A credential's file (owner and moderators)" },
	{ "GET", "/notifications", page_notifications, ACCESS_USER, ROUTE_PAGE, "My notifications" },
	{ "POST", "/notifications/read", page_notifications_read, ACCESS_USER, ROUTE_PAGE, "Mark all my notifications read" },
	{ "GET", "/moderation", page_moderation, ACCESS_MODERATOR, ROUTE_PAGE, "Moderation queues" },
	{ "POST", "/moderation/credentials/{id}", page_moderation_credential, ACCESS_MODERATOR, ROUTE_PAGE, "Approve or reject a credential" },
	{ "POST", "/moderation/orgs/{id}", page_moderation_org, ACCESS_MODERATOR, ROUTE_PAGE, "Verify or reject an organisation" },
	{ "GET", "/moderation/audit", page_moderation_audit, ACCESS_MODERATOR, ROUTE_PAGE, "Audit log" },
	{ "GET", "/moderation/decisions", page_moderation_decisions, ACCESS_MODERATOR, ROUTE_PAGE, "Recent decisions, each latest one reversible" },
	{ "POST", API "/me/credentials", api_credential_upload, ACCESS_USER, ROUTE_API | ROUTE_UPLOAD, "Upload a credential (multipart)" },
	{ "GET", API "/me/credentials", api_credentials_mine, ACCESS_USER, ROUTE_API | ROUTE_NO_BODY, "My credentials" },
	{ "GET", API "/me/notifications", api_notifications, ACCESS_USER, ROUTE_API | ROUTE_NO_BODY, "My notifications, newest first" },
	{ "POST", API "/me/notifications/read", api_notifications_read, ACCESS_USER, ROUTE_API, "Mark notifications read" },
	{ "GET", API "/admin/credentials", api_admin_credentials, ACCESS_MODERATOR, ROUTE_API | ROUTE_NO_BODY, "Credentials by status (moderators)" },
	{ "POST", API "/admin/credentials/{id}/verify", api_admin_credential_verify, ACCESS_MODERATOR, ROUTE_API, "Approve or reject a credential" },
	{ "GET", API "/admin/orgs", api_admin_orgs, ACCESS_MODERATOR, ROUTE_API | ROUTE_NO_BODY, "Organisations by status (moderators)" },
	{ "POST", API "/admin/orgs/{id}/verify", api_admin_org_verify, ACCESS_MODERATOR, ROUTE_API, "Verify or reject an organisation" },
	{ "GET", API "/admin/audit", api_admin_audit, ACCESS_MODERATOR, ROUTE_API | ROUTE_NO_BODY, "The audit log, newest first" },
	/* end of credentials, moderation, notifications */

	/* opportunities and shifts */
	{ "GET", "/opportunities", page_opportunities, ACCESS_PUBLIC, ROUTE_PAGE, "Search opportunities" },
	{ "GET", "/opportunities/{id}", page_opportunity, ACCESS_PUBLIC, ROUTE_PAGE, "An opportunity (drafts for its organisation only)" },
	{ "GET", "/opportunities/{id}/edit", page_opportunity_edit_form, ACCESS_USER, ROUTE_PAGE, "Form to edit an opportunity" },
	{ "POST", "/opportunities/{id}/edit", page_opportunity_edit, ACCESS_USER, ROUTE_PAGE, "Edit an opportunity" },
	{ "POST", "/opportunities/{id}/publish", page_opportunity_publish, ACCESS_USER, ROUTE_PAGE, "Publish or reopen an opportunity" },
	{ "POST", "/opportunities/{id}/close", page_opportunity_close, ACCESS_USER, ROUTE_PAGE, "Close an opportunity" },
	{ "POST", "/opportunities/{id}/complete", page_opportunity_complete, ACCESS_USER, ROUTE_PAGE, "Mark an opportunity completed" },
	{ "POST", "/opportunities/{id}/cancel", page_opportunity_cancel, ACCESS_USER, ROUTE_PAGE, "Cancel an opportunity" },
	{ "GET", "/orgs/{id}/opportunities/new", page_opportunity_new_form, ACCESS_USER, ROUTE_PAGE, "Form for a new opportunity" },
	{ "POST", "/orgs/{id}/opportunities/new", page_opportunity_new, ACCESS_USER, ROUTE_PAGE, "Create an opportunity (draft)" },
	{ "POST", API "/orgs/{id}/opportunities", api_opportunity_create, ACCESS_USER, ROUTE_API, "Create an opportunity (draft); owners and coordinators" },
	{ "GET", API "/orgs/{id}/opportunities", api_org_opportunities, ACCESS_PUBLIC, ROUTE_API | ROUTE_NO_BODY, "An organisation's opportunities (drafts for its members)" },
	{ "GET", API "/opportunities", api_opportunities_list, ACCESS_PUBLIC, ROUTE_API | ROUTE_NO_BODY, "Search open opportunities" },
	{ "GET", API "/opportunities/{id}", api_opportunity_get, ACCESS_PUBLIC, ROUTE_API | ROUTE_NO_BODY, "An opportunity with its shifts" },
	{ "PATCH", API "/opportunities/{id}", api_opportunity_update, ACCESS_USER, ROUTE_API, "Edit an opportunity (its organisation only)" },
	{ "POST", API "/opportunities/{id}/publish", api_opportunity_publish, ACCESS_USER, ROUTE_API, "Publish or reopen (verified organisations only)" },
	{ "POST", API "/opportunities/{id}/close", api_opportunity_close, ACCESS_USER, ROUTE_API, "Close to new applications" },
	{ "POST", API "/opportunities/{id}/complete", api_opportunity_complete, ACCESS_USER, ROUTE_API, "Mark completed" },
	{ "POST", API "/opportunities/{id}/cancel", api_opportunity_cancel, ACCESS_USER, ROUTE_API, "Cancel; open applications become cancelled and their people are notified" },
	/* end of opportunities and shifts */

	/* applications and booking */
	{ "GET", "/me/applications", page_my_applications, ACCESS_USER, ROUTE_PAGE, "My applications" },
	{ "GET", "/opportunities/{id}/applicants", page_applicants, ACCESS_USER, ROUTE_PAGE, "An opportunity's applicants per shift (its organisation)" },
	{ "GET", "/opportunities/{id}/apply", page_apply_form, ACCESS_USER, ROUTE_PAGE, "Form to apply to an opportunity" },
	{ "POST", "/opportunities/{id}/apply", page_apply, ACCESS_USER, ROUTE_PAGE, "Apply to an opportunity" },
	/* messages: before {action}, which would take …/messages */
	{ "POST", "/applications/{id}/messages", page_application_message_post, ACCESS_USER, ROUTE_PAGE, "Send a message in an application's thread" },
	{ "POST", "/applications/{id}/{action}", page_application_act, ACCESS_USER, ROUTE_PAGE, "Move an application (accept, decline, withdraw, …)" },
	{ "POST", API "/opportunities/{id}/applications", api_application_create, ACCESS_USER, ROUTE_API, "Apply to an open opportunity" },
	{ "POST", API "/opportunities/{id}/invitations", api_invitation_create, ACCESS_USER, ROUTE_API, "Invite a specialist (the organisation's members)" },
	{ "GET", API "/opportunities/{id}/applications", api_opportunity_applications, ACCESS_USER, ROUTE_API | ROUTE_NO_BODY, "An opportunity's applications (its organisation's members)" },
	{ "GET", API "/me/applications", api_my_applications, ACCESS_USER, ROUTE_API | ROUTE_NO_BODY, "My applications" },
	{ "POST", API "/applications/{id}/accept", api_application_accept, ACCESS_USER, ROUTE_API, "Accept an application, or confirm an invitation or offered place" },
	{ "POST", API "/applications/{id}/decline", api_application_decline, ACCESS_USER, ROUTE_API, "Decline an application, an invitation or an offered place" },
	{ "POST", API "/applications/{id}/withdraw", api_application_withdraw, ACCESS_USER, ROUTE_API, "Withdraw my application (frees an accepted place)" },
	{ "POST", API "/applications/{id}/waitlist", api_application_waitlist, ACCESS_USER, ROUTE_API, "Put an application on the shift's waiting list" },
	{ "POST", API "/applications/{id}/complete", api_application_complete, ACCESS_USER, ROUTE_API, "Mark an accepted application completed" },
	{ "POST", API "/applications/{id}/no-show", api_application_no_show, ACCESS_USER, ROUTE_API, "Mark an accepted specialist as not attended" },
	{ "POST", API "/applications/{id}/contest", api_application_contest, ACCESS_USER, ROUTE_API, "Contest a no-show with my account" },
	{ "POST", API "/applications/{id}/checkin", api_application_checkin, ACCESS_USER, ROUTE_API, "Check an accepted specialist in at the event" },
	/* end of applications and booking */

	/* calendar */
	{ "GET", "/calendar", page_calendar, ACCESS_USER, ROUTE_PAGE, "My calendar: a month of shifts and sessions" },
	{ "POST", "/calendar/feed", page_calendar_feed, ACCESS_USER, ROUTE_PAGE, "Make or replace my private calendar link" },
	{ "POST", "/calendar/feed/revoke", page_calendar_feed_revoke, ACCESS_USER, ROUTE_PAGE, "Stop my private calendar link" },
	{ "GET", "/calendar/{file}", page_calendar_ics, ACCESS_PUBLIC, ROUTE_PAGE | ROUTE_NO_BODY, "My private iCalendar feed (/calendar/TOKEN.ics)" },
	{ "GET", API "/me/calendar", api_calendar_get, ACCESS_USER, ROUTE_API | ROUTE_NO_BODY, "My shifts and sessions (?from=&to=)" },
	{ "POST", API "/me/calendar/feed", api_calendar_feed_create, ACCESS_USER, ROUTE_API, "Make or replace my private iCalendar feed" },
	{ "DELETE", API "/me/calendar/feed", api_calendar_feed_delete, ACCESS_USER, ROUTE_API, "Stop my private iCalendar feed" },
	/* end of calendar */

	/* privacy */
	{ "GET", "/account/delete", page_account_delete_form, ACCESS_USER, ROUTE_PAGE, "Form to delete my account" },
	{ "POST", "/account/delete", page_account_delete, ACCESS_USER, ROUTE_PAGE, "Delete my account (password and confirmation)" },
	{ "GET", "/moderation/access-log", page_moderation_access_log, ACCESS_MODERATOR, ROUTE_PAGE, "Who read which private help request" },
	{ "DELETE", API "/me", api_me_delete, ACCESS_USER, ROUTE_API, "Erase my account (password); certificates stay valid" },
	{ "GET", API "/admin/access-log", api_admin_access_log, ACCESS_MODERATOR, ROUTE_API | ROUTE_NO_BODY, "Every read of private help-request details, newest first" },
	/* end of privacy */

	/* messages */
	{ "GET", "/messages", page_messages, ACCESS_USER, ROUTE_PAGE | ROUTE_NO_BODY, "My conversations with unread counts" },
	{ "GET", "/applications/{id}", page_application_thread, ACCESS_USER, ROUTE_PAGE | ROUTE_NO_BODY, "An application with its messages (the applicant and the organisation)" },
	{ "POST", "/requests/{id}/messages", page_request_message_post, ACCESS_USER, ROUTE_PAGE, "Send a message in a help request's thread" },
	{ "GET", API "/applications/{id}/messages", api_application_messages, ACCESS_USER, ROUTE_API | ROUTE_NO_BODY, "An application's messages, oldest first (marks them read)" },
	{ "POST", API "/applications/{id}/messages", api_application_message_post, ACCESS_USER, ROUTE_API, "Send a message to the other side of an application" },
	{ "GET", API "/requests/{id}/messages", api_request_messages, ACCESS_USER, ROUTE_API | ROUTE_NO_BODY, "A help request's messages (its circle only; sealed at rest)" },
	{ "POST", API "/requests/{id}/messages", api_request_message_post, ACCESS_USER, ROUTE_API, "Send a message in a help request's thread" },
	{ "GET", API "/me/messages", api_my_messages, ACCESS_USER, ROUTE_API | ROUTE_NO_BODY, "My threads with unread counts, most recent first" },
	/* end of messages */

	/* help requests */
	{ "GET", "/help", page_help_form, ACCESS_PUBLIC, ROUTE_PAGE, "Ask for help (form)" },
	{ "POST", "/help", page_help_submit, ACCESS_USER, ROUTE_PAGE, "Send a help request" },
	{ "GET", "/requests/{id}", page_help_request, ACCESS_USER, ROUTE_PAGE, "A help request (its circle only)" },
	{ "POST", "/requests/{id}/assign", page_help_assign, ACCESS_USER, ROUTE_PAGE, "Assign a specialist to a help request" },
	{ "POST", "/requests/{id}/book", page_help_book, ACCESS_USER, ROUTE_PAGE, "Book a session for a help request" },
	{ "POST", "/requests/{id}/resolve", page_help_resolve, ACCESS_USER, ROUTE_PAGE, "Mark a help request resolved" },
	{ "POST", "/requests/{id}/rate", page_help_rate, ACCESS_USER, ROUTE_PAGE, "Rate the help received" },
	{ "GET", "/me/requests", page_help_mine, ACCESS_USER, ROUTE_PAGE, "My help requests and those assigned to me" },
	{ "GET", "/orgs/{id}/requests", page_help_org_queue, ACCESS_USER, ROUTE_PAGE, "An organisation's triage queue" },
	{ "POST", API "/requests", api_help_create, ACCESS_USER, ROUTE_API, "Ask for help; the details are sealed" },
	{ "GET", API "/requests/{id}", api_help_get, ACCESS_USER, ROUTE_API | ROUTE_NO_BODY, "A help request with its details (its circle only; the read is logged)" },
	{ "POST", API "/requests/{id}/assign", api_help_assign, ACCESS_USER, ROUTE_API, "Assign a specialist (the organisation's members, moderators)" },
	{ "POST", API "/requests/{id}/book", api_help_book, ACCESS_USER, ROUTE_API, "Book a session in the specialist's availability" },
	{ "POST", API "/requests/{id}/resolve", api_help_resolve, ACCESS_USER, ROUTE_API, "Mark a help request resolved" },
	{ "POST", API "/requests/{id}/rate", api_help_rate, ACCESS_USER, ROUTE_API, "Rate a resolved request (the requester)" },
	{ "GET", API "/me/requests", api_help_mine, ACCESS_USER, ROUTE_API | ROUTE_NO_BODY, "My help requests (?as=specialist: assigned to me)" },
	{ "GET", API "/orgs/{id}/requests", api_help_org_queue, ACCESS_USER, ROUTE_API | ROUTE_NO_BODY, "An organisation's help requests (members)" },
	{ "GET", API "/admin/requests/{id}/access-log", api_help_access_log, ACCESS_MODERATOR, ROUTE_API | ROUTE_NO_BODY, "Who read a help request's details" },
	/* end of help requests */
	/* help triage */
	{ "POST", "/requests/{id}/triage", page_help_triage_post, ACCESS_USER, ROUTE_PAGE, "Mark a help request as reviewed (its organisation, moderators)" },
	{ "POST", "/requests/{id}/decline", page_help_decline_post, ACCESS_USER, ROUTE_PAGE, "Hand a help request back to the moderators (its organisation)" },
	{ "POST", "/requests/{id}/route", page_help_route_post, ACCESS_MODERATOR, ROUTE_PAGE, "Send a help request to a verified organisation" },
	{ "POST", API "/requests/{id}/triage", api_help_triage, ACCESS_USER, ROUTE_API, "Triage a help request: status triaged, urgency re-rated (its organisation, moderators)" },
	{ "POST", API "/requests/{id}/route", api_help_route, ACCESS_MODERATOR, ROUTE_API, "Route a help request to a verified organisation (moderators)" },
	{ "POST", API "/requests/{id}/decline", api_help_decline, ACCESS_USER, ROUTE_API, "Hand a help request back to the moderators (its organisation)" },
	{ "GET", API "/admin/requests", api_help_unrouted, ACCESS_MODERATOR, ROUTE_API | ROUTE_NO_BODY, "Help requests waiting for an organisation (no titles, no details)" },
	/* end of help triage */
};

const int routes_count = (int)(sizeof routes / sizeof routes[0]);

/* match_pattern: does `path` fit `pattern`?  {name} matches one non-empty
 * segment; the segment values go to r->params. */
static bool match_pattern(request *r, const char *pattern, const char *path, bool prefix)
{
	if (prefix)
		return strncmp(path, pattern, strlen(pattern)) == 0;
	int nparams = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			size_t seg = strcspn(s, "/");
			if (!close || seg == 0 || nparams >= LIMIT_ROUTE_PARAMS)
				break; /* the failure path below frees what was copied */
			if (r) {
				r->params[nparams] = strndup(s, seg);
			}
			nparams++;
			p = close + 1;
			s += seg;
			continue;
		}
		if (*p != *s)
			break;
		p++;
		s++;
	}
	bool ok = *p == '\0' && *s == '\0';
	if (r) {
		if (ok) {
			r->nparams = nparams;
		} else {
			for (int i = 0; i < nparams; i++) {
				free(r->params[i]);
				r->params[i] = NULL;
			}
		}
	}
	return ok;
}

const struct route *route_match(request *r, const char *method, const char *path, bool *method_mismatch)
{
	*method_mismatch = false;
	for (int i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		bool prefix = rt->flags & ROUTE_PREFIX;
		bool same_method = strcmp(rt->method, method) == 0 ||
				   (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0);
		if (!same_method) {
			if (match_pattern(NULL, rt->pattern, path, prefix))
				*method_mismatch = true;
			continue;
		}
		if (match_pattern(r, rt->pattern, path, prefix)) {
			*method_mismatch = false;
			return rt;
		}
	}
	return NULL;
}

void route_allowed_methods(const char *path, char *out, size_t outlen)
{
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		if (!match_pattern(NULL, rt->pattern, path, rt->flags & ROUTE_PREFIX) || strstr(out, rt->method))
			continue;
		int n = snprintf(out + len, outlen - len, "%s%s", len ? ", " : "", rt->method);
		if (n < 0 || (size_t)n >= outlen - len)
			break;
		len += (size_t)n;
	}
}
