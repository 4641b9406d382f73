// A visitor chats with the demo bot on the demo site: greeting, buttons, a rejected and an
// accepted e-mail answer, the conversation restored after a reload, and the answer stored on
// the subscriber (read back through the management API).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { keepDocsScreenshot, launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { ParloServer } from './lib/server.mjs';
import {
  botSays,
  ensureOpen,
  openWidget,
  pressButton,
  renderedMessages,
  renderedSeqs,
  sel,
  sessionToken,
  strictlyIncreasing,
  typeAndSend,
  until,
} from './lib/widget.mjs';

let server;
let browser;

before(async () => {
  server = await ParloServer.start({ name: 'chat' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

test('newsletter sign-up in the widget is kept across reloads and stored on the subscriber', { timeout: 120_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  try {
    await page.goto(`${server.url}/`);
    await openWidget(page);
    await botSays(page, 'Welcome to Bloom & Brew');

    await pressButton(page, 'Get our newsletter');
    await botSays(page, /e-mail address/i);

    await typeAndSend(page, 'not-an-email');
    await botSays(page, /doesn.t look like an e-mail address/i);

    await typeAndSend(page, 'ada@example.com');
    await botSays(page, "You're on the list");

    // Everything the widget shows has a seq, in order, once.
    const shown = await until(() => renderedMessages(page), (m) => m.length > 0, { what: 'messages' });
    const seqs = shown.map((m) => m.seq);
    assert.ok(strictlyIncreasing(seqs), `seqs in order without duplicates: ${seqs}`);

    await keepDocsScreenshot(page, 'screenshot.png');

    // A reload restores the same conversation: same messages, same order, no duplicates.
    await page.reload();
    await ensureOpen(page);
    const restored = await until(
      () => renderedMessages(page),
      (m) => m.length >= shown.length,
      { what: `the ${shown.length} messages after reload` },
    );
    assert.deepEqual(
      restored.map((m) => m.seq),
      seqs,
      'the same data-seq list after reload',
    );
    assert.deepEqual(
      restored.map((m) => m.text),
      shown.map((m) => m.text),
      'the same texts after reload',
    );

    // The server's side: the same conversation, and the subscriber has the e-mail and tag.
    const token = await sessionToken(page);
    assert.ok(token, 'the widget keeps a session token in localStorage');
    const session = await server.session(token);
    assert.equal(session.created, false, 'resuming the stored token does not create a subscriber');
    const history = await server.history(token);
    assert.deepEqual(history.map((m) => m.seq), seqs, 'the widget shows exactly the stored messages');

    const subscriber = await server.subscriber(session.subscriber_id);
    assert.equal(subscriber.fields.email, 'ada@example.com');
    assert.ok(subscriber.tags.includes('newsletter'), `tags: ${JSON.stringify(subscriber.tags)}`);
    assert.deepEqual(page.problems.filter((p) => p.startsWith('pageerror')), [], 'no uncaught errors in the page');
  } catch (error) {
    await saveFailureScreenshot(page, 'chat-failure');
    error.message += `\npage problems:\n${page.problems.join('\n')}\nserver log:\n${server.tail()}`;
    throw error;
  }
});

test('an ice breaker or typed question gets an answer from the bot', { timeout: 60_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  try {
    await page.goto(`${server.url}/`);
    await openWidget(page);
    await botSays(page, 'Welcome to Bloom & Brew');
    await typeAndSend(page, 'Do you deliver?');
    await botSays(page, /we deliver bouquets/i);
    const seqs = await renderedSeqs(page);
    assert.ok(strictlyIncreasing(seqs), `seqs in order without duplicates: ${seqs}`);
  } catch (error) {
    await saveFailureScreenshot(page, 'chat-question-failure');
    error.message += `\npage problems:\n${page.problems.join('\n')}`;
    throw error;
  }
});
