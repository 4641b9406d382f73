// Chat-turn throughput and latency of parlo-server (SQLite), printed, never asserted.
//
//   node tests/e2e/bench/server.mjs [--visitors 16] [--seconds 10]
//
// A fresh server and data directory on 127.0.0.1; `visitors` concurrent sessions each send
// visitor text messages back to back for `seconds` (every turn: store the visitor message, run
// the flow, store the bot reply). Reports turns per second and latency percentiles.

import { randomUUID } from 'node:crypto';
import { ParloServer } from '../lib/server.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
};
const VISITORS = Math.min(64, Math.max(1, option('visitors', 16)));
const SECONDS = Math.min(60, Math.max(1, option('seconds', 10)));
const TEXTS = ['menu', 'hours', 'delivery', 'hello', 'something else entirely'];

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function visitor(server, deadline, latencies, errors) {
  const session = await server.session();
  let i = 0;
  while (performance.now() < deadline) {
    const started = performance.now();
    const response = await fetch(`${server.url}/api/public/v1/channels/demo/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.session_token}` },
      body: JSON.stringify({ id: randomUUID(), input: { type: 'text', text: TEXTS[i++ % TEXTS.length] } }),
    });
    await response.arrayBuffer();
    if (response.ok) latencies.push(performance.now() - started);
    else errors.set(response.status, (errors.get(response.status) ?? 0) + 1);
  }
}

async function main() {
  const server = await ParloServer.start({ name: 'bench-server' });
  try {
    // Warm-up: one turn per visitor, not measured.
    await visitor(server, performance.now() + 200, [], new Map());
    const latencies = [];
    const errors = new Map();
    const started = performance.now();
    const deadline = started + SECONDS * 1000;
    await Promise.all(Array.from({ length: VISITORS }, () => visitor(server, deadline, latencies, errors)));
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(`Server chat turns (SQLite, ${VISITORS} concurrent visitors, ${SECONDS} s, POST /messages → bot reply)`);
    console.log(`  turns/s            ${(latencies.length / elapsed).toFixed(0)}`);
    console.log(`  turns              ${latencies.length}${errors.size ? `   errors: ${JSON.stringify(Object.fromEntries(errors))}` : ''}`);
    if (latencies.length) {
      for (const p of [50, 90, 99]) console.log(`  latency p${p}        ${percentile(latencies, p).toFixed(1)} ms`);
      console.log(`  latency max        ${latencies.at(-1).toFixed(1)} ms`);
    }
  } finally {
    await server.dispose();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
