'use strict';
/*
 * lib.js — shared helpers of the browser suites (tests/browser/).
 *
 * One headless Debian Chromium per test file (node --test runs each file in
 * its own process), driven by playwright-core; never a downloaded browser.
 * A journey is written once as `async (page, j) => { … }` and journey() runs
 * it in every variant: Arabic and English × phone and desktop × JavaScript
 * on and off.  Screenshots of every step go to
 *   tests/artifacts/screenshots/<journey>-<lang>-<viewport>-<js>-<step>.png
 *
 * Environment: KHIBRA_TEST_URL (the running `khibra serve`), KHIBRA_TEST_DATA
 * (its --data directory, for the mail outbox).  Demo data (`khibra demo`)
 * gives the logged-in pages their users (DEMO_USERS below).
 */
const { describe, test, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { chromium } = require('playwright-core');

const BASE_URL = (process.env.KHIBRA_TEST_URL || '').replace(/\/+$/, '');
const DATA_DIR = process.env.KHIBRA_TEST_DATA || '';
const ROOT = path.resolve(__dirname, '..', '..');
const SCREENSHOTS = path.join(ROOT, 'tests', 'artifacts', 'screenshots');
const CHROMIUM = process.env.KHIBRA_CHROMIUM || '/usr/bin/chromium';

if (!BASE_URL)
	throw new Error('KHIBRA_TEST_URL is not set: start `khibra serve` and point it there (or use tests/browser/run.sh)');

const LANGS = ['ar', 'en'];
const VIEWPORTS = { phone: { width: 360, height: 740 }, desktop: { width: 1280, height: 800 } };
/* How many variants of one journey run at once in this file's browser. */
const CONCURRENCY = Number(process.env.KHIBRA_BROWSER_CONCURRENCY || 4);

const DEMO_PASSWORD = 'khibra-demo-2026';
/* The demo user who stands for each role (src/cli/demo.c). */
const DEMO_USERS = {
	specialist: 'dr.sara@khibra.local',
	beneficiary: 'family.ahmad@khibra.local',
	organisation: 'coordinator@khibra.local',
	moderator: 'moderator@khibra.local',
	admin: 'admin@khibra.local',
};

/* ---- the browser ---- */

let browserPromise = null;

/* browser: this process's one Chromium, launched on first use, closed after
 * the file.  playwright-core gives each launch a fresh, temporary profile
 * directory (user-data-dir) and removes it at close. */
function browser()
{
	if (!browserPromise) {
		browserPromise = chromium.launch({
			executablePath: CHROMIUM,
			headless: true,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
				'--disable-background-networking', '--disable-component-update', '--disable-sync'],
		});
	}
	return browserPromise;
}
/* Registered here, at the top level of the test file that requires lib.js
 * (a hook registered inside a test would close the browser after that test). */
after(closeBrowser);

async function closeBrowser()
{
	if (!browserPromise)
		return;
	const b = await browserPromise;
	browserPromise = null;
	await b.close();
}

/* loopbackAddress: a made-up client address for X-Forwarded-For (the test
 * server runs with KHIBRA_TRUST_PROXY=1), so that each context has its own
 * rate-limit buckets and repeated runs do not trip them.  Loopback only. */
function loopbackAddress()
{
	const b = crypto.randomBytes(3);
	return `127.${b[0]}.${b[1]}.${(b[2] % 250) + 2}`;
}

/*
 * newContext: a fresh browser context (no cookies) for one variant.
 *   lang: 'ar' | 'en' (Accept-Language and the locale)
 *   viewport: 'phone' | 'desktop'
 *   js: JavaScript on (true) or off
 *   langCookie: also set the language cookie, so that the page is in `lang`
 *     even for a logged-in user whose own setting is the other language
 */
async function newContext({ lang = 'ar', viewport = 'desktop', js = true, langCookie = false } = {})
{
	const b = await browser();
	const headers = { 'Accept-Language': lang === 'ar' ? 'ar-SA,ar;q=0.9' : 'en-GB,en;q=0.9',
			  'X-Forwarded-For': loopbackAddress() };
	const context = await b.newContext({
		baseURL: BASE_URL,
		viewport: VIEWPORTS[viewport],
		isMobile: viewport === 'phone',
		hasTouch: viewport === 'phone',
		javaScriptEnabled: js,
		locale: lang === 'ar' ? 'ar-SA' : 'en-GB',
		extraHTTPHeaders: headers,
		serviceWorkers: 'block',
		reducedMotion: 'reduce',
	});
	context.khibraHeaders = headers;
	if (langCookie)
		await context.addCookies([{ name: 'khibra_lang', value: lang, url: BASE_URL }]);
	/* Generous: `make check` may run while the machine compiles. */
	context.setDefaultTimeout(30000);
	context.setDefaultNavigationTimeout(30000);
	return context;
}

/* variants: the combinations a journey runs in.  By default the four of a
 * pairwise cover — every pair of (language, viewport), (language, JavaScript)
 * and (viewport, JavaScript) values occurs once, so each language runs on
 * both viewports and with JavaScript both on and off, in half the time of all
 * eight.  KHIBRA_BROWSER_ALL=1 runs all eight. */
function variants()
{
	const out = [];
	for (const lang of LANGS)
		for (const viewport of Object.keys(VIEWPORTS))
			for (const js of [true, false])
				out.push({ lang, viewport, js, label: `${lang}-${viewport}-js-${js ? 'on' : 'off'}` });
	if (process.env.KHIBRA_BROWSER_ALL === '1')
		return out;
	const views = Object.keys(VIEWPORTS);
	/* same language and viewport index parity decides JavaScript: (0,0,on)
	 * (0,1,off) (1,0,off) (1,1,on) */
	return out.filter(v => ((LANGS.indexOf(v.lang) + views.indexOf(v.viewport)) % 2 === 0) === v.js);
}

/* ---- journeys ---- */

/*
 * journey: define one user journey, run in every variant.  `steps` gets the
 * page and a helper object j: j.lang, j.viewport, j.js, j.other (the other
 * language), j.shot(step) (screenshot), j.unique(prefix) (fresh e-mail).
 * On failure a screenshot "failed" is kept as well.
 */
function journey(name, steps)
{
	describe(name, { concurrency: CONCURRENCY }, () => {
		for (const v of variants()) {
			test(`${name} ${v.label}`, async () => {
				const context = await newContext(v);
				const page = await context.newPage();
				page.on('crash', () => console.error(`# page crashed: ${name} ${v.label} at ${page.url()}`));
				const j = {
					...v,
					other: v.lang === 'ar' ? 'en' : 'ar',
					shot: (step) => screenshot(page, name, v, step),
					unique: (prefix) => uniqueEmail(`${name}-${v.label}-${prefix || 'user'}`),
				};
				try {
					await steps(page, j);
				} catch (err) {
					await screenshot(page, name, v, 'failed').catch(() => {});
					throw err;
				} finally {
					await context.close();
				}
			});
		}
	});
}

/* screenshot: save the whole page as <journey>-<lang>-<viewport>-<js>-<step>.png. */
async function screenshot(page, journeyName, v, step)
{
	fs.mkdirSync(SCREENSHOTS, { recursive: true });
	const js = v.js ? 'js' : 'nojs';
	const file = path.join(SCREENSHOTS, `${journeyName}-${v.lang}-${v.viewport}-${js}-${step}.png`);
	await page.screenshot({ path: file, fullPage: true });
	return file;
}

/* uniqueEmail: an address no earlier run has used. */
function uniqueEmail(prefix)
{
	const slug = prefix.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
	return `${slug}-${Date.now().toString(36)}${crypto.randomBytes(3).toString('hex')}@example.test`;
}

/* ---- page expectations ---- */

/* expectPage: the page is at `pathname` (without query), in language
 * `lang` (html lang and dir), with a visible h1. */
async function expectPage(page, pathname, lang)
{
	const url = new URL(page.url());
	assert.equal(url.pathname, pathname, `expected ${pathname}, at ${page.url()}`);
	if (lang) {
		assert.equal(await page.getAttribute('html', 'lang'), lang, `language of ${page.url()}`);
		assert.equal(await page.getAttribute('html', 'dir'), lang === 'ar' ? 'rtl' : 'ltr');
	}
	assert.ok(await page.locator('main h1').first().isVisible(), `a visible h1 on ${page.url()}`);
}

/* submit: click a submit button and wait for the page it leads to. */
async function submit(page, button)
{
	await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
}

/* ---- people ---- */

/*
 * register: fill the registration form as `role` ('specialist',
 * 'beneficiary', 'organisation') and submit it; ends on /account.
 * Returns { name, email, password }.
 */
async function register(page, role, { name, email, password } = {})
{
	const who = {
		name: name || `Test ${role} ${crypto.randomBytes(2).toString('hex')}`,
		email: email || uniqueEmail(`reg-${role}`),
		password: password || `pw-${crypto.randomBytes(8).toString('hex')}`,
	};
	if (new URL(page.url()).pathname !== '/register')
		await page.goto('/register');
	await page.check(`#role-${role}`);
	await page.fill('#name', who.name);
	await page.fill('#email', who.email);
	await page.fill('#password', who.password);
	await submit(page, page.locator('main form[action="/register"] button[type="submit"]'));
	assert.equal(new URL(page.url()).pathname, '/account', `registration as ${role} should land on /account`);
	return who;
}

/* login: log in through the form; ends wherever the site sends us. */
async function login(page, email, password)
{
	if (new URL(page.url()).pathname !== '/login')
		await page.goto('/login');
	await page.fill('#email', email);
	await page.fill('#password', password);
	await submit(page, page.locator('main form[action="/login"] button[type="submit"]'));
}

/* logout: the header's log-out button. */
async function logout(page)
{
	await submit(page, page.locator('header form[action="/logout"] button[type="submit"]'));
}

/*
 * apiRegister: create an account through the JSON API with the context's
 * cookies (fast set-up for journeys that do not test registration).
 */
async function apiRegister(context, role, { name, email, password } = {})
{
	const who = {
		name: name || `Test ${role}`,
		email: email || uniqueEmail(`api-${role}`),
		password: password || `pw-${crypto.randomBytes(8).toString('hex')}`,
	};
	const res = await context.request.post('/api/v1/auth/register', {
		data: { role, name: who.name, email: who.email, password: who.password },
	});
	if (!res.ok())
		assert.fail(`API registration: ${res.status()} ${await res.text()}`);
	return who;
}

/*
 * loginAs: log a context in as the demo user of `role` (DEMO_USERS) through
 * the JSON API; the session cookie is then the context's, and so is the
 * X-CSRF-Token header that unsafe API calls need.  Fails clearly when the
 * server has no demo data.  Returns the e-mail address.
 */
async function loginAs(context, role)
{
	const email = DEMO_USERS[role];
	assert.ok(email, `no demo user for role ${role}`);
	const res = await context.request.post('/api/v1/auth/login', { data: { email, password: DEMO_PASSWORD } });
	const text = await res.text();
	assert.equal(res.status(), 200, `log-in as ${email} (run \`khibra demo\` on the test database): ${text}`);
	context.khibraHeaders = { ...context.khibraHeaders, 'X-CSRF-Token': JSON.parse(text).csrf_token };
	await context.setExtraHTTPHeaders(context.khibraHeaders);
	return email;
}

/* ---- mail ---- */

/* decodeMail: the text body of an .eml file (base64 or plain). */
function decodeMail(raw)
{
	const split = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
	const headers = raw.slice(0, split);
	const body = raw.slice(split).trim();
	if (/^Content-Transfer-Encoding:\s*base64/im.test(headers))
		return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
	return body;
}

/*
 * readMail: the newest message in DATA/outbox to `email` whose decoded
 * body contains `marker`; waits up to `timeoutMs`.  Returns the body text.
 */
async function readMail(email, marker, timeoutMs = 5000)
{
	assert.ok(DATA_DIR, 'KHIBRA_TEST_DATA is not set: the outbox cannot be read');
	const dir = path.join(DATA_DIR, 'outbox');
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).sort().reverse() : [];
		for (const f of files) {
			const raw = fs.readFileSync(path.join(dir, f), 'utf8');
			const to = /^To:\s*(.*)$/im.exec(raw);
			if (!to || !to[1].includes(email))
				continue;
			const body = decodeMail(raw);
			if (body.includes(marker))
				return body;
		}
		if (Date.now() > deadline)
			assert.fail(`no mail to ${email} containing ${marker} in ${dir}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

/* mailLink: the first link in that message whose path starts with `pathPrefix`;
 * returned relative (path and query), to be opened against BASE_URL. */
async function mailLink(email, pathPrefix)
{
	const body = await readMail(email, pathPrefix);
	const m = new RegExp(`https?://[^\\s/]+(${pathPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\\s]*)`).exec(body);
	assert.ok(m, `a ${pathPrefix} link in the mail to ${email}`);
	return m[1];
}

module.exports = {
	BASE_URL, DATA_DIR, ROOT, SCREENSHOTS, LANGS, VIEWPORTS, DEMO_USERS, DEMO_PASSWORD,
	browser, closeBrowser, newContext, variants, journey, screenshot, uniqueEmail,
	expectPage, submit, register, login, logout, apiRegister, loginAs, readMail, mailLink, decodeMail,
};

/* ---- helpers of the journeys (organisation, specialist, help) ---- */

let catalogue = null;

/* poString: the text of a PO string: its quoted pieces joined, unescaped. */
function poString(lines)
{
	return lines.map((l) => JSON.parse(l.replace(/^(msgid|msgstr)\s+/, ''))).join('');
}

/* tr: what the site shows for English msgid `msgid` in `lang` — the msgstr
 * of po/ar.po for Arabic (the msgid itself when it has none yet). */
function tr(lang, msgid)
{
	if (lang !== 'ar')
		return msgid;
	if (!catalogue) {
		catalogue = new Map();
		const text = fs.readFileSync(path.join(ROOT, 'po', 'ar.po'), 'utf8');
		for (const entry of text.split(/\n\s*\n/)) {
			const lines = entry.split('\n').filter((l) => !l.startsWith('#'));
			const id = [], str = [];
			let into = null;
			for (const l of lines) {
				if (l.startsWith('msgid ')) into = id;
				else if (l.startsWith('msgstr ')) into = str;
				else if (!l.startsWith('"')) { into = null; continue; }
				if (into) into.push(l);
			}
			if (id.length && str.length) {
				const s = poString(str);
				if (s) catalogue.set(poString(id), s);
			}
		}
	}
	return catalogue.get(msgid) || msgid;
}

/* minimalPdf: a small valid one-page PDF (a few hundred bytes) showing `title`. */
function minimalPdf(title)
{
	const content = `BT /F1 12 Tf 40 780 Td (${title.replace(/[()\\]/g, '')}) Tj ET`;
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		`<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
	];
	let out = '%PDF-1.4\n';
	const offsets = [];
	objects.forEach((o, i) => { offsets.push(out.length); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
	const xref = out.length;
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const off of offsets)
		out += `${String(off).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(out, 'latin1');
}

const RIYADH_MS = 3 * 3600 * 1000;

/* riyadh: a moment as Riyadh wall-clock parts { date 'YYYY-MM-DD', time 'HH:MM',
 * local 'YYYY-MM-DDTHH:MM' (for datetime-local inputs), weekday 0 = Sunday }. */
function riyadh(ms)
{
	const d = new Date(ms + RIYADH_MS);
	const iso = d.toISOString();
	return { date: iso.slice(0, 10), time: iso.slice(11, 16), local: iso.slice(0, 16), weekday: d.getUTCDay() };
}

/* nextRiyadhDay: the date ('YYYY-MM-DD') of the first `weekday` (0 = Sunday)
 * in Riyadh at least `minDays` days from now. */
function nextRiyadhDay(weekday, minDays = 1)
{
	let ms = Date.now() + minDays * 86400000;
	while (riyadh(ms).weekday !== weekday)
		ms += 86400000;
	return riyadh(ms).date;
}

/* demoContext: a second browser context for the same variant, logged in as
 * the demo user of `role` (lib.js loginAs); the language cookie keeps its
 * pages in the variant's language.  Close it with context.close(). */
async function demoContext(j, role)
{
	const context = await newContext({ lang: j.lang, viewport: j.viewport, js: j.js, langCookie: true });
	await loginAs(context, role);
	return context;
}

/* userContext: a second browser context for the same variant with a fresh
 * account of `role` (registered and logged in through the API), in the
 * variant's language.  Returns { context, who: { name, email, password } }. */
async function userContext(j, role, prefix)
{
	const context = await newContext({ lang: j.lang, viewport: j.viewport, js: j.js, langCookie: true });
	const who = await apiRegister(context, role, { email: j.unique(prefix || role), name: `${prefix || role} ${crypto.randomBytes(2).toString('hex')}` });
	const res = await context.request.post('/api/v1/auth/login', { data: { email: who.email, password: who.password } });
	const text = await res.text();
	assert.equal(res.status(), 200, `log-in as ${who.email}: ${text}`);
	context.khibraHeaders = { ...context.khibraHeaders, 'X-CSRF-Token': JSON.parse(text).csrf_token };
	await context.setExtraHTTPHeaders(context.khibraHeaders);
	return { context, who };
}

/* expectNotice: the page shows a success notice (role=status) containing `text`. */
async function expectNotice(page, text)
{
	const notice = page.locator('main .alert-success[role="status"]');
	assert.ok(await notice.first().isVisible(), `a success notice on ${page.url()}`);
	if (text)
		assert.match(await notice.first().textContent(), new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
			     `the notice on ${page.url()}`);
}

/* expectNoTemplateText: no template syntax leaked into the page's text (a
 * `}}` inside a {{! comment }} once ended the comment early). */
async function expectNoTemplateText(page)
{
	const text = await page.locator('body').textContent();
	assert.doesNotMatch(text, /\{\{|\}\}/, `template text shown on ${page.url()}`);
}

Object.assign(module.exports, { tr, minimalPdf, riyadh, nextRiyadhDay, demoContext, userContext, expectNotice,
				expectNoTemplateText });

/* ---- moderation queues ---- */

/*
 * findQueued: on /moderation, the card of queue `queue` ('orgs' or
 * 'credentials') that has `has` (a locator of the page) inside it and
 * contains every text of `texts`; follows the queue's "next" link (the
 * queues page by 50) until it is found, and fails when the queue ends first.
 * Leaves `page` on the queue page that shows it.
 */
async function findQueued(page, queue, { has, texts = [] } = {})
{
	await page.goto('/moderation');
	for (let pages = 1; ; pages++) {
		let card = page.locator(`main section[aria-labelledby="${queue}-heading"] article`, has ? { has } : {});
		for (const text of texts)
			card = card.filter({ hasText: text });
		if (await card.count() > 0)
			return card.first();
		const next = page.locator(`main a#${queue}-next[rel="next"]`);
		if (await next.count() === 0 || pages > 100)
			assert.fail(`no ${queue} card with ${texts.join(', ') || 'that item'} in the moderation queue (${pages} pages)`);
		await submit(page, next);
	}
}

/* approveButton: the approve (verify) button of a moderation card. */
function approveButton(card)
{
	return card.locator('form:has(input[name="decision"][value="approve"]) button[type="submit"]');
}

Object.assign(module.exports, { findQueued, approveButton });
