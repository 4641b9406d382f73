// Flow steps that act, in real Chromium against the real server: a webhook step calls a
// local receiver (its signature checked by the official `standardwebhooks` library) and the
// field it saves from the JSON answer appears in the next bot message; with the receiver
// down the failure branch runs. A hand-over pauses the bot, the owner gets the e-mail (a
// local SMTP sink), the widget says a person will reply, and an agent's message then
// arrives live.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { ParloServer } from './lib/server.mjs';
import { SmtpSink } from './lib/smtp.mjs';
import { botSays, openWidget, sel, typeAndSend, until } from './lib/widget.mjs';

let server;
let smtp;
let browser;
let receiver;
let endpoint;

/** The order-status system: answers every verified call with the status of the order asked about. */
async function startReceiver() {
  const calls = [];
  const http = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const call = { headers: request.headers, body, verified: false };
      try {
        call.event = new Webhook(endpoint.secret).verify(body, request.headers);
        call.verified = true;
      } catch {
        // An unverified call is answered 401 below.
      }
      calls.push(call);
      if (!call.verified) return response.writeHead(401).end();
      if (call.event.type !== 'flow.webhook') return response.writeHead(204).end();
      const order = call.event.data.subscriber.fields.order;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ order: { id: order, status: 'out for delivery' } }));
    });
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${http.address().port}/orders`,
    calls,
    close: () => new Promise((resolve) => (http.closeAllConnections(), http.close(resolve))),
  };
}

async function api(method, path, body) {
  const res = await server.request(method, path, { key: server.key, body });
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

before(async () => {
  smtp = await SmtpSink.start();
  server = await ParloServer.start({
    name: 'flow-actions',
    env: { PARLO_ALLOW_PRIVATE_WEBHOOKS: 'true', PARLO_SMTP_URL: smtp.url },
  });
  receiver = await startReceiver();
  endpoint = await api('POST', '/api/v1/webhook-endpoints', { url: receiver.url, description: 'Order status' });
  await api('PUT', '/api/v1/flows/order', {
    id: 'order', name: 'Order status', start: 'ask',
    steps: {
      ask: { type: 'question', text: 'Your order number?', field: 'order', kind: 'text', next: 'call' },
      call: {
        type: 'webhook', endpoint_id: endpoint.id, timeout_seconds: 3,
        save: { order_status: '/order/status' }, next: 'tell', failure: 'sorry',
      },
      tell: { type: 'message', text: 'Order {{order}} is {{order_status}}.' },
      sorry: { type: 'message', text: 'Our order system is not answering, sorry.' },
    },
  });
  await api('PUT', '/api/v1/flows/person', {
    id: 'person', name: 'A person', start: 'tell',
    steps: {
      tell: { type: 'notify_owner', to: 'owner@shop.example', text: '{{order|A visitor}} wants a person', next: 'over' },
      over: { type: 'hand_over', text: 'Sam from our team will reply here.' },
    },
  });
  for (const [phrase, flow] of [['where is my order', 'order'], ['a person please', 'person']]) {
    await api('POST', '/api/v1/channels/demo/keywords', { phrases: [phrase], match: 'exact', flow });
  }
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
  await receiver?.close();
  await smtp?.close();
});

test('a webhook step answers with a field from the receiver, or runs its failure branch', { timeout: 120_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  try {
    await page.goto(`${server.origin}/`);
    await openWidget(page);
    await botSays(page, 'Welcome to Bloom & Brew');
    await typeAndSend(page, 'where is my order');
    await botSays(page, 'Your order number?');
    await typeAndSend(page, 'BB-1042');
    await botSays(page, 'Order BB-1042 is out for delivery.');
    const call = receiver.calls.find((c) => c.event?.type === 'flow.webhook');
    assert.ok(call?.verified, 'the call verifies with the endpoint secret');
    assert.equal(call.event.data.step_id, 'call');

    await receiver.close();
    await typeAndSend(page, 'where is my order');
    await botSays(page, 'Your order number?');
    await typeAndSend(page, 'BB-7');
    await botSays(page, 'Our order system is not answering, sorry.');
  } catch (error) {
    await saveFailureScreenshot(page, 'flow-actions-webhook-failure');
    error.message += `\npage problems:\n${page.problems.join('\n')}`;
    throw error;
  }
});

test('a hand-over pauses the bot, e-mails the owner, and an agent message arrives live', { timeout: 120_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  try {
    await page.goto(`${server.origin}/`);
    await openWidget(page);
    await botSays(page, 'Welcome to Bloom & Brew');
    await typeAndSend(page, 'a person please');
    const notice = page.locator('.parlo-msg--system').filter({ hasText: 'Sam from our team will reply here.' });
    await notice.waitFor({ state: 'visible', timeout: 15_000 });
    const mail = await until(
      () => smtp.mails.find((m) => m.data.includes('wants a person')),
      Boolean,
      { what: 'the owner e-mail' },
    );
    assert.deepEqual(mail.to, ['<owner@shop.example>']);
    assert.match(mail.data, /text: A visitor wants a person/);
    const subscriberId = /subscriber_id: (sub_\w+)/.exec(mail.data)?.[1];
    assert.ok(subscriberId, mail.data);

    const botBubbles = await page.locator(sel.bot).count();
    await typeAndSend(page, 'hello?');
    await page.locator(sel.visitor).filter({ hasText: 'hello?' }).waitFor({ timeout: 15_000 });
    await api('POST', `/api/v1/subscribers/${subscriberId}/messages`, { text: 'Hi, Sam here. How can I help?' });
    await page.locator('.parlo-msg--agent').filter({ hasText: 'Hi, Sam here.' }).waitFor({ timeout: 15_000 });
    assert.equal(await page.locator(sel.bot).count(), botBubbles, 'the paused bot did not answer');
  } catch (error) {
    await saveFailureScreenshot(page, 'flow-actions-hand-over-failure');
    error.message += `\npage problems:\n${page.problems.join('\n')}`;
    throw error;
  }
});
