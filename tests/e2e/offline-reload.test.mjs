// A visitor message is sent exactly once, even across a reload: typed while the browser is
// offline or while the server cannot be reached, it stays in the log as pending ("Sending…",
// or "Not sent — Retry" once a send has failed) and in localStorage with its id; after a
// reload it is shown again as pending and sent with the same id once the server can be
// reached. The server stores it once — also when it stored a first send whose answer was
// lost — and the widget shows it once.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { ParloServer } from './lib/server.mjs';
import { botSays, ensureOpen, openWidget, sel, sessionToken, typeAndSend, until } from './lib/widget.mjs';

/** localStorage key of the demo channel's unsent messages (src/storage.rs). */
const UNSENT_KEY = 'parlo:demo:unsent';

let server;
let browser;

before(async () => {
  server = await ParloServer.start({ name: 'offline-reload' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

/** The unsent messages the widget keeps (`[id, text, payload]` each), `[]` when none. */
async function unsent(page) {
  return JSON.parse((await page.evaluate((key) => localStorage.getItem(key), UNSENT_KEY)) ?? '[]');
}

/** The visitor bubbles showing `text`. */
function bubbles(page, text) {
  return page.locator(sel.visitor).filter({ hasText: text });
}

/**
 * A fresh page with the demo chat open, its session started and its event stream open (a
 * stream still opening when the test goes offline would, once open, show the widget online).
 */
async function chatting(t) {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  await page.goto(`${server.url}/`);
  await openWidget(page);
  await botSays(page, 'Welcome to Bloom & Brew');
  await page.locator('[data-parlo-status="online"]').waitFor({ timeout: 15_000 });
  return { context, page, token: await sessionToken(page) };
}

/**
 * Waits until `text` is stored and shown: one bubble, with its seq and no pending state; the
 * conversation of `token` holds exactly one visitor message `text`, and nothing is left unsent.
 */
async function storedOnce(page, token, text) {
  const bubble = bubbles(page, text);
  await page.locator(`${sel.visitor}[data-seq]`).filter({ hasText: text }).waitFor({ timeout: 45_000 });
  await until(() => bubble.count(), (n) => n === 1, { what: `one bubble "${text}"` });
  assert.equal(await bubble.getByText('Sending…').count(), 0, 'no longer pending');
  assert.equal(await bubble.locator('.parlo-retry').count(), 0, 'not shown as failed');
  await until(() => unsent(page), (list) => list.length === 0, { what: 'nothing left unsent in localStorage' });
  const history = await server.history(token);
  const stored = history.filter((m) => m.author === 'visitor' && m.content.text === text);
  assert.equal(stored.length, 1, `stored exactly once: ${JSON.stringify(stored)}`);
  assert.equal(await bubble.getAttribute('data-seq'), String(stored[0].seq), 'shown as the stored message');
  return stored[0];
}

test('typed offline, kept across a reload while the server is unreachable, sent once when it is back', { timeout: 120_000 }, async (t) => {
  const { context, page, token } = await chatting(t);
  const text = 'Typed offline: do you roast on Mondays?';
  try {
    await context.setOffline(true);
    await page.locator(sel.status).getByText(/offline/i).waitFor({ timeout: 15_000 });
    await typeAndSend(page, text);
    // Shown at once as pending, in words (part of the log, so screen readers hear it too).
    const pending = bubbles(page, text);
    await pending.getByText('Sending…').waitFor({ state: 'visible', timeout: 5_000 });
    assert.equal(await pending.getAttribute('data-seq'), null, 'not stored');
    const kept = await unsent(page);
    assert.equal(kept.length, 1, `kept in localStorage: ${JSON.stringify(kept)}`);
    const [id, keptText] = kept[0];
    assert.equal(keptText, text);

    // Reload while the server cannot be reached (the page itself still loads).
    const isApi = (url) => url.pathname.startsWith('/api/public/');
    const unreachable = (route) => route.abort('internetdisconnected');
    await page.route(isApi, unreachable);
    await context.setOffline(false);
    await page.reload();
    await ensureOpen(page);
    // After the reload: the same message, once, still pending (sending, or not sent yet).
    await pending.first().waitFor({ timeout: 15_000 });
    assert.equal(await pending.count(), 1, 'shown once after the reload');
    await pending.getByText(/Sending…|Not sent/).waitFor({ timeout: 15_000 });
    assert.deepEqual((await unsent(page)).map((m) => m[0]), [id], 'still kept, with the same id');
    assert.equal((await server.history(token)).filter((m) => m.content.text === text).length, 0, 'not stored yet');

    // The server is reachable again: the widget reconnects and sends it, once.
    await page.unroute(isApi, unreachable);
    const message = await storedOnce(page, token, text);
    assert.equal(message.id, id, 'stored with the id it was given when typed');
  } catch (error) {
    await saveFailureScreenshot(page, 'offline-reload');
    error.message += `\npage problems:\n${page.problems.join('\n')}`;
    throw error;
  }
});

test('stored by the server but its answer lost: after a reload it is sent again with its id and stored once', { timeout: 120_000 }, async (t) => {
  const { page, token } = await chatting(t);
  const text = 'Answer lost: a kilo of the house blend, please';
  const isSend = (url) => url.pathname === '/api/public/v1/channels/demo/messages';
  let posts = 0;
  // Every send reaches the server, which stores it; the browser never gets the answer.
  const loseAnswer = async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    posts++;
    await route.fetch();
    await route.abort('connectionreset');
  };
  try {
    await page.route(isSend, loseAnswer);
    await typeAndSend(page, text);
    await until(() => posts, (n) => n >= 3, { timeout: 45_000, what: 'three sends of the message' });
    const history = await server.history(token);
    assert.equal(history.filter((m) => m.content.text === text).length, 1, 'the server stored it once');
    assert.equal((await unsent(page)).length, 1, 'no answer came: the widget still keeps it as unsent');

    await page.unroute(isSend, loseAnswer);
    await page.reload();
    await ensureOpen(page);
    await storedOnce(page, token, text);
  } catch (error) {
    await saveFailureScreenshot(page, 'offline-reload-lost-answer');
    error.message += `\npage problems:\n${page.problems.join('\n')}`;
    throw error;
  }
});

test('typed offline, sent once when the connection comes back, without a reload', { timeout: 90_000 }, async (t) => {
  const { context, page, token } = await chatting(t);
  const text = 'Back online: is the shop open today?';
  try {
    await context.setOffline(true);
    await page.locator(sel.status).getByText(/offline/i).waitFor({ timeout: 15_000 });
    await typeAndSend(page, text);
    await bubbles(page, text).getByText('Sending…').waitFor({ state: 'visible', timeout: 5_000 });
    await context.setOffline(false);
    await storedOnce(page, token, text);
  } catch (error) {
    await saveFailureScreenshot(page, 'offline-online');
    error.message += `\npage problems:\n${page.problems.join('\n')}`;
    throw error;
  }
});

test('left unsent with the panel closed: the next page loads the widget at once and sends it', { timeout: 120_000 }, async (t) => {
  const { page, token } = await chatting(t);
  const text = 'Sent from the next page: any oat milk?';
  const isSend = (url) => url.pathname === '/api/public/v1/channels/demo/messages';
  const refuse = (route) => (route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.continue());
  try {
    await page.route(isSend, refuse);
    await typeAndSend(page, text);
    await bubbles(page, text).locator('.parlo-retry').waitFor({ state: 'visible', timeout: 45_000 });
    await page.keyboard.press('Escape');
    await page.locator(sel.panel).waitFor({ state: 'hidden', timeout: 5_000 });
    await page.unroute(isSend, refuse);

    await page.reload();
    // Nobody opens the panel: the loader sees the unsent message and loads the widget.
    await until(
      async () => (await server.history(token)).filter((m) => m.content.text === text).length,
      (n) => n === 1,
      { timeout: 30_000, what: 'the message stored' },
    );
    assert.equal(await page.locator(sel.panel).count(), 0, 'the panel stayed closed');
    await openWidget(page);
    await storedOnce(page, token, text);
  } catch (error) {
    await saveFailureScreenshot(page, 'offline-reload-closed');
    error.message += `\npage problems:\n${page.problems.join('\n')}`;
    throw error;
  }
});
