'use strict';
/*
 * help.test.js — a beneficiary asks for a legal consultation and is booked
 * with a verified lawyer (issue 4, issue 5 item 1), in Arabic and English,
 * on a phone and a desktop, with JavaScript on and off.
 *
 *   1. a visitor registers as a beneficiary, asks for help on /help (law,
 *      private details, city, urgency, the demo coordinator's verified
 *      organisation, Al-Birr Charity Society) and finds it on /me/requests;
 *   2. the coordinator (coordinator@khibra.local, a second browser) opens
 *      the organisation's triage queue, assigns the verified demo lawyer
 *      (lawyer.khalid@khibra.local, available Monday and Wednesday 19:00–
 *      22:00 Riyadh time) and books a session on a Monday at 19:00;
 *   3. the beneficiary sees the session booked;
 *   4. another user gets a 404 for the request page.
 */
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { journey, expectPage, submit, register, screenshot, newContext, loginAs, tr, nextRiyadhDay, demoContext, userContext,
	expectNotice, expectNoTemplateText } = require('../lib.js');

const NAME = 'help';
const LAWYER = 'خالد الزهراني'; /* lawyer.khalid@khibra.local (src/cli/demo.c) */
const LAWYER_LICENCE = 'MOJ-LAW-55871'; /* src/cli/demo_moderation.c */

/*
 * lawyerVerified: `khibra demo` leaves the demo lawyer's licence waiting
 * for a moderator, and a law consultation needs a verified licence; so,
 * once per file, the demo moderator approves it (through the API; the
 * organisation journey covers the moderation page).  Idempotent.
 */
let lawyerPromise = null;
function lawyerVerified()
{
	lawyerPromise = lawyerPromise || (async () => {
		const context = await newContext({});
		try {
			await loginAs(context, 'moderator');
			const list = await (await context.request.get('/api/v1/admin/credentials?status=pending&limit=100')).json();
			const licence = list.items.find((c) => c.number === LAWYER_LICENCE);
			if (!licence)
				return; /* already decided */
			const res = await context.request.post(`/api/v1/admin/credentials/${licence.id}/verify`,
							       { data: { approved: true, reason: '' } });
			assert.ok(res.status() === 200 || res.status() === 409, `approving the lawyer's licence: ${await res.text()}`);
		} finally {
			await context.close();
		}
	})();
	return lawyerPromise;
}

journey(NAME, async (page, j) => {
	const t = (msgid) => tr(j.lang, msgid);
	const tag = crypto.randomBytes(3).toString('hex');
	const shotOf = (p, step) => screenshot(p, NAME, j, step);
	await lawyerVerified();
	const coordinator = await demoContext(j, 'organisation');
	const others = [coordinator];
	try {
		const orgs = await (await coordinator.request.get('/api/v1/me/orgs')).json();
		const org = orgs.items.find((o) => o.verified);
		assert.ok(org, 'the demo coordinator has a verified organisation');

		/* 1. The beneficiary registers and asks for a legal consultation. */
		await page.goto('/register?role=beneficiary');
		await expectPage(page, '/register', j.lang);
		await register(page, 'beneficiary', { email: j.unique('beneficiary') });
		await page.goto('/dashboard');
		await submit(page, page.locator('main a[href="/help"]'));
		await expectPage(page, '/help', j.lang);
		await j.shot('help-form');
		const title = j.lang === 'ar' ? `سؤال عن عقد إيجار ${tag}` : `A question about a rental contract ${tag}`;
		const details = j.lang === 'ar'
			? 'يطالبني المالك بإخلاء الشقة قبل نهاية العقد دون إنذار مكتوب. ما حقوقي؟'
			: 'My landlord wants me out before the lease ends, without written notice. What are my rights?';
		await page.selectOption('#domain', 'law');
		await page.fill('#title', title);
		await page.fill('#details', details);
		await page.fill('#city', j.lang === 'ar' ? 'الرياض' : 'Riyadh');
		await page.check('#urgency-urgent');
		assert.equal(await page.locator(`#org_id option[value="${org.id}"]`).count(), 1, 'the form offers the organisation');
		await page.selectOption('#org_id', String(org.id));
		await submit(page, page.locator('main form[action="/help"] button[type="submit"]'));
		const idMatch = /^\/requests\/(\d+)$/.exec(new URL(page.url()).pathname);
		assert.ok(idMatch, `the request's page, at ${page.url()}`);
		const id = idMatch[1];
		await expectPage(page, `/requests/${id}`, j.lang);
		await expectNotice(page, t('Your request has been sent. Only the people handling it can read the details.'));
		assert.equal((await page.locator('main h1').textContent()).trim(), title);
		assert.equal((await page.locator('main .help-details').textContent()).trim(), details);
		assert.match(await page.locator('main .meta .badge').textContent(), new RegExp(t('New')));
		await expectNoTemplateText(page);
		await j.shot('request-sent');

		await submit(page, page.locator('main a[href="/me/requests"]'));
		await expectPage(page, '/me/requests', j.lang);
		const mine = page.locator('main tbody tr', { has: page.locator(`a[href="/requests/${id}"]`) });
		assert.equal((await mine.locator('a').textContent()).trim(), title);
		assert.match(await mine.textContent(), new RegExp(t('Urgent')));
		await j.shot('my-requests');

		/* 2. The coordinator triages: assigns the lawyer, books a session. */
		const cpage = await coordinator.newPage();
		await cpage.goto('/dashboard');
		await submit(cpage, cpage.locator(`main a[href="/orgs/${org.id}/requests"]`));
		await expectPage(cpage, `/orgs/${org.id}/requests`, j.lang);
		await shotOf(cpage, 'triage');
		await submit(cpage, cpage.locator(`main a[href="/requests/${id}"]`));
		await expectPage(cpage, `/requests/${id}`, j.lang);
		assert.equal((await cpage.locator('main .help-details').textContent()).trim(), details, 'the organisation reads the details');
		await expectNoTemplateText(cpage);
		const lawyer = cpage.locator('#specialist_id option', { hasText: LAWYER });
		assert.match(await lawyer.textContent(), new RegExp(t('licence verified')));
		await cpage.selectOption('#specialist_id', await lawyer.getAttribute('value'));
		await shotOf(cpage, 'assign');
		await submit(cpage, cpage.locator(`main form[action="/requests/${id}/assign"] button[type="submit"]`));
		await expectPage(cpage, `/requests/${id}`, j.lang);
		await expectNotice(cpage, t('Saved.'));
		assert.match(await cpage.locator('main .meta .badge').textContent(), new RegExp(t('Specialist assigned')));
		assert.match(await cpage.locator('main .help-facts').textContent(), new RegExp(LAWYER));

		const monday = nextRiyadhDay(1, 2);
		await cpage.fill('#date', monday);
		await cpage.fill('#start', '19:00');
		await cpage.fill('#end', '20:00');
		await cpage.check('#mode-video');
		await shotOf(cpage, 'book');
		await submit(cpage, cpage.locator(`main form[action="/requests/${id}/book"] button[type="submit"]`));
		await expectPage(cpage, `/requests/${id}`, j.lang);
		await expectNotice(cpage, t('Saved.'));
		assert.match(await cpage.locator('main .meta .badge').textContent(), new RegExp(t('Session booked')));
		await shotOf(cpage, 'booked');

		/* 3. The beneficiary sees the booking. */
		await page.goto(`/requests/${id}`);
		assert.match(await page.locator('main .meta .badge').textContent(), new RegExp(t('Session booked')));
		assert.match(await page.locator('main .help-facts').textContent(), new RegExp(LAWYER));
		const session = page.locator('main section[aria-labelledby="session-h"]');
		assert.ok(await session.isVisible(), 'the session is shown');
		assert.match(await session.textContent(), new RegExp(t('Video call')));
		assert.match(await session.textContent(), /19:00|١٩:٠٠|7:00/);
		await j.shot('session-booked');
		await page.goto('/me/requests');
		assert.match(await page.locator('main tbody tr', { has: page.locator(`a[href="/requests/${id}"]`) }).textContent(),
			     new RegExp(t('Session booked')));
		await j.shot('my-requests-booked');

		/* 4. Anyone else: 404. */
		const { context: stranger } = await userContext(j, 'beneficiary', 'stranger');
		others.push(stranger);
		const spage = await stranger.newPage();
		const res = await spage.goto(`/requests/${id}`);
		assert.equal(res.status(), 404, 'a stranger gets a 404');
		assert.equal(await spage.locator('main .help-details').count(), 0, 'no details for a stranger');
		await shotOf(spage, 'stranger-404');
	} finally {
		for (const c of others)
			await c.close();
	}
});
