// The owner console (`/console`) in Chromium: log in (a wrong password is said next to the
// form), choose a workspace, API keys (the secret shown once, then only its prefix; the
// old secret of a regenerated key and a revoked key are refused), leads (a new lead listed, opened, exported as CSV; a bad date
// range said next to the dates), deep links that survive a reload, log out, and axe-core
// finding no serious or critical violation on any screen, on a desktop and on a phone.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { putForm } from './lib/forms.mjs';
import { ParloServer } from './lib/server.mjs';
import { assertAccessible } from './lib/axe.mjs';

const EMAIL = 'owner@example.com';
const PASSWORD = 'correct horse battery';

/** A form with a text, an e-mail and a consent field, no minimum fill time. */
const FORM = {
  id: 'console-quote',
  name: 'Quote request',
  min_fill_ms: 0,
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true },
    { name: 'email', type: 'email', label: 'E-mail', required: true },
    { name: 'terms', type: 'consent', label: 'I agree to be contacted.', required: true, version: '2' },
  ],
};

let server;
let browser;

before(async () => {
  server = await ParloServer.start({ name: 'console' });
  await server.createUser(EMAIL, PASSWORD, { ownsDemo: true });
  await putForm(server, FORM);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

/** Fills in the log-in form and sends it. */
async function logIn(page, password = PASSWORD) {
  await page.getByLabel('E-mail').fill(EMAIL);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** A page of a fresh browser context (`options`: its viewport etc.), failing on page errors. */
async function consolePage(t, options) {
  const { context, page } = await newPage(browser, options);
  t.after(() => context.close());
  return { context, page };
}

/** Runs `body(page)`; on failure keeps a screenshot `console-<name>` and the page's errors. */
async function withPage(page, name, body) {
  try {
    await body();
  } catch (error) {
    await saveFailureScreenshot(page, `console-${name}`);
    throw new Error(`${error.message}\n${page.problems.join('\n')}`, { cause: error });
  }
}

test('log in: a wrong password is said next to the form; workspaces; an ended session; log out', { timeout: 120_000 }, async (t) => {
  const { page } = await consolePage(t);
  await withPage(page, 'login', async () => {
    await page.goto(`${server.url}/console`);
    await page.getByRole('heading', { name: 'Parlo console' }).waitFor();
    await assertAccessible(page, 'the log-in form');
    await logIn(page, 'not the password');
    const alert = page.locator('form').getByRole('alert');
    await assert.doesNotReject(alert.filter({ hasText: 'Wrong e-mail or password.' }).waitFor());
    await assertAccessible(page, 'the log-in form with its error');

    await logIn(page);
    await page.getByRole('heading', { name: 'Choose a workspace' }).waitFor();
    await page.getByRole('heading', { name: 'Bloom & Brew' }).waitFor();
    assert.equal(await page.title(), 'Workspaces · Parlo console');
    await assertAccessible(page, 'the workspace picker');

    // The session ended elsewhere: the next screen asks to log in again, then opens.
    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('parlo.console.session')).token);
    assert.equal((await server.request('POST', '/api/v1/auth/logout', { key: token })).status, 204);
    await page.getByRole('link', { name: /^API keys/ }).first().click();
    await page.getByLabel('Password').waitFor();
    await logIn(page);
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Password').waitFor();
    assert.equal(new URL(page.url()).pathname, '/console/login');
    await page.reload();
    await page.getByLabel('Password').waitFor();
  });
});

test('API keys: the secret is shown once, then only its prefix; regenerated and revoked keys are refused', { timeout: 120_000 }, async (t) => {
  const { context, page } = await consolePage(t);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await withPage(page, 'api-keys', async () => {
    await page.goto(`${server.url}/console`);
    await logIn(page);
    await page.getByRole('link', { name: /^API keys/ }).first().click();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    assert.match(new URL(page.url()).pathname, /^\/console\/w\/\d+\/api-keys$/);

    // A name too long: the server's field error under the name.
    await page.getByLabel('Name').fill('x'.repeat(101));
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.locator('#key-name-error').waitFor();
    assert.equal(await page.getByLabel('Name').getAttribute('aria-invalid'), 'true');

    await page.getByLabel('Name').fill('console-e2e');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secretBox = page.getByLabel('API key', { exact: true });
    await secretBox.waitFor();
    const secret = await secretBox.inputValue();
    assert.match(secret, /^parlo_sk_/);
    await page.getByText('Copy this key now: it will not be shown again.').waitFor();
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Copied to the clipboard.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
    await assertAccessible(page, 'a new key');
    assert.equal((await server.request('GET', '/api/v1/tags', { key: secret })).status, 200);

    // After a reload: the key's name and prefix, never its secret.
    await page.reload();
    const row = page.getByRole('row', { name: /console-e2e/ });
    await row.waitFor();
    const listed = await server.ok('GET', '/api/v1/api-keys', { key: secret });
    const prefix = listed.items.find((k) => k.name === 'console-e2e').prefix;
    assert.ok(secret.startsWith(prefix));
    assert.match(await row.textContent(), new RegExp(`${prefix}…`));
    assert.equal((await page.content()).includes(secret), false, 'the secret is gone');
    await assertAccessible(page, 'the key list');

    // Regenerated: a new secret, shown once; the old one is refused.
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Regenerate console-e2e' }).click();
    await page.getByText('Copy this key now: it will not be shown again.').waitFor();
    const renewed = await secretBox.inputValue();
    assert.notEqual(renewed, secret);
    assert.equal((await server.request('GET', '/api/v1/tags', { key: secret })).status, 401);
    assert.equal((await server.request('GET', '/api/v1/tags', { key: renewed })).status, 200);
    await page.getByRole('button', { name: 'Done' }).click();
    await secretBox.waitFor({ state: 'detached' });

    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Revoke console-e2e' }).click();
    await row.waitFor({ state: 'detached' });
    assert.equal((await server.request('GET', '/api/v1/tags', { key: renewed })).status, 401);
  });
});

test('leads: a new lead is listed, opened and exported; a deep link survives a reload', { timeout: 120_000 }, async (t) => {
  await server.ok('POST', `/api/public/v1/forms/${FORM.id}/submissions`, {
    body: {
      idempotency_key: 'console-lead-1',
      values: { name: 'Grace Hopper', email: 'grace@example.com', terms: true },
      capture: { utm_source: 'newsletter', landing_page: `${server.url}/pricing` },
    },
  });
  const { page } = await consolePage(t);
  await withPage(page, 'leads', async () => {
    await page.goto(`${server.url}/console`);
    await logIn(page);
    await page.getByRole('link', { name: /^Leads/ }).first().click();
    await page.getByRole('heading', { name: 'Leads', level: 1 }).waitFor();
    await page.getByLabel('Form').selectOption({ label: FORM.name });
    await page.getByRole('button', { name: 'Show leads' }).click();
    const row = page.getByRole('row', { name: /grace@example\.com/ });
    await row.waitFor();
    await assertAccessible(page, 'the leads');

    // A bad range: said next to the dates.
    await page.getByLabel('From').fill('2030-01-02');
    await page.getByLabel('To').fill('2030-01-01');
    await page.getByRole('button', { name: 'Show leads' }).click();
    await page.locator('#range-error').filter({ hasText: /after/ }).waitFor();
    await page.getByLabel('From').fill('');
    await page.getByLabel('To').fill('');
    await page.getByRole('button', { name: 'Show leads' }).click();
    await page.locator('#range-error').waitFor({ state: 'detached' });

    // The CSV export holds the lead.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'leads.csv');
    const csv = readFileSync(await download.path(), 'utf8');
    assert.match(csv, /grace@example\.com/);
    assert.match(csv, /Grace Hopper/);

    await row.getByRole('link').click();
    await page.getByRole('heading', { name: 'Lead', level: 1 }).waitFor();
    const shows = async () => {
      await page.getByText('grace@example.com', { exact: true }).waitFor();
      await page.getByText('Grace Hopper', { exact: true }).waitFor();
      await page.getByRole('row', { name: /terms I agree to be contacted\. 2 yes/ }).waitFor();
      await page.getByText('newsletter', { exact: true }).waitFor();
    };
    await shows();
    await assertAccessible(page, 'one lead');

    // Reloaded, the same lead (still logged in); back goes to the leads.
    const deepLink = page.url();
    assert.match(new URL(deepLink).pathname, /^\/console\/w\/\d+\/leads\/lead_/);
    await page.reload();
    await shows();
    await page.goBack();
    await page.getByRole('heading', { name: 'Leads', level: 1 }).waitFor();

    // Opened in a new tab (not logged in there): log in, then the lead.
    const other = await page.context().newPage();
    await other.goto(deepLink);
    await logIn(other);
    await other.getByText('grace@example.com', { exact: true }).waitFor();
    assert.equal(other.url(), deepLink);
  });
});

test('on a phone: every screen fits and passes axe', { timeout: 120_000 }, async (t) => {
  const { page } = await consolePage(t, { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  await withPage(page, 'phone', async () => {
    await page.goto(`${server.url}/console`);
    await logIn(page);
    await page.getByRole('heading', { name: 'Choose a workspace' }).waitFor();
    for (const link of [/^API keys/, /^Leads/]) {
      await page.getByRole('link', { name: link }).first().click();
      await page.locator('table').first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no horizontal scrolling (${overflow} px too wide)`);
      await assertAccessible(page, `${link} on a phone`);
    }
    // Keyboard: a screen opened by a link gets the focus on its content; after a reload,
    // Tab reaches the skip link first, which leads to the content.
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
    await page.reload();
    await page.getByRole('heading', { name: 'Leads', level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'lead-form');
  });
});
