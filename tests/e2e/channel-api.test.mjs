// A channel made only through the management API (never the seed), put on a host page of a
// second origin by pasting the snippet the API answered: the widget shows the channel's name,
// greeting and welcome flow there; its ice breaker, a keyword made through the API and its
// main menu each start their flow; its business hours, changed through the API, switch the
// header between online and away. A page on an origin the channel does not allow gets the
// widget's "not available" state, and so does the allowed page once the channel is archived.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { HostSite } from './lib/host.mjs';
import { ParloServer } from './lib/server.mjs';
import { botSays, ensureOpen, openWidget, pressButton, sel, typeAndSend, until } from './lib/widget.mjs';

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
      ice_breakers: [{ title: 'Do you deliver flowers?', flow: 'delivery' }],
      main_menu: [
        { title: 'Menu and prices', flow: 'menu' },
        { title: 'Find us on the map', url: 'https://www.openstreetmap.org/' },
      ],
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  channel = created.body;
  const keyword = await server.request('POST', `/api/v1/channels/${channel.id}/keywords`, {
    key: server.key,
    body: { phrases: ['sunday'], match: 'contains', flow: 'hours', enabled: true },
  });
  assert.equal(keyword.status, 201, JSON.stringify(keyword.body));
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

/** The channel's settings as `PUT /api/v1/channels/{id}` takes them, with `changes`. */
function settingsWith(changes) {
  const { id, embed_snippet, archived_at, created_at, identity_secret, ...settings } = channel;
  return { ...settings, ...changes };
}

test('ice breaker, keyword and main menu each start their flow', { timeout: 120_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  try {
    await page.goto(`${shop.origin}/`);
    await openWidget(page);
    await botSays(page, 'Welcome to Bloom & Brew');
    const iceBreakers = page.locator('.parlo-ice-breakers button');
    assert.deepEqual(await iceBreakers.allTextContents(), ['Do you deliver flowers?']);
    await iceBreakers.first().click();
    await page.locator(sel.visitor).filter({ hasText: 'Do you deliver flowers?' }).waitFor({ timeout: 15_000 });
    await botSays(page, 'we deliver bouquets within 5 km');
    assert.equal(await page.locator('.parlo-ice-breakers').count(), 0, 'ice breakers go once the visitor wrote');
    // A keyword created through the API, inside a sentence, even while the bot waits for an
    // answer (the newsletter's e-mail question).
    await pressButton(page, 'Get our newsletter');
    await botSays(page, "What's your e-mail address?");
    await typeAndSend(page, 'Are you open on Sunday?');
    await botSays(page, "We're open Monday to Friday");
    // The main menu, behind its button in the header, at any time.
    const menu = page.locator(sel.panel).getByRole('button', { name: 'Menu', exact: true });
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    await menu.click();
    const items = page.locator('.parlo-menu__items button');
    assert.deepEqual(await items.allTextContents(), ['Menu and prices', 'Find us on the map']);
    await items.first().click();
    await botSays(page, "Today's favourites");
    assert.equal(await page.locator('.parlo-menu__items').count(), 0, 'the menu closes once an item is pressed');
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
  } catch (error) {
    await saveFailureScreenshot(page, 'channel-api-entry-points-failure');
    error.message += `\npage problems:\n${page.problems.join('\n')}`;
    throw error;
  }
});

test('business hours set through the API switch the header between away and online', { timeout: 120_000 }, async (t) => {
  const everyDay = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
  const hours = (weekly) => ({ time_zone: 'Europe/Paris', weekly, away_message: 'Back on Monday at nine' });
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  const header = page.locator('.parlo-header');
  for (const [weekly, availability] of [
    [[], 'away'],
    [everyDay.map((day) => ({ day, open: '00:00', close: '24:00' })), 'online'],
  ]) {
    const put = await server.request('PUT', `/api/v1/channels/${channel.id}`, {
      key: server.key,
      body: settingsWith({ business_hours: hours(weekly) }),
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    await page.goto(`${shop.origin}/`);
    await ensureOpen(page);
    await until(() => header.getAttribute('data-parlo-availability'), (a) => a === availability, { what: availability });
    const away = await header.getByText('Back on Monday at nine').count();
    assert.equal(away, availability === 'away' ? 1 : 0, `the away message while ${availability}`);
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
