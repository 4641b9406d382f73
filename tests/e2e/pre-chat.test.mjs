// The pre-chat form inside the chat widget: on www/pre-chat.html (seeded channel
// `demo-prechat`, pre-chat form `chat_intro`: name and e-mail) opening the chat first shows
// the form in the panel; a valid submission switches to the chat, where the bot greets the
// visitor by the entered name (the form's automations set `first_name` and start a flow, live
// through the outbox); the lead's subscriber is the chat's; a reload opens straight to the chat
// with its history. Without `<parlo-form>` defined (no loader) the chat shows directly.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { ParloServer } from './lib/server.mjs';
import { formReady, formSel, leadsOf } from './lib/forms.mjs';
import { botSays, ensureOpen, openWidget, sel, until } from './lib/widget.mjs';

const CHANNEL = 'demo-prechat';
const FORM = 'chat_intro';
const SESSION_KEY = `parlo:${CHANNEL}:session`;
const EMAIL_MESSAGE = 'Enter an e-mail address like name@example.com.';

let server;
let browser;

before(async () => {
  server = await ParloServer.start({ name: 'pre-chat' });
  browser = await launchBrowser();
  // Playwright fills faster than any person: the minimum fill time (seeded 1.5 s; covered by
  // lead-form.test.mjs) is turned off here, or the submission would be dropped as a bot's.
  const form = await server.ok('GET', `/api/v1/forms/${FORM}`, { key: server.key });
  await server.ok('PUT', `/api/v1/forms/${FORM}`, { key: server.key, body: { ...form, min_fill_ms: 0 } });
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

/** The `id` of the element focused inside the form in the widget's panel. */
function focusedField(page) {
  return page.evaluate(
    ([host, form]) => document.querySelector(host)?.shadowRoot?.querySelector(form)?.shadowRoot?.activeElement?.id ?? null,
    [sel.host, formSel.host],
  );
}

test('the pre-chat form comes first, then the bot greets the visitor by name in the same conversation', { timeout: 120_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  try {
    await page.goto(`${server.url}/pre-chat.html`);
    assert.equal(await page.locator(sel.host).getAttribute('data-parlo-widget'), CHANNEL);
    await openWidget(page);
    const panel = page.locator(sel.panel);
    await panel.getByRole('heading', { name: 'Before we chat' }).waitFor({ timeout: 15_000 });
    await formReady(page);
    assert.equal(await panel.locator(sel.composer).count(), 0, 'no composer while the form shows');
    assert.ok(await page.evaluate((key) => localStorage.getItem(key), SESSION_KEY), 'the session started first');
    await until(() => focusedField(page), (id) => id === 'pf-name', { what: 'the focus on the first field' });
    // Esc in the form closes the panel, as in the chat; opening it again shows the form again.
    await page.locator(formSel.input('name')).press('Escape');
    await panel.waitFor({ state: 'hidden', timeout: 5_000 });
    await openWidget(page);
    await formReady(page);

    await page.fill(formSel.input('name'), 'Ada Lovelace');
    await page.fill(formSel.input('email'), 'ada@');
    await page.locator(formSel.submit).click();
    const error = page.locator(formSel.error('email'));
    await error.waitFor({ timeout: 5_000 });
    assert.equal((await error.textContent()).trim(), EMAIL_MESSAGE);
    assert.equal(await page.locator(formSel.input('email')).getAttribute('aria-invalid'), 'true');
    assert.equal(await panel.locator(sel.composer).count(), 0, 'still the form after an invalid submit');

    await page.fill(formSel.input('email'), 'ada@example.com');
    await page.locator(formSel.submit).click();
    await page.locator(sel.composer).waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await page.locator(formSel.host).count(), 0, 'the form is gone from the panel');
    await botSays(page, 'Hi Ada Lovelace, nice to meet you');

    // The lead joined the chat's visitor: one lead, on the session's subscriber.
    const token = await page.evaluate((key) => localStorage.getItem(key), SESSION_KEY);
    const session = await server.ok('POST', `/api/public/v1/channels/${CHANNEL}/sessions`, {
      body: { session_token: token },
    });
    assert.equal(session.created, false);
    const leads = await leadsOf(server, FORM);
    assert.equal(leads.length, 1, 'exactly one lead');
    assert.equal(leads[0].subscriber_id, session.subscriber_id, "the lead's subscriber is the chat's");
    assert.equal(leads[0].values.email, 'ada@example.com');
    const subscriber = await server.subscriber(session.subscriber_id);
    assert.equal(subscriber.channel_id, CHANNEL);
    assert.equal(subscriber.fields.first_name, 'Ada Lovelace');
    assert.ok(subscriber.tags.includes('lead'), `tags: ${subscriber.tags}`);

    // A reload opens straight to the chat, with its history.
    await page.reload();
    await ensureOpen(page);
    await page.locator(sel.composer).waitFor({ state: 'visible', timeout: 15_000 });
    await botSays(page, 'Hi Ada Lovelace, nice to meet you');
    assert.equal(await page.locator(formSel.host).count(), 0, 'no form after the reload');
    // (The reload aborts the first page's event stream: a `requestfailed`, not an error.)
    assert.deepEqual(page.problems.filter((p) => !p.startsWith('requestfailed')), [], 'no page errors');
  } catch (error) {
    await saveFailureScreenshot(page, 'pre-chat');
    error.message += `\npage problems:\n${page.problems.join('\n')}`;
    throw error;
  }
});

test('without <parlo-form> defined (the bundle mounted without the loader) the chat shows directly', { timeout: 60_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>No loader</title></head>
<body><div id="chat"></div><script type="module">
  import init, { mountWidget } from '/pkg/parlo_widget.js';
  await init();
  window.widget = mountWidget(document.querySelector('#chat'), { channel: '${CHANNEL}', apiBase: '' });
  window.widget.open();
</script></body></html>`;
  await page.route(
    (url) => url.origin === server.url && url.pathname === '/no-loader.html',
    (route) => route.fulfill({ contentType: 'text/html', body: html }),
  );
  try {
    await page.goto(`${server.url}/no-loader.html`);
    await page.locator(sel.composer).waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal(await page.locator(formSel.host).count(), 0, 'no form element');
    assert.equal(await page.evaluate(() => customElements.get('parlo-form') ?? null), null);
    assert.deepEqual(page.problems, [], 'no page errors');
  } catch (error) {
    await saveFailureScreenshot(page, 'pre-chat-no-loader');
    error.message += `\npage problems:\n${page.problems.join('\n')}`;
    throw error;
  }
});
