// The server is killed with SIGKILL at random moments, 100 times, while a browser keeps
// submitting lead forms (the bundle's own queue retrying each submission with its idempotency
// key). Afterwards, read from the SQLite file: every submission the browser saw acknowledged
// is exactly one lead, no lead is doubled, and every lead has exactly one outbox row per
// automation of the form.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { ParloServer } from './lib/server.mjs';
import { putForm, servePage } from './lib/forms.mjs';
import { until } from './lib/widget.mjs';

const KILLS = 100;
const execFileAsync = promisify(execFile);

/** The form: three automations (tag, field, flow), no minimum fill time (a script fills it). */
const CRASH_FORM = {
  id: 'crash',
  name: 'Crash test',
  channel_id: 'demo',
  min_fill_ms: 0,
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true },
    { name: 'email', type: 'email', label: 'E-mail', required: true },
  ],
  automations: [
    { type: 'add_tags', tags: ['crash-test'] },
    { type: 'set_fields', fields: { first_name: '{{values.name}}' } },
    { type: 'start_flow', flow_id: 'quote_greeting' },
  ],
};

/**
 * The page: submits one form after another through `Parlo.form` (filling it through its shadow
 * root) until `window.stopSubmitting` (not `window.stop`: a built-in); records
 * `window.submitted` and `window.acked` (idempotency keys of `onSubmit` and `onSuccess`). A form
 * that cannot be fetched (server down too long) is mounted again.
 */
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>crash</title>
<script type="module" src="/embed.js"></script></head>
<body>
<script type="module">
  window.submitted = [];
  window.acked = [];
  window.remounts = 0;
  const wait = (ms) => new Promise((r) => setTimeout(r, ms));
  async function waitFor(probe, ms) {
    for (const end = Date.now() + ms; Date.now() < end; await wait(25)) {
      const found = probe();
      if (found) return found;
    }
    return null;
  }
  function set(input, value) {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }
  async function one(i) {
    const host = document.createElement('div');
    document.body.append(host);
    let acked = false;
    const form = window.Parlo.form(host, {
      form: 'crash',
      onSubmit: (d) => window.submitted.push(d.idempotencyKey),
      onSuccess: (d) => { window.acked.push(d.idempotencyKey); acked = true; },
    });
    await form.ready;
    const root = host.shadowRoot;
    const button = await waitFor(() => root.querySelector('button.parlo-submit') || root.querySelector('[role=alert]'), 30000);
    if (!button || button.tagName !== 'BUTTON') {
      window.remounts++;
      form.destroy();
      host.remove();
      return;
    }
    set(root.querySelector('#pf-name'), 'Visitor ' + i);
    set(root.querySelector('#pf-email'), 'visitor' + i + '@example.com');
    button.click();
    await waitFor(() => acked, 600000);
    form.destroy();
    host.remove();
  }
  (async () => {
    await waitFor(() => window.Parlo, 10000);
    for (let i = 0; !window.stopSubmitting; i++) await one(i);
    window.finished = true;
  })();
</script>
</body></html>`;

let server;
let browser;

before(async () => {
  // Many submissions from one IP in a short time: lift the per-IP and per-form rate limits.
  server = await ParloServer.start({
    name: 'lead-crash',
    env: { PARLO_FORM_IP_RATE_LIMIT: '100000', PARLO_FORM_RATE_LIMIT: '100000' },
  });
  await putForm(server, CRASH_FORM);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

/** Rows of `sql` run on the server's SQLite file, as arrays of strings. */
async function query(sql) {
  const { stdout } = await execFileAsync('sqlite3', ['-readonly', '-separator', '|', server.databasePath, sql]);
  return stdout.trim() ? stdout.trim().split('\n').map((line) => line.split('|')) : [];
}

test(`SIGKILL at random moments, ${KILLS} times, during submissions: each acknowledged lead once, one outbox row per automation`, { timeout: 600_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  await servePage(page, server, '/crash.html', PAGE);
  try {
    await page.goto(`${server.url}/crash.html`);
    await until(() => page.evaluate(() => window.acked.length), (n) => n >= 1, { what: 'a first lead', timeout: 30_000 });
    for (let kill = 0; kill < KILLS; kill++) {
      // Random moments: somewhere in a submission's request, transaction or answer.
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 400));
      await server.kill();
      await server.spawn();
    }
    await page.evaluate(() => (window.stopSubmitting = true));
    const state = await until(
      () => page.evaluate(() => ({ finished: !!window.finished, submitted: window.submitted, acked: window.acked, remounts: window.remounts })),
      (s) => s.finished,
      { what: 'the last submission to be acknowledged', timeout: 180_000, interval: 500 },
    );
    const queue = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('parlo:lead:')));
    assert.deepEqual(queue, [], 'nothing left in the queue');
    await server.stop();

    const acked = new Set(state.acked);
    assert.equal(acked.size, state.acked.length, 'each submission acknowledged once');
    assert.deepEqual([...acked].sort(), [...new Set(state.submitted)].sort(), 'every submission was acknowledged');
    assert.ok(acked.size >= 10, `enough submissions for the test to mean something: ${acked.size}`);

    const leads = await query("SELECT idempotency_key, COUNT(*) FROM leads WHERE form_id = 'crash' GROUP BY idempotency_key");
    const doubled = leads.filter(([, n]) => n !== '1');
    assert.deepEqual(doubled, [], 'no lead stored twice');
    const stored = new Set(leads.map(([key]) => key));
    const lost = [...acked].filter((key) => !stored.has(key));
    assert.deepEqual(lost, [], 'every acknowledged submission is a lead');
    const extra = [...stored].filter((key) => !acked.has(key));
    assert.deepEqual(extra, [], 'no lead the browser does not know of');

    const outbox = await query(
      "SELECT l.idempotency_key, (SELECT COUNT(*) FROM outbox o WHERE json_extract(o.data, '$.id') = l.id) FROM leads l WHERE l.form_id = 'crash'",
    );
    const wrong = outbox.filter(([, n]) => Number(n) !== CRASH_FORM.automations.length);
    assert.deepEqual(wrong, [], `exactly ${CRASH_FORM.automations.length} outbox rows per lead`);
    t.diagnostic(`${KILLS} kills, ${acked.size} leads acknowledged, ${state.remounts} forms mounted again`);
    await server.spawn();
  } catch (error) {
    await saveFailureScreenshot(page, 'lead-crash');
    error.message += `\npage problems:\n${page.problems.slice(-20).join('\n')}\nserver:\n${server.tail()}`;
    throw error;
  }
});
