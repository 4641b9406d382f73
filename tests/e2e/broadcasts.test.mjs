// Broadcasts as visitors and subscribers notice them: a broadcast to a tag appears live in the
// open widgets of the tagged visitors and, for one whose page was closed, on their next visit —
// once each, and counts as read for each widget that showed it (the closed page on its next
// visit with the chat open); a scheduled one appears at its time, not before; a cancelled one never; and an
// e-mail copy reaches the subscriber's mailbox with an unsubscribe link that works in the
// browser (the opt-out shows on the subscriber, and the next broadcast e-mails no one).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { ParloServer } from './lib/server.mjs';
import { SmtpSink } from './lib/smtp.mjs';
import { botSays, ensureOpen, openWidget, sel, sessionToken, until } from './lib/widget.mjs';

const TAG = 'broadcast-e2e';

let server;
let sink;
let browser;
/** Open pages, for failure screenshots. */
const pages = [];

before(async () => {
  sink = await SmtpSink.start();
  server = await ParloServer.start({ name: 'broadcasts', env: { PARLO_SMTP_URL: sink.url } });
  browser = await launchBrowser();
  await server.ok('POST', '/api/v1/tags', { key: server.key, body: { name: TAG } });
});

after(async () => {
  await browser?.close();
  await server?.dispose();
  await sink?.close();
});

/** A management API call with the server's key; fails unless 2xx. */
function api(method, path, body) {
  return server.ok(method, `/api/v1${path}`, { key: server.key, body });
}

/**
 * A visitor on the demo page with the chat open, tagged `TAG`: `{ context, page, subscriberId }`.
 */
async function taggedVisitor() {
  const { context, page } = await newPage(browser);
  pages.push(page);
  await page.goto(`${server.url}/`);
  await openWidget(page);
  await botSays(page, 'Welcome to Bloom & Brew');
  const token = await sessionToken(page);
  const { subscriber_id: subscriberId } = await server.session(token);
  await api('POST', `/subscribers/${subscriberId}/tags`, { tags: [TAG] });
  return { context, page, subscriberId };
}

/** A broadcast of one text message to `TAG`, with `more` members. */
function broadcast(text, more = {}) {
  return api('POST', '/broadcasts', {
    name: text,
    content: { type: 'messages', messages: [{ type: 'text', text }] },
    audience: { tags: [TAG] },
    ...more,
  });
}

/** Polls broadcast `id` until it is `state`; returns it. */
function settled(id, state = 'done') {
  return until(() => api('GET', `/broadcasts/${id}`), (b) => b.state === state, {
    timeout: 30_000,
    what: `broadcast ${id} to be ${state}`,
  });
}

/** Polls broadcast `id` until `count` recipients have read it; returns who has, by subscriber id. */
async function readBy(id, count) {
  await until(() => api('GET', `/broadcasts/${id}`), (b) => b.statistics.read === count, {
    timeout: 15_000,
    what: `broadcast ${id} read by ${count}`,
  });
  const recipients = (await api('GET', `/broadcasts/${id}/recipients`)).items;
  return Object.fromEntries(recipients.map((r) => [r.subscriber_id, typeof r.read_at === 'string']));
}

/** How many bot bubbles of `page` show `text`. */
function shown(page, text) {
  return page.locator(sel.bot).filter({ hasText: text }).count();
}

/** Runs `body`, adding page problems, screenshots and the server log to a failure. */
async function withDiagnostics(name, body) {
  try {
    await body();
  } catch (error) {
    for (const [i, page] of pages.entries()) {
      if (!page.isClosed()) await saveFailureScreenshot(page, `${name}-${i}`);
      error.message += `\npage ${i} problems:\n${page.problems.join('\n')}`;
    }
    error.message += `\nserver log:\n${server.tail(60)}`;
    throw error;
  }
}

describe('broadcasts in the widget', { timeout: 180_000 }, () => {
  let first;
  let second;

  test('a broadcast to a tag reaches two open widgets live and a closed page on its next visit, once each', async () => {
    await withDiagnostics('broadcast-live', async () => {
      first = await taggedVisitor();
      second = await taggedVisitor();
      const third = await taggedVisitor();
      await third.page.close();
      // The closed page's realtime stream is gone before the broadcast is sent.
      await new Promise((r) => setTimeout(r, 1_000));

      const text = 'Spring bouquets are in — 20 % off today!';
      const created = await broadcast(text);
      await botSays(first.page, text);
      await botSays(second.page, text);
      const done = await settled(created.id);
      assert.deepEqual(
        { targeted: done.statistics.targeted, sent: done.statistics.sent, failed: done.statistics.failed },
        { targeted: 3, sent: 3, failed: 0 },
      );
      const recipients = (await api('GET', `/broadcasts/${created.id}/recipients`)).items;
      const live = Object.fromEntries(recipients.map((r) => [r.subscriber_id, r.delivered_live]));
      assert.deepEqual(live, {
        [first.subscriberId]: true,
        [second.subscriberId]: true,
        [third.subscriberId]: false,
      });
      assert.equal(done.statistics.delivered_live, 2);
      // The two open widgets showed it: read by 2; the closed page's visitor has not seen it.
      assert.deepEqual(await readBy(created.id, 2), {
        [first.subscriberId]: true,
        [second.subscriberId]: true,
        [third.subscriberId]: false,
      });

      // The third visitor comes back: the message is there, once.
      const back = await third.context.newPage();
      back.problems = [];
      pages.push(back);
      await back.goto(`${server.url}/`);
      await ensureOpen(back);
      await botSays(back, text);
      // Give a late duplicate (stream replay, history reload) time to show up.
      await new Promise((r) => setTimeout(r, 1_500));
      for (const page of [first.page, second.page, back]) assert.equal(await shown(page, text), 1);
      // With the chat open on that visit, the third visitor has seen it too.
      assert.equal((await readBy(created.id, 3))[third.subscriberId], true);
    });
  });

  test('a broadcast scheduled 5 s ahead arrives after about 5 s, not before', async () => {
    await withDiagnostics('broadcast-scheduled', async () => {
      const text = 'Our evening workshop starts soon.';
      const sendAt = new Date(Date.now() + 5_000);
      const created = await broadcast(text, { send_at: sendAt.toISOString() });
      assert.equal(created.state, 'scheduled');
      await botSays(first.page, text, { timeout: 20_000 });
      const arrived = Date.now();
      assert.ok(arrived >= sendAt.getTime(), `arrived ${sendAt.getTime() - arrived} ms before send_at`);
      assert.ok(arrived - sendAt.getTime() < 5_000, `arrived ${arrived - sendAt.getTime()} ms after send_at`);
      assert.equal(await shown(first.page, text), 1);
    });
  });

  test('a cancelled broadcast does not arrive', async () => {
    await withDiagnostics('broadcast-cancelled', async () => {
      const text = 'This offer was withdrawn.';
      const created = await broadcast(text, { send_at: new Date(Date.now() + 3_000).toISOString() });
      const cancelled = await api('POST', `/broadcasts/${created.id}/cancel`);
      assert.equal(cancelled.state, 'cancelled');
      await new Promise((r) => setTimeout(r, 5_000));
      assert.equal(await shown(first.page, text), 0);
      assert.equal(await shown(second.page, text), 0);
      const after = await api('GET', `/broadcasts/${created.id}`);
      assert.equal(after.state, 'cancelled');
      assert.equal(after.statistics.sent, 0);
    });
  });
});

describe('broadcast e-mail copies', { timeout: 120_000 }, () => {
  test('an e-mail copy arrives with an unsubscribe link that works; the next broadcast sends no e-mail', async () => {
    await withDiagnostics('broadcast-email', async () => {
      const ada = await api('POST', '/subscribers', { channel_id: 'demo', email: 'ada@example.com', tags: [TAG] });
      const mailsBefore = sink.mails.length;
      const text = 'Fresh tulips arrived this morning.';
      const first = await broadcast(text, { email_copy: true });
      await settled(first.id);
      const mail = await until(
        () => sink.mails.slice(mailsBefore).find((m) => m.to.includes('<ada@example.com>')),
        Boolean,
        { timeout: 20_000, what: 'the e-mail copy at the SMTP sink' },
      );
      assert.match(mail.data, new RegExp(`Subject: ${text}`));
      assert.match(mail.data, /List-Unsubscribe-Post: List-Unsubscribe=One-Click/);
      const link = mail.data.match(/List-Unsubscribe: <([^>]+)>/)?.[1];
      assert.ok(link?.startsWith(`${server.url}/unsubscribe/`), `unsubscribe link: ${link}`);
      // Only Ada has an address: the widget visitors got no e-mail.
      assert.equal(sink.mails.length - mailsBefore, 1);

      // Ada follows the link in her browser: a confirmation page; her click opts her out.
      const { context, page } = await newPage(browser);
      pages.push(page);
      try {
        await page.goto(link);
        assert.equal((await api('GET', `/subscribers/${ada.id}`)).email_opted_out_at, undefined);
        await page.getByRole('button', { name: 'Unsubscribe' }).click();
        await page.getByRole('heading', { name: 'Unsubscribed' }).waitFor();
      } finally {
        await context.close();
      }
      const optedOut = await api('GET', `/subscribers/${ada.id}`);
      assert.match(optedOut.email_opted_out_at ?? '', /^\d{4}-\d\d-\d\dT/);

      const next = await broadcast('Roses for the weekend.', { email_copy: true });
      const done = await settled(next.id);
      assert.equal(done.statistics.emailed, 0);
      const recipients = (await api('GET', `/broadcasts/${next.id}/recipients`)).items;
      assert.equal(recipients.find((r) => r.subscriber_id === ada.id).email_copy, 'opted_out');
      await new Promise((r) => setTimeout(r, 2_000));
      assert.equal(sink.mails.length - mailsBefore, 1, 'no e-mail for the next broadcast');
    });
  });
});
