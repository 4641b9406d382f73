// The page drives the chat widget through `window.Parlo` (commands queued before the embed
// script has run; one the widget refuses is reported and the rest run) and hears its
// events: a hidden launcher opened from the page's own button, messages sent and received, the unread badge and title count of an agent message sent
// through the API while the panel is closed, reset (a new visitor) and destroy; and two
// channels on one page, each with its own controller.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { ParloServer } from './lib/server.mjs';
import { botSays, sel, sessionToken, until } from './lib/widget.mjs';

let server;
let browser;

before(async () => {
  server = await ParloServer.start({ name: 'widget-api' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

const EVENTS = ['ready', 'open', 'close', 'message:received', 'message:sent', 'unread', 'error'];

/** A page of the server's origin (so the demo channels allow it) holding `body`. */
async function pageWith(t, body) {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  await page.route(`${server.url}/api-test.html`, (route) =>
    route.fulfill({ contentType: 'text/html', body: `<!doctype html><html lang="en"><head><title>Shop</title></head><body>${body}</body></html>` }),
  );
  await page.goto(`${server.url}/api-test.html`);
  return page;
}

/** The events the page recorded (`window.log`), as `[name, detail]` pairs. */
const events = (page) => page.evaluate(() => window.log);
const named = async (page, name) => (await events(page)).filter(([n]) => n === name).map(([, d]) => d);
const waitEvent = (page, name, accept = () => true) =>
  until(() => named(page, name), (ds) => ds.some(accept), { what: `event ${name}` });

test('window.Parlo: queued commands, hidden launcher, events, unread badge, reset, destroy', { timeout: 180_000 }, async (t) => {
  const page = await pageWith(
    t,
    `<button id="help">Need help?</button>
    <script>
      window.log = [];
      window.Parlo = { q: [] };
      Parlo.q.push(['init', { channel: 'demo', hideLauncher: true, titleCount: true }]);
      for (const name of ${JSON.stringify(EVENTS)}) Parlo.q.push(['on', name, (detail) => log.push([name, detail])]);
      Parlo.q.push(['sendMessage', '   ']); // kept until the bundle loads, then refused: an error event
      Parlo.q.push(['sendMessage', 'Queued before loading']); // and the queue goes on
      document.getElementById('help').addEventListener('click', () => Parlo.open());
    </script>
    <script type="module" async src="/embed.js"></script>`,
  );
  try {
    const launcher = page.locator('[data-parlo-widget="demo"] .parlo-launcher');
    await page.locator(sel.host).waitFor({ state: 'attached' });
    assert.equal(await launcher.isVisible(), false, 'hideLauncher: no launcher');

    // The page's own button opens the chat; the bundle loads and reports.
    await page.click('#help');
    await page.locator(sel.panel).waitFor({ state: 'visible', timeout: 20_000 });
    await botSays(page, 'Welcome to Bloom & Brew');
    await waitEvent(page, 'message:received', (d) => d.author === 'bot' && /Welcome to Bloom & Brew/.test(d.text));
    const [first] = await events(page);
    assert.equal(first[0], 'ready', 'ready comes first');
    assert.equal((await named(page, 'open')).length, 1);

    await waitEvent(page, 'message:sent', (d) => d.text === 'Queued before loading');
    assert.deepEqual(await named(page, 'error'), [{ message: 'the message is empty' }]);

    await page.evaluate(() => Parlo.sendMessage('What are your opening hours?'));
    const [sent] = await waitEvent(page, 'message:sent', (d) => d.text === 'What are your opening hours?');
    assert.ok(sent);
    const sentEvent = (await named(page, 'message:sent')).find((d) => d.text === 'What are your opening hours?');
    assert.equal(sentEvent.author, 'visitor');
    assert.ok(sentEvent.seq > 1);
    await waitEvent(page, 'message:received', (d) => d.seq > sentEvent.seq);
    // A message the server would refuse is refused at once, with the reason, and never queued.
    const tooLong = await page.evaluate(() => {
      try {
        Parlo.sendMessage('a'.repeat(2001));
        return 'sent';
      } catch (error) {
        return error.message;
      }
    });
    assert.equal(tooLong, 'the message is longer than 2000 characters');
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), 'parlo:demo:unsent'), null, 'nothing left to resend');

    // An unsubscribed listener hears nothing.
    await page.evaluate(() => {
      window.closes = 0;
      const off = Parlo.on('close', () => window.closes++);
      off();
    });
    await page.evaluate(() => Parlo.close());
    await page.locator(sel.panel).waitFor({ state: 'hidden' });
    await waitEvent(page, 'close');
    assert.equal(await page.evaluate(() => window.closes), 0);

    // An agent writes while the panel is closed: the launcher (shown again) counts it.
    await page.evaluate(() => Parlo.show());
    await launcher.waitFor({ state: 'visible' });
    const { subscriber_id: id } = await server.session(await sessionToken(page));
    await server.ok('POST', `/api/v1/subscribers/${id}/messages`, { key: server.key, body: { text: 'Sam here: your order is ready.' } });
    const badge = page.locator('[data-parlo-widget="demo"] .parlo-badge');
    await badge.waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await badge.textContent(), '1');
    await waitEvent(page, 'unread', (n) => n === 1);
    assert.equal(await page.title(), '(1) Shop');
    assert.ok((await named(page, 'message:received')).some((d) => d.author === 'agent' && d.text === 'Sam here: your order is ready.'));

    await page.evaluate(() => Parlo.toggle());
    await page.locator('.parlo-msg--agent', { hasText: 'your order is ready' }).waitFor();
    await badge.waitFor({ state: 'detached' });
    await waitEvent(page, 'unread', (n) => n === 0);
    assert.equal(await page.title(), 'Shop');

    // reset: the visitor is forgotten; the next chat is a new conversation.
    const before = await sessionToken(page);
    await page.evaluate(() => Parlo.reset());
    await page.locator(sel.panel).waitFor({ state: 'detached' });
    assert.equal(await sessionToken(page), null);
    await page.evaluate(() => Parlo.open());
    await botSays(page, 'Welcome to Bloom & Brew');
    const after = await until(() => sessionToken(page), Boolean, { what: 'a new session' });
    assert.notEqual(after, before);
    assert.equal(await page.locator('.parlo-msg--agent').count(), 0, 'the old conversation is gone');
    assert.equal(await page.locator(sel.visitor).count(), 0);

    await page.evaluate(() => Parlo.destroy());
    assert.equal(await page.locator(sel.host).count(), 0);
    assert.deepEqual(await named(page, 'error'), [{ message: 'the message is empty' }], 'no other error');
  } catch (error) {
    await saveFailureScreenshot(page, 'widget-api');
    throw new Error(`${error.message}\nevents: ${JSON.stringify(await events(page).catch(() => null))}\n${page.problems.join('\n')}`, { cause: error });
  }
});

test('two channels on one page: each controller drives its own widget', { timeout: 120_000 }, async (t) => {
  const page = await pageWith(
    t,
    `<script type="module">
      import { init } from '/pkg/loader.js';
      window.log = [];
      window.demo = init({ channel: 'demo' });
      window.prechat = init({ channel: 'demo-prechat', position: 'left' });
      for (const [name, w] of [['demo', demo], ['prechat', prechat]]) {
        for (const e of ['ready', 'open', 'close']) w.on(e, () => log.push([name + ':' + e]));
      }
    </script>`,
  );
  try {
    const demo = page.locator('[data-parlo-widget="demo"]');
    const prechat = page.locator('[data-parlo-widget="demo-prechat"]');
    await prechat.locator('.parlo-launcher').waitFor();
    assert.equal(await page.evaluate(() => window.demo !== window.prechat), true);

    await page.evaluate(() => window.prechat.open());
    await prechat.locator(sel.panel).waitFor({ state: 'visible', timeout: 20_000 });
    await prechat.locator('parlo-form').waitFor({ state: 'attached', timeout: 20_000 });
    assert.equal(await demo.locator(sel.panel).count(), 0, 'the other widget stays closed');

    await page.evaluate(() => window.demo.open());
    await demo.locator(sel.panel).waitFor({ state: 'visible', timeout: 20_000 });
    await demo.locator(sel.bot, { hasText: 'Welcome to Bloom & Brew' }).waitFor({ timeout: 15_000 });
    await page.evaluate(() => window.prechat.close());
    await prechat.locator(sel.panel).waitFor({ state: 'detached' });
    assert.equal(await demo.locator(sel.panel).isVisible(), true);
    assert.deepEqual(
      (await page.evaluate(() => window.log)).map(([e]) => e),
      ['prechat:ready', 'prechat:open', 'demo:ready', 'demo:open', 'prechat:close'],
    );
  } catch (error) {
    await saveFailureScreenshot(page, 'widget-api-two');
    throw new Error(`${error.message}\n${page.problems.join('\n')}`, { cause: error });
  }
});
