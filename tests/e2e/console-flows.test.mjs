// The owner console's flows screen in Chromium. The demo's welcome flow opened in the editor:
// an empty greeting is shown at its line (marked in the gutter, listed, the list jumps to the
// line) and Save sends nothing; a JSON syntax error is said with its line and column; a rule
// only the server checks (a custom field the workspace lacks) comes back as the server's
// problem at its line. A new greeting survives a reload unsaved and a save without network
// ("reconnecting", then saved once the network is back); a visitor opening the widget then gets
// it, and the statistics count that visit. A flow the demo channel starts is not deleted, with
// the reason in words; a new flow in a folder is listed under it and deleted. axe-core finds
// no serious or critical violation, on a desktop and on a phone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newPage } from './lib/browser.mjs';
import { consoleSuite } from './lib/console.mjs';
import { botSays, openWidget, until } from './lib/widget.mjs';
import { assertAccessible } from './lib/axe.mjs';

const EMAIL = 'owner@example.com';
const PASSWORD = 'correct horse battery';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const GREETING = 'Hi there 👋 Welcome to Bloom & Brew! How can I help you today?';
const NEW_GREETING = 'Hello from the console 🌷 What can we do for you?';

let server;
let browser;
const { logIn, withPages } = consoleSuite('console-flows', EMAIL, PASSWORD, (s, b) => ([server, browser] = [s, b]));

/** A logged-in console page of a fresh context, showing the workspace picker. */
async function consolePage(t, options) {
  const { context, page } = await newPage(browser, options);
  t.after(() => context.close());
  await logIn(page);
  await page.getByRole('heading', { name: 'Choose a workspace' }).waitFor();
  return { context, page };
}

/** Runs `body()`; on failure keeps a screenshot of `page` and its errors. */
function withPage(page, name, body) {
  return withPages([page], name, body);
}

/** The stored welcome flow, over the API. */
function welcome() {
  return server.ok('GET', '/api/v1/flows/welcome', { key: server.key });
}

/** The line (from 1) of `text` holding `part`. */
function lineOf(text, part) {
  const index = text.split('\n').findIndex((line) => line.includes(part));
  assert.notEqual(index, -1, `${part} is in the text`);
  return index + 1;
}

/** The line (from 1) of the caret of the focused text area, once that line is scrolled into its view. */
async function caretLine(page) {
  const { line, visible } = await page.evaluate(() => {
    const area = document.activeElement;
    if (area?.tagName !== 'TEXTAREA') return {};
    const lines = area.value.split('\n');
    const line = area.value.slice(0, area.selectionStart).split('\n').length;
    const y = ((line - 1) * area.scrollHeight) / lines.length - area.scrollTop;
    return { line, visible: y >= 0 && y < area.clientHeight };
  });
  assert.equal(visible, true, `line ${line} is scrolled into view`);
  return line;
}

test('flows: a problem at its line and nothing saved; the new greeting saved reaches a visitor and is counted; a used flow is kept', { timeout: 180_000 }, async (t) => {
  const { page } = await consolePage(t);
  const stored = await welcome();
  const puts = [];
  page.on('request', (r) => r.method() === 'PUT' && r.url().includes('/api/v1/flows/') && puts.push(r.url()));
  await withPage(page, 'editor', async () => {
    await page.getByRole('link', { name: /^Flows/ }).first().click();
    await page.getByRole('heading', { name: 'Flows', level: 1 }).waitFor();
    await page.getByRole('row').filter({ hasText: 'welcome' }).first().waitFor();
    await assertAccessible(page, 'the flows list');

    await page.getByRole('link', { name: 'Welcome', exact: true }).click();
    await page.getByRole('heading', { name: 'Flow “Welcome”' }).waitFor();
    assert.match(new URL(page.url()).pathname, /^\/console\/w\/\d+\/flows\/welcome$/);
    const doc = page.getByLabel('Flow document (JSON)');
    const original = await until(() => doc.inputValue(), (v) => v.includes(GREETING), { what: 'the welcome flow in the editor' });
    await page.getByText('No problems found.').waitFor();

    // An empty greeting: at its line, in the gutter and the list; the list jumps there.
    const empty = original.replace(`"text": "${GREETING}"`, '"text": ""');
    assert.notEqual(empty, original);
    await doc.fill(empty);
    const line = lineOf(empty, '"text": ""');
    const problem = page.getByRole('button', { name: `Line ${line} — /steps/greet/text: must not be blank` });
    await problem.waitFor();
    await page.locator('.gutter .bad').filter({ hasText: `! ${line}` }).waitFor();
    assert.equal(await doc.getAttribute('aria-invalid'), 'true');
    // With the keyboard: Tab from the text reaches the problem, Enter selects its line.
    await doc.focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.classList.contains('problem')), true);
    await page.keyboard.press('Enter');
    assert.equal(await caretLine(page), line, 'the caret is on the problem\'s line');
    await page.getByText(`Line ${line}: must not be blank`).waitFor();
    await page.getByRole('button', { name: 'Save flow' }).click();
    await page.getByText('Not saved: fix the problem listed below first. Nothing was sent.').waitFor();
    assert.deepEqual(puts, [], 'nothing was sent');
    assert.deepEqual(await welcome(), stored, 'the API still has the old flow');
    await assertAccessible(page, 'a flow with a problem');

    // A goto to a missing step and a JSON syntax error: each at its line (and column).
    await doc.fill(original.replace('"else": "greet"', '"else": "nowhere"'));
    await page.getByRole('button', { name: `Line ${lineOf(original, '"else": "greet"')} — /steps/returning/else: no step named 'nowhere'` }).waitFor();
    const broken = original.replace('"start": "returning",', '"start": "returning"');
    await doc.fill(broken);
    await page.getByRole('button', { name: new RegExp(`^Line ${lineOf(broken, '"steps"')}, column \\d+ — Not valid JSON for a flow: expected`) }).waitFor();

    // What only the server checks: a custom field the workspace lacks, its 422 at its line.
    const unknownField = original.replace('"field": "first_name"', '"field": "no_such_field"');
    await doc.fill(unknownField);
    await page.getByText('No problems found.').waitFor();
    await page.getByRole('button', { name: 'Save flow' }).click();
    await page.getByRole('button', {
      name: `Line ${lineOf(unknownField, 'no_such_field')} — /steps/returning/conditions/0/field (server): no custom field named 'no_such_field' in this workspace`,
    }).waitFor();
    assert.deepEqual(await welcome(), stored, 'the server refused it');
    await assertAccessible(page, 'a flow the server refused');

    // The new greeting: kept unsaved across a reload, then saved through a lost connection.
    const edited = original.replace(GREETING, NEW_GREETING);
    await doc.fill(edited);
    await page.getByText('Unsaved changes (kept in this tab).').waitFor();
    await page.reload();
    await page.getByText('Your unsaved changes to this flow were kept in this tab and are shown here.').waitFor();
    assert.equal(await doc.inputValue(), edited);
    // The connection drops: every save of the flow fails as a network error would.
    const lost = (route) => (route.request().method() === 'PUT' ? route.abort('internetdisconnected') : route.continue());
    await page.route('**/api/v1/flows/welcome', lost);
    await page.getByRole('button', { name: 'Save flow' }).click();
    await page.getByText(/^Connection lost: reconnecting… Your changes are kept in this tab/).waitFor();
    await page.getByRole('button', { name: 'Reconnecting…' }).waitFor();
    assert.deepEqual(await welcome(), stored, 'not saved while offline');
    await assertAccessible(page, 'a save reconnecting');
    await page.unroute('**/api/v1/flows/welcome', lost);
    await page.getByText('Saved.', { exact: true }).waitFor({ timeout: 20_000 });
    const saved = await welcome();
    assert.equal(saved.steps.greet.text, NEW_GREETING);
    await page.reload();
    await until(() => doc.inputValue(), (v) => v.includes(NEW_GREETING), { what: 'the saved flow' });
    assert.equal(await page.getByText('Your unsaved changes to this flow were kept').count(), 0, 'the draft is gone once saved');
  });

  // A visitor gets the new greeting; the statistics count the visit.
  const { context: visitorContext, page: visitor } = await newPage(browser);
  t.after(() => visitorContext.close());
  await withPage(visitor, 'visitor', async () => {
    await visitor.goto(`${server.url}/`);
    await openWidget(visitor);
    await botSays(visitor, NEW_GREETING);
  });
  await withPage(page, 'statistics', async () => {
    const greet = page.getByRole('row').filter({ has: page.getByRole('button', { name: 'Show step greet in the document' }) });
    await until(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      return greet.locator('td').nth(1).textContent();
    }, (sent) => Number(sent) >= 1, { what: 'the greeting counted as sent', interval: 500 });
    const returning = page.getByRole('row').filter({ has: page.getByRole('button', { name: 'Show step returning in the document' }) });
    assert.match(await returning.textContent(), /else: 1/);
    await page.getByRole('button', { name: 'Show step greet in the document' }).click();
    assert.equal(await caretLine(page), lineOf(await page.getByLabel('Flow document (JSON)').inputValue(), '"greet": {'));
    await assertAccessible(page, 'a flow with its statistics');

    // The demo channel starts it: kept, the reason in words.
    await page.getByRole('link', { name: '← All flows' }).click();
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Delete Welcome' }).click();
    const alert = page.locator('#flows-error');
    await alert.waitFor();
    assert.match(await alert.textContent(), /^“Welcome” was not deleted: it is still started by channel demo \(its welcome flow\); channel demo \(keyword 4\)\. Change those first, then delete it\.$/);
    assert.equal((await welcome()).id, 'welcome', 'still there');
    await assertAccessible(page, 'the flows list with a conflict');

    // A new flow in a folder: opened, listed under its folder, deleted.
    await page.getByLabel('Name').fill('Spring offers');
    await page.getByLabel('Folder').fill('Sales');
    await page.getByRole('button', { name: 'Create flow' }).click();
    await page.locator('#flow-folder-error').waitFor();
    await page.getByLabel('Folder').fill('sales/seasonal');
    await page.getByRole('button', { name: 'Create flow' }).click();
    await page.getByRole('heading', { name: 'Flow “Spring offers”' }).waitFor();
    assert.match(new URL(page.url()).pathname, /\/flows\/spring_offers$/);
    await page.getByRole('link', { name: '← All flows' }).click();
    const folder = page.getByRole('region', { name: 'Folder sales/seasonal' });
    await folder.getByRole('link', { name: 'Spring offers' }).waitFor();
    page.once('dialog', (dialog) => dialog.accept());
    await folder.getByRole('button', { name: 'Delete Spring offers' }).click();
    await until(() => folder.count(), (n) => n === 0, { what: 'the flow and its folder gone' });
    const left = await server.request('GET', '/api/v1/flows/spring_offers', { key: server.key });
    assert.equal(left.status, 404);
  });
});

test('flows on a phone: the editor fits and is accessible', { timeout: 90_000 }, async (t) => {
  const { page } = await consolePage(t, PHONE);
  await withPage(page, 'phone', async () => {
    await page.getByRole('link', { name: /^Flows/ }).first().click();
    await page.getByRole('link', { name: 'Opening hours', exact: true }).click();
    await page.getByLabel('Flow document (JSON)').waitFor();
    await page.getByText('No problems found.').waitFor();
    await assertAccessible(page, 'the flow editor on a phone');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false, 'no horizontal scrolling at phone width');
  });
});
