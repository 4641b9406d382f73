// Nothing lost, nothing doubled, across going offline and a reload: the visitor submits the
// demo site's quote form while offline (the form says it will be sent later), reloads the page
// while still offline, comes back online on another page of the site that has no form — and
// the lead arrives exactly once, and its webhook is delivered once.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { ParloServer } from './lib/server.mjs';
import { QUEUED_TEXT, addWebhook, formReady, formSel, leadsOf, queued, startReceiver, untilLeads } from './lib/forms.mjs';
import { until } from './lib/widget.mjs';

let server;
let browser;
let receiver;

before(async () => {
  receiver = await startReceiver();
  server = await ParloServer.start({ name: 'lead-offline', env: { PARLO_ALLOW_PRIVATE_WEBHOOKS: 'true' } });
  await addWebhook(server, 'quote', receiver.url);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
  await receiver?.close();
});

test('a quote requested offline, then a reload, then online: one lead, one webhook', { timeout: 120_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  try {
    await page.goto(`${server.url}/#quote`);
    await formReady(page);
    await page.fill(formSel.input('name'), 'Grace Hopper');
    await page.fill(formSel.input('email'), 'grace@example.com');
    await page.selectOption(formSel.input('service'), 'event_catering');
    await page.fill(formSel.input('message'), 'Coffee cart for 40 people, please.');
    await page.check(formSel.input('consent'));
    // A person takes longer than the form's minimum fill time (2 s): sooner, the server takes
    // the submission for a bot's and silently makes no lead.
    await page.waitForTimeout(2_500);

    await context.setOffline(true);
    await page.locator(formSel.submit).click();
    const done = page.locator(formSel.done);
    await done.waitFor({ timeout: 15_000 });
    assert.equal((await done.textContent()).trim(), QUEUED_TEXT);
    const waiting = await queued(page);
    assert.equal(waiting.length, 1, 'the submission waits in localStorage');
    const [key, entry] = waiting[0];
    assert.equal(entry.form, 'quote');
    assert.equal(JSON.parse(entry.body).idempotency_key, key);

    // A reload while offline fails; the queued submission survives it.
    await page.reload({ timeout: 10_000 }).catch(() => {});
    await context.setOffline(false);
    // Back online on a page of the site without the form: the loader finds the leftover and
    // the bundle sends it.
    await page.goto(`${server.url}/hostile.html`);
    const [lead, ...others] = await untilLeads(server, 'quote', (l) => l.length >= 1, { timeout: 30_000 });
    assert.deepEqual(others, [], 'exactly one lead');
    assert.equal(lead.idempotency_key, key);
    assert.equal(lead.values.name, 'Grace Hopper');
    await until(() => queued(page), (q) => q.length === 0, { what: 'the queue to empty', timeout: 15_000 });

    // Another page load finds nothing to send; still one lead. (The form is further down the
    // page: it loads when scrolled to.)
    await page.goto(`${server.url}/`);
    await page.locator(formSel.host).scrollIntoViewIfNeeded();
    await formReady(page);
    assert.equal((await leadsOf(server, 'quote')).length, 1, 'still exactly one lead');

    // Its webhook: delivered, once.
    const hooks = await until(
      () => receiver.received.filter((r) => r.body?.data?.id === lead.id),
      (r) => r.length >= 1,
      { what: 'the webhook of the lead', timeout: 30_000 },
    );
    const deliveries = await until(
      () => server.ok('GET', '/api/v1/deliveries?status=delivered&limit=100', { key: server.key }),
      (page) => page.items.some((d) => d.automation.type === 'webhook' && d.data?.id === lead.id),
      { what: 'the webhook delivery to be marked delivered' },
    );
    const webhookRows = deliveries.items.filter((d) => d.automation.type === 'webhook' && d.data?.id === lead.id);
    assert.equal(webhookRows.length, 1, 'one webhook row for the lead');
    assert.equal(webhookRows[0].attempts, 1, 'delivered at the first attempt');
    assert.equal(hooks.length, 1, 'the receiver got it once');
    assert.equal(hooks[0].id, webhookRows[0].message_id, 'webhook-id is the delivery message id');
  } catch (error) {
    await saveFailureScreenshot(page, 'lead-offline');
    error.message += `\npage problems:\n${page.problems.join('\n')}\nserver:\n${server.tail()}`;
    throw error;
  }
});
