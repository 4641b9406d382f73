// A visitor who writes faster than the session's message limit: the server answers 429, the
// widget says "slow down" instead of failing, waits as long as `Retry-After` says (readable
// from the page's own origin, which is not the server's), and every message is stored once.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { HostSite } from './lib/host.mjs';
import { ParloServer } from './lib/server.mjs';
import { botSays, openWidget, sel, sessionToken, typeAndSend, until } from './lib/widget.mjs';

/** Messages per session per minute on this server: one more every 3 s after a burst of 20. */
const LIMIT = 20;
/** Messages the visitor sends in one burst: two past the limit. */
const SENT = LIMIT + 2;

let site;
let server;
let browser;

before(async () => {
  site = await HostSite.start();
  server = await ParloServer.start({
    name: 'slow-down',
    extraOrigins: [site.origin],
    env: { PARLO_MESSAGE_RATE_LIMIT: String(LIMIT) },
  });
  site.pages['/'] = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shop</title><link rel="icon" href="data:,">
<script type="module" async src="${server.url}/embed.js" data-channel="demo"></script>
</head><body><h1>A shop on another origin</h1></body></html>`;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
  await site?.close();
});

test('past the message limit the widget says "slow down", waits Retry-After, and sends everything once', { timeout: 120_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  // Every message request: when it was sent, and its status and Retry-After.
  const posts = [];
  page.on('requestfinished', async (request) => {
    if (request.method() !== 'POST' || !request.url().endsWith('/messages')) return;
    const response = await request.response();
    posts.push({
      id: request.postDataJSON().id,
      at: request.timing().startTime + request.timing().requestStart,
      status: response.status(),
      retryAfter: Number(await response.headerValue('retry-after')),
    });
  });
  const statuses = [];
  try {
    await page.goto(`${site.origin}/`);
    await openWidget(page);
    await botSays(page, 'Welcome to Bloom & Brew');
    await until(() => page.locator(sel.status).getAttribute('data-parlo-status'), (s) => s === 'online', { what: 'status online' });
    await page.exposeFunction('statusSeen', (status) => statuses.push(status));
    await page.locator(sel.status).evaluate((element) => {
      new MutationObserver(() => window.statusSeen(element.textContent)).observe(element, { childList: true, subtree: true, characterData: true });
    });

    const texts = Array.from({ length: SENT }, (_, i) => `quick note ${i + 1}`);
    for (const text of texts) await typeAndSend(page, text);

    const token = await sessionToken(page);
    await until(
      () => server.history(token),
      (history) => history.filter((m) => m.author === 'visitor').length >= SENT,
      { timeout: 60_000, what: `all ${SENT} messages to be stored` },
    );
    await until(() => page.locator(sel.status).getAttribute('data-parlo-status'), (s) => s === 'online', { what: 'status online again' });
    await new Promise((r) => setTimeout(r, 1_000));

    const stored = (await server.history(token)).filter((m) => m.author === 'visitor').map((m) => m.content.text);
    assert.deepEqual([...stored].sort(), [...texts].sort(), 'every message stored exactly once');
    assert.ok(
      statuses.some((s) => s.includes('Slow down')),
      `the header said "slow down" while messages waited; it showed: ${JSON.stringify(statuses)}`,
    );
    assert.equal(await page.locator('.parlo-retry').count(), 0, 'no message is shown as "Not sent"');

    const refused = posts.filter((p) => p.status === 429);
    assert.ok(refused.length > 0, `the server refused some messages: ${JSON.stringify(posts)}`);
    // Each retry of a refused message came no sooner than the refusal's Retry-After.
    const sorted = [...posts].sort((a, b) => a.at - b.at);
    const waited = refused.map((r) => {
      const retry = sorted.find((p) => p.id === r.id && p.at > r.at);
      return { retryAfterMs: r.retryAfter * 1000, retriedAfterMs: retry ? retry.at - r.at : null };
    });
    assert.ok(
      waited.every((w) => w.retryAfterMs >= 1000 && w.retriedAfterMs !== null && w.retriedAfterMs >= w.retryAfterMs - 100),
      `retries honour Retry-After: ${JSON.stringify(waited)}`,
    );
    assert.deepEqual(page.problems.filter((p) => !p.includes('429')), [], 'no page errors besides the 429 answers');
  } catch (error) {
    await saveFailureScreenshot(page, 'slow-down-failure');
    error.message += `\npage problems:\n${page.problems.join('\n')}\nserver log:\n${server.tail()}`;
    throw error;
  }
});
