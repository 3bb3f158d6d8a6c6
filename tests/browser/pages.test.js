'use strict';
/*
 * pages.test.js — for every page of pages.js, in Arabic and in English (as a
 * visitor or logged in, as the list says), on a desktop with JavaScript on:
 *
 *   accessibility  axe-core in the page, light colour scheme (all rules) and
 *                  dark (colour contrast): no violation of impact "serious"
 *                  or "critical"; each is printed with rule, impact, target
 *                  and help URL.
 *   weight         bytes transferred for the document and everything it
 *                  loads (CSS, JS, images, icons), counted as on the wire:
 *                  response headers + body as sent, i.e. gzip-compressed when
 *                  the server compresses (it does for HTML, CSS, JS, SVG), no
 *                  cache: < 100 000 bytes.  Every request stays on the site.
 *   html           the HTML as served, through `tidy -q -e --show-warnings
 *                  yes`: no error and no warning, except the allow-list below.
 *   phone-width    at 360×740 the page does not scroll sideways.
 */
const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const axe = require('axe-core');
const { LANGS, BASE_URL, newContext, loginAs } = require('./lib.js');
const PAGES = require('./pages.js');

const WEIGHT_LIMIT = 100000; /* bytes */
const SEVERE = new Set(['serious', 'critical']);

/*
 * What tidy 5.6 (Debian 12) calls "proprietary" but HTML5 or WAI-ARIA 1.1
 * define.  Each entry is one exact message; nothing broader.
 */
const TIDY_ALLOWED = new Set([
	'<input> proprietary attribute "inputmode"',    /* HTML5: virtual keyboard (e-mail, numbers) */
	'<input> proprietary attribute "minlength"',    /* HTML5: constraint validation */
	'<textarea> proprietary attribute "minlength"', /* HTML5: constraint validation */
	'<a> proprietary attribute "aria-current"',     /* WAI-ARIA 1.1: the current page in a nav */
]);

/* axeViolations: run axe-core in the page (injected through the DevTools
 * protocol, which the page's CSP does not govern) and keep the severe ones. */
async function axeViolations(page, options)
{
	if (!(await page.evaluate(() => typeof window.axe !== 'undefined')))
		await page.evaluate(axe.source);
	const result = await page.evaluate((opts) => window.axe.run(document, opts), options);
	return result.violations.filter((v) => SEVERE.has(v.impact));
}

function describeViolations(violations)
{
	return violations.map((v) => `  ${v.id} (${v.impact}): ${v.help}\n    ${v.helpUrl}\n` +
		v.nodes.slice(0, 5).map((n) => `    at ${n.target.join(' ')}: ${n.failureSummary.replace(/\n/g, ' ')}`).join('\n')).join('\n');
}

/* tidyProblems: tidy's warnings and errors for `html` that are not allowed. */
function tidyProblems(html)
{
	const run = spawnSync('tidy', ['-q', '-e', '--show-warnings', 'yes', '--show-info', 'no', '-utf8'],
		{ input: html, encoding: 'utf8' });
	assert.ok(!run.error, `cannot run tidy (apt-get install tidy): ${run.error && run.error.message}`);
	const problems = [];
	for (const line of run.stderr.split('\n')) {
		const m = /^line \d+ column \d+ - (Warning|Error): (.*)$/.exec(line.trim());
		if (m && !(m[1] === 'Warning' && TIDY_ALLOWED.has(m[2])))
			problems.push(line.trim());
		else if (!m && line.trim() && !/^(Info|Tidy found|This document|$)/.test(line.trim()))
			problems.push(line.trim());
	}
	if (run.status === 2 && problems.length === 0)
		problems.push(`tidy exited with 2: ${run.stderr}`);
	return problems;
}

/* pathOf: resolve a pages.js path (string or look-up function). */
async function pathOf(entry, context)
{
	if (typeof entry.path === 'string')
		return entry.path;
	const contexts = [];
	const as = async (role) => {
		const c = await newContext({});
		contexts.push(c);
		await loginAs(c, role);
		return c.request;
	};
	try {
		return await entry.path(as);
	} finally {
		for (const c of contexts)
			await c.close();
	}
}

describe('pages', { concurrency: 4 }, () => {
	for (const entry of PAGES) {
		for (const lang of LANGS) {
			const label = `${entry.name} ${lang} ${entry.login ? `as ${entry.login}` : 'as visitor'}`;
			test(label, async (t) => {
				const context = await newContext({ lang, viewport: 'desktop', js: true, langCookie: true });
				try {
					if (entry.login)
						await loginAs(context, entry.login);
					const path = await pathOf(entry, context);
					const page = await context.newPage();
					const finished = [];
					page.on('requestfinished', (req) => finished.push(req));
					const res = await page.goto(path, { waitUntil: 'load' });
					await page.waitForLoadState('networkidle');
					assert.equal(res.status(), entry.status || 200, `status of ${path}`);
					assert.equal(await page.getAttribute('html', 'lang'), lang, `language of ${path}`);
					const html = await res.text();

					await t.test('accessibility', async () => {
						const light = await axeViolations(page, { resultTypes: ['violations'] });
						/* The context prefers reduced motion: no colour transition
						 * is caught half-way by the contrast check. */
						await page.emulateMedia({ colorScheme: 'dark' });
						const dark = await axeViolations(page, { runOnly: ['color-contrast'], resultTypes: ['violations'] });
						await page.emulateMedia({ colorScheme: 'light' });
						const all = [...light, ...dark.map((v) => ({ ...v, id: `${v.id} [dark]` }))];
						assert.equal(all.length, 0, `axe on ${path} (${lang}):\n${describeViolations(all)}`);
					});

					await t.test('weight', async () => {
						let total = 0;
						const lines = [];
						for (const req of finished) {
							assert.ok(req.url().startsWith(`${BASE_URL}/`), `request off the site: ${req.url()}`);
							const s = await req.sizes();
							const n = s.responseHeadersSize + s.responseBodySize;
							total += n;
							lines.push(`  ${n} ${req.url().slice(BASE_URL.length)}`);
						}
						t.diagnostic(`${path} ${lang}: ${total} bytes in ${finished.length} requests`);
						assert.ok(total < WEIGHT_LIMIT, `${path} weighs ${total} bytes (limit ${WEIGHT_LIMIT}):\n${lines.join('\n')}`);
					});

					await t.test('html', async () => {
						const problems = tidyProblems(html);
						assert.equal(problems.length, 0, `tidy on ${path} (${lang}):\n  ${problems.join('\n  ')}`);
					});

					await t.test('phone-width', async () => {
						await page.setViewportSize({ width: 360, height: 740 });
						const wide = await page.evaluate(() => {
							const w = document.documentElement.clientWidth;
							const out = [];
							for (const el of document.querySelectorAll('body *')) {
								const r = el.getBoundingClientRect();
								if (r.width && (r.right > w + 1 || r.left < -1) && !el.closest('.table-wrap'))
									out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')}`);
							}
							return { scroll: document.documentElement.scrollWidth, width: w, out: out.slice(0, 8) };
						});
						assert.ok(wide.scroll <= wide.width, `${path} (${lang}) is ${wide.scroll}px wide at ${wide.width}px: ${wide.out.join(', ')}`);
					});
				} finally {
					await context.close();
				}
			});
		}
	}
});
