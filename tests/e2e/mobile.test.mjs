// The widget on a phone (390×844): the open panel fills the screen, the page behind it does
// not scroll (and scrolls again once it is closed), and when the on-screen keyboard takes
// the bottom of the screen (the visual viewport shrinks, the layout viewport does not; or
// the whole viewport shrinks) the composer stays visible above it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { ParloServer } from './lib/server.mjs';
import { botSays, openWidget, sel } from './lib/widget.mjs';

let server;
let browser;

before(async () => {
  server = await ParloServer.start({ name: 'mobile' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

/** Where the composer is, and the visual viewport (its top and height in CSS pixels). */
const layout = (page) =>
  page.evaluate(() => {
    const root = document.querySelector('[data-parlo-widget]').shadowRoot;
    const composer = root.querySelector('.parlo-composer').getBoundingClientRect();
    const panel = root.querySelector('.parlo-panel').getBoundingClientRect();
    const v = visualViewport;
    return {
      composerTop: composer.top,
      composerBottom: composer.bottom,
      panel: [panel.left, panel.top, panel.width, panel.height],
      viewTop: v.offsetTop,
      viewBottom: v.offsetTop + v.height,
      innerHeight,
    };
  });

test('phone: full-screen panel, no page scroll behind it, composer above the keyboard', { timeout: 120_000 }, async (t) => {
  const { context, page } = await newPage(browser, {
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 3,
  });
  t.after(() => context.close());
  await page.route(`${server.url}/phone.html`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width,initial-scale=1">
        <title>Shop</title></head><body style="margin:0"><main style="height:4000px">A long page</main>
        <script type="module">import { init } from '/pkg/loader.js'; init({ channel: 'demo' });</script></body></html>`,
    }),
  );
  await page.goto(`${server.url}/phone.html`);
  try {
    await openWidget(page);
    await botSays(page, 'Welcome to Bloom & Brew');
    assert.deepEqual((await layout(page)).panel, [0, 0, 390, 844], 'the panel fills the screen');

    // Scrolling over the panel's header does not move the page behind it.
    const header = await page.locator('.parlo-header').boundingBox();
    await page.mouse.move(header.x + 100, header.y + 20);
    await page.mouse.wheel(0, 800);
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => scrollY), 0, 'the page did not scroll');

    // The keyboard opens. Chromium here has no on-screen keyboard; what it does to the page is
    // shrink the visual viewport while the layout viewport (where fixed elements sit) stays,
    // and a page scale does the same: the visible part becomes 527 px high.
    await page.locator(sel.composer).focus();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 1.6 });
    await page.waitForFunction(() => visualViewport.height < 600 && innerHeight === 844);
    await page.waitForTimeout(200);
    const typing = await layout(page);
    assert.ok(
      typing.composerTop >= typing.viewTop && typing.composerBottom <= typing.viewBottom + 0.5,
      `composer ${typing.composerTop}–${typing.composerBottom} inside the visible ${typing.viewTop}–${typing.viewBottom}`,
    );
    await page.locator(sel.composer).fill('Still visible');
    await page.locator(sel.composer).press('Enter');
    await page.locator(sel.visitor, { hasText: 'Still visible' }).waitFor();
    // A keyboard that resizes the whole viewport instead: the composer is at its bottom.
    await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 1 });
    await page.setViewportSize({ width: 390, height: 500 });
    await page.waitForFunction(() => visualViewport.height === 500);
    await page.waitForTimeout(200);
    const resized = await layout(page);
    assert.ok(resized.composerBottom <= 500 && resized.composerTop >= 0, `composer ${resized.composerTop}–${resized.composerBottom}`);

    // Keyboard gone, panel closed: the page scrolls again.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator(sel.composer).press('Escape');
    await page.locator(sel.panel).waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).overflow), 'visible');
    await page.mouse.wheel(0, 800);
    await page.waitForFunction(() => scrollY > 0, null, { timeout: 5_000 });
  } catch (error) {
    await saveFailureScreenshot(page, 'mobile');
    throw new Error(`${error.message}\n${page.problems.join('\n')}`, { cause: error });
  }
});
