// Lead submissions end to end on loopback, printed, never asserted:
//
//   node tests/e2e/bench/leads.mjs [--leads 1000] [--concurrency 16]
//
// A fresh server (SQLite) with a form whose one automation is a signed webhook to a local
// receiver. `leads` submissions (each with its own idempotency key, retried with the same key
// on a network error or 5xx) are sent by `concurrency` clients. Reports leads lost (acknowledged
// but not stored) and duplicated (stored more than once per key), webhooks missing or repeated,
// and latency percentiles from the submit request to the acknowledgement and to the webhook's
// arrival at the receiver.

import { randomUUID } from 'node:crypto';
import { ParloServer } from '../lib/server.mjs';
import { addWebhook, leadsOf, putForm, startReceiver } from '../lib/forms.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
};
const LEADS = Math.min(10_000, Math.max(1, option('leads', 1000)));
const CONCURRENCY = Math.min(64, Math.max(1, option('concurrency', 16)));

const FORM = {
  id: 'bench',
  name: 'Benchmark',
  min_fill_ms: 0,
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true },
    { name: 'email', type: 'email', label: 'E-mail', required: true },
  ],
};

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (n) => (n === undefined ? '-' : `${n.toFixed(1)} ms`);

async function submit(server, i, started, acked) {
  const key = randomUUID();
  const body = JSON.stringify({
    idempotency_key: key,
    values: { name: `Bench ${i}`, email: `bench${i}@example.com` },
  });
  const t0 = performance.now();
  started.set(key, t0);
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      const response = await fetch(`${server.url}/api/public/v1/forms/bench/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      await response.arrayBuffer();
      if (response.ok) {
        acked.set(key, performance.now() - t0);
        return;
      }
      if (response.status < 500 && response.status !== 429) return;
    } catch {
      // Network error: the same key again.
    }
    await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
  }
}

async function main() {
  const receiver = await startReceiver();
  const arrived = new Map(); // idempotency key -> arrival times (performance.now())
  const push = receiver.received.push.bind(receiver.received);
  receiver.received.push = (entry) => {
    const key = entry.body?.data?.idempotency_key;
    if (key) arrived.set(key, [...(arrived.get(key) ?? []), performance.now()]);
    return push(entry);
  };
  const server = await ParloServer.start({
    name: 'bench-leads',
    env: {
      PARLO_ALLOW_PRIVATE_WEBHOOKS: 'true',
      PARLO_FORM_IP_RATE_LIMIT: '1000000',
      PARLO_FORM_RATE_LIMIT: '1000000',
    },
  });
  try {
    await putForm(server, FORM);
    await addWebhook(server, 'bench', receiver.url);
    const started = new Map();
    const acked = new Map();
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < LEADS) await submit(server, next++, started, acked);
      }),
    );
    const elapsed = (performance.now() - t0) / 1000;
    // Wait (bounded) for the webhooks of every acknowledged lead.
    const deadline = performance.now() + 120_000;
    while (performance.now() < deadline && [...acked.keys()].some((k) => !arrived.has(k))) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const leads = await leadsOf(server, 'bench');
    const perKey = new Map();
    for (const lead of leads) perKey.set(lead.idempotency_key, (perKey.get(lead.idempotency_key) ?? 0) + 1);
    const lost = [...acked.keys()].filter((k) => !perKey.has(k)).length;
    const duplicated = [...perKey.values()].filter((n) => n > 1).length;
    const missingHooks = [...acked.keys()].filter((k) => !arrived.has(k)).length;
    const repeatedHooks = [...arrived.values()].filter((times) => times.length > 1).length;
    const ackLatency = [...acked.values()].sort((a, b) => a - b);
    const hookLatency = [...arrived.entries()]
      .filter(([k]) => started.has(k))
      .map(([k, times]) => times[0] - started.get(k))
      .sort((a, b) => a - b);

    console.log(`Lead submissions (SQLite, loopback, ${LEADS} submissions, ${CONCURRENCY} concurrent clients, webhook automation)`);
    console.log(`  acknowledged       ${acked.size} of ${LEADS} in ${elapsed.toFixed(1)} s (${(acked.size / elapsed).toFixed(0)}/s)`);
    console.log(`  leads stored       ${leads.length}`);
    console.log(`  leads lost         ${lost}`);
    console.log(`  leads duplicated   ${duplicated}`);
    console.log(`  webhooks missing   ${missingHooks}   repeated: ${repeatedHooks}`);
    for (const p of [50, 99]) console.log(`  submit → ack p${p}       ${ms(percentile(ackLatency, p))}`);
    for (const p of [50, 99]) console.log(`  submit → webhook p${p}   ${ms(percentile(hookLatency, p))}`);
    console.log(`  submit → webhook max   ${ms(hookLatency.at(-1))}`);
  } finally {
    await server.dispose();
    await receiver.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
