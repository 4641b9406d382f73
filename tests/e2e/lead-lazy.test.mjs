// Lead forms have their own wasm bundle and load it only when needed: on the demo page (chat
// launcher at the top, the quote form further down) nothing but the loader is fetched until
// the visitor scrolls towards the form; then the forms bundle loads (not the chat widget's),
// and the chat widget still loads its own bundle on intent and chats beside the form.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { ParloServer } from './lib/server.mjs';
import { formReady, formSel } from './lib/forms.mjs';
import { botSays, openWidget, sel } from './lib/widget.mjs';

let server;
let browser;

before(async () => {
  server = await ParloServer.start({ name: 'lead-lazy' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

const WIDGET_BUNDLE = ['/pkg/parlo_widget.js', '/pkg/parlo_widget_bg.wasm'];
const FORMS_BUNDLE = ['/pkg/forms/parlo_forms.js', '/pkg/forms/parlo_forms_bg.wasm'];

test('the quote form further down loads the forms bundle only when scrolled to', { timeout: 120_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  const fetched = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/pkg/') || pathname.startsWith('/api/')) fetched.push(pathname);
  });
  try {
    await page.goto(`${server.url}/`);
    await page.locator(sel.launcher).waitFor({ state: 'visible', timeout: 20_000 });
    await page.waitForLoadState('networkidle');
    assert.deepEqual(fetched, [], 'nothing but the page and the loader before the visitor acts');

    await page.locator(formSel.host).scrollIntoViewIfNeeded();
    await formReady(page);
    for (const path of FORMS_BUNDLE) assert.ok(fetched.includes(path), `${path} loaded for the form`);
    assert.ok(fetched.includes('/api/public/v1/forms/quote'), 'the form definition fetched');
    for (const path of WIDGET_BUNDLE) assert.ok(!fetched.includes(path), `${path} not loaded for the form`);

    // The chat widget loads its own bundle on intent and works beside the form.
    await openWidget(page);
    await botSays(page, 'Welcome to Bloom & Brew');
    for (const path of WIDGET_BUNDLE) assert.ok(fetched.includes(path), `${path} loaded for the chat`);
    await formReady(page);
    assert.deepEqual(page.problems, [], 'no page errors');
  } catch (error) {
    await saveFailureScreenshot(page, 'lead-lazy');
    error.message += `\nfetched: ${fetched.join(' ')}\npage problems:\n${page.problems.join('\n')}`;
    throw error;
  }
});
