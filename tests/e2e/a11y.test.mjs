// Accessibility: a rating question offers five star buttons instead of the text box, and
// axe-core finds no serious or critical violation in the widget (closed with its proactive
// message; open with messages, a link button, quick replies and the stars) in light, dark
// and right to left (Arabic), nor in a lead form.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { formPage, formReady, putForm, servePage } from './lib/forms.mjs';
import { ParloServer } from './lib/server.mjs';
import { botSays, sel } from './lib/widget.mjs';
import { violations } from './lib/axe.mjs';

/**
 * The looks the widget is checked in: context options of the page, `init` options, and the
 * names of the launcher and the rating group in the widget's language when it is not English.
 */
const LOOKS = [
  { name: 'light', context: { colorScheme: 'light' }, init: {} },
  { name: 'dark', context: { colorScheme: 'dark' }, init: { colorScheme: 'dark' } },
  // Arabic: the panel mirrored (`dir="rtl"`), its own texts translated.
  { name: 'right-to-left', context: {}, init: { locale: 'ar' }, texts: { open: 'فتح الدردشة', rating: 'التقييم' } },
];

/** A flow with a link button, then a rating question (started by the keyword "feedback"). */
const FEEDBACK = {
  id: 'feedback',
  name: 'Feedback',
  start: 'hello',
  steps: {
    hello: {
      type: 'message',
      text: 'Thanks for **shopping** with us.',
      buttons: [{ title: 'Our shop', url: 'https://shop.example/' }],
      next: 'rate',
    },
    rate: { type: 'question', text: 'How did we do?', field: 'score', kind: 'rating', next: 'thanks' },
    thanks: { type: 'message', text: 'Thanks for the {{score}} stars!' },
  },
};

/** A lead form with a field of several kinds. */
const FORM = {
  id: 'a11y',
  name: 'Callback',
  submit_label: 'Call me back',
  success: { type: 'message', text: 'Thanks!' },
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true },
    { name: 'email', type: 'email', label: 'E-mail', required: true, help: 'We never share it.' },
    { name: 'day', type: 'date', label: 'Day' },
    { name: 'size', type: 'select', label: 'Size', options: [{ value: 's', label: 'Small' }, { value: 'l', label: 'Large' }] },
    { name: 'colour', type: 'radio', label: 'Colour', options: [{ value: 'r', label: 'Red' }, { value: 'b', label: 'Blue' }] },
    { name: 'terms', type: 'consent', label: 'I agree to be contacted.', required: true, version: '1' },
  ],
};

let server;
let browser;

before(async () => {
  server = await ParloServer.start({ name: 'a11y' });
  browser = await launchBrowser();
  const api = (method, path, body) => server.ok(method, `/api/v1${path}`, { key: server.key, body });
  await api('PUT', `/flows/${FEEDBACK.id}`, FEEDBACK);
  await api('POST', '/channels/demo/keywords', { phrases: ['feedback'], match: 'contains', flow: FEEDBACK.id });
  await putForm(server, FORM);
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

/** A page of the server's origin with the demo chat, `init` given `options`. */
async function chatPage(t, context, options) {
  const { context: ctx, page } = await newPage(browser, context);
  t.after(() => ctx.close());
  await servePage(
    page,
    server,
    '/a11y.html',
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
    <body><main><h1>Shop</h1></main><script type="module">
      import { init } from '/pkg/loader.js';
      init(${JSON.stringify({ channel: 'demo', ...options })});
    </script></body></html>`,
  );
  await page.goto(`${server.url}/a11y.html`);
  return page;
}

/**
 * Opens the chat with the launcher named `texts.open` and asks for feedback: the rating
 * question's stars (a group named `texts.rating`) replace the text box.
 */
async function askFeedback(page, texts = { open: 'Open chat', rating: 'Rating' }) {
  await page.getByRole('button', { name: texts.open, exact: true }).click();
  await page.locator(sel.panel).waitFor();
  await botSays(page, 'Welcome to Bloom & Brew');
  const input = page.locator('.parlo-composer textarea');
  await input.fill('feedback');
  await input.press('Enter');
  await botSays(page, 'How did we do?');
  await page.getByRole('group', { name: texts.rating }).waitFor();
}

test('a rating question: five stars instead of the text box; a pressed star is the answer', { timeout: 120_000 }, async (t) => {
  const page = await chatPage(t, {}, {});
  try {
    await askFeedback(page);
    const stars = page.getByRole('group', { name: 'Rating' }).getByRole('button');
    assert.deepEqual(await stars.evaluateAll((b) => b.map((s) => s.getAttribute('aria-label'))), ['1 of 5', '2 of 5', '3 of 5', '4 of 5', '5 of 5']);
    assert.equal(await page.locator(sel.composer).count(), 0, 'no text box while rating');
    assert.equal(await stars.first().evaluate((s) => s.getRootNode().activeElement === s), true, 'the first star has the focus');
    await page.getByRole('button', { name: '4 of 5' }).click();
    await page.locator(sel.visitor, { hasText: '4' }).waitFor();
    await botSays(page, 'Thanks for the 4 stars!');
    await page.locator(sel.composer).waitFor();
  } catch (error) {
    await saveFailureScreenshot(page, 'a11y-rating');
    throw new Error(`${error.message}\n${page.problems.join('\n')}`, { cause: error });
  }
});

for (const look of LOOKS) {
  test(`axe: no serious or critical violation in the widget (${look.name})`, { timeout: 120_000 }, async (t) => {
    const page = await chatPage(t, look.context, { ...look.init, proactiveMessage: 'Need help choosing?', proactiveDelay: 0 });
    try {
      await page.locator('.parlo-proactive').waitFor({ timeout: 20_000 });
      // Axe reads colours as drawn: mid-way through its fade-in the bubble's text is paler.
      await page.locator('.parlo-proactive').evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)));
      assert.deepEqual(await violations(page), [], 'closed, with the proactive message');
      await askFeedback(page, look.texts);
      if (look.texts) assert.equal(await page.locator('.parlo-panel').evaluate((e) => getComputedStyle(e).direction), 'rtl');
      await page.getByRole('button', { name: 'Our shop' }).waitFor();
      assert.deepEqual(await violations(page), [], 'open');
    } catch (error) {
      await saveFailureScreenshot(page, `a11y-${look.name}`);
      throw new Error(`${error.message}\n${page.problems.join('\n')}`, { cause: error });
    }
  });
}

test('axe: no serious or critical violation in a lead form, also showing its errors', { timeout: 120_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  await servePage(page, server, '/a11y-form.html', formPage(FORM.id));
  await page.goto(`${server.url}/a11y-form.html`);
  try {
    await formReady(page);
    assert.deepEqual(await violations(page), [], 'as drawn');
    await page.getByRole('button', { name: 'Call me back' }).click();
    await page.getByText('Please tick this box to continue.').waitFor();
    assert.deepEqual(await violations(page), [], 'with its error messages');
  } catch (error) {
    await saveFailureScreenshot(page, 'a11y-form');
    throw new Error(`${error.message}\n${page.problems.join('\n')}`, { cause: error });
  }
});
