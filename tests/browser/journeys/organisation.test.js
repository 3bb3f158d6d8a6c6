'use strict';
/*
 * organisation.test.js — an organisation runs a medical caravan, from
 * registering to checking a specialist in (issue 4, issue 5 item 1), in
 * Arabic and English, on a phone and a desktop, with JavaScript on and off.
 *
 *   1. a visitor registers as an organisation and registers the
 *      organisation (/orgs/new): it awaits verification;
 *   2. the demo moderator (a second browser) verifies it in /moderation
 *      (following the queue's "next" links if it is not on the first page);
 *   2b. the owner invites an existing account as coordinator; that person
 *      logs in, follows the notification to /invitations, confirms their
 *      e-mail address (needed to answer there), accepts,
 *      and manages the organisation; the owner sees them among the members;
 *   3. the owner posts a campaign with two shifts (dentist, nurse), sees it
 *      as a draft, publishes it;
 *   4. a fresh specialist (a third browser) applies to the dentist shift;
 *   5. the owner accepts the applicant on the applicants page and checks
 *      them in; the specialist sees "Accepted" in /me/applications.
 */
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { BASE_URL, journey, expectPage, submit, register, login, screenshot, tr, riyadh, newContext, apiRegister, mailLink,
	demoContext, userContext, expectNotice, expectNoTemplateText, findQueued, approveButton } = require('../lib.js');

const NAME = 'organisation';

journey(NAME, async (page, j) => {
	const t = (msgid) => tr(j.lang, msgid);
	const tag = crypto.randomBytes(3).toString('hex');
	const shotOf = (p, step) => screenshot(p, NAME, j, step);
	const others = [];
	try {
		/* 1. The owner registers, then registers the organisation. */
		await page.goto('/register?role=organisation');
		await expectPage(page, '/register', j.lang);
		await j.shot('register');
		await register(page, 'organisation', { email: j.unique('owner') });

		await page.goto('/dashboard');
		await submit(page, page.locator('main a[href="/orgs/new"]'));
		await expectPage(page, '/orgs/new', j.lang);
		await j.shot('org-form');
		const orgName = j.lang === 'ar' ? `جمعية القافلة الطبية ${tag}` : `Medical Caravan Society ${tag}`;
		await page.fill('#name', orgName);
		await page.selectOption('#kind', 'charity');
		await page.fill('#registration_no', `NCNP-${tag}`);
		await page.selectOption('#city', 'abha');
		await page.fill('#description', j.lang === 'ar'
			? 'جمعية تنظّم قوافل طبية إلى قرى عسير.' : 'We run medical caravans to the villages of Asir.');
		await submit(page, page.locator('main form[action="/orgs/new"] button[type="submit"]'));
		const orgMatch = /^\/orgs\/(\d+)$/.exec(new URL(page.url()).pathname);
		assert.ok(orgMatch, `the new organisation's page, at ${page.url()}`);
		const orgId = orgMatch[1];
		await expectPage(page, `/orgs/${orgId}`, j.lang);
		await expectNotice(page, t('Your organisation has been created. A moderator will review it soon.'));
		assert.equal((await page.locator('main h1').textContent()).trim(), orgName);
		assert.match(await page.locator('main header .badge').textContent(), new RegExp(t('Awaiting verification')));
		await j.shot('org-created');

		/* 2. The moderator verifies it. */
		const mod = await demoContext(j, 'moderator');
		others.push(mod);
		const mpage = await mod.newPage();
		const card = await findQueued(mpage, 'orgs', { has: mpage.locator(`h3#org-${orgId}`) });
		await expectPage(mpage, '/moderation', j.lang);
		assert.match(await card.locator('h3').textContent(), new RegExp(orgName));
		await shotOf(mpage, 'moderation');
		assert.equal(await card.locator(`form[action="/moderation/orgs/${orgId}"]`).count(), 2, 'verify and reject forms');
		assert.equal(await card.locator('dd', { hasText: j.lang === 'ar' ? 'أبها' : 'Abha' }).count(), 1,
			     'the city in words');
		await submit(mpage, approveButton(card));
		await expectPage(mpage, '/moderation', j.lang);
		await expectNotice(mpage, t('The organisation has been verified and its owners told.'));
		assert.equal(await mpage.locator(`main h3#org-${orgId}`).count(), 0, 'the organisation left the queue');
		await shotOf(mpage, 'moderation-verified');

		await page.goto(`/orgs/${orgId}`);
		assert.match(await page.locator('main header .badge').textContent(), new RegExp(t('Verified organisation')));
		await j.shot('org-verified');

		/* 2b. The owner invites a coordinator, who accepts. */
		await inviteCoordinator(page, j, orgId, orgName, others);

		/* 3. The owner posts a medical caravan with two shifts, then publishes it. */
		await page.goto('/dashboard');
		await submit(page, page.locator(`main a[href="/orgs/${orgId}/opportunities/new"]`));
		await expectPage(page, `/orgs/${orgId}/opportunities/new`, j.lang);
		await j.shot('opportunity-form');
		const day = Date.now() + 12 * 86400000;
		const at = (hour) => `${riyadh(day).date}T${String(hour).padStart(2, '0')}:00`;
		const title = j.lang === 'ar' ? `قافلة طبية إلى قرى السودة ${tag}` : `Medical caravan to Al-Soudah ${tag}`;
		const dentist = j.lang === 'ar' ? 'طبيب أسنان' : 'Dentist';
		const nurse = j.lang === 'ar' ? 'ممرض' : 'Nurse';
		await page.selectOption('#kind', 'campaign');
		await page.selectOption('#domain', 'health');
		await page.fill('#title', title);
		await page.fill('#description', j.lang === 'ar'
			? 'كشف عام وعلاج أسنان مجاني لأهالي القرى.' : 'Free check-ups and dental care for the villagers.');
		await page.fill('#starts_at', at(8));
		await page.fill('#ends_at', at(16));
		await page.fill('#city', j.lang === 'ar' ? 'أبها' : 'Abha');
		await page.fill('#expected_beneficiaries', '300');
		await page.fill('#shift_1_role', dentist);
		await page.fill('#shift_1_skill', 'dentistry');
		await page.fill('#shift_1_starts_at', at(8));
		await page.fill('#shift_1_ends_at', at(12));
		await page.fill('#shift_1_capacity', '2');
		await page.fill('#shift_2_role', nurse);
		await page.fill('#shift_2_skill', 'nursing');
		await page.fill('#shift_2_starts_at', at(12));
		await page.fill('#shift_2_ends_at', at(16));
		await page.fill('#shift_2_capacity', '3');
		await submit(page, page.locator(`main form[action="/orgs/${orgId}/opportunities/new"] button[type="submit"]`));
		const oppMatch = /^\/opportunities\/(\d+)$/.exec(new URL(page.url()).pathname);
		assert.ok(oppMatch, `the new opportunity's page, at ${page.url()}`);
		const oppId = oppMatch[1];
		await expectPage(page, `/opportunities/${oppId}`, j.lang);
		await expectNotice(page, t('The opportunity has been saved as a draft. Publish it when it is ready.'));
		assert.equal((await page.locator('main h1').textContent()).trim(), title);
		assert.match(await page.locator('main header .badge-muted').textContent(), new RegExp(t('Draft')));
		const rows = page.locator('main section[aria-labelledby="shifts-heading"] tbody tr');
		assert.equal(await rows.count(), 2, 'two shifts');
		assert.match(await rows.nth(0).textContent(), new RegExp(dentist));
		assert.match(await rows.nth(1).textContent(), new RegExp(nurse));
		await expectNoTemplateText(page);
		await j.shot('opportunity-draft');

		await submit(page, page.locator(`main form[action="/opportunities/${oppId}/publish"] button[type="submit"]`));
		await expectPage(page, `/opportunities/${oppId}`, j.lang);
		await expectNotice(page, t('The opportunity is open: specialists can now find it and apply.'));
		assert.match(await page.locator('main header .badge-muted').textContent(), new RegExp(t('Open')));
		await j.shot('opportunity-open');

		/* 4. A specialist applies to the dentist's shift. */
		const { context: spec, who: specialist } = await userContext(j, 'specialist', 'dentist');
		others.push(spec);
		const spage = await spec.newPage();
		await spage.goto(`/opportunities/${oppId}`);
		await expectPage(spage, `/opportunities/${oppId}`, j.lang);
		await submit(spage, spage.locator(`main a[href="/opportunities/${oppId}/apply"]`));
		await expectPage(spage, `/opportunities/${oppId}/apply`, j.lang);
		const dentistShift = spage.locator('main input[name="shift_id"]').first();
		assert.match(await spage.locator(`label[for="${await dentistShift.getAttribute('id')}"]`).textContent(),
			     new RegExp(dentist));
		await dentistShift.check();
		await spage.fill('#message', j.lang === 'ar' ? 'طبيب أسنان منذ عشر سنوات.' : 'A dentist for ten years.');
		await shotOf(spage, 'apply');
		await submit(spage, spage.locator(`main form[action="/opportunities/${oppId}/apply"] button[type="submit"]`));
		await expectPage(spage, '/me/applications', j.lang);
		await expectNotice(spage, t('Your application has been sent.'));
		assert.match(await spage.locator('main article').first().textContent(), new RegExp(t('Applied')));

		/* 5. The owner accepts the applicant and checks them in. */
		await page.goto(`/opportunities/${oppId}`);
		await submit(page, page.locator(`main a[href="/opportunities/${oppId}/applicants"]`));
		await expectPage(page, `/opportunities/${oppId}/applicants`, j.lang);
		const shifts = page.locator('main section.card');
		assert.equal(await shifts.count(), 2, 'one section per shift');
		assert.match(await shifts.nth(0).locator('h2').textContent(), new RegExp(dentist));
		const applicant = shifts.nth(0).locator('article', { hasText: specialist.name });
		assert.match(await applicant.locator('h3').textContent(), new RegExp(t('Applied')));
		await expectNoTemplateText(page);
		await j.shot('applicants');
		await submit(page, applicant.locator('form[action$="/accept"] button'));
		await expectPage(page, `/opportunities/${oppId}/applicants`, j.lang);
		await expectNotice(page, t('Done: the application has been updated.'));
		const accepted = page.locator('main section.card').nth(0).locator('article', { hasText: specialist.name });
		assert.match(await accepted.locator('h3').textContent(), new RegExp(t('Accepted')));
		assert.match(await page.locator('main section.card').nth(0).locator('p.meta').textContent(), /1\s*\/\s*2/);
		await j.shot('accepted');

		await submit(page, accepted.locator('form[action$="/checkin"] button'));
		await expectNotice(page, t('Done: the application has been updated.'));
		const present = page.locator('main section.card').nth(0).locator('article', { hasText: specialist.name });
		assert.match(await present.locator('h3 .badge-success').textContent(), new RegExp(t('Checked in')));
		assert.equal(await present.locator('form[action$="/checkin"]').count(), 0, 'no second check-in');
		await j.shot('checked-in');

		await spage.goto('/me/applications');
		assert.match(await spage.locator('main article', { hasText: title }).locator('.badge').textContent(),
			     new RegExp(t('Accepted')));
		await shotOf(spage, 'my-applications');
	} finally {
		for (const c of others)
			await c.close();
	}
});

/*
 * inviteCoordinator: on the organisation's page, the owner (`page`) invites
 * a fresh account as coordinator; that person logs in (a new browser),
 * follows the notification to /invitations, confirms their e-mail address
 * (a condition of answering there), comes back from the dashboard's
 * "you are invited" note, accepts, and can manage the
 * organisation; the owner then sees them among the members and no invitation
 * waiting.
 */
async function inviteCoordinator(page, j, orgId, orgName, others)
{
	const t = (msgid) => tr(j.lang, msgid);
	const context = await newContext({ lang: j.lang, viewport: j.viewport, js: j.js, langCookie: true });
	others.push(context);
	const who = await apiRegister(context, 'organisation', { email: j.unique('coordinator'),
		name: `${j.lang === 'ar' ? 'منسقة' : 'Coordinator'} ${crypto.randomBytes(2).toString('hex')}` });

	/* The owner sends the invitation and sees it waiting. */
	await page.goto(`/orgs/${orgId}`);
	await page.fill('#invite-email', who.email);
	await page.selectOption('#invite-role', 'coordinator');
	await j.shot('invite-form');
	await submit(page, page.locator(`main form[action="/orgs/${orgId}/members"] button[type="submit"]`));
	await expectPage(page, `/orgs/${orgId}`, j.lang);
	await expectNotice(page, t('We sent the invitation. The person joins once they accept it.'));
	const pending = page.locator('main ul[aria-labelledby="pending-heading"] li', { hasText: who.email });
	assert.equal(await pending.count(), 1, 'the invitation is waiting');
	assert.equal(await pending.locator('form[action$="/invitations/cancel"]').count(), 1, 'and can be withdrawn');
	await j.shot('invited');

	/* The invitee logs in and follows the notification to /invitations. */
	await context.clearCookies();
	await context.addCookies([{ name: 'khibra_lang', value: j.lang, url: BASE_URL }]);
	const ipage = await context.newPage();
	await login(ipage, who.email, who.password);
	await ipage.goto('/dashboard');
	await submit(ipage, ipage.locator('main .alert-info a[href="/notifications"]'));
	await expectPage(ipage, '/notifications', j.lang);
	const note = ipage.locator('main li.card', { hasText: orgName });
	assert.equal(await note.count(), 1, 'a notification names the organisation');
	await screenshot(ipage, NAME, j, 'notification');
	await submit(ipage, note.locator('a[href="/invitations"]'));
	await expectPage(ipage, '/invitations', j.lang);
	const invitation = ipage.locator('main li.card', { hasText: orgName });
	assert.equal(await invitation.count(), 1, 'the invitation is listed');
	assert.match(await invitation.locator('.meta').textContent(), new RegExp(t('Coordinator')));
	assert.ok((await ipage.locator('main .alert-info').textContent()).includes(
		t('Confirm your e-mail address to answer here, or use the link in the invitation e-mail.')),
		  'the page says why the invitation cannot be answered yet');
	await screenshot(ipage, NAME, j, 'invitations-unconfirmed');

	/* Answering there needs a confirmed address: the link of the welcome mail. */
	await ipage.goto(await mailLink(who.email, '/verify-email'));
	await submit(ipage, ipage.locator('main form[action="/verify-email"] button[type="submit"]'));
	await expectNotice(ipage, t('Thank you: your e-mail address is confirmed.'));

	await submit(ipage, ipage.locator('main a[href="/dashboard"]'));
	await expectPage(ipage, '/dashboard', j.lang);
	await submit(ipage, ipage.locator('main .alert-info a[href="/invitations"]')); /* "You are invited…" */
	await expectPage(ipage, '/invitations', j.lang);
	assert.equal(await ipage.locator('main .alert-info').count(), 0, 'no note about the e-mail address any more');
	await screenshot(ipage, NAME, j, 'invitations');
	await submit(ipage, ipage.locator('main li.card', { hasText: orgName })
		.locator(`form[action$="/accept"] button[type="submit"]`));
	await expectPage(ipage, `/orgs/${orgId}`, j.lang);
	await expectNotice(ipage, t('Welcome! You are now a member of this organisation.'));
	await screenshot(ipage, NAME, j, 'joined');

	/* The coordinator has the organisation among theirs and manages it. */
	await ipage.goto('/dashboard');
	const mine = ipage.locator('main li', { has: ipage.locator(`a[href="/orgs/${orgId}"]`) });
	assert.match(await mine.first().locator('.badge').textContent(), new RegExp(t('Coordinator')));
	await submit(ipage, mine.first().locator(`a[href="/orgs/${orgId}"]`));
	await submit(ipage, ipage.locator(`main a[href="/orgs/${orgId}/edit"]`));
	await expectPage(ipage, `/orgs/${orgId}/edit`, j.lang);
	assert.equal(await ipage.inputValue('#name'), orgName);
	assert.equal(await ipage.locator('#invite-email').count(), 0, 'a coordinator does not invite');

	/* The owner sees the new member, and no invitation waiting. */
	await page.goto(`/orgs/${orgId}`);
	const member = page.locator('main section[aria-labelledby="members-heading"] tbody tr', { hasText: who.email });
	assert.equal(await member.count(), 1, 'the coordinator is a member');
	assert.equal((await member.locator('td').nth(0).textContent()).trim(), who.name);
	assert.equal((await member.locator('td').nth(2).textContent()).trim(), t('Coordinator'));
	assert.equal(await page.locator('main ul[aria-labelledby="pending-heading"]').count(), 0, 'no invitation waiting');
	assert.ok((await page.locator('main section[aria-labelledby="members-heading"]').textContent()).includes(
		t('No invitations are waiting for an answer.')), 'the owner is told no invitation is waiting');
	await j.shot('members');
}
