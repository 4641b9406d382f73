// Open event streams of parlo-server: memory per stream and delivery times, printed, never
// asserted.
//
//   node tests/e2e/bench/streams.mjs [--streams 10000] [--samples 200]
//
// One fresh server on 127.0.0.1 (SQLite, or PostgreSQL with `PARLO_E2E_DATABASE_URL`), its
// rate limits lifted. `streams` visitors each start a session and open the event stream of
// their conversation, one TCP connection each, as browsers do. Printed:
// - how long the sessions and the streams took to open;
// - the server's resident memory before and after the streams opened, and per open stream;
// - with every stream open, `samples` agent messages (management API) to random visitors, one
//   at a time: from the send until that visitor's stream delivers it (p50/p99/max);
// - one agent message to every visitor: `streams` distinct messages, one per conversation
//   (a stream carries its own conversation's events only, so no single event goes to all
//   of them: "one event to everyone" is one stored message, with its own `seq`, in each
//   conversation), sent through the management API 64 at a time on kept-alive
//   connections. Printed: until every stream has its own, and messages per second; when
//   the last send was answered and in how many commits the messages were stored
//   (concurrent turns share a commit); each message's arrival on its stream minus its
//   send's answer, which is the fan-out's own share (p50/p99/max; negative when the event
//   beats the HTTP answer); the CPU time the server and this client used meanwhile, as
//   both share the machine's cores. This is what an integration sending one message per
//   visitor through the API pays;
// - one broadcast of one text message to every visitor (a segment: the demo channel) at the
//   highest rate, the product's way to reach everyone: from the send (`POST
//   /api/v1/broadcasts`) until each stream has it (p50/p99/max) and until the last; the
//   broadcast's own `started_at` → `finished_at`, its commits (a batch of up to 500
//   recipients per commit) and the CPU time used meanwhile;
// - a graceful shutdown (SIGTERM): until every stream has ended (each gets `retry:`).
//
// Measured on 2 cores shared with other builds (load average 5 to 13), client on the same
// cores, 10,000 streams, release server; few runs each, so compare runs made side by side
// only. Per open stream 18.2 to 18.9 KiB of server memory (SQLite and PostgreSQL).
//
// One broadcast to every visitor, SQLite: every stream had it 0.72, 0.75 and 0.97 s after
// the send (three runs at load 4.7 to 5.9; p50 435 to 652 ms), in 20 or 21 commits, the
// server using 0.58 to 0.77 s of CPU. Before its statements were cut to a few hundred
// parameters it took 1.9 to 3.5 s: SQLite looks each `$N` parameter up by name in a list
// of them, so a statement of thousands of parameters cost most of a batch's CPU (perf: half
// of it in `sqlite3_bind_parameter_name` and `strncmp`); and before a batch took its send
// slot inside its own write (one commit instead of three per batch: slot, claim, write) it
// took 2.4 s. On PostgreSQL (a local cluster without fsync, load 7.5) 2.06 s in one run,
// the server using 0.27 s of CPU: the database's own work and its round trips (about 25
// statements per batch of 500) bound it there. With a batch written in one statement per
// table (a cluster that syncs its commits, quiet machine): 1.01, 1.01 and 1.04 s, against
// 1.12 and 1.03 s for the code before, runs alternated; the server log then shows each
// batch's recipient update ~7.5 ms, message insert ~5 ms, conversation update ~3.5 ms and
// recipient read ~3 ms of its ~45 ms.
//
// One message to every visitor through the API: the fan-out itself is not what takes the
// time — a message reaches its stream p50 about 0 ms, p99 2 to 55 ms after its send was
// answered — the 10,000 HTTP requests and turns are. On SQLite 3.1 to 3.9 s (five runs in
// the same sessions as the broadcast figures; 6.6 s in two earlier runs; about 1,500 to
// 3,300 messages/s, ~25 turns per commit), against 9.2 and 13.7 s with Node's `fetch` as
// the client, which alone used 5.4 s of CPU (now 1.5 to 2 s; the server 2.3 to 5.8 s).
// On PostgreSQL (a cluster that syncs its commits) 15.7 s (~27 turns per commit) where one
// commit per turn took 28.4 s side by side (other pairs: 20 against 40 s, 47 against 85 s):
// the write lock of `begin_write` let no two commits share an fsync until turns were
// batched there too. What bounds it is the one writer's round trips, five statements per
// agent message one after the other (savepoint, read, insert, update, release; reading the
// conversation in one query instead of two gave 18.5 against 19.8 s on PostgreSQL and 8.6
// against 11.1 s on SQLite side by side, at load 10), and the CPU that the server, its
// database and this client share: the server spends about 0.3 to 0.5 ms of CPU per message
// (HTTP, API key, turn), where a broadcast spends under 0.1 ms per recipient.

import http from 'node:http';
import { counters, cpuSeconds, memory, option, percentile } from './figures.mjs';
import { ParloServer } from '../lib/server.mjs';

const STREAMS = Math.min(15_000, Math.max(1, option('streams', 10_000)));
const SAMPLES = Math.min(1_000, Math.max(1, option('samples', 200)));
const CONCURRENCY = 64;
const CHANNEL = '/api/public/v1/channels/demo';

/** Runs `task(i)` for i in 0..n, `CONCURRENCY` at a time. */
async function pool(n, task) {
  let next = 0;
  const worker = async () => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, n) }, worker));
}

/** One visitor's open event stream; `waiters` maps a message text to its resolver. */
class Stream {
  constructor(server, token) {
    this.waiters = new Map();
    this.ended = new Promise((resolve) => {
      this.endedResolve = resolve;
    });
    this.opened = new Promise((resolve, reject) => {
      const request = http.get(`${server.url}${CHANNEL}/events`, {
        agent: false,
        headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      });
      request.on('error', reject);
      request.on('response', (response) => {
        if (response.statusCode !== 200) reject(new Error(`events → ${response.statusCode}`));
        response.setEncoding('utf8');
        let buffer = '';
        response.on('data', (chunk) => {
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            this.#event(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        });
        response.on('close', () => this.endedResolve(performance.now()));
        resolve();
      });
    });
  }

  #event(block) {
    const data = block
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).trim())
      .join('');
    if (!block.includes('event: message') || !data) return;
    const text = JSON.parse(data).content?.text;
    this.waiters.get(text)?.(performance.now());
    this.waiters.delete(text);
  }

  /** Resolves with the time `text` arrives on this stream. */
  arrival(text) {
    return new Promise((resolve) => this.waiters.set(text, resolve));
  }
}

/**
 * Connections of the agent messages, kept alive: Node's `fetch` costs this client about as
 * much CPU per request as the server spends on the turn, which on a machine of few cores
 * slowed the server down.
 */
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

/** Sends `text` as an agent message to `subscriberId`; resolves with the send time. */
function agentMessage(server, subscriberId, text) {
  const sent = performance.now();
  const body = JSON.stringify({ text });
  return new Promise((resolve, reject) => {
    const request = http.request(`${server.url}/api/v1/subscribers/${subscriberId}/messages`, {
      method: 'POST',
      agent: keepAlive,
      headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    request.on('error', reject);
    request.on('response', (response) => {
      response.resume();
      response.on('end', () =>
        response.statusCode === 200 ? resolve(sent) : reject(new Error(`agent message → ${response.statusCode}`)),
      );
    });
    request.end(body);
  });
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

/**
 * One broadcast of one text message to every visitor (a segment: the demo channel) at the
 * highest rate; prints from the send (`POST /api/v1/broadcasts`) until each stream has the
 * message (p50/p99/max) and until the last, with the broadcast's own `started_at` →
 * `finished_at`, its commits and the CPU time used meanwhile.
 */
async function broadcastToEveryone(server, streams) {
  const text = `broadcast ${Date.now()}`;
  const commits = async () => (await counters([server], ['parlo_turn_commits_total'])).parlo_turn_commits_total;
  const commitsBefore = await commits();
  const cpuBefore = { server: cpuSeconds(server.pid), client: process.cpuUsage() };
  const arrivals = streams.map((stream) => stream.arrival(text));
  const sent = performance.now();
  const { status, body } = await server.request('POST', '/api/v1/broadcasts', {
    key: server.key,
    body: {
      name: 'Everyone',
      content: { type: 'messages', messages: [{ type: 'text', text }] },
      audience: { conditions: [{ type: 'channel', channel: 'demo' }] },
      rate_per_second: 100_000,
    },
  });
  if (status !== 201) throw new Error(`broadcast → ${status}: ${JSON.stringify(body)}`);
  const arrived = (await Promise.all(arrivals)).map((at) => at - sent).sort((a, b) => a - b);
  const serverCpu = cpuSeconds(server.pid) - cpuBefore.server;
  const clientCpu = process.cpuUsage(cpuBefore.client);
  const committed = (await commits()) - commitsBefore;
  let done;
  do {
    ({ body: done } = await server.request('GET', `/api/v1/broadcasts/${body.id}`, { key: server.key }));
  } while (done.state !== 'done' && (await new Promise((resolve) => setTimeout(resolve, 50, true))));
  const ms = [50, 99].map((p) => `p${p} ${percentile(arrived, p).toFixed(0)}`).join('  ');
  console.log(`  one broadcast to every visitor: all ${streams.length} streams have it ${seconds(arrived.at(-1))} after the send`);
  console.log(`    per stream, send → arrival, ms: ${ms}  max ${arrived.at(-1).toFixed(0)}`);
  console.log(
    `    started_at → finished_at ${seconds(Date.parse(done.finished_at) - Date.parse(done.started_at))}, ` +
      `${committed} commits, sent ${done.statistics.sent}, delivered live ${done.statistics.delivered_live}`,
  );
  console.log(
    `    CPU meanwhile: server ${serverCpu.toFixed(2)} s, this client ${((clientCpu.user + clientCpu.system) / 1e6).toFixed(2)} s`,
  );
}

async function main() {
  const env = { PARLO_SESSION_RATE_LIMIT: '1000000', PARLO_MESSAGE_RATE_LIMIT: '1000000', PARLO_KEY_RATE_LIMIT: '1000000' };
  const server = await ParloServer.start({ name: 'bench-streams', env });
  try {
    const database = process.env.PARLO_E2E_DATABASE_URL ? 'PostgreSQL' : 'SQLite';
    console.log(`Open event streams (${database}, ${STREAMS} visitors, 127.0.0.1)`);
    let started = performance.now();
    const sessions = new Array(STREAMS);
    await pool(STREAMS, async (i) => {
      sessions[i] = await server.session();
    });
    console.log(`  ${STREAMS} sessions started in ${seconds(performance.now() - started)}`);
    const before = memory(server.pid);
    started = performance.now();
    const streams = new Array(STREAMS);
    await pool(STREAMS, async (i) => {
      streams[i] = new Stream(server, sessions[i].session_token);
      await streams[i].opened;
    });
    console.log(`  ${STREAMS} streams opened in ${seconds(performance.now() - started)}`);
    const after = memory(server.pid);
    const perStream = ((after.rssKiB - before.rssKiB) * 1024) / STREAMS;
    console.log(`  server memory    ${before.text} before the streams, ${after.text} with them open`);
    console.log(`  per open stream  ${(perStream / 1024).toFixed(1)} KiB`);

    const latencies = [];
    for (let n = 0; n < SAMPLES; n++) {
      const i = Math.floor(Math.random() * STREAMS);
      const text = `sample ${n}`;
      const arrived = streams[i].arrival(text);
      const sent = await agentMessage(server, sessions[i].subscriber_id, text);
      latencies.push((await arrived) - sent);
    }
    latencies.sort((a, b) => a - b);
    const ms = [50, 99].map((p) => `p${p} ${percentile(latencies, p).toFixed(2)}`).join('  ');
    console.log(`  one agent message → its stream, ${SAMPLES} samples: ${ms}  max ${latencies.at(-1).toFixed(2)} ms`);

    const commits = async () => (await counters([server], ['parlo_turn_commits_total'])).parlo_turn_commits_total;
    const commitsBefore = await commits();
    const cpuBefore = { server: cpuSeconds(server.pid), client: process.cpuUsage() };
    started = performance.now();
    const arrivals = streams.map((stream, i) => stream.arrival(`to everyone ${i}`));
    const answered = new Array(STREAMS);
    await pool(STREAMS, async (i) => {
      await agentMessage(server, sessions[i].subscriber_id, `to everyone ${i}`);
      answered[i] = performance.now();
    });
    const arrived = await Promise.all(arrivals);
    const elapsed = Math.max(...arrived) - started;
    const serverCpu = cpuSeconds(server.pid) - cpuBefore.server;
    const clientCpu = process.cpuUsage(cpuBefore.client);
    const committed = (await commits()) - commitsBefore;
    console.log(
      `  one message to every visitor: all ${STREAMS} delivered in ${seconds(elapsed)} (${((STREAMS * 1000) / elapsed).toFixed(0)} messages/s)`,
    );
    console.log(`    every send answered after ${seconds(Math.max(...answered) - started)}, in ${committed} commits`);
    const lags = arrived.map((at, i) => at - answered[i]).sort((a, b) => a - b);
    const lag = [50, 99].map((p) => `p${p} ${percentile(lags, p).toFixed(2)}`).join('  ');
    console.log(`    arrival on the stream minus the send's answer, ms: ${lag}  max ${lags.at(-1).toFixed(2)}`);
    console.log(
      `    CPU meanwhile: server ${serverCpu.toFixed(2)} s, this client ${((clientCpu.user + clientCpu.system) / 1e6).toFixed(2)} s`,
    );

    await broadcastToEveryone(server, streams);

    started = performance.now();
    const ends = streams.map((stream) => stream.ended);
    await server.stop();
    const closed = Math.max(...(await Promise.all(ends)));
    console.log(`  graceful shutdown: every stream ended ${seconds(closed - started)} after SIGTERM`);
  } finally {
    keepAlive.destroy();
    await server.dispose();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
