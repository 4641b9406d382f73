// Exactly once across SIGKILL: the server is killed at random moments while clients keep
// starting visitor sessions and submitting a form whose automations start a flow, each
// request retried with its idempotency key (network error, 5xx) until it is answered, as the
// widget and the lead form do. Afterwards:
//
// - sessions: one subscriber per key — every retry of a key got the subscriber of its first
//   start (even when that first answer was lost with the process), and the server holds no
//   subscriber that no key was answered;
// - form flows: each flow-start automation of an accepted submission started its flow
//   exactly once — the flow's first bot message is in the visitor's conversation once per
//   automation, also when a kill fell between the flow's start and the marking of its
//   delivery (with the marking outside the flow's turn this run finds doubled starts).
//
// Only the public and management APIs are read, so the file runs on SQLite and PostgreSQL
// (`PARLO_E2E_DATABASE_URL`).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ParloServer } from './lib/server.mjs';
import { putForm } from './lib/forms.mjs';
import { until } from './lib/widget.mjs';

const KILLS = 20;
const CLIENTS = 8;
/** The start of the flow's first message (seed `quote_greeting`: "Hi {{name|there}}, thanks…"). */
const FLOW_FIRST_MESSAGE = /^Hi .*, thanks for your quote request!/;

/** Flow-start automations of the form. */
const FLOW_STARTS = 4;

/** A form whose automations start a flow; no minimum fill time (a script fills it). */
const FLOW_FORM = {
  id: 'once',
  name: 'Exactly once',
  channel_id: 'demo',
  min_fill_ms: 0,
  fields: [{ name: 'name', type: 'text', label: 'Name', required: true }],
  // Several starts per lead, run one after another: more moments for a kill to fall between
  // a flow's start and the marking of its delivery.
  automations: Array.from({ length: FLOW_STARTS }, () => ({ type: 'start_flow', flow_id: 'quote_greeting' })),
};

let server;

before(async () => {
  // Clients here start sessions and submit forms back to back, far faster than visitors: the
  // public limits of sessions and form submissions are lifted.
  server = await ParloServer.start({
    name: 'once-crash',
    env: {
      PARLO_SESSION_RATE_LIMIT: '1000000',
      PARLO_FORM_IP_RATE_LIMIT: '1000000',
      PARLO_FORM_RATE_LIMIT: '1000000',
    },
  });
  await putForm(server, FLOW_FORM);
});

after(async () => {
  await server?.dispose();
});

const wait = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * `POST path` with a JSON `body` and `headers`, repeated (same key, same body) on network
 * errors and 5xx until it is answered; answers `{ status, body, attempts }`.
 */
async function untilAnswered(path, body, headers) {
  for (let attempts = 1; ; attempts++) {
    try {
      const response = await fetch(server.url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      const answer = await response.json();
      if (response.ok) return { status: response.status, body: answer, attempts };
      assert.ok(response.status >= 500, `only a server fault is retried: ${response.status} ${JSON.stringify(answer)}`);
    } catch (error) {
      if (error instanceof assert.AssertionError) throw error;
      // The server is down (connection refused or reset): retry once it is back.
    }
    await wait(20);
  }
}

/** Starts a visitor session with a fresh `Idempotency-Key`, retried until answered. */
async function startSession() {
  const key = randomUUID();
  const answer = await untilAnswered('/api/public/v1/channels/demo/sessions', {}, { 'idempotency-key': key });
  return { key, ...answer };
}

/** Runs `client(i)` for i = 0, 1, … on each of `CLIENTS` clients while SIGKILLs land at random moments. */
async function underKills(client) {
  let stopped = false;
  const running = Array.from({ length: CLIENTS }, async () => {
    const done = [];
    for (let i = 0; !stopped; i++) done.push(await client(i));
    return done;
  });
  for (let kill = 0; kill < KILLS; kill++) {
    // Random moments: somewhere in a request, its turn, its commit or its answer.
    await wait(30 + Math.random() * 300);
    await server.kill();
    await server.spawn();
  }
  await wait(300);
  stopped = true;
  return (await Promise.all(running)).flat();
}

/** Ids of every subscriber of the demo workspace. */
async function subscriberIds() {
  const ids = [];
  let cursor = null;
  for (;;) {
    const page = await server.ok('GET', `/api/v1/subscribers?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { key: server.key });
    ids.push(...page.items.map((s) => s.id));
    if (!page.next_cursor) return ids;
    cursor = page.next_cursor;
  }
}

test(`SIGKILL ${KILLS} times during session starts: one subscriber per idempotency key`, { timeout: 300_000 }, async (t) => {
  const before = new Set(await subscriberIds());
  const starts = await underKills(async () => {
    const start = await startSession();
    // A second retry of the same key after the answer: the same subscriber again.
    const again = await untilAnswered('/api/public/v1/channels/demo/sessions', {}, { 'idempotency-key': start.key });
    assert.equal(again.status, 200, 'a repeat of an answered key creates nothing');
    assert.equal(again.body.subscriber_id, start.body.subscriber_id, `key ${start.key}: the same subscriber`);
    return start;
  });

  const bySubscriber = new Map(starts.map((s) => [s.body.subscriber_id, s.key]));
  assert.equal(bySubscriber.size, starts.length, 'no two keys share a subscriber');
  const created = (await subscriberIds()).filter((id) => !before.has(id));
  const unanswered = created.filter((id) => !bySubscriber.has(id));
  assert.deepEqual(unanswered, [], 'no subscriber beside the ones answered to a key (a retry made none)');
  assert.equal(created.length, starts.length, 'one subscriber per key');
  for (const start of starts) {
    const history = await server.history(start.body.session_token);
    assert.equal(history.filter((m) => m.author === 'bot').length, 1, `key ${start.key}: the start flow ran once`);
  }
  assert.ok(starts.length >= 10, `enough starts for the test to mean something: ${starts.length}`);
  const repeated = starts.filter((s) => s.attempts > 1 && s.status === 200).length;
  t.diagnostic(`${KILLS} kills, ${starts.length} session starts, ${repeated} answered by a retry after a lost answer`);
});

test(`SIGKILL ${KILLS} times during form submissions: each accepted submission's flow starts once`, { timeout: 300_000 }, async (t) => {
  const submissions = await underKills(async (i) => {
    const visitor = await startSession();
    const key = randomUUID();
    const body = { idempotency_key: key, values: { name: `Visitor ${i}` }, session_token: visitor.body.session_token };
    await untilAnswered(`/api/public/v1/forms/${FLOW_FORM.id}/submissions`, body, {});
    return { key, token: visitor.body.session_token };
  });

  // Rows leased by a killed process are taken up again once their lease runs out (30 s).
  const delivered = await until(
    async () => {
      const pending = await server.ok('GET', '/api/v1/deliveries?status=pending&limit=1', { key: server.key });
      const dead = await server.ok('GET', '/api/v1/deliveries?status=dead&limit=1', { key: server.key });
      return { pending: pending.items.length, dead: dead.items };
    },
    (s) => s.pending === 0,
    { what: 'every flow automation to be delivered', timeout: 120_000, interval: 500 },
  );
  assert.deepEqual(delivered.dead, [], 'no automation ended dead');

  const counts = await Promise.all(
    submissions.map(async ({ token }) => (await server.history(token)).filter((m) => FLOW_FIRST_MESSAGE.test(m.content.text ?? '')).length),
  );
  const wrong = submissions.map((s, i) => [s.key, counts[i]]).filter(([, n]) => n !== FLOW_STARTS);
  assert.deepEqual(wrong, [], `each accepted submission's ${FLOW_STARTS} flow starts each put the flow's message in its conversation once`);
  assert.ok(submissions.length >= 10, `enough submissions for the test to mean something: ${submissions.length}`);
  t.diagnostic(`${KILLS} kills, ${submissions.length} submissions, each flow started once`);
});
