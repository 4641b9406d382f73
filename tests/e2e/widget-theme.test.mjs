// The widget's font, corner radius and offsets from the loader's options and from the
// channel's theme (which wins); the proactive message beside the launcher (after its delay,
// pressing it opens the panel, × dismisses it for good, reduced motion stills it); the
// opt-in sound when an agent writes while the panel is closed.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { ParloServer } from './lib/server.mjs';
import { openWidget, sel, sessionToken } from './lib/widget.mjs';

let server;
let browser;
let original; // the demo channel's settings, put back after each test

before(async () => {
  server = await ParloServer.start({ name: 'widget-theme' });
  browser = await launchBrowser();
  original = await server.ok('GET', '/api/v1/channels/demo', { key: server.key });
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

/** Puts `theme` members on the demo channel (until the test ends). */
async function channelTheme(t, theme) {
  await server.ok('PUT', '/api/v1/channels/demo', { key: server.key, body: { ...original, theme: { ...original.theme, ...theme } } });
  t.after(() => server.ok('PUT', '/api/v1/channels/demo', { key: server.key, body: original }));
}

/** A page of the server's origin with the demo chat, `init` given `options`. */
async function chatPage(t, options, contextOptions = {}) {
  const { context, page } = await newPage(browser, contextOptions);
  t.after(() => context.close());
  await page.route(`${server.url}/theme.html`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><title>Shop</title></head><body><script type="module">
        import { init } from '/pkg/loader.js';
        window.chat = init(${JSON.stringify({ channel: 'demo', ...options })});
      </script></body></html>`,
    }),
  );
  await page.goto(`${server.url}/theme.html`);
  return page;
}

/** Where the launcher and panel are and how they are drawn. */
const geometry = (page) =>
  page.evaluate(() => {
    const root = document.querySelector('[data-parlo-widget]').shadowRoot;
    const box = (el) => el && el.getBoundingClientRect();
    const launcher = box(root.querySelector('.parlo-launcher'));
    const panel = root.querySelector('.parlo-panel');
    return {
      launcherBottom: innerHeight - launcher.bottom,
      launcherRight: innerWidth - launcher.right,
      panelRadius: panel && getComputedStyle(panel).borderTopLeftRadius,
      font: getComputedStyle(root.querySelector('.parlo')).fontFamily,
    };
  });

async function failing(page, name, body) {
  try {
    await body();
  } catch (error) {
    await saveFailureScreenshot(page, name);
    throw new Error(`${error.message}\n${page.problems.join('\n')}`, { cause: error });
  }
}

test('font, corner radius and offsets: the loader options at once, then the channel theme wins', { timeout: 120_000 }, async (t) => {
  const page = await chatPage(t, { fontFamily: 'Georgia, serif', cornerRadius: 4, offsetBottom: 40, offsetSide: 30 });
  await failing(page, 'theme-options', async () => {
    // Before the bundle: the loader's launcher is already where the options put it.
    const before = await geometry(page);
    assert.equal(before.launcherBottom, 40);
    assert.equal(before.launcherRight, 30);
    assert.match(before.font, /Georgia/);
    await openWidget(page);
    const open = await geometry(page);
    assert.deepEqual([open.launcherBottom, open.launcherRight, open.panelRadius], [40, 30, '4px'], 'nothing moved');
    assert.match(open.font, /Georgia/);
  });

  await channelTheme(t, { font_family: '"Courier New", monospace', corner_radius: 0, offset_bottom: 10, offset_side: 12 });
  const themed = await chatPage(t, { fontFamily: 'Georgia, serif', offsetBottom: 40 });
  await failing(themed, 'theme-channel', async () => {
    await openWidget(themed);
    const g = await geometry(themed);
    assert.deepEqual([g.launcherBottom, g.launcherRight, g.panelRadius], [10, 12, '0px']);
    assert.match(g.font, /Courier New/);
  });

  // The API refuses what could break out of the CSS, and out-of-range numbers.
  const { status, body } = await server.request('PUT', '/api/v1/channels/demo', {
    key: server.key,
    body: { ...original, theme: { ...original.theme, font_family: 'x;background:red', corner_radius: 99, offset_side: 500 } },
  });
  assert.equal(status, 422);
  const pointers = body.errors.map((e) => e.pointer).sort();
  assert.deepEqual(pointers, ['/theme/corner_radius', '/theme/font_family', '/theme/offset_side']);
});

test('proactive message: shown after its delay, pressing it opens the panel, × dismisses it for good', { timeout: 120_000 }, async (t) => {
  await channelTheme(t, { proactive_message: { text: 'Need help choosing a bouquet?', delay_seconds: 2 } });
  // With a delay the bundle loads when the message is due, without intent.
  const page = await chatPage(t, { proactiveDelay: 2 });
  await failing(page, 'proactive-open', async () => {
    const bubble = page.locator('.parlo-proactive');
    await bubble.waitFor({ timeout: 20_000 });
    const shownAt = await page.evaluate(() => performance.now());
    assert.ok(shownAt >= 2000, `shown after ${shownAt} ms`);
    assert.equal(await bubble.locator('.parlo-proactive__text').textContent(), 'Need help choosing a bouquet?');
    await bubble.locator('.parlo-proactive__text').click();
    await page.locator(sel.panel).waitFor();
    assert.equal(await bubble.count(), 0, 'hidden while the panel is open');
    await page.locator(sel.composer).press('Escape');
    await page.locator(sel.panel).waitFor({ state: 'detached' });
    assert.equal(await bubble.count(), 0, 'not shown again once opened');
  });

  // The page's own text, at once; dismissed, it stays away after a reload.
  const other = await chatPage(t, { proactiveMessage: 'Free delivery today!', proactiveDelay: 0 });
  await failing(other, 'proactive-dismiss', async () => {
    const bubble = other.locator('.parlo-proactive');
    await bubble.filter({ hasText: 'Free delivery today!' }).waitFor({ timeout: 20_000 });
    await bubble.getByRole('button', { name: 'Dismiss' }).click();
    await bubble.waitFor({ state: 'detached' });
    await other.reload();
    await other.waitForFunction(() => window.chat);
    await other.evaluate(() => new Promise((ready) => window.chat.on('ready', ready)));
    await other.waitForTimeout(1500);
    assert.equal(await bubble.count(), 0, 'a dismissed message does not come back');
  });

  // Reduced motion: the bubble appears without its slide-in animation.
  const still = await chatPage(t, { proactiveMessage: 'Hello there', proactiveDelay: 0 }, { reducedMotion: 'reduce' });
  await failing(still, 'proactive-still', async () => {
    const bubble = still.locator('.parlo-proactive');
    await bubble.waitFor({ timeout: 20_000 });
    assert.equal(await bubble.evaluate((el) => getComputedStyle(el).animationName), 'none');
  });
  const moving = await chatPage(t, { proactiveMessage: 'Hello there', proactiveDelay: 0 });
  await moving.locator('.parlo-proactive').waitFor({ timeout: 20_000 });
  assert.equal(await moving.locator('.parlo-proactive').evaluate((el) => getComputedStyle(el).animationName), 'parlo-in');
});

test('sound: one beep when an agent writes while the panel is closed, none without the option', { timeout: 120_000 }, async (t) => {
  for (const sound of [true, false]) {
    const { context, page } = await newPage(browser);
    t.after(() => context.close());
    // Count the tones the page starts (no audio device here).
    await page.addInitScript(() => {
      window.tones = 0;
      const start = OscillatorNode.prototype.start;
      OscillatorNode.prototype.start = function (...args) {
        window.tones++;
        return start.apply(this, args);
      };
    });
    await page.route(`${server.url}/sound.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><body><script type="module">
          import { init } from '/pkg/loader.js';
          window.chat = init(${JSON.stringify({ channel: 'demo', sound })});
          window.chat.on('unread', (n) => (window.unread = n));
        </script></body></html>`,
      }),
    );
    await page.goto(`${server.url}/sound.html`);
    await failing(page, `sound-${sound}`, async () => {
      await openWidget(page);
      await page.locator(sel.bot).first().waitFor({ timeout: 15_000 });
      await page.locator(sel.composer).press('Escape');
      await page.locator(sel.panel).waitFor({ state: 'detached' });
      const { subscriber_id: id } = await server.session(await sessionToken(page));
      await server.ok('POST', `/api/v1/subscribers/${id}/messages`, { key: server.key, body: { text: 'Sam here.' } });
      await page.waitForFunction(() => window.unread === 1, null, { timeout: 15_000 });
      assert.equal(await page.evaluate(() => window.tones), sound ? 1 : 0);
    });
  }
});
