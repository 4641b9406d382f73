// Webhooks of leads, checked by the official Standard Webhooks library (npm
// `standardwebhooks`): a quote request submitted to the real server reaches a local
// receiver whose signature verifies; a tampered body or a stale timestamp does not.
// A receiver that is down at first gets the lead once it is up.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { addWebhook, requestQuote } from './lib/forms.mjs';
import { rawReceiver } from './lib/receiver.mjs';
import { ParloServer, freePort } from './lib/server.mjs';
import { until } from './lib/widget.mjs';

let server;

before(async () => {
  server = await ParloServer.start({
    name: 'webhooks',
    // Receivers listen on 127.0.0.1; failed attempts are retried after ~200 ms.
    env: { PARLO_ALLOW_PRIVATE_WEBHOOKS: 'true', PARLO_OUTBOX_RETRY_BASE_MS: '200' },
  });
});

after(async () => {
  await server?.dispose();
});


test('a lead webhook verifies with the official library; tampering and replays fail', async () => {
  const hooks = await rawReceiver();
  try {
    const endpoint = await addWebhook(server, 'quote', hooks.url);
    await requestQuote(server, 'Ada Lovelace');
    await until(() => hooks.received.length, (n) => n >= 1, { what: 'the webhook', timeout: 30_000 });
    const { headers, body } = hooks.received[0];
    const wh = new Webhook(endpoint.secret);

    const payload = wh.verify(body, headers);
    assert.equal(payload.type, 'lead.created');
    assert.equal(payload.data.values.name, 'Ada Lovelace');
    assert.match(headers['webhook-id'], /^msg_/);

    assert.throws(() => wh.verify(body.replace('Ada Lovelace', 'Eve'), headers), 'a tampered body fails');
    const stale = { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) - 10 * 60) };
    assert.throws(() => wh.verify(body, stale), 'a stale timestamp fails');
    const other = new Webhook('whsec_' + Buffer.alloc(24, 7).toString('base64'));
    assert.throws(() => other.verify(body, headers), 'another secret fails');
  } finally {
    await hooks.close();
  }
});

test('a receiver down at first gets the lead once it is up, signed', async () => {
  const port = await freePort();
  const endpoint = await addWebhook(server, 'quote', `http://127.0.0.1:${port}/hooks`);
  await requestQuote(server, 'Grace Hopper');
  const failed = await until(
    () => server.ok('GET', `/api/v1/deliveries?endpoint_id=${endpoint.id}`, { key: server.key }),
    (page) => page.items.some((d) => d.status === 'pending' && d.last_error),
    { what: 'a failed attempt', timeout: 30_000 },
  );
  assert.equal(failed.items.length, 1);
  assert.match(failed.items[0].last_error, /connect/);

  const hooks = await rawReceiver(port);
  try {
    await until(() => hooks.received.length, (n) => n >= 1, { what: 'the webhook', timeout: 30_000 });
    const payload = new Webhook(endpoint.secret).verify(hooks.received[0].body, hooks.received[0].headers);
    assert.equal(payload.data.values.name, 'Grace Hopper');
    await until(
      () => server.ok('GET', `/api/v1/deliveries/${failed.items[0].id}`, { key: server.key }),
      (d) => d.status === 'delivered',
      { what: 'the delivery to be marked delivered' },
    );
    assert.equal(hooks.received.length, 1, 'delivered once');
  } finally {
    await hooks.close();
  }
});
