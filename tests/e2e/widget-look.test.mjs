// How the widget looks: light, dark, or following the visitor's colour scheme; the launcher
// label and the business hours set through the channels API (the header says "Away" and
// shows the away message instead of the greeting).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { ParloServer } from './lib/server.mjs';
import { botSays, openWidget, sel } from './lib/widget.mjs';

let server;
let browser;

before(async () => {
  server = await ParloServer.start({ name: 'widget-look' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

/** A page of the server's origin with the demo chat, `init` given `options`. */
async function chatPage(t, options, colorScheme) {
  const { context, page } = await newPage(browser, { colorScheme });
  t.after(() => context.close());
  await page.route(`${server.url}/look.html`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><body><script type="module">
        import { init } from '/pkg/loader.js';
        window.chat = init(${JSON.stringify({ channel: 'demo', ...options })});
      </script></body></html>`,
    }),
  );
  await page.goto(`${server.url}/look.html`);
  return page;
}

/** Background and text colours of the open panel's conversation. */
const colours = (page) =>
  page.locator(sel.log).evaluate((log) => ({
    background: getComputedStyle(log).backgroundColor,
    text: getComputedStyle(log.closest('.parlo-panel')).color,
  }));
const LIGHT = { background: 'rgb(249, 250, 251)', text: 'rgb(17, 24, 39)' };
const DARK = { background: 'rgb(17, 24, 39)', text: 'rgb(243, 244, 246)' };

test('colour scheme: light by default, dark, and auto following prefers-color-scheme', { timeout: 120_000 }, async (t) => {
  for (const [options, system, expected] of [
    [{}, 'dark', LIGHT],
    [{ colorScheme: 'dark' }, 'light', DARK],
    [{ colorScheme: 'auto' }, 'light', LIGHT],
    [{ colorScheme: 'auto' }, 'dark', DARK],
  ]) {
    const page = await chatPage(t, options, system);
    try {
      await openWidget(page);
      await botSays(page, 'Welcome to Bloom & Brew');
      assert.deepEqual(await colours(page), expected, `${JSON.stringify(options)} on a ${system} system`);
      if (options.colorScheme === 'auto') {
        // The visitor switches their system's scheme: the open widget follows at once.
        await page.emulateMedia({ colorScheme: system === 'dark' ? 'light' : 'dark' });
        assert.deepEqual(await colours(page), expected === DARK ? LIGHT : DARK);
      }
    } catch (error) {
      await saveFailureScreenshot(page, `look-${options.colorScheme ?? 'default'}-${system}`);
      throw new Error(`${error.message}\n${page.problems.join('\n')}`, { cause: error });
    }
  }
});

test('launcher label and business hours from the channels API: away header and message', { timeout: 120_000 }, async (t) => {
  const channel = await server.ok('GET', '/api/v1/channels/demo', { key: server.key });
  // One opening range, on a day other than today (UTC): the channel is away now.
  const days = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
  const otherDay = days[(new Date().getUTCDay() + 3) % 7];
  const away = "We're away — back on " + otherDay + ' at 9.';
  await server.ok('PUT', '/api/v1/channels/demo', {
    key: server.key,
    body: {
      ...channel,
      theme: { ...channel.theme, launcher_label: 'Chat with us' },
      business_hours: { time_zone: 'UTC', weekly: [{ day: otherDay, open: '09:00', close: '17:00' }], away_message: away },
    },
  });
  const page = await chatPage(t, {});
  try {
    const launcher = page.locator('.parlo-launcher');
    await launcher.hover(); // intent: the bundle loads and draws the channel's launcher
    await launcher.filter({ hasText: 'Chat with us' }).waitFor({ timeout: 20_000 });
    await openWidget(page);
    const header = page.locator('.parlo-header');
    await header.locator('[data-parlo-status="online"]').waitFor({ timeout: 15_000 });
    assert.equal(await header.getAttribute('data-parlo-availability'), 'away');
    assert.equal(await header.locator('.parlo-header__status').textContent(), 'Away');
    assert.equal(await header.locator('.parlo-header__greeting').textContent(), away);
    assert.equal(await header.getByText('usually replies instantly').count(), 0);

    // Back within business hours (always open): online, and the greeting is back.
    const all = days.map((day) => ({ day, open: '00:00', close: '24:00' }));
    await server.ok('PUT', '/api/v1/channels/demo', {
      key: server.key,
      body: { ...channel, business_hours: { time_zone: 'UTC', weekly: all, away_message: away } },
    });
    const again = await chatPage(t, {});
    await openWidget(again);
    const header2 = again.locator('.parlo-header');
    await header2.locator('[data-parlo-status="online"]').waitFor({ timeout: 15_000 });
    assert.equal(await header2.getAttribute('data-parlo-availability'), 'online');
    assert.equal(await header2.locator('.parlo-header__status').textContent(), 'Online');
    assert.match(await header2.locator('.parlo-header__greeting').textContent(), /usually replies instantly/);
    await again.locator(sel.composer).press('Escape');
    await again.locator(sel.panel).waitFor({ state: 'detached' });
    assert.equal(await again.locator('.parlo-launcher').textContent(), '', 'no label any more: icon only');
  } catch (error) {
    await saveFailureScreenshot(page, 'look-hours');
    throw new Error(`${error.message}\n${page.problems.join('\n')}`, { cause: error });
  }
});
