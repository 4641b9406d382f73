// The widget and the lead forms under a strict Content Security Policy with Trusted Types:
// a shop on another origin than parlo-server's serves its page with the policy the README
// gives (no 'unsafe-inline', no 'unsafe-eval', no style-src at all,
// `require-trusted-types-for 'script'`). The launcher draws, the widget with its pre-chat form
// loads, the visitor submits the pre-chat form (the page hears `lead`) and chats, a lead form
// on the page submits — and the browser reports no violation of the policy. A control at the
// end shows that violations are caught: an inline style and an `innerHTML` are reported.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { formSel, leadsOf, putForm } from './lib/forms.mjs';
import { HostSite } from './lib/host.mjs';
import { ParloServer } from './lib/server.mjs';
import { botSays, openWidget, sel, typeAndSend, until } from './lib/widget.mjs';

const CHANNEL = 'demo-prechat';
const PRE_CHAT_FORM = 'chat_intro';

/** A lead form of the page itself (no minimum fill time: a script fills it). */
const PAGE_FORM = {
  id: 'csp_newsletter',
  name: 'Newsletter',
  channel_id: 'demo',
  min_fill_ms: 0,
  fields: [{ name: 'email', type: 'email', label: 'E-mail', required: true }],
};

/** The README's policy for a site embedding the Parlo server at `api` (an origin). */
const policy = (api) =>
  `default-src 'none'; script-src ${api} 'wasm-unsafe-eval'; connect-src ${api}; img-src ${api} https:; ` +
  "require-trusted-types-for 'script'";

const PAGE = (api) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Strict shop</title>
  <script type="module" async src="${api}/embed.js" data-channel="${CHANNEL}"></script>
</head>
<body>
  <h1>Strict shop</h1>
  <section id="newsletter"><parlo-form form="${PAGE_FORM.id}"></parlo-form></section>
</body>
</html>`;

let server;
let site;
let browser;
const headers = {};

before(async () => {
  site = await HostSite.start({}, headers);
  server = await ParloServer.start({ name: 'csp', extraOrigins: [site.origin] });
  headers['content-security-policy'] = policy(server.url);
  site.pages['/'] = PAGE(server.url);
  await putForm(server, PAGE_FORM);
  const form = await server.ok('GET', `/api/v1/forms/${PRE_CHAT_FORM}`, { key: server.key });
  await server.ok('PUT', `/api/v1/forms/${PRE_CHAT_FORM}`, { key: server.key, body: { ...form, min_fill_ms: 0 } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
  await site?.close();
});

/**
 * Before any script of the page: records every `securitypolicyviolation` in
 * `window.violations` and every `lead` event of the widget in `window.leads` (through the
 * embed snippet's command queue; an inline script would break the policy).
 */
function watch(page) {
  return page.addInitScript(() => {
    window.violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.violations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} ${e.sample}`),
    );
    window.leads = [];
    window.Parlo = { q: [['on', 'lead', (detail) => window.leads.push(detail)]] };
  });
}

/** What the console and the page said about the policy or Trusted Types. */
const cspProblems = (page) => page.problems.filter((p) => /Content Security Policy|Trusted ?Type|TrustedHTML|TrustedScript/i.test(p));

test('under a strict CSP with Trusted Types the visitor chats, a pre-chat and a page form submit, nothing is reported', { timeout: 120_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  await watch(page);
  try {
    const response = await page.goto(`${site.origin}/`);
    assert.equal(response.headers()['content-security-policy'], policy(server.url), 'the page is served with the policy');

    // The lead form of the page (the forms bundle).
    const pageForm = page.locator('#newsletter');
    await pageForm.locator(formSel.submit).waitFor({ state: 'visible', timeout: 20_000 });
    await pageForm.locator(formSel.input('email')).fill('grace@example.com');
    await pageForm.locator(formSel.submit).click();
    await pageForm.locator(formSel.done).waitFor({ timeout: 15_000 });
    await until(() => leadsOf(server, PAGE_FORM.id), (leads) => leads.length === 1, { what: 'the page form\'s lead' });

    // The launcher (drawn by the loader), styled by its adopted stylesheet.
    const launcher = page.locator(sel.launcher);
    await launcher.waitFor({ state: 'visible', timeout: 15_000 });
    const box = await launcher.boundingBox();
    assert.ok(box.width >= 56 && box.height >= 56, `the launcher is styled: ${JSON.stringify(box)}`);

    // The widget with its pre-chat form (the pre-chat bundle): submitting it creates a lead.
    await openWidget(page);
    const panel = page.locator(sel.panel);
    await panel.locator(formSel.submit).waitFor({ state: 'visible', timeout: 20_000 });
    await panel.locator(formSel.input('name')).fill('Ada Lovelace');
    await panel.locator(formSel.input('email')).fill('ada@example.com');
    await panel.locator(formSel.submit).click();
    await panel.locator(sel.composer).waitFor({ state: 'visible', timeout: 15_000 });
    await botSays(page, 'Hi Ada Lovelace, nice to meet you');
    const leads = await until(() => page.evaluate(() => window.leads), (l) => l.length > 0, { what: 'the lead event' });
    assert.equal(leads.length, 1, `one lead event, none for the page's own form: ${JSON.stringify(leads)}`);
    assert.equal(leads[0].form, PRE_CHAT_FORM);
    assert.equal(leads[0].values.email, 'ada@example.com');
    assert.ok(leads[0].acceptedAt, 'the server accepted it');
    assert.equal((await leadsOf(server, PRE_CHAT_FORM)).length, 1, 'the lead is stored');

    // The visitor chats; the panel has its colours (custom properties set through the CSSOM).
    await typeAndSend(page, 'Hello from a strict page');
    await page.locator(`${sel.visitor}[data-seq]`).filter({ hasText: 'Hello from a strict page' }).waitFor({ timeout: 15_000 });
    const background = await page.locator(`${sel.visitor} .parlo-msg__text`).first().evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.notEqual(background, 'rgba(0, 0, 0, 0)', 'the visitor bubble has its colour');

    assert.deepEqual(await page.evaluate(() => window.violations), [], 'no securitypolicyviolation event');
    assert.deepEqual(cspProblems(page), [], 'no CSP or Trusted Types error in the console');
    assert.deepEqual(page.problems.filter((p) => p.startsWith('pageerror')), [], 'no page error');

    // Control: the policy is enforced and its violations are seen.
    await page.evaluate(() => {
      document.body.setAttribute('style', 'outline: 1px solid red');
      try {
        document.body.insertAdjacentHTML('beforeend', '<b>x</b>');
      } catch {}
    });
    const caught = await until(() => page.evaluate(() => window.violations), (v) => v.length >= 2, { what: 'the control violations' });
    assert.ok(caught.some((v) => v.startsWith('style-src')), `inline style reported: ${caught}`);
    assert.ok(caught.some((v) => v.startsWith('require-trusted-types-for')), `innerHTML reported: ${caught}`);
  } catch (error) {
    await saveFailureScreenshot(page, 'csp');
    error.message += `\nviolations: ${JSON.stringify(await page.evaluate(() => window.violations).catch(() => null))}`;
    error.message += `\npage problems:\n${page.problems.join('\n')}`;
    throw error;
  }
});
