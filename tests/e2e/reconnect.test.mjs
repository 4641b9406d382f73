// The realtime connection breaks mid-conversation and comes back: every message must then be
// shown exactly once, in seq order, nothing missing — the same list as `GET /messages`.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { TcpProxy } from './lib/proxy.mjs';
import { ParloServer } from './lib/server.mjs';
import {
  botSays,
  openWidget,
  pressButton,
  renderedMessages,
  sel,
  sessionToken,
  typeAndSend,
  until,
} from './lib/widget.mjs';

let server;
let proxy;
let browser;

before(async () => {
  proxy = await TcpProxy.start();
  server = await ParloServer.start({ name: 'reconnect', extraOrigins: [proxy.origin] });
  proxy.targetPort = server.port;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await proxy?.close();
  await server?.dispose();
});

/** Records the URL of every realtime stream request the page makes. */
function watchStreams(page) {
  const streams = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.endsWith('/events')) streams.push(request.url());
  });
  return streams;
}

/**
 * Waits until the widget shows exactly the stored conversation of `token` (same seqs, same
 * authors, each text shown), and at least `minimum` messages.
 */
async function assertShowsHistory(page, token, minimum) {
  let history = [];
  const shown = await until(
    async () => {
      history = await server.history(token);
      return renderedMessages(page);
    },
    (rendered) =>
      history.length >= minimum &&
      rendered.length === history.length &&
      rendered.every((m, i) => m.seq === history[i].seq),
    { timeout: 45_000, interval: 300, what: `the widget to show the ${minimum}+ stored messages` },
  ).catch((error) => {
    error.message += `\nstored seqs: ${history.map((m) => m.seq)}`;
    throw error;
  });
  const seqs = shown.map((m) => m.seq);
  assert.equal(new Set(seqs).size, seqs.length, `no duplicates: ${seqs}`);
  assert.deepEqual(seqs, history.map((m) => m.seq), 'same seqs as GET /messages, in order');
  for (const [i, message] of history.entries()) {
    assert.equal(shown[i].author, message.author === 'visitor' ? 'visitor' : 'bot', `author of seq ${message.seq}`);
    const start = message.content.text.trim().slice(0, 24);
    assert.ok(shown[i].text.includes(start), `seq ${message.seq} shows "${start}…", got "${shown[i].text}"`);
  }
  return seqs;
}

test('network drop while a delayed bot message and another tab\'s messages arrive', { timeout: 120_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  const streams = watchStreams(page);
  try {
    // The page talks to the server through the proxy, so the test can cut its connections.
    await page.goto(`${proxy.origin}/`);
    await openWidget(page);
    await botSays(page, 'Welcome to Bloom & Brew');
    await pressButton(page, 'Get our newsletter');
    await botSays(page, /e-mail address/i);
    const token = await sessionToken(page);
    assert.ok(token, 'session token in localStorage');

    // The answer is stored at once; the bot's thanks follows after an 800 ms delay step.
    await typeAndSend(page, 'grace@example.com');
    await until(
      () => page.locator(`${sel.visitor}[data-seq]`).filter({ hasText: 'grace@example.com' }).count(),
      (n) => n === 1,
      { what: 'the e-mail answer to be stored (data-seq set)' },
    );
    const streamsBeforeDrop = streams.length;
    assert.ok(streamsBeforeDrop >= 1, 'the widget had opened the realtime stream');

    // The network drops: every connection (the stream included) is cut, the browser is offline.
    proxy.block();
    await context.setOffline(true);
    await until(
      () => server.history(token),
      (h) => h.some((m) => m.content.text.includes("You're on the list")),
      { what: 'the delayed thanks to be stored while the page is cut off' },
    );
    // Meanwhile the same visitor writes from another tab: more messages the page misses.
    await server.sendText(token, 'What are your opening hours?');
    await server.sendText(token, 'Do you deliver?');
    await new Promise((r) => setTimeout(r, 2_500));
    assert.equal(
      await page.locator(sel.bot).filter({ hasText: /we deliver bouquets/i }).count(),
      0,
      'the page really was cut off (it did not get the new messages)',
    );
    await context.setOffline(false);
    proxy.unblock();

    await botSays(page, "You're on the list", { timeout: 45_000 });
    await botSays(page, /we deliver bouquets/i, { timeout: 45_000 });
    await assertShowsHistory(page, token, 9);
    assert.ok(streams.length > streamsBeforeDrop, `the widget reopened the stream: ${streams.join(' ')}`);
  } catch (error) {
    await saveFailureScreenshot(page, 'reconnect-drop-failure');
    error.message += `\npage problems:\n${page.problems.join('\n')}\nserver log:\n${server.tail()}`;
    throw error;
  }
});

test('server restart on the same data dir and port: the stream resumes without gaps', { timeout: 120_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  const streams = watchStreams(page);
  try {
    await page.goto(`${server.url}/`);
    await openWidget(page);
    await botSays(page, 'Welcome to Bloom & Brew');
    await typeAndSend(page, 'menu');
    await botSays(page, /favourites/i);
    const token = await sessionToken(page);
    assert.ok(token, 'session token in localStorage');
    const earlier = await server.history(token);

    // Kill the server; keep the widget's reconnect attempts failing until new messages exist.
    await page.route('**/events*', (route) => route.abort('connectionrefused'));
    const streamsBeforeRestart = streams.length;
    await server.restart();
    await server.sendText(token, 'hours');
    await server.sendText(token, 'delivery');
    await new Promise((r) => setTimeout(r, 1_000));
    await page.unroute('**/events*');

    await botSays(page, /we're open monday/i, { timeout: 45_000 });
    await botSays(page, /we deliver bouquets/i, { timeout: 45_000 });
    const seqs = await assertShowsHistory(page, token, earlier.length + 4);
    assert.ok(streams.length > streamsBeforeRestart, `the widget reopened the stream: ${streams.join(' ')}`);

    // And the conversation goes on from the page itself.
    await typeAndSend(page, 'hello');
    await until(() => server.history(token), (h) => h.length > seqs.length + 1, { what: 'the new turn to be stored' });
    await assertShowsHistory(page, token, seqs.length + 2);
  } catch (error) {
    await saveFailureScreenshot(page, 'reconnect-restart-failure');
    error.message += `\npage problems:\n${page.problems.join('\n')}\nserver log:\n${server.tail()}`;
    throw error;
  }
});
