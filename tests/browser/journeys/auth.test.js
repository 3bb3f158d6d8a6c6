'use strict';
/*
 * auth.test.js — the account journeys, each in Arabic and English, on a
 * phone and a desktop, with JavaScript on and off (lib.js journey()).
 *   register   a visitor switches language, registers as a specialist,
 *              is welcomed on /account, logs out, logs in, opens /dashboard
 *   wrong-password  the error is shown with the form again, then the right
 *              password works
 *   forgot-password a reset link from the outbox sets a new password; the
 *              old one stops working, the new one logs in
 */
const assert = require('node:assert/strict');
const { journey, expectPage, submit, register, login, logout, apiRegister, mailLink } = require('../lib.js');

journey('register', async (page, j) => {
	await page.goto(`/?lang=${j.other}`);
	await expectPage(page, '/', j.other);
	await j.shot('home');

	await submit(page, page.locator('header a.lang-switch'));
	await expectPage(page, '/', j.lang);
	await j.shot('home-switched');

	await submit(page, page.locator('header a[href="/register"]'));
	await expectPage(page, '/register', j.lang);
	await j.shot('register');

	const me = await register(page, 'specialist', { email: j.unique('specialist') });
	await expectPage(page, '/account', j.lang);
	assert.ok(await page.locator('main .alert-success[role="status"]').isVisible(), 'welcome notice on /account');
	assert.equal((await page.locator('main h2#me-heading').textContent()).trim(), me.name);
	await j.shot('account-welcome');

	await logout(page);
	await expectPage(page, '/', j.lang);
	assert.ok(await page.locator('header a[href="/login"]').isVisible(), 'log-in link after logging out');
	await j.shot('logged-out');

	await submit(page, page.locator('header a[href="/login"]'));
	await expectPage(page, '/login', j.lang);
	await login(page, me.email, me.password);
	await expectPage(page, '/account', j.lang);
	assert.equal(await page.locator('main .alert-success').count(), 0, 'no welcome notice on a later log-in');

	await submit(page, page.locator('header a[href="/dashboard"]'));
	await expectPage(page, '/dashboard', j.lang);
	assert.match(await page.locator('main h1').textContent(), new RegExp(me.name));
	await j.shot('dashboard');
});

journey('wrong-password', async (page, j) => {
	const me = await apiRegister(page.context(), 'beneficiary', { email: j.unique('beneficiary') });
	await page.context().clearCookies();

	await page.goto('/login');
	await expectPage(page, '/login', j.lang);
	await j.shot('form');

	await page.fill('#email', me.email);
	await page.fill('#password', 'not-the-password');
	const [res] = await Promise.all([page.waitForNavigation(), page.click('main form[action="/login"] button[type="submit"]')]);
	assert.equal(res.status(), 401, 'a wrong password answers 401');
	await expectPage(page, '/login', j.lang);
	assert.ok(await page.locator('main .alert-error[role="alert"]').isVisible(), 'the error is shown');
	assert.equal(await page.inputValue('#email'), me.email, 'the e-mail address is kept');
	assert.equal(await page.inputValue('#password'), '', 'the password is not echoed');
	await j.shot('error');

	await login(page, me.email, me.password);
	await expectPage(page, '/account', j.lang);
	await j.shot('account');
});

journey('forgot-password', async (page, j) => {
	const me = await apiRegister(page.context(), 'specialist', { email: j.unique('specialist') });
	await page.context().clearCookies();

	await page.goto('/login');
	await submit(page, page.locator('main a[href="/forgot-password"]'));
	await expectPage(page, '/forgot-password', j.lang);
	await j.shot('form');
	await page.fill('#email', me.email);
	await submit(page, page.locator('main form[action="/forgot-password"] button[type="submit"]'));
	assert.ok(await page.locator('main .alert-success[role="status"]').isVisible(), 'the link is on its way');
	await j.shot('sent');

	await page.goto(await mailLink(me.email, '/reset-password'));
	await expectPage(page, '/reset-password', j.lang);
	await j.shot('new-password');
	const fresh = `${me.password}-new`;
	await page.fill('#password', fresh);
	await submit(page, page.locator('main form[action="/reset-password"] button[type="submit"]'));
	assert.ok(await page.locator('main .alert-success[role="status"]').isVisible(), 'the password was changed');
	await j.shot('changed');

	await submit(page, page.locator('main a[href="/login"]'));
	await login(page, me.email, me.password);
	assert.ok(await page.locator('main .alert-error').isVisible(), 'the old password no longer works');
	await login(page, me.email, fresh);
	await expectPage(page, '/account', j.lang);
	await j.shot('account');
});
