// A channel made only through the management API (never the seed), put on a host page of a
// second origin by pasting the snippet the API answered: the widget shows the channel's name,
// greeting and welcome flow there. A page on an origin the channel does not allow gets the
// widget's "not available" state, and so does the allowed page once the channel is archived.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { HostSite } from './lib/host.mjs';
import { ParloServer } from './lib/server.mjs';
import { botSays, openWidget, sel, until } from './lib/widget.mjs';

let server;
let shop;
let elsewhere;
let browser;
let channel;

/** A host page holding `snippet` (the `embed_snippet` of the API's answer) as it is. */
const hostPage = (title, snippet) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${title}</title>
  <link rel="icon" href="data:,">
  ${snippet}
</head>
<body><h1>${title}</h1></body>
</html>`;

before(async () => {
  shop = await HostSite.start();
  elsewhere = await HostSite.start();
  // No --demo-origin: only the API decides who may use the new channel.
  server = await ParloServer.start({ name: 'channel-api' });
  const created = await server.request('POST', '/api/v1/channels', {
    key: server.key,
    body: {
      name: 'Linden Street Shop',
      allowed_origins: [shop.origin],
      greeting: 'Ask us about today’s bouquets',
      theme: { primary_color: '#0f766e', on_primary_color: '#ffffff', position: 'left' },
      welcome_flow: 'welcome',
      fallback_flow: 'fallback',
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  channel = created.body;
  shop.pages['/'] = hostPage('Linden Street Shop', channel.embed_snippet);
  elsewhere.pages['/'] = hostPage('Someone else', channel.embed_snippet);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
  await shop?.close();
  await elsewhere?.close();
});

test('the snippet of an API-made channel works on its allowed origin', { timeout: 120_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  try {
    await page.goto(`${shop.origin}/`);
    await openWidget(page);
    const panel = page.locator(sel.panel);
    await panel.getByText('Linden Street Shop').first().waitFor({ state: 'visible', timeout: 15_000 });
    await panel.getByText('Ask us about today’s bouquets').waitFor({ state: 'visible', timeout: 15_000 });
    await botSays(page, 'Welcome to Bloom & Brew');
    // The channel's colour in the header, not the default.
    const colour = await page.locator('.parlo-header').evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(colour, 'rgb(15, 118, 110)');
  } catch (error) {
    await saveFailureScreenshot(page, 'channel-api-allowed-failure');
    error.message += `\npage problems:\n${page.problems.join('\n')}`;
    throw error;
  }
});

test('a page on another origin gets the "not available" state', { timeout: 60_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  await page.goto(`${elsewhere.origin}/`);
  await openWidget(page);
  await page.locator(sel.panel).getByText(/isn't available on this website/i).waitFor({ state: 'visible', timeout: 15_000 });
  assert.equal(await page.locator(sel.status).getAttribute('data-parlo-status'), 'unavailable');
});

test('archived through the API, the channel is not available on its own site either', { timeout: 60_000 }, async (t) => {
  const archived = await server.request('DELETE', `/api/v1/channels/${channel.id}?archive=true`, { key: server.key });
  assert.equal(archived.status, 204);
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  await page.goto(`${shop.origin}/`);
  await openWidget(page);
  await until(
    () => page.locator(sel.status).getAttribute('data-parlo-status'),
    (s) => s === 'unavailable',
    { what: 'the unavailable status' },
  );
});
