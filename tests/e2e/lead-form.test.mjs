// A lead form with one field of every kind, in real Chromium against the real server: invalid
// input in each field is refused in the browser with a per-field message (and nothing is sent),
// and refused by the server with the same message when the browser is bypassed; a valid
// submission is stored once with its capture fields and announced by DOM events; a filled
// honeypot and a too-fast submission look like a success but make no lead (and are counted).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { ParloServer } from './lib/server.mjs';
import {
  focusedInForm,
  formPage,
  formReady,
  formSel,
  formStats,
  leadsOf,
  putForm,
  queued,
  servePage,
  untilLeads,
} from './lib/forms.mjs';
import { until } from './lib/widget.mjs';

let server;
let browser;

const OPTIONS = (...values) => values.map((value) => ({ value, label: value[0].toUpperCase() + value.slice(1) }));

/** One field of every kind; `min_fill_ms` short so a person-speed fill passes. */
const EVERY_KIND = {
  id: 'every-kind',
  name: 'Every kind',
  min_fill_ms: 300,
  submit_label: 'Send it',
  success: { type: 'message', text: 'Thanks, got it!' },
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true, min: 2 },
    { name: 'code', type: 'text', label: 'Code', pattern: '[A-Z]{3}', help: 'three capitals' },
    { name: 'about', type: 'long_text', label: 'About', max: 10 },
    { name: 'email', type: 'email', label: 'E-mail', required: true },
    { name: 'phone', type: 'phone', label: 'Phone' },
    { name: 'guests', type: 'number', label: 'Guests', min: 1, max: 50 },
    { name: 'day', type: 'date', label: 'Day', required: true, min_date: '2026-01-01' },
    { name: 'size', type: 'select', label: 'Size', required: true, options: OPTIONS('small', 'large') },
    { name: 'colour', type: 'radio', label: 'Colour', required: true, options: OPTIONS('red', 'blue') },
    { name: 'extras', type: 'checkboxes', label: 'Extras', min: 2, options: OPTIONS('card', 'vase', 'beans') },
    { name: 'terms', type: 'consent', label: 'I agree to be contacted.', required: true, version: '2026-01' },
    { name: 'campaign', type: 'hidden', label: 'Campaign', default: 'spring' },
  ],
};

/** Text-like fields: a value each kind refuses, and the message the model gives for it. */
const INVALID = [
  ['name', 'A', 'Use at least 2 characters.'],
  ['code', 'abc', 'Use the format asked for: three capitals'],
  ['about', 'far more than ten', 'Use at most 10 characters (now 17).'],
  ['email', 'ada@', 'Enter an e-mail address like name@example.com.'],
  ['phone', '12ab', 'Enter a phone number like +44 20 7946 0958 (7 to 15 digits).'],
  ['guests', '51', 'Enter a number of at most 50.'],
  ['day', '2025-12-31', 'Choose a date on or after 2026-01-01.'],
];

/** Choice fields left empty (or with too few ticks) on submit. */
const INVALID_CHOICES = [
  ['size', 'Choose an option.'],
  ['colour', 'Choose an option.'],
  ['extras', 'Choose at least 2 options.'],
  ['terms', 'Please tick this box to continue.'],
];

before(async () => {
  server = await ParloServer.start({ name: 'lead-form' });
  browser = await launchBrowser();
  await putForm(server, EVERY_KIND);
  await putForm(server, { ...EVERY_KIND, id: 'slow', min_fill_ms: 60_000 });
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

/** Fills every field of EVERY_KIND with a valid value. */
async function fillValid(page) {
  await page.fill(formSel.input('name'), 'Ada Lovelace');
  await page.fill(formSel.input('code'), 'ABC');
  await page.fill(formSel.input('about'), 'Tea party');
  await page.fill(formSel.input('email'), 'ada@example.com');
  await page.fill(formSel.input('phone'), '+44 20 7946 0958');
  await page.fill(formSel.input('guests'), '12');
  await page.fill(formSel.input('day'), '2026-06-01');
  await page.selectOption(formSel.input('size'), 'large');
  await page.check('input[name=colour][value=blue]');
  await page.check('input[name=extras][value=card]');
  await page.check('input[name=extras][value=vase]');
  await page.check(formSel.input('terms'));
}

/** Opens the every-kind form on a page of the server's origin. */
async function openForm(t, formId = 'every-kind', query = '') {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  const posts = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().includes('/submissions')) posts.push(r.url());
  });
  await servePage(page, server, `/${formId}.html`, formPage(formId));
  await page.goto(`${server.url}/${formId}.html${query}`);
  await formReady(page);
  return { page, posts };
}

test('invalid input in every field kind is refused in the browser, per field, and by the server', { timeout: 90_000 }, async (t) => {
  const { page, posts } = await openForm(t);
  try {
    const browserMessages = {};
    for (const [name, value, message] of INVALID) {
      const input = page.locator(formSel.input(name));
      await input.fill(value);
      await input.blur(); // leave the field: its message appears
      const error = page.locator(formSel.error(name));
      await error.waitFor({ timeout: 5_000 });
      assert.equal((await error.textContent()).trim(), message, `message of ${name} = ${value}`);
      assert.equal(await input.getAttribute('aria-invalid'), 'true', `${name} is aria-invalid`);
      assert.match(await input.getAttribute('aria-describedby'), new RegExp(`\\bpf-${name}-e\\b`));
      browserMessages[name] = message;
    }
    await page.check('input[name=extras][value=card]');
    await page.locator(formSel.submit).click();
    for (const [name, message] of INVALID_CHOICES) {
      const error = page.locator(formSel.error(name));
      await error.waitFor({ timeout: 5_000 });
      assert.equal((await error.textContent()).trim(), message, `message of ${name}`);
      browserMessages[name] = message;
    }
    assert.equal(await focusedInForm(page), 'pf-name', 'the focus moved to the first invalid field');
    // Fixing a field clears its message as the visitor types.
    await page.fill(formSel.input('email'), 'ada@example.com');
    await until(() => page.locator(formSel.error('email')).count(), (n) => n === 0, { what: 'e-mail message gone' });
    assert.deepEqual(posts, [], 'nothing was sent');
    assert.deepEqual(await queued(page), [], 'nothing was queued');

    // The server, given the same values without the browser (with a render token older than the
    // minimum fill time, else it takes the sender for a bot and answers a silent success),
    // refuses each with the same message.
    const { render_token } = await server.ok('GET', '/api/public/v1/forms/every-kind');
    await new Promise((r) => setTimeout(r, EVERY_KIND.min_fill_ms + 200));
    const values = Object.fromEntries(INVALID.map(([name, value]) => [name, value]));
    values.extras = ['card'];
    values.terms = false;
    const { status, body } = await server.request('POST', '/api/public/v1/forms/every-kind/submissions', {
      body: { idempotency_key: randomUUID(), values, render_token },
    });
    assert.equal(status, 422, JSON.stringify(body));
    assert.equal(body.code, 'validation_failed');
    const serverMessages = Object.fromEntries(
      body.errors.filter((e) => e.pointer.startsWith('/values/')).map((e) => [e.pointer.slice('/values/'.length), e.message]),
    );
    assert.deepEqual(serverMessages, browserMessages, 'one message per field, the same in browser and server');
    assert.deepEqual(await leadsOf(server, 'every-kind'), [], 'no lead');
  } catch (error) {
    await saveFailureScreenshot(page, 'lead-form-invalid');
    error.message += `\npage problems:\n${page.problems.join('\n')}`;
    throw error;
  }
});

test('a valid submission is stored once, with its capture fields, and announced by DOM events', { timeout: 90_000 }, async (t) => {
  const { page, posts } = await openForm(t, 'every-kind', '?utm_source=newsletter&utm_campaign=spring');
  try {
    await fillValid(page);
    await page.locator(formSel.submit).click();
    const done = page.locator(formSel.done);
    await done.waitFor({ timeout: 15_000 });
    assert.equal((await done.textContent()).trim(), 'Thanks, got it!');

    const events = await page.evaluate(() => window.formEvents);
    assert.deepEqual(events.map((e) => e.type), ['parlo:submit', 'parlo:success']);
    const key = events[0].detail.idempotencyKey;
    assert.match(key, /^[0-9a-f-]{36}$/, 'a UUID idempotency key');
    assert.equal(events[1].detail.idempotencyKey, key);
    assert.equal(events[0].detail.values.email, 'ada@example.com');

    const [lead, ...others] = await untilLeads(server, 'every-kind', (l) => l.length >= 1);
    assert.deepEqual(others, [], 'exactly one lead');
    assert.equal(lead.idempotency_key, key);
    assert.equal(lead.values.email, 'ada@example.com');
    assert.equal(lead.values.phone, '+442079460958', 'stored normalised');
    assert.deepEqual(lead.values.extras, ['card', 'vase']);
    assert.equal(lead.values.campaign, 'spring', 'hidden field default');
    assert.equal(lead.consents[0].version, '2026-01');
    assert.equal(lead.consents[0].given, true);
    assert.equal(lead.capture.utm_source, 'newsletter');
    assert.equal(lead.capture.utm_campaign, 'spring');
    assert.equal(lead.capture.page_url, `${server.url}/every-kind.html?utm_source=newsletter&utm_campaign=spring`);
    assert.equal(lead.capture.landing_page, lead.capture.page_url, 'first page of the visit');
    assert.ok(lead.capture.locale, 'locale captured');
    assert.ok(!Number.isNaN(Date.parse(lead.capture.submitted_at)), 'submitted_at is a time');
    assert.equal(posts.length, 1, 'one request');
    assert.deepEqual(await queued(page), [], 'the queue is empty once the server confirmed');
  } catch (error) {
    await saveFailureScreenshot(page, 'lead-form-valid');
    error.message += `\npage problems:\n${page.problems.join('\n')}`;
    throw error;
  }
});

test('a filled honeypot and a too-fast submission look sent but make no lead', { timeout: 90_000 }, async (t) => {
  const before = await formStats(server, 'every-kind');
  const leadsBefore = (await leadsOf(server, 'every-kind')).length;
  {
    const { page } = await openForm(t);
    await fillValid(page);
    // A bot fills every input, the hidden one too (people cannot reach it).
    await page.locator(formSel.honeypot).fill('https://spam.example', { force: true });
    await page.locator(formSel.submit).click();
    await page.locator(formSel.done).waitFor({ timeout: 15_000 });
  }
  {
    const { page } = await openForm(t, 'slow');
    await fillValid(page);
    await page.locator(formSel.submit).click();
    await page.locator(formSel.done).waitFor({ timeout: 15_000 });
  }
  const after = await formStats(server, 'every-kind');
  assert.equal(after.honeypot, before.honeypot + 1, 'the honeypot submission is counted');
  assert.equal((await leadsOf(server, 'every-kind')).length, leadsBefore, 'no lead from the honeypot');
  const slow = await formStats(server, 'slow');
  assert.deepEqual([slow.leads, slow.too_fast], [0, 1], 'the too-fast submission is counted, no lead');
  assert.deepEqual(await leadsOf(server, 'slow'), []);
});
