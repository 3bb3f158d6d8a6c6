'use strict';
/*
 * specialist.test.js — a specialist joins, builds a profile, uploads a
 * licence, finds a medical caravan, applies to a shift, is accepted and
 * sees the shift in the calendar (issue 4, issue 5 item 1); the demo
 * moderator verifies the licence in /moderation and the public profile then
 * shows it as verified (issue 3), in Arabic and
 * English, on a phone and a desktop, with JavaScript on and off.
 *
 * Set-up: the demo coordinator (coordinator@khibra.local, owner of the
 * verified Al-Birr Charity Society) posts and publishes a fresh caravan
 * through the API, so that every variant has places; later the coordinator accepts
 * the application through the API (the organisation journey covers the
 * applicants page).  The journey ends in the specialist's calendar.
 */
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { journey, expectPage, submit, register, screenshot, tr, riyadh, minimalPdf, demoContext, expectNotice,
	findQueued, approveButton } = require('../lib.js');

/* postCaravan: as the logged-in coordinator, a published campaign with one
 * doctor's shift in 20 days, whose title carries `tag`.  Returns { id, title,
 * day (its Riyadh date) }. */
async function postCaravan(request, tag)
{
	const orgs = await (await request.get('/api/v1/me/orgs')).json();
	const org = orgs.items.find((o) => o.verified) || orgs.items[0];
	const day = riyadh(Date.now() + 20 * 86400000).date;
	const title = `قافلة طبية ${tag} Medical caravan`;
	const res = await request.post(`/api/v1/orgs/${org.id}/opportunities`, { data: {
		kind: 'campaign', domain: 'health', title, city: 'Jeddah', remote: false,
		description: 'كشف عام مجاني لأهالي الأحياء. Free check-ups.',
		starts_at: `${day}T08:00:00+03:00`, ends_at: `${day}T12:00:00+03:00`, skills: ['general-medicine'],
		shifts: [{ starts_at: `${day}T08:00:00+03:00`, ends_at: `${day}T12:00:00+03:00`, capacity: 2,
			   role: 'طبيب عام', skill: 'general-medicine' }],
	} });
	assert.equal(res.status(), 201, `posting the caravan: ${await res.text()}`);
	const opp = (await res.json()).opportunity;
	const pub = await request.post(`/api/v1/opportunities/${opp.id}/publish`);
	assert.equal(pub.status(), 200, `publishing the caravan: ${await pub.text()}`);
	return { id: opp.id, title, day };
}

/* acceptApplicant: as the coordinator, accept `name`'s application to opportunity `id`. */
async function acceptApplicant(request, id, name)
{
	const list = await (await request.get(`/api/v1/opportunities/${id}/applications`)).json();
	const app = list.items.find((a) => a.applicant && a.applicant.name === name);
	assert.ok(app, `${name}'s application to opportunity ${id}`);
	const res = await request.post(`/api/v1/applications/${app.id}/accept`);
	assert.equal(res.status(), 200, `accepting: ${await res.text()}`);
}

journey('specialist', async (page, j) => {
	const t = (msgid) => tr(j.lang, msgid);
	const tag = `k${crypto.randomBytes(4).toString('hex')}`;
	const coordinator = await demoContext(j, 'organisation');
	try {
		const caravan = await postCaravan(coordinator.request, tag);

		/* 1. Register as a specialist. */
		await page.goto('/register?role=specialist');
		await expectPage(page, '/register', j.lang);
		const me = await register(page, 'specialist', { email: j.unique('specialist') });
		await j.shot('registered');

		/* 2. Build the profile. */
		await page.goto('/dashboard');
		await submit(page, page.locator('main a[href="/profile"]'));
		await expectPage(page, '/profile', j.lang);
		await j.shot('profile-form');
		await page.fill('#headline', j.lang === 'ar' ? 'طبيب عام يتطوع في القوافل الطبية' : 'GP volunteering on medical caravans');
		await page.selectOption('#profession', 'doctor');
		await page.selectOption('#domain', 'health');
		await page.fill('#years_experience', '8');
		await page.fill('#bio', j.lang === 'ar' ? 'طبيب عام في جدة.' : 'General practitioner in Jeddah.');
		await page.check(`#lang-${j.lang}`);
		await page.selectOption('#skill_0', 'general-medicine');
		await page.selectOption('#level_0', '4');
		await page.selectOption('#city', 'jeddah');
		await page.check('#onsite');
		await page.selectOption('#day_0', '6');
		await page.fill('#start_0', '08:00');
		await page.fill('#end_0', '14:00');
		await page.fill('#max_hours_month', '20');
		await page.check('#public');
		await submit(page, page.locator('main form[action="/profile"] button[type="submit"]'));
		await expectPage(page, '/profile', j.lang);
		await expectNotice(page, t('Your profile has been saved.'));
		assert.equal(await page.inputValue('#headline'),
			     j.lang === 'ar' ? 'طبيب عام يتطوع في القوافل الطبية' : 'GP volunteering on medical caravans');
		assert.equal(await page.inputValue('#skill_0'), 'general-medicine');
		assert.equal(await page.inputValue('#level_0'), '4');
		assert.equal(await page.inputValue('#day_0'), '6');
		assert.equal(await page.inputValue('#start_0'), '08:00');
		await j.shot('profile-saved');

		/* 3. Upload a licence. */
		await page.goto('/credentials');
		await expectPage(page, '/credentials', j.lang);
		assert.ok(await page.locator('main .empty').isVisible(), 'no document yet');
		await page.selectOption('#kind', 'licence');
		await page.fill('#issuer', j.lang === 'ar' ? 'الهيئة السعودية للتخصصات الصحية' : 'Saudi Commission for Health Specialties');
		await page.fill('#number', `SCFHS-${tag}`);
		await page.setInputFiles('#file', { name: 'licence.pdf', mimeType: 'application/pdf', buffer: minimalPdf(`Licence ${tag}`) });
		await j.shot('credential-form');
		await submit(page, page.locator('main form[action="/credentials"] button[type="submit"]'));
		await expectPage(page, '/credentials', j.lang);
		await expectNotice(page, t('Thank you. A moderator will review your document soon.'));
		const row = page.locator('main tbody tr', { hasText: `SCFHS-${tag}` });
		assert.equal(await row.count(), 1, 'the licence is listed');
		assert.match(await row.locator('.badge').textContent(), new RegExp(t('Awaiting review')));
		await j.shot('credential-uploaded');

		/* 3b. The moderator verifies the licence; the public profile shows it. */
		await licenceVerified(page, j, me.name, `SCFHS-${tag}`);

		/* 4. Find the caravan: a word of its title, in the health domain. */
		await page.goto('/dashboard');
		await submit(page, page.locator('main a[href="/opportunities"]'));
		await expectPage(page, '/opportunities', j.lang);
		await page.fill('#q', tag);
		await page.selectOption('#domain', 'health');
		await submit(page, page.locator('main form[role="search"] button[type="submit"]'));
		await expectPage(page, '/opportunities', j.lang);
		const result = page.locator('main .opp-card');
		assert.equal(await result.count(), 1, `one result for ${tag}`);
		assert.equal((await result.locator('h3').textContent()).trim(), caravan.title);
		await j.shot('search');

		/* 5. Apply to its shift. */
		await submit(page, result.locator('h3 a'));
		await expectPage(page, `/opportunities/${caravan.id}`, j.lang);
		await j.shot('opportunity');
		await submit(page, page.locator(`main a[href="/opportunities/${caravan.id}/apply"]`));
		await expectPage(page, `/opportunities/${caravan.id}/apply`, j.lang);
		assert.ok(await page.locator('main input[name="shift_id"]').first().isChecked(), 'the shift is chosen');
		await page.fill('#message', j.lang === 'ar' ? 'متاح يوم القافلة كاملًا.' : 'Free the whole day of the caravan.');
		await j.shot('apply');
		await submit(page, page.locator(`main form[action="/opportunities/${caravan.id}/apply"] button[type="submit"]`));
		await expectPage(page, '/me/applications', j.lang);
		await expectNotice(page, t('Your application has been sent.'));
		const mine = page.locator('main article', { hasText: caravan.title });
		assert.match(await mine.locator('.badge').textContent(), new RegExp(t('Applied')));
		assert.equal(await mine.locator('form[action$="/withdraw"]').count(), 1, 'the application can be withdrawn');
		await j.shot('applied');

		/* 6. The coordinator accepts: the specialist sees it. */
		await acceptApplicant(coordinator.request, caravan.id, me.name);
		await page.reload();
		assert.match(await page.locator('main article', { hasText: caravan.title }).locator('.badge').textContent(),
			     new RegExp(t('Accepted')));
		await j.shot('accepted');

		/* 7. The accepted shift is in the specialist's calendar (the month
		 * of the caravan: this month or the next). */
		await page.goto('/calendar');
		await expectPage(page, '/calendar', j.lang);
		const day = page.locator(`main section[aria-labelledby="day-${caravan.day}"]`);
		if (await day.count() === 0)
			await submit(page, page.locator('main nav a[rel="next"]'));
		await expectPage(page, '/calendar', j.lang);
		assert.equal(await day.count(), 1, `the caravan's day (${caravan.day}) in the calendar`);
		const event = day.locator('li', { hasText: caravan.title });
		assert.equal(await event.count(), 1, 'the shift is in the calendar');
		assert.match(await event.textContent(), new RegExp(t('Shift')));
		assert.match(await event.textContent(), /08:00|٠٨:٠٠/);
		await j.shot('calendar');
	} finally {
		await coordinator.close();
	}
});

/*
 * licenceVerified: the specialist's public profile (from the dashboard)
 * shows no verified licence yet; the demo moderator (a second browser)
 * finds the licence numbered `number` by its owner's name `name` in the
 * credentials queue (following its "next" links) and approves it; then
 * /credentials shows it verified and the public profile says "Licence
 * verified".  Ends with `page` on the public profile.
 */
async function licenceVerified(page, j, name, number)
{
	const t = (msgid) => tr(j.lang, msgid);
	const verifiedBadge = () => page.locator('main header .badge-success', { hasText: t('Licence verified') });
	await page.goto('/dashboard');
	await submit(page, page.locator('main a[href^="/specialists/"]'));
	const profilePath = new URL(page.url()).pathname;
	assert.match(profilePath, /^\/specialists\/\d+$/, `the public profile, at ${page.url()}`);
	await expectPage(page, profilePath, j.lang);
	assert.equal((await page.locator('main h1').textContent()).trim(), name);
	assert.equal(await verifiedBadge().count(), 0, 'no verified licence before the moderator decides');

	const moderator = await demoContext(j, 'moderator');
	try {
		const mpage = await moderator.newPage();
		const card = await findQueued(mpage, 'credentials', { texts: [name, number] });
		await expectPage(mpage, '/moderation', j.lang);
		assert.match(await card.locator('h3').textContent(), new RegExp(t('professional licence')));
		assert.equal(await card.locator('a[href$="/file"]').count(), 1, 'the document can be downloaded');
		await screenshot(mpage, 'specialist', j, 'moderation-credential');
		await submit(mpage, approveButton(card));
		await expectPage(mpage, '/moderation', j.lang);
		await expectNotice(mpage, t('The credential has been approved and its owner told.'));
		assert.equal(await mpage.locator('main section[aria-labelledby="credentials-heading"] article',
						  { hasText: number }).count(), 0, 'the licence left the queue');
	} finally {
		await moderator.close();
	}

	await page.goto('/credentials');
	const row = page.locator('main tbody tr', { hasText: number });
	assert.match(await row.locator('.badge').textContent(), new RegExp(t('Verified')));
	await page.goto(profilePath);
	await expectPage(page, profilePath, j.lang);
	assert.equal(await verifiedBadge().count(), 1, 'the public profile shows the licence verified');
	await j.shot('licence-verified');
}
