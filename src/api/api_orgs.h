/*
 * api_orgs.h — organisations and their members over JSON (api_orgs.c).
 * The work is done by orgs/org_actions.c, shared with the HTML pages.
 */
#ifndef KHIBRA_API_ORGS_H
#define KHIBRA_API_ORGS_H

#include "http/request.h"

void api_org_create(request *r);        /* POST   /orgs */
void api_org_get(request *r);           /* GET    /orgs/{id} */
void api_org_update(request *r);        /* PATCH  /orgs/{id} */
void api_org_logo(request *r);          /* POST   /orgs/{id}/logo (multipart) */
void api_org_members(request *r);       /* GET    /orgs/{id}/members */
void api_org_member_add(request *r);    /* POST   /orgs/{id}/members */
void api_org_member_remove(request *r); /* DELETE /orgs/{id}/members/{user_id} */
void api_org_member_role(request *r);   /* PATCH  /orgs/{id}/members/{user_id} */
void api_org_invitations(request *r);   /* GET    /orgs/{id}/invitations */
void api_org_invitation_cancel(request *r); /* POST /orgs/{id}/invitations/cancel {invitation_id} */
void api_invitation_accept(request *r); /* POST   /invitations/accept */
void api_my_invitations(request *r);    /* GET    /me/invitations */
void api_my_invitation_accept(request *r);  /* POST /me/invitations/{id}/accept */
void api_my_invitation_decline(request *r); /* POST /me/invitations/{id}/decline */
void api_my_orgs(request *r);           /* GET    /me/orgs */

#endif
