// Flows that branch, ask and show, made only through the management API (a channel, a tag,
// flows, keywords, an ice breaker — nothing of the seed) and played in the real widget on a
// host page of another origin: a condition step greets a visitor tagged through the API
// otherwise than an untagged one; a choice question offers its choices as quick replies,
// refuses another answer naming them and takes a pressed one; a date question swaps the
// text box for a date picker and stores an ISO date; an image step and a carousel step
// show their picture and cards, and a card's button continues the flow.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { HostSite } from './lib/host.mjs';
import { ParloServer } from './lib/server.mjs';
import { botSays, openWidget, pressButton, sel, typeAndSend, until } from './lib/widget.mjs';

let server;
let shop;
let browser;
let channel;

/** Where the flows' pictures live; the browser gets them from `picture` (no network here). */
const IMAGES = 'https://images.corner-bakery.example';

/** A small picture, served for every image URL under [`IMAGES`]. */
const picture = `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="100" viewBox="0 0 160 100">
<rect width="160" height="100" fill="#f4d9b0"/><circle cx="80" cy="50" r="30" fill="#a0522d"/></svg>`;

/** The flows of the test's channel, as `PUT /api/v1/flows/{id}` takes them. */
const FLOWS = [
  {
    id: 'bakery_hello',
    name: 'Hello',
    start: 'hi',
    steps: { hi: { type: 'message', text: "Hi! I'm the Corner Bakery bot." } },
  },
  {
    id: 'bakery_club',
    name: 'Club discount',
    start: 'member',
    steps: {
      member: {
        type: 'condition',
        match: 'all',
        conditions: [{ type: 'has_tag', tag: 'club' }],
        then: 'welcome_back',
        else: 'invite',
      },
      welcome_back: { type: 'message', text: 'Welcome back, club member: 10% off everything today.' },
      invite: { type: 'message', text: 'Join our baking club and get 10% off.' },
    },
  },
  {
    id: 'bakery_cake',
    name: 'Cake size',
    start: 'size',
    steps: {
      size: {
        type: 'question',
        text: 'Which size of cake?',
        field: 'cake_size',
        kind: 'choice',
        choices: ['Small', 'Medium', 'Large'],
        next: 'noted',
      },
      noted: { type: 'message', text: 'A {{cake_size}} cake, noted.' },
    },
  },
  {
    id: 'bakery_pickup',
    name: 'Pick-up day',
    start: 'day',
    steps: {
      day: { type: 'question', text: 'Which day will you pick it up?', field: 'pickup_day', kind: 'date', next: 'booked' },
      booked: { type: 'message', text: 'See you on {{pickup_day}}.' },
    },
  },
  {
    id: 'bakery_fresh',
    name: 'Fresh today',
    start: 'photo',
    steps: {
      photo: {
        type: 'image',
        url: `${IMAGES}/tray.svg`,
        alt: 'A tray of cinnamon buns',
        text: 'Fresh from the oven',
        next: 'shelf',
      },
      shelf: {
        type: 'carousel',
        cards: [
          {
            title: 'Cinnamon bun',
            subtitle: '€3',
            image: { url: `${IMAGES}/bun.svg`, alt: 'A cinnamon bun' },
            buttons: [{ title: 'Add a bun', next: 'bun' }],
          },
          {
            title: 'Sourdough loaf',
            subtitle: '€6',
            image: { url: `${IMAGES}/loaf.svg`, alt: 'A sourdough loaf' },
            buttons: [
              { title: 'Add a loaf', next: 'loaf' },
              { title: 'Recipe', url: 'https://corner-bakery.example/sourdough' },
            ],
          },
        ],
      },
      bun: { type: 'message', text: 'One cinnamon bun is in your basket.' },
      loaf: { type: 'message', text: 'A sourdough loaf is in your basket.' },
    },
  },
];

before(async () => {
  shop = await HostSite.start();
  server = await ParloServer.start({ name: 'flows' });
  const api = (method, path, body) => server.ok(method, `/api/v1${path}`, { key: server.key, body });
  // A condition may only read a tag that exists.
  await api('POST', '/tags', { name: 'club' });
  for (const flow of FLOWS) await api('PUT', `/flows/${flow.id}`, flow);
  channel = await api('POST', '/channels', {
    name: 'Corner Bakery',
    allowed_origins: [shop.origin],
    welcome_flow: 'bakery_hello',
    ice_breakers: [{ title: 'Order a cake', flow: 'bakery_cake' }],
  });
  for (const [phrase, flow] of [
    ['discount', 'bakery_club'],
    ['pick up', 'bakery_pickup'],
    ['fresh', 'bakery_fresh'],
  ]) {
    await api('POST', `/channels/${channel.id}/keywords`, { phrases: [phrase], match: 'contains', flow });
  }
  shop.pages['/'] = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Corner Bakery</title><link rel="icon" href="data:,">${channel.embed_snippet}</head>
<body><h1>Corner Bakery</h1></body>
</html>`;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
  await shop?.close();
});

/**
 * A new visitor: a fresh browser context on the shop's page with the widget opened and the
 * welcome flow shown. `run(page, visitor)` gets `visitor.id()`, the subscriber id (from the
 * session the widget keeps); a failure keeps a screenshot named `name` and the page's problems.
 */
async function asVisitor(t, name, run) {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  await context.route(`${IMAGES}/**`, (route) => route.fulfill({ contentType: 'image/svg+xml', body: picture }));
  const visitor = {
    async id() {
      const key = `parlo:${channel.id}:session`;
      const token = await until(() => page.evaluate((k) => localStorage.getItem(k), key), Boolean, { what: 'a session token' });
      const session = await server.ok('POST', `/api/public/v1/channels/${channel.id}/sessions`, { body: { session_token: token } });
      return session.subscriber_id;
    },
  };
  try {
    await page.goto(`${shop.origin}/`);
    await openWidget(page);
    await botSays(page, "I'm the Corner Bakery bot");
    await run(page, visitor);
  } catch (error) {
    await saveFailureScreenshot(page, `flows-${name}-failure`);
    error.message += `\npage problems:\n${page.problems.join('\n')}`;
    throw error;
  }
}

/** The texts of the bot bubbles, in order. */
const botTexts = (page) => page.locator(sel.bot).allTextContents().then((texts) => texts.map((t) => t.trim()));

/** The titles of the quick replies offered now. */
const quickReplies = (page) => page.locator('.parlo-quick-replies button').allTextContents();

test('a condition step greets a visitor tagged through the API otherwise', { timeout: 120_000 }, async (t) => {
  await asVisitor(t, 'condition', async (page, visitor) => {
    await typeAndSend(page, 'Any discount today?');
    await botSays(page, 'Join our baking club and get 10% off.');

    const id = await visitor.id();
    const tagged = await server.ok('POST', `/api/v1/subscribers/${id}/tags`, { key: server.key, body: { tags: ['club'] } });
    assert.deepEqual(tagged.tags, ['club']);
    await typeAndSend(page, 'And my discount now?');
    await botSays(page, 'Welcome back, club member: 10% off everything today.');
    assert.deepEqual((await botTexts(page)).slice(-2), [
      'Join our baking club and get 10% off.',
      'Welcome back, club member: 10% off everything today.',
    ]);
  });
  // Another visitor, never tagged, is still invited.
  await asVisitor(t, 'condition-untagged', async (page) => {
    await typeAndSend(page, 'Discount?');
    await botSays(page, 'Join our baking club and get 10% off.');
    assert.ok(!(await botTexts(page)).some((text) => text.includes('club member')), 'no member greeting');
  });
});

test('a choice question offers its choices, refuses others by naming them and takes a pressed one', { timeout: 120_000 }, async (t) => {
  await asVisitor(t, 'choice', async (page, visitor) => {
    await page.locator('.parlo-ice-breakers button', { hasText: 'Order a cake' }).click();
    await botSays(page, 'Which size of cake?');
    assert.deepEqual(await quickReplies(page), ['Small', 'Medium', 'Large']);

    await typeAndSend(page, 'A huge one');
    await botSays(page, 'Please choose one of: Small, Medium, Large.');
    await until(() => botTexts(page), (texts) => texts.at(-1) === 'Which size of cake?', { what: 'the question again' });
    assert.deepEqual(await quickReplies(page), ['Small', 'Medium', 'Large'], 'the choices offered again');

    await pressButton(page, 'Medium');
    await page.locator(sel.visitor).filter({ hasText: /^\s*Medium\s*$/ }).waitFor({ timeout: 15_000 });
    await botSays(page, 'A Medium cake, noted.');
    assert.deepEqual(await quickReplies(page), [], 'the choices go once answered');
    const subscriber = await server.subscriber(await visitor.id());
    assert.equal(subscriber.fields.cake_size, 'Medium');
  });
});

test('a date question offers a date picker and stores an ISO date', { timeout: 120_000 }, async (t) => {
  await asVisitor(t, 'date', async (page, visitor) => {
    const textBox = page.locator(sel.composer);
    const datePicker = page.locator('input[type="date"][aria-label="Date"]');
    assert.equal(await datePicker.count(), 0, 'a text box until a date is asked');

    await typeAndSend(page, 'When can I pick up my order?');
    await botSays(page, 'Which day will you pick it up?');
    await datePicker.waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await textBox.count(), 0, 'the picker replaces the text box');
    assert.ok(await datePicker.evaluate((input) => input.getRootNode().activeElement === input), 'the picker has the focus');

    await datePicker.fill('2026-12-24');
    await datePicker.press('Enter');
    await page.locator(sel.visitor).filter({ hasText: '2026-12-24' }).waitFor({ timeout: 15_000 });
    await botSays(page, 'See you on 2026-12-24.');
    await textBox.waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await datePicker.count(), 0, 'the text box is back once answered');
    const subscriber = await server.subscriber(await visitor.id());
    assert.equal(subscriber.fields.pickup_day, '2026-12-24');
  });
});

test('an image step and a carousel step show, and a card button continues the flow', { timeout: 120_000 }, async (t) => {
  await asVisitor(t, 'image-carousel', async (page) => {
    await typeAndSend(page, "What's fresh today?");
    const photo = page.locator(`${sel.bot} img[alt="A tray of cinnamon buns"]`);
    await photo.waitFor({ state: 'visible', timeout: 15_000 });
    await until(() => photo.evaluate((img) => img.complete && img.naturalWidth), (width) => width > 0, { what: 'the picture loaded' });
    await botSays(page, 'Fresh from the oven');

    const carousel = page.locator('[role="group"][aria-label="Cards"]');
    await carousel.waitFor({ state: 'visible', timeout: 15_000 });
    assert.deepEqual(await carousel.locator('.parlo-card__title').allTextContents(), ['Cinnamon bun', 'Sourdough loaf']);
    assert.deepEqual(await carousel.locator('.parlo-card__subtitle').allTextContents(), ['€3', '€6']);
    assert.deepEqual(
      await carousel.locator('img').evaluateAll((imgs) => imgs.map((img) => img.alt)),
      ['A cinnamon bun', 'A sourdough loaf'],
    );
    const buttons = carousel.locator('button');
    assert.deepEqual(await buttons.allTextContents(), ['Add a bun', 'Add a loaf', 'Recipe']);
    for (const button of await buttons.all()) assert.ok(await button.isVisible());

    await carousel.locator('button', { hasText: 'Add a loaf' }).click();
    await page.locator(sel.visitor).filter({ hasText: 'Add a loaf' }).waitFor({ timeout: 15_000 });
    await botSays(page, 'A sourdough loaf is in your basket.');
    assert.ok(!(await botTexts(page)).some((text) => text.includes('cinnamon bun is')), 'only the pressed card answers');
  });
});
