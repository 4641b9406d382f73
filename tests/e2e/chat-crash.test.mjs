// Chat turns survive SIGKILL: concurrent visitors keep sending messages (each retried with
// its own id until it is answered, as the widget's transport does) while a server is killed
// at random moments. Afterwards every message a visitor saw answered is in its history
// exactly once, followed by the bot's reply, and nothing else is there. A server that
// answered a turn before its commit was on disk would lose acknowledged messages here.
//
// On SQLite (the default) one server is killed 30 times; concurrent turns are committed
// together there, so kills land between a batch and its commit. With
// `PARLO_E2E_DATABASE_URL` (PostgreSQL) two instances share one schema, visitors are spread
// over both, and one of them (taking turns) is killed 20 times while the other keeps serving.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ParloServer } from './lib/server.mjs';

const postgres = Boolean(process.env.PARLO_E2E_DATABASE_URL);
const KILLS = postgres ? 20 : 30;
const VISITORS = 16;

let servers = [];
// Each visitor here sends a message the moment the last one is answered, far faster than a
// person: the public limits (sessions per IP, messages per session) are lifted.
const UNLIMITED = { PARLO_SESSION_RATE_LIMIT: '1000000', PARLO_MESSAGE_RATE_LIMIT: '1000000' };

before(async () => {
  const first = await ParloServer.start({ name: 'chat-crash-a', env: UNLIMITED });
  servers = [first];
  if (postgres) servers.push(await ParloServer.start({ name: 'chat-crash-b', database: first, env: UNLIMITED }));
});

after(async () => {
  for (const server of servers) await server.dispose();
});

const wait = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * One visitor on `server`: sends messages one after another until `stop()`; each is retried
 * with the same id (network error, 5xx) until answered. Answers the ids answered, in order.
 */
async function visitor(server, session, stop) {
  const acked = [];
  for (let i = 0; !stop(); i++) {
    const id = randomUUID();
    for (;;) {
      try {
        const response = await fetch(`${server.url}/api/public/v1/channels/demo/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${session.session_token}` },
          body: JSON.stringify({ id, input: { type: 'text', text: `message ${i}` } }),
        });
        const body = await response.json();
        if (response.ok) {
          assert.equal(body.messages[0].id, id, 'the answer starts with the visitor message');
          acked.push(id);
          break;
        }
        assert.ok(response.status >= 500, `only a server fault is retried: ${response.status} ${JSON.stringify(body)}`);
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        // The server is down (connection refused or reset): retry once it is back.
      }
      await wait(20);
    }
  }
  return acked;
}

test(`SIGKILL ${KILLS} times during concurrent chat turns: every answered message stored once`, { timeout: 600_000 }, async (t) => {
  const sessions = [];
  for (let v = 0; v < VISITORS; v++) {
    const server = servers[v % servers.length];
    sessions.push({ server, session: await server.session() });
  }
  let stopped = false;
  const running = sessions.map(({ server, session }) => visitor(server, session, () => stopped));
  for (let kill = 0; kill < KILLS; kill++) {
    // Random moments: somewhere in a turn's request, batch, commit or answer.
    await wait(30 + Math.random() * 300);
    const victim = servers[kill % servers.length];
    await victim.kill();
    await victim.spawn();
  }
  await wait(300);
  stopped = true;
  const acked = await Promise.all(running);

  let total = 0;
  for (const [v, { server, session }] of sessions.entries()) {
    const history = await server.history(session.session_token);
    const visitorIds = history.filter((m) => m.author === 'visitor').map((m) => m.id);
    assert.deepEqual(visitorIds, acked[v], `visitor ${v}: exactly the answered messages, once each, in order`);
    for (const [i, message] of history.entries()) {
      if (message.author !== 'visitor') continue;
      assert.equal(history[i + 1]?.reply_to, message.id, `visitor ${v}: message ${message.id} has its bot reply`);
    }
    assert.deepEqual(history.map((m) => m.seq), history.map((_, i) => i + 1), `visitor ${v}: seqs without gaps`);
    total += acked[v].length;
  }
  assert.ok(total >= KILLS * 2, `enough traffic for the test to mean something: ${total} messages`);
  t.diagnostic(`${KILLS} kills, ${total} messages answered by ${servers.length} instance(s)`);
});
