// The loader before and at intent: a page load leaves the visitor's storage and cookies empty
// and fetches nothing of Parlo but the loader; on intent it loads one widget bundle, the
// chat alone for a channel without a pre-chat form (the demo shop, `demo`), the widget with
// lead forms inside for one with a pre-chat form (`demo-prechat`), which shows that form
// without the separate forms bundle (one yew renders the whole widget). The channel's
// configuration is requested once: the loader reads it to choose the bundle and hands it to
// the widget. A copy of the package loaded by its own `loader.js` (as from a CDN) finds the
// bundles beside it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { ParloServer } from './lib/server.mjs';
import { formSel } from './lib/forms.mjs';
import { botSays, sel, until } from './lib/widget.mjs';

const CHAT = ['/pkg/parlo_widget.js', '/pkg/parlo_widget_bg.wasm'];
const PRE_CHAT = ['/pkg/prechat/parlo_prechat.js', '/pkg/prechat/parlo_prechat_bg.wasm'];
const FORMS = ['/pkg/forms/parlo_forms.js', '/pkg/forms/parlo_forms_bg.wasm'];

let server;
let browser;

before(async () => {
  server = await ParloServer.start({ name: 'loader' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

/** Everything the visitor's browser keeps for the page's origin. */
function kept(page) {
  return page.evaluate(() => ({
    localStorage: Object.keys(localStorage),
    sessionStorage: Object.keys(sessionStorage),
    cookies: document.cookie,
  }));
}

for (const [path, channel, bundle, other] of [
  ['/', 'demo', CHAT, PRE_CHAT],
  ['/pre-chat.html', 'demo-prechat', PRE_CHAT, CHAT],
]) {
  test(`${path}: nothing stored before intent, then the widget's bundle for its channel`, { timeout: 60_000 }, async (t) => {
    const { context, page } = await newPage(browser);
    t.after(() => context.close());
    const fetched = [];
    page.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith('/pkg/') || pathname.startsWith('/api/')) fetched.push(pathname);
    });
    try {
      await page.goto(`${server.url}${path}`);
      await page.locator(sel.launcher).waitFor({ state: 'visible', timeout: 20_000 });
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(1_000);
      assert.deepEqual(await kept(page), { localStorage: [], sessionStorage: [], cookies: '' }, 'nothing kept');
      assert.deepEqual(fetched, [], 'nothing of Parlo fetched but the loader');
      assert.deepEqual((await context.cookies()).map((c) => c.name), [], 'no cookies');

      await page.locator(sel.launcher).hover();
      await until(() => bundle.every((p) => fetched.includes(p)), Boolean, { what: `${bundle.join(', ')} loaded` });
      await page.locator(sel.launcher).click();
      await page.locator(sel.panel).waitFor({ state: 'visible', timeout: 20_000 });
      const shown = bundle === PRE_CHAT ? formSel.input('name') : sel.composer;
      await page.locator(shown).waitFor({ state: 'visible', timeout: 20_000 });
      for (const p of [...other, ...FORMS]) assert.ok(!fetched.includes(p), `${p} not loaded`);
      const config = `/api/public/v1/channels/${channel}`;
      assert.equal(fetched.filter((p) => p === config).length, 1, `${config} requested once`);
      assert.deepEqual(page.problems, [], 'no page errors');
    } catch (error) {
      await saveFailureScreenshot(page, `loader${path.replace(/\W+/g, '-')}`);
      error.message += `\nfetched: ${fetched.join(' ')}\npage problems:\n${page.problems.join('\n')}`;
      throw error;
    }
  });
}

test('a copy of the package (as on a CDN): <script src=".../loader.js" data-channel> loads the bundles beside it', { timeout: 60_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  const fetched = [];
  page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CDN copy</title>
<script type="module" async src="/pkg/loader.js" data-channel="demo"></script></head><body><h1>Shop</h1></body></html>`;
  await page.route(`${server.url}/cdn-copy.html`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  try {
    await page.goto(`${server.url}/cdn-copy.html`);
    await page.locator(sel.launcher).click({ timeout: 20_000 });
    await botSays(page, 'Welcome to Bloom & Brew');
    assert.ok(CHAT.every((p) => fetched.includes(p)), 'the chat bundle beside loader.js');
    assert.deepEqual(page.problems, [], 'no page errors');
  } catch (error) {
    await saveFailureScreenshot(page, 'loader-cdn-copy');
    error.message += `\nfetched: ${fetched.join(' ')}\npage problems:\n${page.problems.join('\n')}`;
    throw error;
  }
});
