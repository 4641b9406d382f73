// The owner console's setup screens in Chromium. Channels: a new channel for a second origin
// is refused with the error at its "Allowed origins" field (nothing saved, nothing typed lost),
// then saved; its embed snippet, copied with its button into a page of that origin, gives a
// widget that chats there. Webhooks: a new endpoint's signing secret is shown once; a
// delivery to a receiver answering 500 is shown dead with its attempts, and once the receiver
// is fixed, redelivered and shown delivered; the secret is rotated (shown once), the endpoint
// deleted after a confirmation. axe-core finds no serious or critical violation on any of
// these screens, on a desktop and on a phone.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { requestQuote } from './lib/forms.mjs';
import { HostSite } from './lib/host.mjs';
import { rawReceiver } from './lib/receiver.mjs';
import { ParloServer } from './lib/server.mjs';
import { botSays, openWidget, sel, typeAndSend, until } from './lib/widget.mjs';
import { assertAccessible } from './lib/axe.mjs';

const EMAIL = 'owner@example.com';
const PASSWORD = 'correct horse battery';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

let server;
let browser;
let site;

before(async () => {
  server = await ParloServer.start({
    name: 'console-setup',
    // Receivers listen on 127.0.0.1; a failed delivery is retried once after ~200 ms, then dead.
    env: { PARLO_ALLOW_PRIVATE_WEBHOOKS: 'true', PARLO_OUTBOX_RETRY_BASE_MS: '200', PARLO_OUTBOX_MAX_ATTEMPTS: '2' },
  });
  await server.createUser(EMAIL, PASSWORD, { ownsDemo: true });
  site = await HostSite.start();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await site?.close();
  await server?.dispose();
});

/** A logged-in console page (a fresh context, clipboard allowed) showing the workspace picker. */
async function consolePage(t, options) {
  const { context, page } = await newPage(browser, options);
  t.after(() => context.close());
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await page.goto(`${server.url}/console`);
  await page.getByLabel('E-mail').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Choose a workspace' }).waitFor();
  return page;
}

/** Runs `body()`; on failure keeps a screenshot `console-setup-<name>` and the page's errors. */
async function withPage(page, name, body) {
  try {
    await body();
  } catch (error) {
    await saveFailureScreenshot(page, `console-setup-${name}`);
    throw new Error(`${error.message}\n${page.problems.join('\n')}`, { cause: error });
  }
}

/** The channels of the demo workspace, over the API. */
async function channels() {
  return (await server.ok('GET', '/api/v1/channels?limit=100', { key: server.key })).items;
}

test('channels: an invalid origin is said at its field, the fixed channel saved; its snippet chats on that origin', { timeout: 180_000 }, async (t) => {
  const page = await consolePage(t);
  const demo = await server.ok('GET', '/api/v1/channels/demo', { key: server.key });
  await withPage(page, 'channels', async () => {
    await page.getByRole('link', { name: /^Channels/ }).first().click();
    await page.getByRole('heading', { name: 'Channels', level: 1 }).waitFor();
    await page.getByRole('row').filter({ hasText: demo.name }).first().waitFor();
    await assertAccessible(page, 'the channels list');

    await page.getByRole('link', { name: 'New channel' }).click();
    await page.getByRole('heading', { name: 'New channel', level: 1 }).waitFor();
    assert.match(new URL(page.url()).pathname, /^\/console\/w\/\d+\/channels\/new$/);
    const before = (await channels()).length;
    await page.getByLabel('Name', { exact: true }).fill('Second shop');
    // A trailing slash: not an origin as browsers send it.
    await page.getByLabel('Allowed origins').fill(`${site.origin}/`);
    await page.getByLabel('Greeting').fill('We answer within minutes');
    await page.getByLabel('Launcher label').fill('Ask us');
    // The flow and form fields suggest the workspace's own, by id with their names.
    const suggested = async (label) => {
      const list = await page.getByLabel(label).getAttribute('list');
      return page.locator(`datalist#${list} option`).evaluateAll((os) => os.map((o) => `${o.value}: ${o.textContent}`));
    };
    await until(() => suggested('Welcome flow'), (o) => o.length > 0, { what: 'flow suggestions' });
    assert.ok((await suggested('Fallback flow')).some((o) => o.startsWith('welcome: ')), 'the demo welcome flow is offered');
    assert.ok((await suggested('Pre-chat form')).some((o) => o.startsWith('quote: ')), 'the demo quote form is offered');
    await page.getByLabel('Welcome flow').fill('welcome');
    await page.getByLabel('Fallback flow').fill('fallback');
    await page.getByRole('button', { name: 'Create channel' }).click();

    const originError = page.locator('#ch-allowed_origins-error');
    await originError.waitFor();
    assert.match(await originError.textContent(), /^Line 1: /);
    assert.equal(await page.getByLabel('Allowed origins').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Second shop', 'the form keeps what was typed');
    assert.equal(await page.getByLabel('Greeting').inputValue(), 'We answer within minutes');
    assert.equal(await page.getByLabel('Launcher label').inputValue(), 'Ask us');
    assert.equal((await channels()).length, before, 'nothing saved');
    await assertAccessible(page, 'the channel form with an error');

    await page.getByLabel('Allowed origins').fill(site.origin);
    await page.getByLabel('Ice breakers').fill('What are your opening hours? | hours');
    await page.getByRole('button', { name: 'Create channel' }).click();
    const snippetBox = page.getByLabel('Embed snippet');
    await snippetBox.waitFor();
    assert.match(new URL(page.url()).pathname, /^\/console\/w\/\d+\/channels\/[^/]+$/);
    await page.getByText('Copy this secret now: it will not be shown again.').waitFor();
    const created = (await channels()).find((c) => c.name === 'Second shop');
    assert.ok(created, 'the channel is saved');
    assert.deepEqual(created.allowed_origins, [site.origin]);
    assert.equal(created.theme.launcher_label, 'Ask us');
    assert.equal(created.fallback_flow, 'fallback');
    assert.deepEqual(created.ice_breakers, [{ title: 'What are your opening hours?', flow: 'hours' }]);
    const snippet = await snippetBox.inputValue();
    assert.equal(snippet, `<script type="module" async src="${server.url}/embed.js" data-channel="${created.id}"></script>`);
    // With the keyboard: from the snippet, Tab reaches its button, Enter copies.
    await snippetBox.focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Copy snippet');
    await page.keyboard.press('Enter');
    await page.getByText('Copied to the clipboard.').waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, snippet);
    await assertAccessible(page, 'a saved channel with its snippet');

    // An edit keeps the id; a deep link opens the channel after a reload.
    await page.getByLabel('Greeting').fill('Usually replies in a minute');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    await page.reload();
    await page.getByLabel('Greeting').waitFor();
    await until(() => page.getByLabel('Greeting').inputValue(), (v) => v === 'Usually replies in a minute', { what: 'the saved greeting' });

    // The live preview: the real widget, open, chatting with the channel's bot (from the
    // server's own origin, which the channel does not list); a new accent colour shows
    // there as it is typed, before it is saved.
    const preview = page.frameLocator('iframe[title="Widget preview"]');
    await preview.locator(sel.bot).filter({ hasText: /Hi there/ }).first().waitFor({ timeout: 20_000 });
    const header = preview.locator('.parlo-header');
    const accent = () => header.evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.notEqual(await accent(), 'rgb(15, 118, 110)');
    await page.getByLabel('Accent colour').fill('#0f766e');
    await until(accent, (c) => c === 'rgb(15, 118, 110)', { what: 'the typed accent colour in the preview' });
    assert.match(await preview.locator('.parlo-header').textContent(), /Usually replies in a minute/);
    assert.notEqual((await channels()).find((c) => c.id === created.id).theme.primary_color, '#0f766e', 'not saved');
    await assertAccessible(page, 'a channel with its widget preview');

    // The copied snippet on a page of the allowed origin: the widget chats there.
    site.pages['/'] = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Second shop</title>
<link rel="icon" href="data:,">${copied}</head><body><h1>Second shop</h1></body></html>`;
    const { context: shopContext, page: shop } = await newPage(browser);
    t.after(() => shopContext.close());
    await withPage(shop, 'second-origin', async () => {
      await shop.goto(`${site.origin}/`);
      await openWidget(shop);
      await botSays(shop, /Hi there/);
      await shop.locator(sel.panel).locator('button', { hasText: 'What are your opening hours?' }).first().waitFor();
      await typeAndSend(shop, 'Hello from the second shop');
      await shop.locator(sel.visitor).filter({ hasText: 'Hello from the second shop' }).waitFor();
      await botSays(shop, "Sorry, I didn't quite catch that.");
      await until(() => shop.locator(sel.status).getAttribute('data-parlo-status'), (s) => s === 'online', { what: 'status online' });
      const conversations = await server.ok('GET', `/api/v1/conversations?channel=${created.id}`, { key: server.key });
      assert.ok(conversations.items.length >= 1, 'the conversation is on the new channel');
    });
  });

  const phone = await consolePage(t, PHONE);
  await withPage(phone, 'channels-phone', async () => {
    const path = new URL(page.url()).pathname;
    await phone.goto(`${server.url}${path}`);
    await phone.getByLabel('Embed snippet').waitFor();
    await assertAccessible(phone, 'a channel on a phone');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false, 'no horizontal scrolling at phone width');
  });
});



test('webhooks: the secret shown once; a failed delivery with its attempts, redelivered; rotate; delete', { timeout: 180_000 }, async (t) => {
  const hooks = await rawReceiver();
  hooks.status = 500;
  t.after(() => hooks.close());
  const page = await consolePage(t);
  await withPage(page, 'webhooks', async () => {
    await page.getByRole('link', { name: /^Webhooks/ }).first().click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await assertAccessible(page, 'the webhooks screen');

    // Not an URL: the server's error at the field.
    await page.getByLabel('URL').fill('not a url');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.locator('#endpoint-url-error').waitFor();
    assert.equal(await page.getByLabel('URL').getAttribute('aria-invalid'), 'true');

    await page.getByLabel('URL').fill(hooks.url);
    await page.getByLabel('Description').fill('CRM sync');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secretBox = page.getByLabel('Signing secret', { exact: true });
    await secretBox.waitFor();
    const secret = await secretBox.inputValue();
    assert.match(secret, /^whsec_/);
    await page.getByText('Copy this secret now: it will not be shown again.').waitFor();
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
    await assertAccessible(page, 'a new signing secret');
    await page.getByRole('button', { name: 'Done' }).click();
    assert.equal(await secretBox.count(), 0, 'the secret is gone');
    await page.getByRole('row').filter({ hasText: hooks.url }).waitFor();

    // The endpoint receives the demo form's leads; the receiver answers 500.
    const endpoint = (await server.ok('GET', '/api/v1/webhook-endpoints', { key: server.key })).items.find((e) => e.url === hooks.url);
    const form = await server.ok('GET', '/api/v1/forms/quote', { key: server.key });
    form.automations = [...(form.automations ?? []), { type: 'webhook', endpoint_id: endpoint.id }];
    await server.ok('PUT', '/api/v1/forms/quote', { key: server.key, body: form });
    await requestQuote(server, 'Ada Lovelace');

    const row = page.getByRole('row').filter({ hasText: `webhook to endpoint ${endpoint.id}` }).first();
    await until(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      return (await row.count()) ? row.textContent() : '';
    }, (text) => text.includes('dead'), { what: 'a dead delivery', timeout: 30_000, interval: 1000 });
    assert.match(await row.textContent(), /HTTP 500/);
    await row.getByRole('link').click();
    await page.getByRole('heading', { name: /^Delivery #\d+$/ }).waitFor();
    assert.match(new URL(page.url()).pathname, /^\/console\/w\/\d+\/webhooks\/deliveries\/\d+$/);
    // Each attempt in its own row: number, time, duration, the receiver's answer.
    const attempts = page.getByRole('table', { name: 'Attempts' }).locator('tbody tr');
    await attempts.nth(1).waitFor();
    assert.equal(await attempts.count(), 2);
    assert.match(await page.locator('dl.values').first().textContent(), /Attempts2/);
    assert.equal(hooks.received.length, 2, 'two attempts reached the receiver');
    for (const [i, attempt] of (await attempts.all()).entries()) {
      assert.match(await attempt.textContent(), new RegExp(`^${i + 1}\\d{4}-\\d{2}-\\d{2}T.*\\d+ msHTTP 500`));
    }
    await assertAccessible(page, 'a dead delivery');

    hooks.status = 204;
    await page.getByRole('button', { name: 'Redeliver' }).click();
    await page.locator('strong.status').filter({ hasText: 'delivered' }).waitFor({ timeout: 30_000 });
    // The redelivery's attempt follows the two failed ones, numbered from 1 again.
    await attempts.nth(2).filter({ hasText: 'HTTP 204' }).waitFor();
    assert.match(await attempts.nth(2).textContent(), /^1\d{4}-/);
    assert.equal(hooks.received.at(-1).status, 204);
    assert.match(hooks.received.at(-1).body, /Ada Lovelace/);
    await assertAccessible(page, 'a redelivered delivery');

    // Rotate: a new secret, shown once.
    await page.getByRole('link', { name: '← Webhooks' }).click();
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: `Rotate secret of ${hooks.url}` }).click();
    await secretBox.waitFor();
    const rotated = await secretBox.inputValue();
    assert.match(rotated, /^whsec_/);
    assert.notEqual(rotated, secret);
    await page.getByRole('button', { name: 'Done' }).click();

    // Delete: nothing without the confirmation, gone with it.
    page.once('dialog', (dialog) => dialog.dismiss());
    await page.getByRole('button', { name: `Delete ${hooks.url}` }).click();
    await page.waitForTimeout(300);
    assert.equal(await page.getByRole('row').filter({ hasText: hooks.url }).count(), 1, 'kept when not confirmed');
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: `Delete ${hooks.url}` }).click();
    await until(() => page.getByRole('row').filter({ hasText: hooks.url }).count(), (n) => n === 0, { what: 'the endpoint gone' });
    const left = (await server.ok('GET', '/api/v1/webhook-endpoints', { key: server.key })).items;
    assert.equal(left.some((e) => e.url === hooks.url), false);
  });

  const phone = await consolePage(t, PHONE);
  await withPage(phone, 'webhooks-phone', async () => {
    await phone.getByRole('link', { name: /^Webhooks/ }).first().click();
    await phone.getByRole('heading', { name: 'Deliveries' }).waitFor();
    await assertAccessible(phone, 'the webhooks screen on a phone');
  });
});
