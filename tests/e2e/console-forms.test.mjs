// The owner console's forms screen in Chromium against the real server: a new form with a
// problem is refused in the browser with the problem on its line (nothing saved, nothing typed
// lost); the fixed draft shows in the preview (the forms bundle's real component) before it is
// saved, and sending the preview sends nothing; the form is saved unpublished, published, and
// a visitor's lead from a page with it appears on the leads screen; unpublished, the page says
// the form is unavailable. A new form with a taken id gets the 409 on the id's line. A form is
// deleted from the list. Keyboard: a problem's line button selects its line in the definition.
// axe-core finds no serious or critical violation on these screens, on a desktop and a phone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newPage } from './lib/browser.mjs';
import { formPage, formSel, formStats, leadsOf, putForm, servePage } from './lib/forms.mjs';
import { consoleSuite } from './lib/console.mjs';
import { until } from './lib/widget.mjs';
import { assertAccessible } from './lib/axe.mjs';

const EMAIL = 'owner@example.com';
const PASSWORD = 'correct horse battery';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const FORM_ID = 'spring-offer';

/** A draft with one problem: a select without options. No minimum fill time. */
const BAD_DRAFT = {
  id: FORM_ID,
  name: 'Spring offer',
  fields: [
    { name: 'email', type: 'email', label: 'E-mail', required: true },
    { name: 'colour', type: 'select', label: 'Colour', required: true, options: [] },
  ],
  min_fill_ms: 0,
};

/** The draft fixed: two options, and a new label for the field. */
const GOOD_DRAFT = {
  ...BAD_DRAFT,
  fields: [
    BAD_DRAFT.fields[0],
    {
      ...BAD_DRAFT.fields[1],
      label: 'Favourite colour',
      options: [
        { value: 'red', label: 'Red' },
        { value: 'blue', label: 'Blue' },
      ],
    },
  ],
};

/** What the form component says when its form cannot be had (src/lead_form/app.rs). */
const UNAVAILABLE = "This form isn't available right now.";

let server;
let browser;
const { logIn, withPages } = consoleSuite('console-forms', EMAIL, PASSWORD, (s, b) => ([server, browser] = [s, b]));

/** A logged-in console page (a fresh context) showing the workspace's forms. */
async function formsScreen(t, options) {
  const { context, page } = await newPage(browser, options);
  t.after(() => context.close());
  await logIn(page);
  await page.getByRole('link', { name: /^Forms/ }).first().click();
  await page.getByRole('heading', { name: 'Forms', level: 1 }).waitFor();
  return page;
}

/** Runs `body()`; on failure keeps a screenshot of `page` and its errors. */
function withPage(page, name, body) {
  return withPages([page], name, body);
}

/** The 1-based line of `text` holding `needle`. */
function lineOf(text, needle) {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

test('forms: a problem on its line, nothing saved; preview of the draft; publish, a lead, unpublish', { timeout: 240_000 }, async (t) => {
  const page = await formsScreen(t);
  const submissions = [];
  page.on('request', (request) => {
    if (request.url().includes('/submissions')) submissions.push(request.url());
  });
  await withPage(page, 'editor', async () => {
    await assertAccessible(page, 'the forms list');
    await page.getByRole('link', { name: 'New form' }).click();
    await page.getByRole('heading', { name: 'New form', level: 1 }).waitFor();
    assert.match(new URL(page.url()).pathname, /^\/console\/w\/\d+\/forms\/new$/);

    // The model's own check, in the browser: the select without options, on its line.
    const definition = page.getByLabel('Form definition (JSON)');
    const bad = JSON.stringify(BAD_DRAFT, null, 2);
    await definition.fill(bad);
    await page.getByRole('button', { name: 'Create form' }).click();
    const problems = page.locator('#form-json-errors');
    await problems.waitFor();
    const line = lineOf(bad, '"options": []');
    const problem = problems.getByRole('listitem');
    assert.equal(await problem.count(), 1);
    assert.match(await problem.textContent(), new RegExp(`^Line ${line} /fields/1/options: `));
    assert.equal(await definition.getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await page.locator('.gutter .bad').allTextContents(), [`${line}\n`], 'the line number is marked');
    assert.equal(await definition.inputValue(), bad, 'the draft is kept as typed');
    assert.equal((await server.request('GET', `/api/v1/forms/${FORM_ID}`, { key: server.key })).status, 404, 'nothing saved');
    await assertAccessible(page, 'a new form with a problem');

    // With the keyboard: the problem's line button selects that line of the definition.
    await problem.getByRole('button', { name: `Line ${line}` }).focus();
    await page.keyboard.press('Enter');
    const selected = await page.evaluate(() => {
      const area = document.activeElement;
      return area.id === 'form-json' ? area.value.slice(area.selectionStart, area.selectionEnd) : null;
    });
    assert.equal(selected, '      "options": []');

    // Fixed: the problems go, and the preview shows the unsaved draft's new label.
    const good = JSON.stringify(GOOD_DRAFT, null, 2);
    await definition.fill(good);
    await problems.waitFor({ state: 'detached' });
    const preview = page.frameLocator('iframe[title="Preview of the form"]');
    await preview.getByLabel('Favourite colour').waitFor();
    assert.equal((await server.request('GET', `/api/v1/forms/${FORM_ID}`, { key: server.key })).status, 404, 'a preview saves nothing');

    // Sending the preview: the success message, and nothing sent.
    await preview.locator(formSel.input('email')).fill('preview@example.com');
    await preview.locator(formSel.input('colour')).selectOption('red');
    await preview.locator(formSel.submit).click();
    await preview.locator(formSel.done).filter({ hasText: 'Thank you!' }).waitFor();
    assert.deepEqual(submissions, [], 'the preview sent nothing');

    await page.getByRole('button', { name: 'Create form' }).click();
    await page.getByRole('heading', { name: 'Form “Spring offer”', level: 1 }).waitFor();
    assert.match(new URL(page.url()).pathname, new RegExp(`^/console/w/\\d+/forms/${FORM_ID}/edit$`));
    const state = page.getByRole('region', { name: 'Publishing' }).getByRole('status');
    await state.filter({ hasText: /^Not published/ }).waitFor();
    const saved = await server.ok('GET', `/api/v1/forms/${FORM_ID}`, { key: server.key });
    assert.equal(saved.published, false, 'new forms are created unpublished');
    assert.equal(saved.fields[1].label, 'Favourite colour');
    assert.deepEqual(await formStats(server, FORM_ID), { leads: 0, honeypot: 0, too_fast: 0 });

    await page.getByRole('button', { name: 'Publish' }).click();
    await state.filter({ hasText: /^Published/ }).waitFor();
    assert.equal((await server.ok('GET', `/api/v1/forms/${FORM_ID}`, { key: server.key })).published, true);
    await assertAccessible(page, 'a published form with its preview');
  });

  // A visitor's page with the form (a context of its own): the lead arrives.
  const { context: visitorContext, page: visitor } = await newPage(browser);
  t.after(() => visitorContext.close());
  await servePage(visitor, server, '/spring.html', formPage(FORM_ID, { title: 'Spring offer' }));
  await withPage(visitor, 'visitor', async () => {
    await visitor.goto(`${server.url}/spring.html`);
    await visitor.locator(formSel.input('email')).fill('ada@example.com');
    await visitor.locator(formSel.input('colour')).selectOption('blue');
    await visitor.locator(formSel.submit).click();
    await visitor.locator(formSel.done).waitFor();
    await until(() => leadsOf(server, FORM_ID), (leads) => leads.length === 1, { what: 'the lead' });
  });

  await withPage(page, 'leads', async () => {
    await page.getByRole('link', { name: 'Leads' }).first().click();
    await page.getByRole('heading', { name: 'Leads', level: 1 }).waitFor();
    await page.getByLabel('Form').selectOption({ label: 'Spring offer' });
    await page.getByRole('button', { name: 'Show leads' }).click();
    await page.getByRole('row', { name: /ada@example\.com/ }).waitFor();

    await page.getByRole('link', { name: 'Forms' }).first().click();
    const row = page.getByRole('row', { name: /Spring offer/ });
    await row.waitFor();
    await until(() => row.textContent(), (text) => /spring-offerpublished1/.test(text), { what: 'the form published with 1 lead' });

    await row.getByRole('link', { name: 'Spring offer' }).click();
    await page.getByRole('button', { name: 'Unpublish' }).click();
    await page.getByRole('region', { name: 'Publishing' }).getByRole('status').filter({ hasText: /^Not published/ }).waitFor();
    assert.equal((await server.ok('GET', `/api/v1/forms/${FORM_ID}`, { key: server.key })).published, false);
  });

  await withPage(visitor, 'unpublished', async () => {
    await visitor.reload();
    await visitor.locator('parlo-form').getByRole('alert').filter({ hasText: UNAVAILABLE }).waitFor();
  });
});

test('forms: deleted from the list after a confirmation; the editor on a phone', { timeout: 180_000 }, async (t) => {
  await putForm(server, {
    id: 'old-offer',
    name: 'Old offer',
    fields: [{ name: 'email', type: 'email', label: 'E-mail', required: true }],
  });
  const page = await formsScreen(t, PHONE);
  await withPage(page, 'delete', async () => {
    const row = page.getByRole('row', { name: /Old offer/ });
    await row.waitFor();
    await assertAccessible(page, 'the forms list on a phone');

    // A new form with the id of another: the server's 409 on the id's line, nothing saved.
    await page.getByRole('link', { name: 'New form' }).click();
    const definition = page.getByLabel('Form definition (JSON)');
    await definition.fill((await definition.inputValue()).replace('"contact"', '"old-offer"'));
    await page.getByRole('button', { name: 'Create form' }).click();
    await page.locator('#form-json-errors').getByRole('listitem').filter({ hasText: /^Line 2 \/id: / }).waitFor();
    assert.equal((await server.ok('GET', '/api/v1/forms/old-offer', { key: server.key })).name, 'Old offer');
    await page.getByRole('link', { name: '← All forms' }).click();
    await row.getByRole('link', { name: 'Old offer' }).click();
    await page.getByLabel('Form definition (JSON)').waitFor();
    await page.frameLocator('iframe[title="Preview of the form"]').locator(formSel.submit).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no sideways scrolling on a phone (page ${width} px wide)`);
    await assertAccessible(page, 'the form editor on a phone');

    await page.getByRole('link', { name: '← All forms' }).click();
    page.once('dialog', (dialog) => dialog.accept());
    await row.getByRole('button', { name: 'Delete Old offer' }).click();
    await row.waitFor({ state: 'detached' });
    assert.equal((await server.request('GET', '/api/v1/forms/old-offer', { key: server.key })).status, 404);
  });
});
