// The npm package where npm consumers build: `npm pack` of pkg/, installed (with the apps'
// pinned tools, `npm ci`) into the small app of `npm-apps/` — `init` without `bundleUrl`, a
// lead form with `form`, the workspace's tags listed with `ParloClient` — built with Vite
// (`vite build`, served by `vite preview`, and the Vite dev server), webpack 5 and esbuild.
// Each build, in Chromium against a real server: the launcher opens and the bot greets, the
// form renders and a submission becomes a lead, the client's list appears, and no console
// error. Node.js ES module and CommonJS scripts use the client, and `tsc --strict
// --skipLibCheck false` accepts the app and the scripts. Prints what each bundler emits for
// the chat, the forms and the client (raw and brotli bytes).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompressSync, constants } from 'node:zlib';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { pkgDir } from './lib/env.mjs';
import { formReady, formSel, leadsOf } from './lib/forms.mjs';
import { freePort, ParloServer } from './lib/server.mjs';
import { StaticSite } from './lib/static.mjs';
import { botSays, sel, until } from './lib/widget.mjs';

const run = promisify(execFile);
const apps = fileURLToPath(new URL('./npm-apps/', import.meta.url));
const bin = (name) => join(apps, 'node_modules/.bin', name);
/** A tag the apps must list (made before they run). */
const TAG = 'npm-consumer';

let server;
let browser;
/** Free ports of the apps, known before the server starts so their origins can chat. */
const ports = {};
const closers = [];

before(async () => {
  for (const app of ['vitePreview', 'viteDev', 'webpack', 'esbuild']) ports[app] = await freePort();
  const origins = Object.values(ports).map((port) => `http://127.0.0.1:${port}`);
  server = await ParloServer.start({ name: 'npm-bundlers', extraOrigins: origins });
  await server.ok('POST', '/api/v1/tags', { key: server.key, body: { name: TAG } });
  browser = await launchBrowser();

  // What a consumer does: install the packed package next to the app's pinned tools.
  const packDir = mkdtempSync(join(tmpdir(), 'parlo-pack-'));
  closers.push(() => rmSync(packDir, { recursive: true, force: true }));
  const { stdout } = await run('npm', ['pack', pkgDir, '--pack-destination', packDir, '--json']);
  const tarball = join(packDir, JSON.parse(stdout)[0].filename);
  await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: apps });
  await run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--offline', tarball], { cwd: apps });
}, { timeout: 300_000 });

after(async () => {
  for (const close of closers.reverse()) await close();
  await browser?.close();
  await server?.dispose();
});

/** Runs `command` in the apps' directory; fails with its output if it fails. */
async function inApps(command, args, env = {}) {
  try {
    return await run(command, args, { cwd: apps, env: { ...process.env, ...env }, maxBuffer: 16 << 20 });
  } catch (error) {
    throw new Error(`${command} ${args.join(' ')} failed:\n${error.stdout}\n${error.stderr}`);
  }
}

/** Starts a long-running tool of the apps; resolves once `ready` matches its output. */
function startTool(command, args, ready) {
  return new Promise((resolveStart, reject) => {
    const child = spawn(command, args, { cwd: apps, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${command} ${args.join(' ')}: not ready in 60 s\n${output}`)), 60_000);
    const onData = (chunk) => {
      output += chunk;
      if (ready.test(output)) {
        clearTimeout(timer);
        resolveStart(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${command} exited (${code})\n${output}`)));
    closers.push(() => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', r), child.kill('SIGTERM')))));
  });
}

/** The app's page for webpack (a classic script) and esbuild (a module), next to its build. */
function writePage(dir, script) {
  writeFileSync(join(dir, 'index.html'), `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Parlo in an app</title></head>
<body>
  <h1>An app</h1>
  <div id="lead"></div>
  <ul id="tags"></ul>
  ${script}
</body>
</html>
`);
}

/**
 * What a build emitted, by part: the app's entry (the app, the loader and the client's glue,
 * which the app imports statically), then the chat (the widget's glue and wasm), the chat
 * with a pre-chat form, the forms and the client's wasm: each other file counts for the part
 * whose wasm it is or names.
 */
function sizes(dir) {
  const parts = { chat: 'parlo_widget_bg', prechat: 'parlo_prechat_bg', forms: 'parlo_forms_bg', client: 'parlo_client_bg' };
  const totals = Object.fromEntries(['app', ...Object.keys(parts)].map((p) => [p, { files: 0, raw: 0, brotli: 0 }]));
  const page = readFileSync(join(dir, 'index.html'), 'utf8');
  const walk = (d) => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
  for (const file of walk(dir).filter((f) => /\.(js|wasm)$/.test(f))) {
    const bytes = readFileSync(file);
    const text = file.endsWith('.js') ? bytes.toString() : '';
    const entry = page.includes(`${basename(file)}"`);
    const part = entry ? 'app' : Object.keys(parts).find((p) => file.includes(parts[p]) || text.includes(parts[p])) ?? 'app';
    const total = totals[part];
    total.files += 1;
    total.raw += bytes.length;
    total.brotli += brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  return totals;
}

/** Prints `sizes(dir)` for `bundler`. */
function report(t, bundler, dir) {
  for (const [part, { files, raw, brotli }] of Object.entries(sizes(dir))) {
    t.diagnostic(`${bundler}: ${part}: ${files} files, ${raw} bytes, ${brotli} brotli`);
  }
}

/** The app at `origin` in Chromium: chat, form → lead, the client's list, no console error. */
async function checkApp(t, origin, name) {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  const email = `${name}@example.com`;
  try {
    await page.goto(`${origin}/?api=${encodeURIComponent(server.url)}&key=${encodeURIComponent(server.key)}`);
    await page.locator(sel.launcher).click({ timeout: 30_000 });
    await page.locator(sel.panel).waitFor({ state: 'visible', timeout: 30_000 });
    await botSays(page, 'Welcome to Bloom & Brew');

    await formReady(page, { timeout: 30_000 });
    const rendered = Date.now();
    await page.fill(formSel.input('name'), 'Ada Lovelace');
    await page.fill(formSel.input('email'), email);
    await page.selectOption(formSel.input('service'), 'other');
    await page.check(formSel.input('consent'));
    await page.waitForTimeout(Math.max(0, 2_200 - (Date.now() - rendered))); // the form's min_fill_ms
    await page.locator(formSel.submit).click();
    await page.locator(formSel.done).waitFor({ state: 'visible', timeout: 20_000 });
    await until(() => leadsOf(server, 'quote'), (leads) => leads.some((l) => JSON.stringify(l).includes(email)), {
      what: `the lead of ${email}`,
    });

    await page.locator('#tags li', { hasText: TAG }).waitFor({ timeout: 20_000 });
    assert.equal(await page.evaluate(() => document.body.dataset.form), 'ready', 'the form\'s ready promise resolved');
    assert.deepEqual(page.problems, [], 'no console errors');
  } catch (error) {
    await saveFailureScreenshot(page, `npm-bundlers-${name}`);
    error.message += `\nbody: ${JSON.stringify(await page.evaluate(() => ({ ...document.body.dataset })).catch(() => null))}`;
    error.message += `\npage problems:\n${page.problems.join('\n')}`;
    throw error;
  }
}

test('tsc --noEmit --strict --skipLibCheck false: the app and the Node scripts', { timeout: 120_000 }, async () => {
  await inApps(bin('tsc'), ['--noEmit', '--strict', '--skipLibCheck', 'false', '-p', 'tsconfig.json']);
  await inApps(bin('tsc'), ['--noEmit', '--strict', '--skipLibCheck', 'false', '-p', 'node/tsconfig.json']);
});

test('Node.js: an ES module and a CommonJS script use the client', { timeout: 60_000 }, async () => {
  const created = JSON.parse((await inApps('node', ['node/cjs.cjs', server.url, server.key, 'from-commonjs'])).stdout);
  assert.equal(created.name, 'from-commonjs');
  const names = JSON.parse((await inApps('node', ['node/esm.mjs', server.url, server.key])).stdout);
  assert.ok(names.includes(TAG) && names.includes('from-commonjs'), `tags: ${names}`);
});

test('Vite: vite build, served by vite preview', { timeout: 180_000 }, async (t) => {
  await inApps(bin('vite'), ['build', '--outDir', 'vite/dist', '--emptyOutDir', '--logLevel', 'warn']);
  report(t, 'vite', join(apps, 'vite/dist'));
  await startTool(bin('vite'), ['preview', '--outDir', 'vite/dist', '--host', '127.0.0.1', '--port', String(ports.vitePreview), '--strictPort'], /127\.0\.0\.1:\d+/);
  await checkApp(t, `http://127.0.0.1:${ports.vitePreview}`, 'vite-build');
});

test('Vite: the dev server', { timeout: 180_000 }, async (t) => {
  await startTool(bin('vite'), ['--host', '127.0.0.1', '--port', String(ports.viteDev), '--strictPort', '--force'], /127\.0\.0\.1:\d+/);
  await checkApp(t, `http://127.0.0.1:${ports.viteDev}`, 'vite-dev');
});

test('webpack 5', { timeout: 180_000 }, async (t) => {
  await inApps('node', ['webpack.mjs']);
  const dist = join(apps, 'webpack/dist');
  writePage(dist, '<script defer src="app.js"></script>');
  report(t, 'webpack', dist);
  const site = await StaticSite.start(dist, ports.webpack);
  closers.push(() => site.close());
  await checkApp(t, site.origin, 'webpack');
});

test('esbuild (--splitting)', { timeout: 180_000 }, async (t) => {
  await inApps('node', ['esbuild.mjs']);
  const dist = join(apps, 'esbuild/dist');
  writePage(dist, '<script type="module" src="app.js"></script>');
  report(t, 'esbuild', dist);
  const site = await StaticSite.start(dist, ports.esbuild);
  closers.push(() => site.close());
  await checkApp(t, site.origin, 'esbuild');
});
