// Three parlo-server instances on one PostgreSQL schema, as behind a load balancer. The
// visitor's widget talks to instance A only; a human agent writes through B's management API,
// the same visitor writes from another tab that reaches B (so B's bot answers), and a flow
// with a delay step is sent through C. Everything arrives live in the widget on A, once each,
// in the order it was stored. Needs PostgreSQL (`PARLO_E2E_DATABASE_URL`; `cargo xtask test
// postgres` sets it); skipped, and reported as skipped, without it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { ParloServer } from './lib/server.mjs';
import { botSays, openWidget, renderedMessages, sel, sessionToken, until } from './lib/widget.mjs';

const skip = process.env.PARLO_E2E_DATABASE_URL
  ? false
  : 'several instances need PostgreSQL: set PARLO_E2E_DATABASE_URL (cargo xtask test postgres does)';

let a;
let b;
let c;
let browser;

before(async () => {
  if (skip) return;
  a = await ParloServer.start({ name: 'multi-a' });
  // Each instance refreshes the demo channel's allowed origins when it starts: keep A's.
  b = await ParloServer.start({ name: 'multi-b', database: a, extraOrigins: [a.origin] });
  c = await ParloServer.start({ name: 'multi-c', database: a, extraOrigins: [a.origin] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const server of [a, b, c]) await server?.dispose();
});

/** A flow with a delay step: one message now, one 1.5 s later. */
const UPDATE_FLOW = {
  id: 'multi_update',
  name: 'Order update',
  start: 'packed',
  steps: {
    packed: { type: 'message', text: 'Your order is packed.', next: 'wait' },
    wait: { type: 'delay', ms: 1500, next: 'shipped' },
    shipped: { type: 'message', text: 'Your order is on its way.' },
  },
};

test('events stored by other instances reach the widget on A live, once each, in order', { skip, timeout: 120_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  try {
    await page.goto(`${a.url}/`);
    await openWidget(page);
    await botSays(page, 'Welcome to Bloom & Brew');
    const token = await sessionToken(page);
    const { subscriber_id: id } = await a.session(token);

    // A human agent writes through B's management API.
    await b.ok('POST', `/api/v1/subscribers/${id}/messages`, { key: b.key, body: { text: 'Hi, this is Sam from the shop.' } });
    await page.locator('.parlo-msg--agent', { hasText: 'Sam from the shop' }).waitFor({ timeout: 15_000 });

    // The visitor writes from another tab that the load balancer sent to B: B's bot answers.
    await b.sendText(token, 'Do you deliver?');
    await botSays(page, /we deliver bouquets/i);

    // A flow with a delay step, sent through C; its delayed message is delivered by
    // whichever instance's scheduler claims it.
    await c.ok('POST', '/api/v1/flows', { key: c.key, body: UPDATE_FLOW });
    const sent = await c.ok('POST', `/api/v1/subscribers/${id}/send-flow`, { key: c.key, body: { flow_id: UPDATE_FLOW.id } });
    assert.equal(sent.delayed, true, 'the flow has a delayed step');
    await botSays(page, 'Your order is packed.');
    await botSays(page, 'Your order is on its way.');

    // Exactly what is stored, in order, once each — and nothing more arrives late.
    const history = await a.history(token);
    const shown = await until(
      () => renderedMessages(page),
      (m) => m.length >= history.length,
      { what: `the widget to show the ${history.length} stored messages` },
    );
    await new Promise((r) => setTimeout(r, 1_000));
    const settled = await renderedMessages(page);
    assert.deepEqual(settled, shown, 'no message arrived twice or late');
    assert.deepEqual(shown.map((m) => m.seq), history.map((m) => m.seq), 'the stored seqs, in order');
    for (const text of ['Sam from the shop', 'Do you deliver?', 'Your order is packed.', 'Your order is on its way.']) {
      assert.equal(shown.filter((m) => m.text.includes(text)).length, 1, `"${text}" shown once`);
    }
    const order = ['Sam from the shop', 'Do you deliver?', 'we deliver bouquets', 'Your order is packed.', 'Your order is on its way.'];
    const positions = order.map((text) => shown.findIndex((m) => m.text.toLowerCase().includes(text.toLowerCase())));
    assert.deepEqual([...positions].sort((x, y) => x - y), positions, `in the order they were sent: ${positions}`);
    assert.equal(await page.locator(sel.message).count(), history.length);
  } catch (error) {
    await saveFailureScreenshot(page, 'multi-instance-failure');
    error.message += `\npage problems:\n${page.problems.join('\n')}\nA's log:\n${a.tail()}`;
    throw error;
  }
});
