// The npm package used the way a bundler would: a page imports `init` from the package's
// `loader.js` (here straight from the server's `/pkg/`) and calls it. Importing has no side
// effects, nothing of the bundle is fetched before intent, `init` is idempotent per channel,
// the widget chats, and `destroy` removes it (after which `init` adds it again). When a bundle
// cannot be loaded, the widget fires `error` and logs it once, and a form's `ready` rejects.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, problemsBesidesRemount, saveFailureScreenshot } from './lib/browser.mjs';
import { ParloServer } from './lib/server.mjs';
import { botSays, ensureOpen, openWidget, sel, typeAndSend, until } from './lib/widget.mjs';

let server;
let browser;

before(async () => {
  server = await ParloServer.start({ name: 'npm' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

/** A host page of the npm consumer: no embed snippet, one module importing the package. */
const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>npm consumer</title></head>
<body>
  <h1>An app that bundles parlo</h1>
  <script type="module">
    import * as parlo from '/pkg/loader.js';
    window.parloModule = parlo;
    window.globalAfterImport = typeof window.Parlo;
    window.hostsAfterImport = document.querySelectorAll('[data-parlo-widget]').length;
    const first = parlo.init({ channel: 'demo', apiBase: location.origin });
    const second = parlo.init({ channel: 'demo', apiBase: location.origin });
    window.chat = first;
    window.sameController = first === second;
    window.ready = true;
  </script>
</body>
</html>`;

test('import { init } from the package: launcher, idempotent init, a chat, destroy', { timeout: 120_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  const bundleRequests = [];
  page.on('request', (request) => {
    if (/\/pkg\/parlo_widget(\.js|_bg\.wasm)$/.test(new URL(request.url()).pathname)) bundleRequests.push(request.url());
  });
  // The page lives on the server's origin (as an app served next to its API would).
  await page.route(`${server.url}/npm-consumer.html`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: PAGE }),
  );
  try {
    await page.goto(`${server.url}/npm-consumer.html`);
    await page.waitForFunction(() => window.ready === true);
    const launcher = page.locator(sel.launcher);
    await launcher.waitFor({ state: 'visible', timeout: 20_000 });

    // Importing the module installs nothing and draws nothing; `init` twice gives one widget.
    const state = await page.evaluate(() => ({
      global: window.globalAfterImport,
      hosts: window.hostsAfterImport,
      same: window.sameController,
      exports: Object.keys(window.parloModule).sort(),
    }));
    assert.equal(state.global, 'undefined', 'importing loader.js installs no window.Parlo');
    assert.equal(state.hosts, 0, 'importing loader.js adds nothing to the page');
    assert.ok(state.exports.includes('init'), `exports: ${state.exports}`);
    assert.equal(state.same, true, 'init twice for the same channel returns the same controller');
    assert.equal(await page.locator(sel.host).count(), 1, 'one widget host after two init calls');
    assert.equal(await page.locator(sel.launcher).count(), 1, 'one launcher after two init calls');

    // Nothing of the bundle is fetched before the visitor shows intent.
    await page.waitForTimeout(500);
    assert.deepEqual(bundleRequests, [], 'no bundle request before intent');

    await openWidget(page);
    await botSays(page, 'Welcome to Bloom & Brew');
    await typeAndSend(page, 'What are your opening hours?');
    await botSays(page, /we're open monday/i);
    assert.ok(bundleRequests.length >= 1, 'the bundle was loaded on intent');

    // A third init after mounting still returns the same controller and adds nothing.
    assert.equal(
      await page.evaluate(() => window.parloModule.init({ channel: 'demo', apiBase: location.origin }) === window.chat),
      true,
      'init after mounting returns the same controller',
    );
    assert.equal(await page.locator(sel.host).count(), 1, 'still one widget host');

    // destroy removes the host element; init afterwards adds a working widget again.
    await page.evaluate(() => window.chat.destroy());
    await until(() => page.locator(sel.host).count(), (n) => n === 0, { what: 'no widget host after destroy' });
    assert.equal(await page.locator(sel.launcher).count(), 0, 'no launcher after destroy');

    await page.evaluate(() => {
      window.chat = window.parloModule.init({ channel: 'demo', apiBase: location.origin });
    });
    await page.locator(sel.host).waitFor({ state: 'attached', timeout: 10_000 });
    assert.equal(await page.locator(sel.host).count(), 1, 'one widget host after init again');
    await ensureOpen(page); // the panel was open when destroyed: the widget may reopen it itself
    await botSays(page, /we're open monday/i); // the conversation is restored
    // destroy() aborts the open event stream (and a read report in flight); anything else is a problem.
    assert.deepEqual(problemsBesidesRemount(page), [], 'no page errors');
  } catch (error) {
    await saveFailureScreenshot(page, 'npm-failure');
    error.message += `\npage problems:\n${page.problems.join('\n')}`;
    throw error;
  }
});

test('bundles that cannot load: the widget fires `error` and logs once, a form rejects `ready`', { timeout: 60_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  const bundle = (url) => /^\/pkg\/(parlo_widget|forms\/parlo_forms)\.js$/.test(url.pathname);
  await page.route(bundle, (route) => route.abort('internetdisconnected'));
  await page.route(`${server.url}/npm-consumer.html`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: '<!doctype html><title>npm consumer</title><div id="lead"></div>' }),
  );
  await page.goto(`${server.url}/npm-consumer.html`);
  const outcome = await page.evaluate(async () => {
    const parlo = await import('/pkg/loader.js');
    const errors = [];
    const chat = parlo.init({ channel: 'demo', apiBase: location.origin });
    const failed = new Promise((resolve) => chat.on('error', (detail) => (errors.push(detail), resolve())));
    chat.open();
    const form = parlo.form(document.querySelector('#lead'), { form: 'quote', apiBase: location.origin });
    const ready = await form.ready.then(() => 'resolved', (error) => error.message);
    await failed;
    return { ready, errors };
  });
  assert.equal(outcome.ready, 'Parlo: cannot load the lead form "quote"');
  assert.deepEqual(outcome.errors, [{ message: 'cannot load the chat widget' }]);
  // Besides the browser's own "Failed to load resource" lines: the widget's failure once, and
  // nothing for the form, whose failure the page handled.
  const logged = page.problems.filter((p) => p.startsWith('console.error: Parlo'));
  assert.equal(logged.length, 1, `one console error of Parlo: ${page.problems.join('\n')}`);
  assert.match(logged[0], /Parlo: cannot load the chat widget/);
});
