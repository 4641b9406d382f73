// The embed snippet on a host page of ANOTHER origin than parlo-server's (a tiny node server on
// another port): with that origin in the channel's allowed origins the widget works; with an
// origin that is not allowed the API answers 403 problem+json and the widget stays usable
// (opens, shows its state, keeps the visitor's message as not sent) instead of breaking.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { HostSite } from './lib/host.mjs';
import { ParloServer } from './lib/server.mjs';
import { botSays, openWidget, sel, typeAndSend, until } from './lib/widget.mjs';

let server;
let allowedSite;
let deniedSite;
let browser;

/** A host page that embeds the widget with the one-line snippet pointing at parlo-server. */
const hostPage = (parloUrl, title) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${title}</title>
  <link rel="icon" href="data:,">
  <script type="module" async src="${parloUrl}/embed.js" data-channel="demo"></script>
</head>
<body><h1>${title}</h1><p>A shop on another origin.</p></body>
</html>`;

before(async () => {
  allowedSite = await HostSite.start();
  deniedSite = await HostSite.start();
  server = await ParloServer.start({ name: 'cross-origin', extraOrigins: [allowedSite.origin] });
  allowedSite.pages['/'] = hostPage(server.url, 'Allowed shop');
  deniedSite.pages['/'] = hostPage(server.url, 'Unknown shop');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
  await allowedSite?.close();
  await deniedSite?.close();
});

/** Public API requests of `page` with their statuses (0: failed, e.g. blocked by CORS). */
function watchApi(page) {
  const calls = [];
  page.on('requestfinished', async (request) => {
    if (!request.url().includes('/api/public/')) return;
    const response = await request.response();
    calls.push({ method: request.method(), url: request.url(), status: response?.status() ?? 0 });
  });
  page.on('requestfailed', (request) => {
    if (request.url().includes('/api/public/')) calls.push({ method: request.method(), url: request.url(), status: 0 });
  });
  return calls;
}

test('embedded from an allowed second origin, the widget chats with the server', { timeout: 120_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  const calls = watchApi(page);
  try {
    await page.goto(`${allowedSite.origin}/`);
    await openWidget(page);
    await botSays(page, 'Welcome to Bloom & Brew');
    await typeAndSend(page, 'What are your opening hours?');
    await botSays(page, /we're open monday/i);
    await until(() => page.locator(sel.status).getAttribute('data-parlo-status'), (s) => s === 'online', { what: 'status online' });

    // The bundle came from parlo-server's origin, the API answered the host origin's CORS requests.
    assert.ok(calls.length > 0, 'the widget called the public API');
    assert.deepEqual(calls.filter((c) => c.status === 0 || c.status >= 400), [], 'no failed API call');
    const header = await page.evaluate(async (url) => {
      const response = await fetch(url, { mode: 'cors' });
      return response.ok;
    }, `${server.url}/api/public/v1/channels/demo`);
    assert.equal(header, true, 'a CORS fetch of the channel from the allowed origin succeeds');
    assert.deepEqual(page.problems, [], 'no page errors, failed requests or console errors');
  } catch (error) {
    await saveFailureScreenshot(page, 'cross-origin-allowed-failure');
    error.message += `\npage problems:\n${page.problems.join('\n')}`;
    throw error;
  }
});

test('embedded from an origin that is not allowed: 403 problem+json, the widget does not break', { timeout: 120_000 }, async (t) => {
  // What the server answers that origin (Node's fetch is not subject to CORS, so it can read it).
  const answer = await fetch(`${server.url}/api/public/v1/channels/demo/sessions`, {
    method: 'POST',
    headers: { origin: deniedSite.origin, 'content-type': 'application/json' },
    body: '{}',
  });
  assert.equal(answer.status, 403);
  assert.match(answer.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const problem = await answer.json();
  assert.equal(problem.status, 403);
  assert.equal(problem.code, 'forbidden');
  assert.ok(problem.detail.includes(deniedSite.origin), `detail names the origin: ${problem.detail}`);

  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  const calls = watchApi(page);
  try {
    await page.goto(`${deniedSite.origin}/`);
    // The launcher is drawn and opens the panel (the bundle itself is served to every origin).
    await openWidget(page);
    assert.equal(await page.locator(sel.composer).count(), 1, 'the composer is there');

    // The widget cannot reach the API: the browser blocks the 403 (it carries no CORS header),
    // so the widget sees a network failure. It shows that it is not connected — never "Online"
    // — and keeps a message typed meanwhile as "Not sent — Retry".
    await until(
      () => page.locator(sel.status).getAttribute('data-parlo-status'),
      (s) => s !== null && s !== 'online',
      { what: 'a not-connected status' },
    );
    await typeAndSend(page, 'Hello?');
    await page.locator(sel.visitor).filter({ hasText: 'Hello?' }).waitFor({ state: 'visible', timeout: 15_000 });
    await page.locator(sel.panel).getByText(/not sent/i).waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await page.locator(sel.bot).count(), 0, 'no bot message');
    const status = await page.locator(sel.status).getAttribute('data-parlo-status');
    assert.notEqual(status, 'online', 'status is not online');
    const statusText = (await page.locator(sel.status).textContent()).trim();
    assert.ok(statusText.length > 0, 'the status is readable text');

    // The failed calls were the API's (blocked), and the page itself did not break.
    assert.ok(calls.length > 0 && calls.every((c) => c.status === 0 || c.status === 403), `API calls: ${JSON.stringify(calls)}`);
    assert.deepEqual(page.problems.filter((p) => p.startsWith('pageerror')), [], 'no uncaught page error');

    // The panel still closes and the launcher comes back.
    await page.keyboard.press('Escape');
    await page.locator(sel.launcher).waitFor({ state: 'visible', timeout: 5_000 });
    t.diagnostic(`denied origin: status "${statusText}" (${status}), ${calls.length} API calls, all blocked`);
  } catch (error) {
    await saveFailureScreenshot(page, 'cross-origin-denied-failure');
    error.message += `\npage problems:\n${page.problems.join('\n')}`;
    throw error;
  }
});

test('embedded from an origin that is not allowed, the widget says the site may not use the chat', {
  timeout: 60_000,
}, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  await page.goto(`${deniedSite.origin}/`);
  await openWidget(page);
  await page.locator(sel.panel).getByText(/isn't available on this website/i).waitFor({ state: 'visible', timeout: 15_000 });
  assert.equal(await page.locator(sel.status).getAttribute('data-parlo-status'), 'unavailable', 'no endless retries');
});
