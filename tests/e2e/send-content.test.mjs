// The site's team writes into an open widget through the management API: content (text, an
// image, a card, a carousel) and a human agent's message appear live in the visitor's chat,
// and are still there after a reload.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { ParloServer } from './lib/server.mjs';
import { botSays, ensureOpen, openWidget, pressButton, sel, sessionToken } from './lib/widget.mjs';

let server;
let browser;

before(async () => {
  server = await ParloServer.start({ name: 'send-content' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

/** A card of the demo shop; its image is served by Parlo itself (the API docs' favicon). */
function card(title) {
  return {
    title,
    subtitle: 'Fresh every morning',
    image: { url: `${server.url}/docs/assets/favicon-32x32.png`, alt: `A photo of ${title}` },
    buttons: [
      { title: `Menu for ${title}`, flow: 'menu' },
      { title: 'Shop', url: 'https://example.com/shop' },
    ],
  };
}

/** What the visitor sees of the content: card titles, image alt texts, link buttons. */
function shown(page) {
  return page.locator(sel.log).evaluate((log) => ({
    cards: [...log.querySelectorAll('.parlo-card__title')].map((e) => e.textContent),
    alts: [...log.querySelectorAll('img.parlo-img')].map((e) => e.getAttribute('alt')),
    carousels: log.querySelectorAll('.parlo-carousel .parlo-card').length,
    links: [...log.querySelectorAll('.parlo-btn[data-link]')].map((e) => e.textContent),
    agent: [...log.querySelectorAll('.parlo-msg--agent')].map((e) => e.textContent),
  }));
}

test('content and an agent message sent through the API appear live and survive a reload', { timeout: 120_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  try {
    await page.goto(`${server.url}/`);
    await openWidget(page);
    await botSays(page, 'Welcome to Bloom & Brew');
    const { subscriber_id: id } = await server.session(await sessionToken(page));
    const api = (path, body) => server.ok('POST', `/api/v1/subscribers/${id}${path}`, { key: server.key, body });

    await api('/send-content', {
      messages: [
        { type: 'text', text: 'Fresh from the oven today:' },
        { type: 'image', url: `${server.url}/docs/assets/favicon-32x32.png`, alt: 'Our shop window' },
        { type: 'card', ...card('Lemon cake') },
        { type: 'carousel', cards: [card('Cardamom bun'), card('Oat latte')] },
      ],
      actions: [{ type: 'add_tag', tag: 'sweet-tooth' }],
    });
    await botSays(page, 'Fresh from the oven today:');
    await page.locator('.parlo-carousel .parlo-card').nth(1).waitFor({ state: 'visible', timeout: 15_000 });
    const live = await shown(page);
    assert.deepEqual(live.cards, ['Lemon cake', 'Cardamom bun', 'Oat latte']);
    assert.deepEqual(live.alts, ['Our shop window', 'A photo of Lemon cake', 'A photo of Cardamom bun', 'A photo of Oat latte']);
    assert.equal(live.carousels, 2);
    assert.equal(live.links.length, 3, 'every card has its link button');

    await api('/messages', { text: 'Hi, this is Sam from the shop.' });
    await page.locator('.parlo-msg--agent', { hasText: 'Sam from the shop' }).waitFor({ timeout: 15_000 });

    // A card's flow button runs the flow.
    await pressButton(page, 'Menu for Cardamom bun');
    await botSays(page, "Today's favourites");

    await page.reload();
    await ensureOpen(page);
    await page.locator('.parlo-msg--agent').waitFor({ timeout: 20_000 });
    const restored = await shown(page);
    assert.deepEqual(restored.cards, live.cards);
    assert.deepEqual(restored.alts, live.alts);
    assert.equal(restored.carousels, live.carousels);
    assert.deepEqual(restored.agent, ['Hi, this is Sam from the shop.']);

    const subscriber = await server.subscriber(id);
    assert.ok(subscriber.tags.includes('sweet-tooth'), `tags: ${JSON.stringify(subscriber.tags)}`);
    assert.deepEqual(page.problems.filter((p) => p.startsWith('pageerror')), [], 'no uncaught errors in the page');
  } catch (error) {
    await saveFailureScreenshot(page, 'send-content-failure');
    error.message += `\npage problems:\n${page.problems.join('\n')}\nserver log:\n${server.tail()}`;
    throw error;
  }
});
