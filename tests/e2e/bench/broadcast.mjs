// A broadcast to many subscribers across a crash of the server, printed, never asserted (not run
// by the tests or CI):
//
//   node tests/e2e/bench/broadcast.mjs [--subscribers 2000] [--rate 100] [--kill-after-ms 8000]
//                                      [--instances 1]
//
// A fresh server (SQLite, or PostgreSQL with `PARLO_E2E_DATABASE_URL`, see ../lib/server.mjs)
// with `subscribers` subscribers tagged `bench`; with `--instances N` (PostgreSQL only), N
// server processes on that one database. One broadcast of a text message goes to the tag at
// `rate` recipients per second (with several instances, `send_at` is 11 s ahead, so every
// instance's worker, which looks at least every 10 s, is waiting for it and they all send);
// `kill-after-ms` after it started the first server is killed with SIGKILL (no shutdown at
// all) and started again on the same database. Reports:
//
// - the duration, from `started_at` to `finished_at` of the broadcast (server clock), and the
//   ideal `subscribers / rate`, which holds for the instances together (the rate is the
//   broadcast's, shared through the database); a recipient claimed when the process died is
//   leased for 5 s (`broadcasts::LEASE_MS`), so it is sent to when that lease runs out;
// - with several instances, how many recipients each sent (its
//   `parlo_broadcast_recipients_total` metric; the first one's count restarts at the kill);
// - how many recipients were sent to before the kill;
// - missing (subscribers whose conversation lacks the message) and doubled (holding it more
//   than once), read from each conversation's history: both must be 0;
// - the broadcast's statistics and recipient states as the API reports them.

import { ParloServer } from '../lib/server.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
};
const SUBSCRIBERS = Math.min(20_000, Math.max(1, option('subscribers', 2000)));
const RATE = Math.min(100_000, Math.max(1, option('rate', 100)));
const KILL_AFTER_MS = Math.max(0, option('kill-after-ms', (SUBSCRIBERS / RATE) * 500));
const INSTANCES = Math.min(8, Math.max(1, option('instances', 1)));
const START_IN_MS = INSTANCES > 1 ? 11_000 : 0;
if (INSTANCES > 1 && !process.env.PARLO_E2E_DATABASE_URL) {
  console.error('--instances needs PostgreSQL: set PARLO_E2E_DATABASE_URL');
  process.exit(2);
}
const TAG = 'bench';
const TEXT = `Benchmark broadcast ${Date.now()}`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `items` mapped by `fn` with at most `limit` calls in flight, results in order. */
async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A management call; retried while the server is down (connection refused) or answers 5xx. */
async function api(server, method, path, body) {
  for (let attempt = 0; ; attempt++) {
    try {
      const { status, body: answer } = await server.request(method, `/api/v1${path}`, { key: server.key, body });
      if (status >= 200 && status < 300) return answer;
      if (status < 500 && status !== 429) throw new Error(`${method} ${path} → ${status}: ${JSON.stringify(answer)}`);
    } catch (error) {
      if (attempt >= 60 || !(error instanceof TypeError)) throw error;
    }
    await sleep(500);
  }
}

/** How many messages of the subscriber's conversation are the broadcast's text. */
async function copies(server, id) {
  let count = 0;
  let cursor = '';
  for (;;) {
    const page = await api(server, 'GET', `/subscribers/${id}/messages?limit=100${cursor}`);
    count += page.items.filter((m) => m.content?.text === TEXT).length;
    if (!page.next_cursor) return count;
    cursor = `&cursor=${encodeURIComponent(page.next_cursor)}`;
  }
}

/** This instance's count of recipients it sent to (`parlo_broadcast_recipients_total`). */
async function sentHere(instance) {
  const text = await (await fetch(`${instance.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('parlo_broadcast_recipients_total{state="sent"}'));
  return line ? Number(line.split(' ').pop()) : 0;
}

const env = { PARLO_KEY_RATE_LIMIT: '1000000' };
const server = await ParloServer.start({ name: 'bench-broadcast', env });
const others = [];
try {
  for (let i = 1; i < INSTANCES; i++) {
    others.push(await ParloServer.start({ name: `bench-broadcast-${i}`, env, database: server }));
  }
  await api(server, 'POST', '/tags', { name: TAG });
  const ids = [];
  for (let i = 0; i < SUBSCRIBERS; i += 100) {
    const batch = Array.from({ length: Math.min(100, SUBSCRIBERS - i) }, (_, j) => ({
      channel_id: 'demo',
      name: `Bench ${i + j}`,
      tags: [TAG],
    }));
    const created = await api(server, 'POST', '/subscribers/batch', { subscribers: batch });
    ids.push(...created.items.map((s) => s.id));
  }
  console.log(
    `${ids.length} subscribers tagged '${TAG}'; ${INSTANCES} instance(s); broadcast at ${RATE}/s, ` +
      `SIGKILL of the first ${KILL_AFTER_MS} ms after it starts`,
  );

  const broadcast = await api(server, 'POST', '/broadcasts', {
    name: 'Benchmark',
    content: { type: 'messages', messages: [{ type: 'text', text: TEXT }] },
    audience: { tags: [TAG] },
    rate_per_second: RATE,
    ...(START_IN_MS ? { send_at: new Date(Date.now() + START_IN_MS).toISOString() } : {}),
  });
  await sleep(START_IN_MS);
  const started = performance.now();
  await sleep(KILL_AFTER_MS);
  await server.kill();
  const killedAt = performance.now();
  await server.spawn();
  const restartMs = performance.now() - killedAt;
  const sentBeforeKill = (await api(server, 'GET', `/broadcasts/${broadcast.id}`)).statistics.sent;

  let done;
  for (;;) {
    done = await api(server, 'GET', `/broadcasts/${broadcast.id}`);
    if (done.state === 'done') break;
    await sleep(200);
  }
  const wallMs = performance.now() - started;
  const durationMs = Date.parse(done.finished_at) - Date.parse(done.started_at);

  const perInstance = await Promise.all([server, ...others].map(sentHere));
  const counts = await pool(ids, 16, (id) => copies(server, id));
  const missing = counts.filter((n) => n === 0).length;
  const doubled = counts.filter((n) => n > 1).length;
  const states = {};
  let cursor = '';
  for (;;) {
    const page = await api(server, 'GET', `/broadcasts/${broadcast.id}/recipients?limit=100${cursor}`);
    for (const r of page.items) states[r.state] = (states[r.state] ?? 0) + 1;
    if (!page.next_cursor) break;
    cursor = `&cursor=${page.next_cursor}`;
  }

  console.log(`sent before the kill (read after the restart): ${sentBeforeKill}`);
  console.log(`restart (SIGKILL → listening again): ${(restartMs / 1000).toFixed(2)} s`);
  console.log(`duration started_at → finished_at: ${(durationMs / 1000).toFixed(2)} s (ideal ${(SUBSCRIBERS / RATE).toFixed(1)} s)`);
  console.log(`wall clock, create → done seen: ${(wallMs / 1000).toFixed(2)} s`);
  if (INSTANCES > 1) console.log(`sent per instance (the first since its restart): ${perInstance.join(', ')}`);
  console.log(`missing: ${missing}`);
  console.log(`doubled: ${doubled}`);
  console.log(`statistics: ${JSON.stringify(done.statistics)}`);
  console.log(`recipient states: ${JSON.stringify(states)}`);
} finally {
  for (const other of others) await other.dispose();
  await server.dispose();
}
