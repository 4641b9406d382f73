// Starts and stops the real `parlo-server` binary for a test file: fresh temporary data
// directory, a free port on 127.0.0.1, the demo workspace seeded, a management API key.
// With `PARLO_E2E_DATABASE_URL` (a PostgreSQL database) each server stores its data in a
// fresh schema of that database instead of a SQLite file in its data directory.

import { spawn, execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { artifactsDir, pkgDir, serverBin, wwwDir } from './env.mjs';

const execFileAsync = promisify(execFile);

/** Every server started by this process, killed on exit whatever happens. */
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Environment selecting the server's database: `{}` (SQLite in the data directory), or with
 * `PARLO_E2E_DATABASE_URL` set, `PARLO_DATABASE_URL` naming a new schema of that database
 * (made with `psql`).
 */
async function freshDatabase() {
  const base = process.env.PARLO_E2E_DATABASE_URL;
  if (!base) return {};
  const schema = `e2e_${randomUUID().replaceAll('-', '')}`;
  await execFileAsync('psql', [base, '-qc', `CREATE SCHEMA ${schema}`]);
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { PARLO_DATABASE_URL: url.toString() };
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

/** A running `parlo-server` plus helpers for its public and management APIs. */
export class ParloServer {
  /** @type {import('node:child_process').ChildProcess | null} */
  #child = null;
  /** Log lines of every process run so far (stdout and stderr, prefixed). */
  logs = [];

  constructor({ name, dataDir, port, extraOrigins = [], env = {} }) {
    this.name = name;
    this.extraOrigins = extraOrigins;
    this.env = env;
    this.dataDir = dataDir;
    this.port = port;
    this.origin = `http://127.0.0.1:${port}`;
    this.key = null;
  }

  /**
   * Starts a server on a fresh data directory and a free port, seeds the demo and creates a
   * management key (`server.key`). `extraOrigins` are allowed on the demo channel besides the
   * server's own origin (e.g. a proxy's). `env`: extra environment variables of the process
   * (e.g. `PARLO_FORM_IP_RATE_LIMIT`). `database`: another server whose PostgreSQL schema this
   * one shares (several instances of one installation) instead of a fresh one.
   */
  static async start({ name = 'server', extraOrigins = [], env = {}, database: shared } = {}) {
    const dataDir = mkdtempSync(join(tmpdir(), `parlo-e2e-${name}-`));
    const database = shared ? { PARLO_DATABASE_URL: shared.env.PARLO_DATABASE_URL } : await freshDatabase();
    const server = new ParloServer({ name, dataDir, port: await freePort(), extraOrigins, env: { ...database, ...env } });
    await server.spawn();
    server.key = await server.createKey();
    return server;
  }

  /** Process id of the running server (`undefined` while it is not running). */
  get pid() {
    return this.#child?.pid;
  }

  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  get url() {
    return this.origin;
  }

  /** Starts the process (again) on the same port and data directory; waits until it listens. */
  async spawn() {
    const args = [
      '--bind', `127.0.0.1:${this.port}`,
      '--data-dir', this.dataDir,
      '--pkg-dir', pkgDir,
      '--www-dir', wwwDir,
      '--seed-demo',
      '--demo-origin', [this.origin, ...this.extraOrigins].join(','),
    ];
    const child = spawn(serverBin, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'info', NO_COLOR: '1', ...this.env },
    });
    this.#child = child;
    running.add(child);
    child.on('exit', () => running.delete(child));
    this.logs.push(`--- ${serverBin} ${args.join(' ')}`);

    await new Promise((resolveStart, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no "listening on" within 30 s\n${this.tail()}`)), 30_000);
      const onLine = (stream) => (line) => {
        this.logs.push(`[${stream}] ${line}`);
        if (/listening on http:\/\//.test(line)) {
          clearTimeout(timer);
          resolveStart();
        }
      };
      lines(child.stdout, onLine('out'));
      lines(child.stderr, onLine('err'));
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${this.name}: parlo-server exited early (${code ?? signal})\n${this.tail()}`));
      });
    });
  }

  /** `parlo-server create-key --workspace demo --name e2e`; returns the `parlo_sk_…` key. */
  async createKey() {
    const { stdout } = await execFileAsync(
      serverBin,
      ['create-key', '--workspace', 'demo', '--name', 'e2e', '--data-dir', this.dataDir],
      { env: { ...process.env, RUST_LOG: 'warn', ...this.env } },
    );
    const key = stdout.match(/parlo_sk_[A-Za-z0-9_-]+/)?.[0];
    if (!key) throw new Error(`create-key printed no parlo_sk_ key: ${stdout}`);
    return key;
  }

  /**
   * `parlo-server create-user --email <email>` with `password` (given as `PARLO_PASSWORD`);
   * with `ownsDemo`, `--seed-demo` too, which gives the demo workspace to the user when nobody
   * owns it yet (with the server's `--demo-origin`s, which seeding sets on the demo channels,
   * so the widget still loads on the demo site).
   */
  async createUser(email, password, { ownsDemo = false } = {}) {
    const seed = ['--seed-demo', '--demo-origin', [this.origin, ...this.extraOrigins].join(',')];
    const args = [...(ownsDemo ? seed : []), 'create-user', '--email', email, '--data-dir', this.dataDir];
    await execFileAsync(serverBin, args, {
      env: { ...process.env, RUST_LOG: 'warn', ...this.env, PARLO_PASSWORD: password },
    });
  }

  /** Stops the process: SIGTERM, then SIGKILL after 5 s. */
  async stop() {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  /** Kills the process with SIGKILL (no shutdown at all) and waits until it is gone. */
  async kill() {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  /** Path of the SQLite database file (WAL mode: read it with the server stopped or through SQLite). */
  get databasePath() {
    return join(this.dataDir, 'parlo.db');
  }

  /** Stops the server and starts it again on the same port and data directory. */
  async restart() {
    await this.stop();
    await this.spawn();
  }

  /** Stops the server, keeps its log in `tests/e2e/artifacts/` and removes its data directory. */
  async dispose() {
    await this.stop();
    mkdirSync(artifactsDir, { recursive: true });
    writeFileSync(join(artifactsDir, `${this.name}-server.log`), this.logs.join('\n') + '\n');
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** The last log lines, for error messages. */
  tail(n = 30) {
    return this.logs.slice(-n).join('\n');
  }

  /**
   * A JSON request; returns `{ status, body }`. `token` is a visitor session token, `key` a
   * management key (both sent as `Authorization: Bearer`).
   */
  async request(method, path, { body, token, key } = {}) {
    const headers = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const bearer = token ?? key;
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    const response = await fetch(this.url + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: response.status, body: json };
  }

  /** Like [`request`], but fails unless the answer is 2xx; returns the body. */
  async ok(method, path, options) {
    const { status, body } = await this.request(method, path, options);
    if (status < 200 || status > 299) {
      throw new Error(`${method} ${path} → ${status}: ${JSON.stringify(body)}`);
    }
    return body;
  }

  /** `POST /sessions` of the demo channel (resuming `sessionToken` when given). */
  session(sessionToken) {
    return this.ok('POST', '/api/public/v1/channels/demo/sessions', {
      body: sessionToken ? { session_token: sessionToken } : {},
    });
  }

  /** Sends a visitor text message as the visitor of `token` (as another tab would). */
  sendText(token, text) {
    return this.ok('POST', '/api/public/v1/channels/demo/messages', {
      token,
      body: { id: randomUUID(), input: { type: 'text', text } },
    });
  }

  /** The whole conversation of `token`, all pages of `GET /messages`, in `seq` order. */
  async history(token) {
    const all = [];
    let after = 0;
    for (;;) {
      const page = await this.ok('GET', `/api/public/v1/channels/demo/messages?after=${after}&limit=100`, { token });
      all.push(...page.items);
      if (page.items.length === 0 || !page.next_cursor) return all;
      after = page.items[page.items.length - 1].seq;
    }
  }

  /** `GET /api/v1/subscribers/{id}` with the management key. */
  subscriber(id) {
    return this.ok('GET', `/api/v1/subscribers/${encodeURIComponent(id)}`, { key: this.key });
  }
}

/** Calls `onLine` for every line of a readable stream. */
function lines(stream, onLine) {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    buffered += chunk;
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      onLine(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
    }
  });
  stream.on('end', () => buffered && onLine(buffered));
}
