// A broadcast to many subscribers across a crash of the server, printed, never asserted (not run
// by the tests or CI):
//
//   node tests/e2e/bench/broadcast.mjs [--subscribers 2000] [--rate 100] [--kill-after-ms 8000]
//
// A fresh server (SQLite, or PostgreSQL with `PARLO_E2E_DATABASE_URL`, see ../lib/server.mjs)
// with `subscribers` subscribers tagged `bench`. One broadcast of a text message goes to the
// tag at `rate` recipients per second; `kill-after-ms` after it started the server is killed
// with SIGKILL (no shutdown at all) and started again on the same database. Reports:
//
// - the duration, from `started_at` to `finished_at` of the broadcast (server clock), and the
//   ideal `subscribers / rate`; a recipient claimed when the process died is leased for 5 s
//   (`broadcasts::LEASE_MS`), so it is sent to when that lease runs out;
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
const RATE = Math.min(1000, Math.max(1, option('rate', 100)));
const KILL_AFTER_MS = Math.max(0, option('kill-after-ms', (SUBSCRIBERS / RATE) * 500));
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

const server = await ParloServer.start({ name: 'bench-broadcast', env: { PARLO_KEY_RATE_LIMIT: '1000000' } });
try {
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
  console.log(`${ids.length} subscribers tagged '${TAG}'; broadcast at ${RATE}/s, SIGKILL ${KILL_AFTER_MS} ms after it starts`);

  const broadcast = await api(server, 'POST', '/broadcasts', {
    name: 'Benchmark',
    content: { type: 'messages', messages: [{ type: 'text', text: TEXT }] },
    audience: { tags: [TAG] },
    rate_per_second: RATE,
  });
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
  console.log(`missing: ${missing}`);
  console.log(`doubled: ${doubled}`);
  console.log(`statistics: ${JSON.stringify(done.statistics)}`);
  console.log(`recipient states: ${JSON.stringify(states)}`);
} finally {
  await server.dispose();
}
