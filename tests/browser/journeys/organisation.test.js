'use strict';
/*
 * organisation.test.js — an organisation runs a medical caravan, from
 * registering to checking a specialist in (issue 4, issue 5 item 1), in
 * Arabic and English, on a phone and a desktop, with JavaScript on and off.
 *
 *   1. a visitor registers as an organisation and registers the
 *      organisation (/orgs/new): it awaits verification;
 *   2. the demo moderator (a second browser) verifies it in /moderation;
 *   3. the owner posts a campaign with two shifts (dentist, nurse), sees it
 *      as a draft, publishes it;
 *   4. a fresh specialist (a third browser) applies to the dentist shift;
 *   5. the owner accepts the applicant on the applicants page and checks
 *      them in; the specialist sees "Accepted" in /me/applications.
 */
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { journey, expectPage, submit, register, screenshot, tr, riyadh, demoContext, userContext, expectNotice,
	expectNoTemplateText } = require('../lib.js');

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
		await page.fill('#city', j.lang === 'ar' ? 'أبها' : 'Abha');
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
		await mpage.goto('/moderation');
		await expectPage(mpage, '/moderation', j.lang);
		const card = mpage.locator('main article', { has: mpage.locator(`h3#org-${orgId}`) });
		assert.match(await card.locator('h3').textContent(), new RegExp(orgName));
		await shotOf(mpage, 'moderation');
		await submit(mpage, card.locator(`form[action="/moderation/orgs/${orgId}"]`).first().locator('button[type="submit"]'));
		await expectPage(mpage, '/moderation', j.lang);
		await expectNotice(mpage);
		assert.equal(await mpage.locator(`main h3#org-${orgId}`).count(), 0, 'the organisation left the queue');
		await shotOf(mpage, 'moderation-verified');

		await page.goto(`/orgs/${orgId}`);
		assert.match(await page.locator('main header .badge').textContent(), new RegExp(t('Verified organisation')));
		await j.shot('org-verified');

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
