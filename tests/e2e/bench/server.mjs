// Chat-turn throughput and latency of parlo-server, printed, never asserted.
//
//   node tests/e2e/bench/server.mjs [--visitors 16] [--seconds 10] [--instances 1]
//
// Fresh servers on 127.0.0.1: SQLite (one instance, a fresh data directory), or with
// `PARLO_E2E_DATABASE_URL` PostgreSQL (a fresh schema shared by `instances` servers).
// `visitors` concurrent sessions, spread over the instances, each send visitor text messages
// back to back for `seconds` (every turn: store the visitor message, run the flow, store the
// bot reply). Printed, per client:
// - chat turns per second, latency p50/p90/p99/max, and commits per turn (from each
//   instance's `/metrics`: `parlo_turn_commits_total` over `parlo_chat_turns_total`), and the
//   servers' CPU time per turn (from `/proc`, so it holds however busy the machine is);
// - the read-only ceiling of the same client: `GET` of the channel config with the same
//   concurrency and duration (what the client and server manage without any write);
// - the servers' resident memory after the load (and its peak).
// Node's `fetch` is the first client; when Debian's `wrk` is on the PATH it is the second
// (a compiled client, so the load generator takes less of the shared CPUs), with a Lua script
// that sends the same turns.

import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ParloServer } from '../lib/server.mjs';
import { counters, cpuSeconds, memory, option, percentile } from './figures.mjs';

const execFileAsync = promisify(execFile);
const VISITORS = Math.min(256, Math.max(1, option('visitors', 16)));
const SECONDS = Math.min(60, Math.max(1, option('seconds', 10)));
const INSTANCES = Math.min(8, Math.max(1, option('instances', 1)));
const POSTGRES = Boolean(process.env.PARLO_E2E_DATABASE_URL);
const TEXTS = ['menu', 'hours', 'delivery', 'hello', 'something else entirely'];
const CHANNEL = '/api/public/v1/channels/demo';

/** Sends chat turns as one visitor until `deadline`. */
async function chatter(server, session, deadline, latencies, errors) {
  let i = 0;
  while (performance.now() < deadline) {
    const started = performance.now();
    const response = await fetch(`${server.url}${CHANNEL}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.session_token}` },
      body: JSON.stringify({ id: randomUUID(), input: { type: 'text', text: TEXTS[i++ % TEXTS.length] } }),
    });
    await response.arrayBuffer();
    if (response.ok) latencies.push(performance.now() - started);
    else errors.set(response.status, (errors.get(response.status) ?? 0) + 1);
  }
}

/** Reads the channel config until `deadline` (the read-only ceiling). */
async function reader(server, deadline, latencies, errors) {
  while (performance.now() < deadline) {
    const started = performance.now();
    const response = await fetch(`${server.url}${CHANNEL}`);
    await response.arrayBuffer();
    if (response.ok) latencies.push(performance.now() - started);
    else errors.set(response.status, (errors.get(response.status) ?? 0) + 1);
  }
}

/** Runs `work(server, session, deadline, latencies, errors)` for every visitor; prints the figures. */
async function measure(title, servers, sessions, work) {
  const latencies = [];
  const errors = new Map();
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(sessions.map(({ server, session }) => work(server, session, deadline, latencies, errors)));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(`  ${title}`);
  console.log(`    per second       ${(latencies.length / elapsed).toFixed(0)}`);
  console.log(`    requests         ${latencies.length}${errors.size ? `   errors: ${JSON.stringify(Object.fromEntries(errors))}` : ''}`);
  if (latencies.length) {
    const ms = [50, 90, 99].map((p) => `p${p} ${percentile(latencies, p).toFixed(2)}`).join('  ');
    console.log(`    latency ms       ${ms}  max ${latencies.at(-1).toFixed(2)}`);
  }
}

/**
 * Commits per chat turn during `run()`, from the servers' metrics, and the servers' CPU time
 * (user + system, all instances) per turn: the cost of a turn whatever else shares the CPUs.
 */
async function commitsPerTurn(servers, run) {
  const names = ['parlo_turn_commits_total', 'parlo_chat_turns_total'];
  const before = await counters(servers, names);
  const cpuBefore = servers.reduce((sum, server) => sum + cpuSeconds(server.pid), 0);
  await run();
  const cpuAfter = servers.reduce((sum, server) => sum + cpuSeconds(server.pid), 0);
  const after = await counters(servers, names);
  const turns = after.parlo_chat_turns_total - before.parlo_chat_turns_total;
  const commits = after.parlo_turn_commits_total - before.parlo_turn_commits_total;
  console.log(`    commits per turn ${turns ? (commits / turns).toFixed(3) : '–'}   (${commits} commits, ${turns} turns)`);
  console.log(`    server CPU/turn  ${turns ? `${(((cpuAfter - cpuBefore) * 1e6) / turns).toFixed(0)} µs` : '–'}`);
}

/** Whether `wrk` is on the PATH (`wrk --version` exits 1, so only a missing program counts). */
async function hasWrk() {
  return execFileAsync('wrk', ['--version']).then(
    () => true,
    (e) => e.code !== 'ENOENT',
  );
}

/** wrk's Lua script: chat turns with unique ids over the session tokens in `PARLO_TOKENS`. */
const WRK_CHAT = `
local tokens = {}
for token in string.gmatch(os.getenv("PARLO_TOKENS"), "[^,]+") do tokens[#tokens + 1] = token end
local texts = { ${TEXTS.map((t) => JSON.stringify(t)).join(', ')} }
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
local n = 0
function request()
  n = n + 1
  local body = '{"id":"w' .. tid .. '-' .. n .. '","input":{"type":"text","text":"' .. texts[n % #texts + 1] .. '"}}'
  return wrk.format("POST", "${CHANNEL}/messages", {
    ["content-type"] = "application/json",
    ["authorization"] = "Bearer " .. tokens[n % #tokens + 1],
  }, body)
end
`;

/** Runs wrk against every instance at once (connections split); prints the summed rate. */
async function wrk(title, servers, path, script, env) {
  const dir = mkdtempSync(join(tmpdir(), 'parlo-wrk-'));
  try {
    const runs = servers.map((server) => {
      const connections = Math.max(1, Math.round(VISITORS / servers.length));
      const wrkArgs = ['-t', String(Math.min(2, connections)), '-c', String(connections), '-d', `${SECONDS}s`, '--latency'];
      if (script) {
        const file = join(dir, 'chat.lua');
        writeFileSync(file, script);
        wrkArgs.push('-s', file);
      }
      wrkArgs.push(`${server.url}${path}`);
      return execFileAsync('wrk', wrkArgs, { env: { ...process.env, ...env(server) }, maxBuffer: 1 << 20 });
    });
    const outputs = (await Promise.all(runs)).map((r) => r.stdout);
    const rate = outputs.reduce((sum, out) => sum + Number(out.match(/Requests\/sec:\s+([0-9.]+)/)?.[1] ?? 0), 0);
    const bad = outputs.reduce((sum, out) => sum + Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0), 0);
    const errors = outputs.map((out) => out.match(/Socket errors:.*/)?.[0]).filter(Boolean);
    console.log(`  ${title}`);
    console.log(`    per second       ${rate.toFixed(0)}${bad ? `   non-2xx: ${bad}` : ''}${errors.length ? `   ${errors.join('; ')}` : ''}`);
    const first = outputs[0];
    const at = (p) => first.match(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm'))?.[1];
    const max = first.match(/^\s+Latency\s+\S+\s+\S+\s+(\S+)/m)?.[1];
    console.log(`    latency          p50 ${at(50)}  p90 ${at(90)}  p99 ${at(99)}  max ${max}${servers.length > 1 ? ' (first instance)' : ''}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  if (INSTANCES > 1 && !POSTGRES) throw new Error('several instances need PostgreSQL (--db postgres)');
  const servers = [];
  try {
    for (let i = 0; i < INSTANCES; i++) {
      // The visitors here chat as fast as the server answers: the public limits are lifted.
      const env = { PARLO_SESSION_RATE_LIMIT: '1000000', PARLO_MESSAGE_RATE_LIMIT: '1000000' };
      servers.push(await ParloServer.start({ name: `bench-server-${i}`, database: servers[0], env }));
    }
    const sessions = [];
    for (let v = 0; v < VISITORS; v++) {
      const server = servers[v % servers.length];
      sessions.push({ server, session: await server.session() });
    }
    // Warm-up: a few turns per visitor, not measured.
    await Promise.all(sessions.map(({ server, session }) => chatter(server, session, performance.now() + 300, [], new Map())));

    console.log(
      `Server chat turns (${POSTGRES ? 'PostgreSQL' : 'SQLite'}, ${INSTANCES} instance(s), ${VISITORS} concurrent visitors, ${SECONDS} s each, 127.0.0.1)`,
    );
    await commitsPerTurn(servers, () => measure('Node fetch: POST /messages → bot reply', servers, sessions, chatter));
    await measure('Node fetch: read-only ceiling, GET channel config', servers, sessions, (server, _, deadline, l, e) =>
      reader(server, deadline, l, e),
    );
    if (await hasWrk()) {
      const tokens = new Map(servers.map((s) => [s, sessions.filter((x) => x.server === s).map((x) => x.session.session_token)]));
      await commitsPerTurn(servers, () =>
        wrk('wrk: POST /messages → bot reply', servers, `${CHANNEL}/messages`, WRK_CHAT, (s) => ({ PARLO_TOKENS: tokens.get(s).join(',') })),
      );
      await wrk('wrk: read-only ceiling, GET channel config', servers, CHANNEL, null, () => ({}));
    } else {
      console.log('  wrk: not installed (cargo xtask bench server installs it)');
    }
    for (const [i, server] of servers.entries()) console.log(`  server ${i} memory   ${memory(server.pid).text}`);
  } finally {
    for (const server of servers) await server.dispose();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
