'use strict';
/*
 * pages.js — every page the accessibility, weight, HTML-validity and
 * phone-width checks visit (pages.test.js), each in Arabic and in English.
 *
 *   { name, path, login?, status? }
 *   name    unique, used in test names
 *   path    a path, or an async function (as) => path for pages whose id
 *           must be looked up: `await as(role)` is an APIRequestContext
 *           logged in as that demo user (the look-up only; the page is
 *           still visited as `login` says)
 *   login   a role of lib.js DEMO_USERS ('specialist', 'beneficiary',
 *           'organisation', 'moderator', 'admin'): visit logged in as that
 *           demo user (needs `khibra demo` data); absent: as a visitor
 *   status  the expected HTTP status (default 200)
 *
 * A new page is one line here.
 */

/* meId: the logged-in user's id (GET /api/v1/me). */
async function meId(request)
{
	const res = await request.get('/api/v1/me');
	return (await res.json()).user.id;
}

/* publicSpecialist: the demo specialist's id, after giving her a public
 * profile if she has never saved one (idempotent). */
async function publicSpecialist(request)
{
	const mine = await (await request.get('/api/v1/me/profile')).json();
	if (!mine.profile || !mine.profile.headline) {
		const res = await request.put('/api/v1/me/profile', { data: {
			headline: 'طبيبة أسرة', bio: 'استشارات طبية عامة عن بعد.', public: true,
			languages: ['ar', 'en'], remote: true } });
		if (!res.ok())
			throw new Error(`saving a profile: ${res.status()} ${await res.text()}`);
	}
	return meId(request);
}

/* firstOrg: the id of the first organisation the logged-in user belongs to. */
async function firstOrg(request)
{
	const res = await request.get('/api/v1/me/orgs');
	return (await res.json()).items[0].id;
}

/* firstOpportunity: the id of the first open opportunity in the public list. */
async function firstOpportunity(request)
{
	const res = await request.get('/api/v1/opportunities?limit=1');
	return (await res.json()).items[0].id;
}

/* orgOpportunity: the id of the first opportunity of the logged-in member's organisation. */
async function orgOpportunity(request)
{
	const org = await firstOrg(request);
	const res = await request.get(`/api/v1/orgs/${org}/opportunities`);
	return (await res.json()).items[0].id;
}

/* firstRequest: the id of the logged-in beneficiary's newest help request
 * (the demo beneficiary's is sent to the demo coordinator's organisation). */
async function firstRequest(request)
{
	const res = await request.get('/api/v1/me/requests');
	return (await res.json()).items[0].id;
}

/* firstApplication: the id of the logged-in specialist's newest application. */
async function firstApplication(request)
{
	const res = await request.get('/api/v1/me/applications');
	return (await res.json()).items[0].id;
}

/* invitedSpecialist: `/invitations` after the demo coordinator (as the
 * owner of their first organisation) has invited the demo specialist as
 * coordinator, so that the page shows an invitation with its forms.  The
 * invitation is only ever open (never accepted here); inviting again is
 * harmless. */
async function invitedSpecialist(request)
{
	const org = await firstOrg(request);
	const res = await request.post(`/api/v1/orgs/${org}/members`, { data: { email: 'dr.sara@khibra.local', role: 'coordinator' } });
	if (res.status() !== 202)
		throw new Error(`inviting the demo specialist: ${res.status()} ${await res.text()}`);
	return '/invitations';
}

module.exports = [
	/* visitors */
	{ name: 'home', path: '/' },
	{ name: 'about', path: '/about' },
	{ name: 'privacy', path: '/privacy' },
	{ name: 'login', path: '/login' },
	{ name: 'register', path: '/register' },
	{ name: 'register-organisation', path: '/register?role=organisation' },
	{ name: 'forgot-password', path: '/forgot-password' },
	{ name: 'reset-password', path: '/reset-password?token=not-a-token' },
	{ name: 'verify-email', path: '/verify-email?token=not-a-token' },
	{ name: 'skills', path: '/skills' },
	{ name: 'not-found', path: '/no-such-page', status: 404 },
	{ name: 'specialist-public', path: async (as) => `/specialists/${await publicSpecialist(await as('specialist'))}` },
	{ name: 'org-public', path: async (as) => `/orgs/${await firstOrg(await as('organisation'))}` },
	{ name: 'opportunities', path: '/opportunities' },
	{ name: 'opportunities-health', path: '/opportunities?domain=health' },
	{ name: 'opportunity', path: async (as) => `/opportunities/${await firstOpportunity(await as('specialist'))}` },
	{ name: 'help', path: '/help' },

	/* logged in */
	{ name: 'home', path: '/', login: 'specialist' },
	{ name: 'account', path: '/account', login: 'specialist' },
	{ name: 'dashboard', path: '/dashboard', login: 'specialist' },
	{ name: 'dashboard', path: '/dashboard', login: 'beneficiary' },
	{ name: 'dashboard', path: '/dashboard', login: 'organisation' },
	{ name: 'dashboard', path: '/dashboard', login: 'moderator' },
	{ name: 'profile', path: '/profile', login: 'specialist' },
	{ name: 'credentials', path: '/credentials', login: 'specialist' },
	{ name: 'notifications', path: '/notifications', login: 'specialist' },
	{ name: 'invitations', path: async (as) => invitedSpecialist(await as('organisation')), login: 'specialist' },
	{ name: 'invitations-none', path: '/invitations', login: 'beneficiary' },
	{ name: 'org-new', path: '/orgs/new', login: 'organisation' },
	{ name: 'org-public', path: async (as) => `/orgs/${await firstOrg(await as('organisation'))}`, login: 'organisation' },
	{ name: 'org-edit', path: async (as) => `/orgs/${await firstOrg(await as('organisation'))}/edit`, login: 'organisation' },
	{ name: 'opportunity-apply', path: async (as) => `/opportunities/${await firstOpportunity(await as('specialist'))}/apply`, login: 'specialist' },
	{ name: 'my-applications', path: '/me/applications', login: 'specialist' },
	{ name: 'calendar', path: '/calendar', login: 'specialist' },
	{ name: 'help-form', path: '/help', login: 'beneficiary' },
	{ name: 'my-requests', path: '/me/requests', login: 'beneficiary' },
	{ name: 'help-request', path: async (as) => `/requests/${await firstRequest(await as('beneficiary'))}`, login: 'beneficiary' },
	{ name: 'help-request-triage', path: async (as) => `/requests/${await firstRequest(await as('beneficiary'))}`, login: 'organisation' },
	{ name: 'opportunity-new', path: async (as) => `/orgs/${await firstOrg(await as('organisation'))}/opportunities/new`, login: 'organisation' },
	{ name: 'opportunity-manage', path: async (as) => `/opportunities/${await orgOpportunity(await as('organisation'))}`, login: 'organisation' },
	{ name: 'applicants', path: async (as) => `/opportunities/${await orgOpportunity(await as('organisation'))}/applicants`, login: 'organisation' },
	{ name: 'org-requests', path: async (as) => `/orgs/${await firstOrg(await as('organisation'))}/requests`, login: 'organisation' },
	{ name: 'moderation', path: '/moderation', login: 'moderator' },
	{ name: 'moderation-audit', path: '/moderation/audit', login: 'moderator' },
	{ name: 'moderation-audit-org', path: '/moderation/audit?action=org.', login: 'moderator' },
	{ name: 'moderation-decisions', path: '/moderation/decisions', login: 'moderator' },
	{ name: 'moderation-access-log', path: '/moderation/access-log', login: 'moderator' },
	{ name: 'messages', path: '/messages', login: 'specialist' },
	{ name: 'application-thread', path: async (as) => `/applications/${await firstApplication(await as('specialist'))}`, login: 'specialist' },
	{ name: 'account-delete', path: '/account/delete', login: 'specialist' },
];
