// The shop inside the chat, as a visitor and the shop owner notice it: on the demo page a
// visitor opens the shop from the bot's menu, sees the bouquets as cards with pictures and prices, adds
// two to the cart, views it, checks out (giving an e-mail address) and follows the payment
// link to the payment page. The order is in the management API with its lines and total;
// its `order.created` webhook, and `order.paid` once it is marked paid through the API,
// reach a local receiver and verify with the official Standard Webhooks library.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { rawReceiver } from './lib/receiver.mjs';
import { ParloServer } from './lib/server.mjs';
import { botSays, openWidget, pressButton, sel, typeAndSend, until } from './lib/widget.mjs';

let server;
let browser;
let hooks;

before(async () => {
  server = await ParloServer.start({
    name: 'shop',
    env: { PARLO_ALLOW_PRIVATE_WEBHOOKS: 'true', PARLO_OUTBOX_RETRY_BASE_MS: '200' },
  });
  browser = await launchBrowser();
  hooks = await rawReceiver();
});

after(async () => {
  await browser?.close();
  await hooks?.close();
  await server?.dispose();
});

/** A management API call with the server's key; fails unless 2xx. */
function api(method, path, body) {
  return server.ok(method, `/api/v1${path}`, { key: server.key, body });
}

/** The webhook of event `type`, verified with `secret`: its payload. */
async function verifiedEvent(secret, type) {
  const wh = new Webhook(secret);
  const found = await until(
    () => hooks.received.map(({ headers, body }) => ({ headers, body, payload: JSON.parse(body) })),
    (all) => all.some((r) => r.payload.type === type),
    { what: `the ${type} webhook`, timeout: 30_000 },
  );
  const { headers, body } = found.find((r) => r.payload.type === type);
  const payload = wh.verify(body, headers);
  assert.throws(() => wh.verify(body.replace('"EUR"', '"USD"'), headers), 'a tampered body fails');
  return payload;
}

/** Presses "Add to cart" on the newest card of `product`. */
async function addToCart(page, product) {
  const card = page.locator(sel.panel).locator('.parlo-card').filter({ hasText: product }).last();
  await card.locator('button', { hasText: 'Add to cart' }).click();
}

test('a visitor buys two bouquets in the chat and the shop hears of the order and its payment', async () => {
  const endpoint = await api('POST', '/webhook-endpoints', { url: hooks.url, description: 'e2e: orders' });
  const settings = await api('GET', '/shop/settings');
  const webhook = [{ type: 'webhook', endpoint_id: endpoint.id }];
  await api('PUT', '/shop/settings', { ...settings, order_created: webhook, order_paid: webhook });

  const { context, page } = await newPage(browser);
  try {
    await page.goto(`${server.url}/`);
    await openWidget(page);
    await botSays(page, 'Welcome to Bloom & Brew');
    await typeAndSend(page, 'menu');
    await pressButton(page, 'Shop bouquets');
    await botSays(page, 'Our bouquets, tied fresh every morning');

    // The products: a card each, with its picture, name, price and description.
    const cards = page.locator(sel.panel).locator('.parlo-card');
    await until(() => cards.allTextContents(), (texts) => texts.length === 3, { what: 'three product cards' });
    const rose = cards.filter({ hasText: 'Rose bouquet' });
    assert.match(await rose.textContent(), /€36\.00 · A dozen red roses/);
    const picture = rose.locator('img');
    assert.equal(await picture.getAttribute('alt'), 'Rose bouquet');
    await until(() => picture.evaluate((img) => img.complete && img.naturalWidth), (w) => w > 0, { what: 'the rose picture' });

    await addToCart(page, 'Rose bouquet');
    await botSays(page, 'Added Rose bouquet — cart: 1 item, €36.00');
    await addToCart(page, 'Tulip bouquet');
    await botSays(page, 'Added Tulip bouquet — cart: 2 items, €60.00');
    await pressButton(page, 'View cart');
    const cart = await botSays(page, 'Total (2 items): €60.00');
    assert.match(await cart.textContent(), /1 × Rose bouquet — €36\.00.*1 × Tulip bouquet — €24\.00/s);

    await pressButton(page, 'Check out');
    await botSays(page, "What's your e-mail address");
    await typeAndSend(page, 'ada@example.com');
    const thanks = await botSays(page, /Thank you! Your order #\d+ \(2 items, €60\.00\)/);
    const orderId = Number((await thanks.textContent()).match(/#(\d+)/)[1]);

    // The payment link opens the payment page of this order.
    const [payPage] = await Promise.all([context.waitForEvent('page'), pressButton(page, 'Pay €60.00')]);
    await payPage.waitForLoadState();
    const url = new URL(payPage.url());
    assert.equal(url.pathname, '/pay.html');
    assert.deepEqual(Object.fromEntries(url.searchParams), { order: String(orderId), amount: '60.00', currency: 'EUR' });
    assert.equal(await payPage.locator('#summary').textContent(), `Order #${orderId}: 60.00 EUR`);

    // The order as the owner sees it.
    const order = await api('GET', `/orders/${orderId}`);
    assert.equal(order.status, 'pending');
    assert.deepEqual(order.total, { currency: 'EUR', amount: 6000 });
    assert.deepEqual(
      order.lines.map((l) => [l.sku, l.name, l.quantity, l.total]),
      [
        ['bouquet-rose', 'Rose bouquet', 1, 3600],
        ['bouquet-tulip', 'Tulip bouquet', 1, 2400],
      ],
    );
    assert.equal(order.buyer.email, 'ada@example.com');

    const created = await verifiedEvent(endpoint.secret, 'order.created');
    assert.equal(created.data.id, orderId);
    assert.deepEqual(created.data.total, { currency: 'EUR', amount: 6000 });

    await api('POST', `/orders/${orderId}/status`, { status: 'paid' });
    const paid = await verifiedEvent(endpoint.secret, 'order.paid');
    assert.equal(paid.data.id, orderId);
    assert.equal(paid.data.status, 'paid');
  } catch (error) {
    await saveFailureScreenshot(page, 'shop');
    throw error;
  } finally {
    await context.close();
  }
});
