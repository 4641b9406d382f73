// Chat-turn throughput and latency of parlo-server, printed, never asserted.
//
//   node tests/e2e/bench/server.mjs [--visitors 16] [--seconds 10] [--instances 1] [--rate N]
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
//
// `--rate N` paces the chat turns at N per second in total instead (the latency at a given
// load, e.g. half the closed-loop rate), prints the achieved rate next to N, and skips the
// read-only ceilings (they are maxima). The two clients pace differently:
// - Node: visitor v of V sends its i-th turn at `start + (v / V + i) · V / N` seconds; a turn
//   whose predecessor is still unanswered goes out as soon as that answer is in, and its
//   latency counts from when it was due, not from when it went out, so a stall also counts
//   against the turns it held up (coordinated omission corrected; a timer of the busy client
//   that fires late counts too). Turns still due when the time is up are not sent: the
//   achieved rate shows the shortfall.
// - wrk: its Lua `delay()` hook (milliseconds to wait before a connection's next request) gives
//   each thread's connections the slots of one schedule at the thread's share of N; behind
//   schedule, requests go at once until the rate has caught up. wrk measures from the actual
//   send, so the wait of a request held up by a slow answer is not counted (coordinated
//   omission not corrected): its percentiles can look better than Node's under a stall.
//   Latency figures are the first instance's.
//
// A server without `/metrics` (a build older than the metrics) gets "n/a" for commits per
// turn; its CPU time per turn counts the turns the client had answered.

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
/** Chat turns per second in total with `--rate`; 0: back to back (closed loop). */
const RATE = Math.max(0, option('rate', 0));
const POSTGRES = Boolean(process.env.PARLO_E2E_DATABASE_URL);
const TEXTS = ['menu', 'hours', 'delivery', 'hello', 'something else entirely'];
const CHANNEL = '/api/public/v1/channels/demo';

/** The `i`th chat turn of a visitor (`{ server, session }`): its text message, answered by the bot. */
const turn = ({ server, session }, i) =>
  fetch(`${server.url}${CHANNEL}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${session.session_token}` },
    body: JSON.stringify({ id: randomUUID(), input: { type: 'text', text: TEXTS[i % TEXTS.length] } }),
  });

/** A read of the channel config by a visitor (`{ server }`): the read-only ceiling. */
const read = ({ server }) => fetch(`${server.url}${CHANNEL}`);

/**
 * Sends `request(i)`, i = 0, 1, …, one at a time until `deadline` (a `performance.now()` time);
 * records the latency (ms) of every 2xx answer in `latencies` and counts the other statuses in
 * `errors`. Without `pace`, back to back; with `pace` = `{ first, interval }` (ms), request i is
 * due at `first + i · interval`, waits until then, and its latency counts from then.
 */
async function loop(request, deadline, latencies, errors, pace) {
  for (let i = 0; performance.now() < deadline; i++) {
    const due = pace ? pace.first + i * pace.interval : performance.now();
    if (due >= deadline) return;
    if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
    const response = await request(i);
    await response.arrayBuffer();
    if (response.ok) latencies.push(performance.now() - due);
    else errors.set(response.status, (errors.get(response.status) ?? 0) + 1);
  }
}

/**
 * Runs `request(visitor, i)` for every visitor for `SECONDS` (paced with `RATE`, see the
 * header); prints the figures; returns the number of 2xx answers.
 */
async function measure(title, sessions, request) {
  const latencies = [];
  const errors = new Map();
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  const interval = (sessions.length * 1000) / RATE;
  const pace = (v) => (RATE ? { first: started + (v * interval) / sessions.length, interval } : null);
  await Promise.all(sessions.map((visitor, v) => loop((i) => request(visitor, i), deadline, latencies, errors, pace(v))));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(`  ${title}`);
  console.log(`    per second       ${(latencies.length / elapsed).toFixed(0)}${RATE ? ` (target ${RATE})` : ''}`);
  console.log(`    requests         ${latencies.length}${errors.size ? `   errors: ${JSON.stringify(Object.fromEntries(errors))}` : ''}`);
  if (latencies.length) {
    const ms = [50, 90, 99].map((p) => `p${p} ${percentile(latencies, p).toFixed(2)}`).join('  ');
    console.log(`    latency ms       ${ms}  max ${latencies.at(-1).toFixed(2)}`);
  }
  return latencies.length;
}

/**
 * Commits per chat turn during `run()` (which resolves to the turns it had answered), from the
 * servers' metrics ("n/a" without them), and the servers' CPU time (user + system, all
 * instances) per answered turn: the cost of a turn whatever else shares the CPUs.
 */
async function commitsPerTurn(servers, run) {
  const names = ['parlo_turn_commits_total', 'parlo_chat_turns_total'];
  const before = await counters(servers, names);
  const cpuBefore = servers.reduce((sum, server) => sum + cpuSeconds(server.pid), 0);
  const answered = await run();
  const cpuAfter = servers.reduce((sum, server) => sum + cpuSeconds(server.pid), 0);
  const after = await counters(servers, names);
  if (before && after) {
    const turns = after.parlo_chat_turns_total - before.parlo_chat_turns_total;
    const commits = after.parlo_turn_commits_total - before.parlo_turn_commits_total;
    console.log(`    commits per turn ${turns ? (commits / turns).toFixed(3) : '–'}   (${commits} commits, ${turns} turns)`);
  } else {
    console.log('    commits per turn n/a (the server has no /metrics)');
  }
  console.log(`    server CPU/turn  ${answered ? `${(((cpuAfter - cpuBefore) * 1e6) / answered).toFixed(0)} µs` : '–'}`);
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

/**
 * wrk's Lua pacing (with `--rate`, appended to `WRK_CHAT`): every `delay()` call takes the
 * thread's next slot, `PARLO_PACE_MS` apart, the threads' schedules staggered.
 */
const WRK_PACE = `
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } parlo_timespec;
int clock_gettime(int clock, parlo_timespec *tp);
]]
local clock = ffi.new("parlo_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end
local pace = tonumber(os.getenv("PARLO_PACE_MS"))
local due = nil
function delay()
  local now = now_ms()
  due = due or now + pace * tid / tonumber(os.getenv("PARLO_THREADS"))
  local wait = due - now
  due = due + pace
  return wait > 0 and math.floor(wait + 0.5) or 0
end
`;

/**
 * Runs wrk against every instance at once (connections split, paced with `RATE` when `script`
 * is given); prints the summed rate; returns the number of 2xx answers.
 */
async function wrk(title, servers, path, script, env) {
  const dir = mkdtempSync(join(tmpdir(), 'parlo-wrk-'));
  try {
    const runs = servers.map((server) => {
      const connections = Math.max(1, Math.round(VISITORS / servers.length));
      const threads = Math.min(2, connections);
      const wrkArgs = ['-t', String(threads), '-c', String(connections), '-d', `${SECONDS}s`, '--latency'];
      const pace = RATE ? { PARLO_PACE_MS: String((threads * servers.length * 1000) / RATE), PARLO_THREADS: String(threads) } : {};
      if (script) {
        const file = join(dir, 'chat.lua');
        writeFileSync(file, RATE ? script + WRK_PACE : script);
        wrkArgs.push('-s', file);
      }
      wrkArgs.push(`${server.url}${path}`);
      return execFileAsync('wrk', wrkArgs, { env: { ...process.env, ...env(server), ...pace }, maxBuffer: 1 << 20 });
    });
    const outputs = (await Promise.all(runs)).map((r) => r.stdout);
    const sum = (pattern) => outputs.reduce((total, out) => total + Number(out.match(pattern)?.[1] ?? 0), 0);
    const rate = sum(/Requests\/sec:\s+([0-9.]+)/);
    const bad = sum(/Non-2xx or 3xx responses: (\d+)/);
    const errors = outputs.map((out) => out.match(/Socket errors:.*/)?.[0]).filter(Boolean);
    console.log(`  ${title}`);
    const target = RATE && script ? ` (target ${RATE})` : '';
    console.log(`    per second       ${rate.toFixed(0)}${target}${bad ? `   non-2xx: ${bad}` : ''}${errors.length ? `   ${errors.join('; ')}` : ''}`);
    const first = outputs[0];
    const at = (p) => first.match(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm'))?.[1];
    const max = first.match(/^\s+Latency\s+\S+\s+\S+\s+(\S+)/m)?.[1];
    console.log(`    latency          p50 ${at(50)}  p90 ${at(90)}  p99 ${at(99)}  max ${max}${servers.length > 1 ? ' (first instance)' : ''}`);
    return sum(/(\d+) requests in/) - bad;
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
    const warmUp = performance.now() + 300;
    await Promise.all(sessions.map((visitor) => loop((i) => turn(visitor, i), warmUp, [], new Map())));

    const load = RATE ? `${RATE} turns/s paced` : 'back to back';
    console.log(
      `Server chat turns (${POSTGRES ? 'PostgreSQL' : 'SQLite'}, ${INSTANCES} instance(s), ${VISITORS} concurrent visitors ${load}, ${SECONDS} s each, 127.0.0.1)`,
    );
    await commitsPerTurn(servers, () => measure('Node fetch: POST /messages → bot reply', sessions, turn));
    if (!RATE) await measure('Node fetch: read-only ceiling, GET channel config', sessions, read);
    if (await hasWrk()) {
      const tokens = new Map(servers.map((s) => [s, sessions.filter((x) => x.server === s).map((x) => x.session.session_token)]));
      await commitsPerTurn(servers, () =>
        wrk('wrk: POST /messages → bot reply', servers, `${CHANNEL}/messages`, WRK_CHAT, (s) => ({ PARLO_TOKENS: tokens.get(s).join(',') })),
      );
      if (!RATE) await wrk('wrk: read-only ceiling, GET channel config', servers, CHANNEL, null, () => ({}));
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
