/*
 * page_orgs.h — the HTML pages of organisations and their members
 * (page_orgs.c), faces of orgs/org_actions.c.
 */
#ifndef KHIBRA_PAGE_ORGS_H
#define KHIBRA_PAGE_ORGS_H

#include "http/request.h"

void page_org_new_form(request *r);        /* GET  /orgs/new */
void page_org_new(request *r);             /* POST /orgs/new */
void page_org(request *r);                 /* GET  /orgs/{id} */
void page_org_edit_form(request *r);       /* GET  /orgs/{id}/edit */
void page_org_edit(request *r);            /* POST /orgs/{id}/edit */
void page_org_logo(request *r);            /* POST /orgs/{id}/logo */
void page_org_logo_file(request *r);       /* GET  /orgs/{id}/logo.png */
void page_org_member_add(request *r);      /* POST /orgs/{id}/members */
void page_org_member_remove(request *r);   /* POST /orgs/{id}/members/{user_id}/remove (or leave) */
void page_org_member_role(request *r);     /* POST /orgs/{id}/members/{user_id}/role */
void page_org_invitation_cancel(request *r); /* POST /orgs/{id}/invitations/cancel (invitation_id) */
void page_invitation_form(request *r);     /* GET  /invitations/accept?token= */
void page_invitation_accept(request *r);   /* POST /invitations/accept */
void page_my_invitations(request *r);      /* GET  /invitations */
void page_my_invitation_accept(request *r);  /* POST /invitations/{id}/accept */
void page_my_invitation_decline(request *r); /* POST /invitations/{id}/decline */

#endif
