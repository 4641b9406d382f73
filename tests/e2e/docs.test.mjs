// The interactive API docs at /docs, as an integrator uses them: Swagger UI (served by Parlo
// under its strict CSP) loads /api/openapi.json, Authorize takes an API key made with
// `parlo-server create-key`, and "Try it out" → Execute on "List tags" answers 200 with the
// tags as JSON, shown in the page.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { ParloServer } from './lib/server.mjs';

/** A tag created before the test, so the listed body is recognisably ours. */
const TAG = 'docs-e2e-tag';

let server;
let browser;

before(async () => {
  server = await ParloServer.start({ name: 'docs' });
  await server.ok('POST', '/api/v1/tags', { key: server.key, body: { name: TAG } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

test('Swagger UI at /docs authorizes with an API key and lists tags with Try it out', async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  /** Every request the page sent to the tags list, with its Authorization header. */
  const listCalls = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/v1/tags') {
      listCalls.push({ method: request.method(), authorization: request.headers().authorization });
    }
  });
  try {
    await page.goto(`${server.url}/docs`);
    const operation = page.locator('#operations-management-list_tags');
    await operation.waitFor({ state: 'visible', timeout: 20_000 });

    // Authorize: the `api_key` (Bearer) scheme takes the key; then close the dialog.
    await page.getByRole('button', { name: 'Authorize' }).first().click();
    const scheme = page.locator('.auth-container').filter({ has: page.locator('h4', { hasText: /^api_key\b/ }) }).first();
    await scheme.locator('input').first().fill(server.key);
    await scheme.locator('button.authorize').click();
    await scheme.getByText('Logout').waitFor({ timeout: 10_000 });
    await scheme.getByText('Close').click();

    // Try it out → Execute on "List tags".
    await operation.locator('.opblock-summary').first().click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.getByRole('button', { name: 'Execute' }).click();

    const live = operation.locator('.live-responses-table .response').first();
    await live.waitFor({ timeout: 20_000 });
    assert.equal((await live.locator('.response-col_status').innerText()).trim(), '200');
    const shown = await live.locator('.response-col_description pre').first().innerText();
    const body = JSON.parse(shown);
    assert.ok(Array.isArray(body.items), `a page of tags: ${shown}`);
    assert.ok(body.items.some((tag) => tag.name === TAG), `our tag is listed: ${shown}`);

    assert.deepEqual(listCalls, [{ method: 'GET', authorization: `Bearer ${server.key}` }]);
    assert.deepEqual(page.problems, [], 'no page errors, blocked scripts or failed requests');
  } catch (error) {
    await saveFailureScreenshot(page, 'docs');
    error.message += `\npage problems: ${JSON.stringify(page.problems)}`;
    throw error;
  }
});
