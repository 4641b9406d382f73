// `cargo xtask bench`: figures of the browser bundle, printed, never asserted.
//
//   node tests/e2e/bench/widget.mjs [--runs N] [--path /] [--launcher-only] [--sizes-only]
//
// 1. Bundle sizes of pkg/ (raw, gzip -9, brotli q11) of what a page downloads after intent,
//    each with the loader: the chat widget, the chat widget with lead forms inside (a channel
//    with a pre-chat form) and the lead forms' own bundle; then the loader alone (all a page
//    downloads before intent). Each total is checked against its budget (src/lib.rs): over
//    budget is printed and the script exits with status 1 after the page figures.
//    `--sizes-only` stops after the sizes.
// 2. Against a real parlo-server on a fresh data directory, N runs (each a fresh browser
//    context, so a cold cache and a new visitor) of the demo page:
//    - bytes the page downloads before the visitor interacts (CDP Network.loadingFinished
//      encodedDataLength, summed after `load` + 2 s idle), with and without the HTML document.
//      The demo page's quote form (<parlo-form>) is about 2,470 px from the top, and the loader
//      loads the forms bundle only within 600 px of the viewport (1280 × 800 here, never
//      scrolled) or on intent, so these bytes are the page's and the loader's; the runs in
//      which the forms bundle was fetched before interaction are counted (expected: none);
//    - times from navigation start (the page's performance.now()): HTML and loader received
//      (resource timing), the loader's `parlo:launcher` mark, the launcher's insertion
//      (MutationObserver), the page's first-contentful-paint, the launcher visible (checked
//      in every animation frame) and painted (a task after that frame), DOMContentLoaded;
//      and the launcher visible minus FCP (≤ 0: the launcher is in the page's first paint);
//    `--launcher-only` stops each run there (no click; shorter idle wait);
//    - time from the click on the launcher to the first bot message visible (same clock,
//      from the click event's timeStamp).
//    Each figure is reported as median, min and max. One extra warm-up run is discarded.

import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { pkgDir } from '../lib/env.mjs';
import { launchBrowser } from '../lib/browser.mjs';
import { ParloServer } from '../lib/server.mjs';
import { sel } from '../lib/widget.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const RUNS = Math.max(1, Number(option('runs', '9')));
const PATH = option('path', '/');
const LAUNCHER_ONLY = args.includes('--launcher-only');
const SIZES_ONLY = args.includes('--sizes-only');
const IDLE_MS = LAUNCHER_ONLY ? 500 : 2_000;

const fmtBytes = (n) => (n === undefined ? '-' : `${n.toLocaleString('en-US')} B`);
const fmtMs = (n) => (n === undefined ? '-' : `${n.toFixed(0)} ms`);
const pad = (s, n) => String(s).padStart(n);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The browser bundles: what each downloads, in pkg/, and its budget in bytes after brotli -q 11. */
const BUNDLES = [
  ['Chat widget (loader at once, the rest on intent)', ['parlo_widget_bg.wasm', 'parlo_widget.js', 'loader.js'], 125_000],
  [
    'Chat with a pre-chat form (loader at once, the rest on intent)',
    ['prechat/parlo_prechat_bg.wasm', 'prechat/parlo_prechat.js', 'loader.js'],
    165_000,
  ],
  ['Lead forms (loader at once, the rest when a form nears the viewport)', ['forms/parlo_forms_bg.wasm', 'forms/parlo_forms.js', 'loader.js'], 125_000],
  ['Before intent (the loader alone)', ['loader.js'], 5_000],
];
let overBudget = false;
const FORMS_REQUEST = /\/pkg\/forms\//;

function bundleSizes(title, files, budget) {
  console.log(`${title} (${pkgDir})`);
  console.log(`  ${'file'.padEnd(28)}${pad('raw', 14)}${pad('gzip -9', 14)}${pad('brotli q11', 14)}`);
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const name of files) {
    const path = join(pkgDir, name);
    if (!existsSync(path)) {
      console.log(`  ${name.padEnd(28)}${pad('missing', 14)}`);
      continue;
    }
    const bytes = readFileSync(path);
    const size = {
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
      }).length,
    };
    for (const k of Object.keys(total)) total[k] += size[k];
    console.log(`  ${name.padEnd(28)}${pad(fmtBytes(size.raw), 14)}${pad(fmtBytes(size.gzip), 14)}${pad(fmtBytes(size.brotli), 14)}`);
  }
  console.log(`  ${'total'.padEnd(28)}${pad(fmtBytes(total.raw), 14)}${pad(fmtBytes(total.gzip), 14)}${pad(fmtBytes(total.brotli), 14)}`);
  const spare = budget - total.brotli;
  if (spare < 0) overBudget = true;
  console.log(`  budget ${fmtBytes(budget)} brotli: ${spare >= 0 ? `within, ${fmtBytes(spare)} to spare` : `OVER by ${fmtBytes(-spare)}`}`);
  console.log();
}

/**
 * Installed before any page script: records, on the page's own clock (performance.now(), 0 =
 * navigation start), when the launcher is inserted (MutationObserver), when it is first
 * visible (checked every animation frame, i.e. in the frame that paints it) and when that
 * frame has been painted (a task queued from that frame's rAF callback runs after the paint);
 * the page's first-contentful-paint; and when the first bot message is visible after a click.
 */
function pageProbe({ launcher, bot }) {
  const marks = (window.__parloBench = {});
  const visible = (el) => {
    if (!el || !el.isConnected) return false;
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || r.bottom < 0 || r.right < 0) return false;
    if (r.top > innerHeight || r.left > innerWidth) return false;
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0.05;
  };
  const find = (selector) => {
    for (const host of document.querySelectorAll('[data-parlo-widget]')) {
      const found = (host.shadowRoot ?? host).querySelector(selector);
      if (found) return found;
    }
    return null;
  };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.name === 'first-contentful-paint') marks.fcp ??= entry.startTime;
      if (entry.name === 'first-paint') marks.firstPaint ??= entry.startTime;
    }
  }).observe({ type: 'paint', buffered: true });
  // The moment the widget's host element enters the document (no layout forced here).
  const inserted = new MutationObserver((records) => {
    const now = performance.now();
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType === 1 && node.hasAttribute('data-parlo-widget')) {
          marks.inserted ??= now;
          inserted.disconnect();
          return;
        }
      }
    }
  });
  inserted.observe(document, { childList: true, subtree: true });
  addEventListener('click', (event) => {
    if (marks.click === undefined && event.composedPath().some((n) => n.getAttribute?.('aria-label') === 'Open chat')) {
      marks.click = event.timeStamp;
    }
  }, true);
  const afterPaint = (key) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => (marks[key] ??= performance.now());
    channel.port2.postMessage(0);
  };
  const tick = () => {
    const now = performance.now();
    if (marks.launcherVisible === undefined && visible(find(launcher))) {
      marks.launcherVisible = now;
      afterPaint('launcherPainted');
    }
    if (marks.click !== undefined && marks.firstBot === undefined && visible(find(bot))) marks.firstBot = now;
    if (marks.firstBot === undefined) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/** What the page itself recorded: the loader's mark and the resource timings of the document and the loader. */
function pageTimings() {
  const b = window.__parloBench;
  const mark = performance.getEntriesByName('parlo:launcher', 'mark')[0];
  const nav = performance.getEntriesByType('navigation')[0];
  const loader = performance
    .getEntriesByType('resource')
    .find((r) => /\/(embed|loader)\.js(\?|$)/.test(new URL(r.name).pathname));
  return {
    ...b,
    mark: mark?.startTime,
    htmlResponseEnd: nav?.responseEnd,
    domContentLoaded: nav?.domContentLoadedEventStart,
    loaderRequestStart: loader?.requestStart || loader?.startTime,
    loaderResponseEnd: loader?.responseEnd,
  };
}

async function oneRun(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const requests = new Map();
  let interacted = false;
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  cdp.on('Network.requestWillBeSent', (e) => {
    requests.set(e.requestId, { url: e.request.url, type: e.type, beforeInteraction: !interacted, bytes: 0, done: false });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (r) Object.assign(r, { bytes: e.encodedDataLength, done: true });
  });
  cdp.on('Network.dataReceived', (e) => {
    // Streams (the event stream) never finish; count what they received so far.
    const r = requests.get(e.requestId);
    if (r && !r.done) r.streamed = (r.streamed ?? 0) + e.encodedDataLength;
  });
  await page.addInitScript(pageProbe, { launcher: sel.launcher, bot: '.parlo-msg.parlo-msg--bot' });

  await page.goto(url, { waitUntil: 'load' });
  await page.waitForTimeout(IDLE_MS);
  const sum = (rs) => rs.reduce((n, r) => n + (r.done ? r.bytes : (r.streamed ?? 0)), 0);
  const early = [...requests.values()];
  const isDocument = (r) => r.type === 'Document' && r.url === url;
  const result = {
    bytesWithoutDocument: sum(early.filter((r) => !isDocument(r))),
    bytesWithDocument: sum(early),
    requests: early.map((r) => ({ ...r })),
  };
  Object.assign(result, await page.evaluate(pageTimings));

  if (LAUNCHER_ONLY) {
    await context.close();
    return result;
  }
  interacted = true;
  await page.locator(sel.launcher).click();
  await page.waitForFunction(() => window.__parloBench.firstBot !== undefined, null, { timeout: 30_000 });
  const after = await page.evaluate(() => window.__parloBench);
  result.clickToFirstBot = after.firstBot - after.click;
  await page.waitForTimeout(300);
  result.bytesByFirstBot = sum([...requests.values()]);
  await context.close();
  return result;
}

function report(label, values, fmt) {
  const present = values.filter((v) => v !== undefined && !Number.isNaN(v));
  if (present.length === 0) {
    console.log(`  ${label.padEnd(58)}${pad('n/a', 12)}`);
    return;
  }
  console.log(
    `  ${label.padEnd(58)}${pad(fmt(median(present)), 12)}${pad(fmt(Math.min(...present)), 12)}${pad(fmt(Math.max(...present)), 12)}`,
  );
}

async function main() {
  for (const [title, files, budget] of BUNDLES) bundleSizes(title, files, budget);
  if (SIZES_ONLY) {
    process.exitCode = overBudget ? 1 : 0;
    return;
  }
  const server = await ParloServer.start({ name: 'bench' });
  const browser = await launchBrowser();
  try {
    const url = `${server.url}${PATH}`;
    await oneRun(browser, url); // warm-up: server and OS caches, not reported
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await oneRun(browser, url));

    console.log(`Page ${url} — ${RUNS} runs, each a fresh browser context (cold cache, new visitor)`);
    console.log(`  ${''.padEnd(58)}${pad('median', 12)}${pad('min', 12)}${pad('max', 12)}`);
    report(`bytes before interaction (load + ${IDLE_MS / 1000} s idle), without HTML`, runs.map((r) => r.bytesWithoutDocument), fmtBytes);
    report(`bytes before interaction (load + ${IDLE_MS / 1000} s idle), with HTML`, runs.map((r) => r.bytesWithDocument), fmtBytes);
    const formsEarly = runs.filter((r) => r.requests.some((q) => q.beforeInteraction && FORMS_REQUEST.test(q.url))).length;
    console.log(`  runs that fetched the forms bundle before interaction: ${formsEarly} of ${RUNS}`);
    const sub = (a, b) => (a === undefined || b === undefined ? undefined : a - b);
    console.log('  times from navigation start (the page\'s performance.now()):');
    report('  HTML received (navigation responseEnd)', runs.map((r) => r.htmlResponseEnd), fmtMs);
    report('  loader requested (resource timing requestStart)', runs.map((r) => r.loaderRequestStart), fmtMs);
    report('  loader received (resource timing responseEnd)', runs.map((r) => r.loaderResponseEnd), fmtMs);
    report('  launcher appended (loader\'s mark parlo:launcher)', runs.map((r) => r.mark), fmtMs);
    report('  launcher inserted (MutationObserver)', runs.map((r) => r.inserted), fmtMs);
    report('  page first-contentful-paint', runs.map((r) => r.fcp), fmtMs);
    report('  launcher visible (rAF of the frame that paints it)', runs.map((r) => r.launcherVisible), fmtMs);
    report('  launcher painted (task after that frame)', runs.map((r) => r.launcherPainted), fmtMs);
    report('  DOMContentLoaded', runs.map((r) => r.domContentLoaded), fmtMs);
    report('launcher visible − page FCP', runs.map((r) => sub(r.launcherVisible, r.fcp)), fmtMs);
    report('launcher visible − loader received', runs.map((r) => sub(r.launcherVisible, r.loaderResponseEnd)), fmtMs);
    report('launcher click → first bot message visible', runs.map((r) => r.clickToFirstBot), fmtMs);
    report('bytes downloaded by the first bot message, with HTML', runs.map((r) => r.bytesByFirstBot), fmtBytes);
    console.log();
    console.log('  requests before interaction (last run):');
    for (const r of runs.at(-1).requests) {
      const size = r.done ? fmtBytes(r.bytes) : `${fmtBytes(r.streamed ?? 0)} (open)`;
      console.log(`    ${pad(size, 14)}  ${r.type.padEnd(10)} ${r.url.replace(server.url, '')}`);
    }
  } finally {
    await browser.close();
    await server.dispose();
  }
  if (overBudget) {
    console.error('bundle size: over budget (see the sizes above)');
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
