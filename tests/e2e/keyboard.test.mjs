// Keyboard only, on the demo page: Tab reaches the launcher, Enter opens the panel with focus in
// the composer, typing + Enter sends, (Shift+)Tab reaches the bot's buttons, Enter presses one,
// Esc closes the panel and focus returns to the launcher. No mouse event at all.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { ParloServer } from './lib/server.mjs';
import { botSays, sel, until } from './lib/widget.mjs';

let server;
let browser;

before(async () => {
  server = await ParloServer.start({ name: 'keyboard' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

/** The focused element, followed into open shadow roots: `{ tag, label, text, inWidget }`. */
function focused(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    let inWidget = false;
    while (el?.shadowRoot?.activeElement) {
      inWidget ||= el.hasAttribute('data-parlo-widget');
      el = el.shadowRoot.activeElement;
    }
    inWidget ||= !!el?.closest?.('[data-parlo-widget]');
    return {
      tag: el?.tagName?.toLowerCase() ?? null,
      label: el?.getAttribute?.('aria-label') ?? null,
      text: (el?.textContent ?? '').trim().slice(0, 60),
      inWidget,
    };
  });
}

/** Presses `key` until `accept(focused)` holds (at most `max` times); returns the focused element. */
async function pressUntil(page, key, accept, { max = 80, what }) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const now = await focused(page);
    if (accept(now)) return now;
    seen.push(now.label || now.text || now.tag);
  }
  throw new Error(`${what}: not reached with ${max} × ${key}; focus went through: ${seen.join(' | ')}`);
}

const BOT_BUTTONS = ['Opening hours', 'Get our newsletter', 'See the menu', 'Delivery'];

test('keyboard only: launcher, composer, send, a bot button, Esc back to the launcher', { timeout: 120_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  try {
    await page.goto(`${server.url}/`);
    await page.locator(sel.launcher).waitFor({ state: 'visible', timeout: 20_000 });

    // Tab through the page to the launcher (it comes after the page's own links).
    await pressUntil(page, 'Tab', (f) => f.inWidget && f.label === 'Open chat', { what: 'the launcher' });

    // Enter opens the panel and puts the focus in the composer.
    await page.keyboard.press('Enter');
    await page.locator(sel.panel).waitFor({ state: 'visible', timeout: 20_000 });
    await until(() => focused(page), (f) => f.inWidget && f.tag === 'textarea' && f.label === 'Message', {
      what: 'focus in the composer after opening',
    });
    await botSays(page, 'Welcome to Bloom & Brew');

    // Typing and Enter send the message; the bot answers.
    await page.keyboard.type('What are your opening hours?');
    await page.keyboard.press('Enter');
    await page.locator(sel.visitor).filter({ hasText: 'What are your opening hours?' }).waitFor({ state: 'visible' });
    await botSays(page, /we're open monday/i);
    assert.equal(await page.locator(sel.composer).inputValue(), '', 'the composer is emptied after sending');
    const focusAfterSend = await focused(page);
    assert.equal(focusAfterSend.label, 'Message', 'focus stays in the composer after sending');

    // The bot's buttons (quick replies under the last message) are reachable from the composer
    // by Shift+Tab (they come before it in the panel), and Enter presses one.
    const button = await pressUntil(page, 'Shift+Tab', (f) => f.inWidget && f.tag === 'button' && BOT_BUTTONS.includes(f.text), {
      max: 15,
      what: 'a bot button',
    });
    const botsBefore = await page.locator(sel.bot).count();
    await page.keyboard.press('Enter');
    await page.locator(sel.visitor).filter({ hasText: button.text }).waitFor({ state: 'visible', timeout: 15_000 });
    await until(() => page.locator(sel.bot).count(), (n) => n > botsBefore, { what: `a bot answer to "${button.text}"` });
    // The pressed quick reply is gone with its row; the focus went to the composer.
    assert.equal((await focused(page)).label, 'Message', 'focus in the composer after pressing a quick reply');

    // Esc closes the panel and gives the focus back to the launcher.
    await page.keyboard.press('Escape');
    await page.locator(sel.panel).waitFor({ state: 'hidden', timeout: 5_000 });
    await until(() => focused(page), (f) => f.inWidget && f.label === 'Open chat', { what: 'focus back on the launcher after Esc' });
    assert.deepEqual(page.problems, [], 'no page errors');
  } catch (error) {
    await saveFailureScreenshot(page, 'keyboard-failure');
    error.message += `\nfocused: ${JSON.stringify(await focused(page).catch(() => null))}\npage problems:\n${page.problems.join('\n')}`;
    throw error;
  }
});

/** Opens the panel by keyboard and sends the hours question; leaves the focus in the composer. */
async function openAndAskHours(page) {
  await page.goto(`${server.url}/`);
  await page.locator(sel.launcher).waitFor({ state: 'visible', timeout: 20_000 });
  await pressUntil(page, 'Tab', (f) => f.inWidget && f.label === 'Open chat', { what: 'the launcher' });
  await page.keyboard.press('Enter');
  await until(() => focused(page), (f) => f.label === 'Message', { what: 'focus in the composer' });
  await page.keyboard.type('What are your opening hours?');
  await page.keyboard.press('Enter');
  await botSays(page, /we're open monday/i);
}

test('keyboard only: after pressing a quick reply the focus stays in the panel and Esc closes it', {
  timeout: 60_000,
}, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  await openAndAskHours(page);
  await pressUntil(page, 'Shift+Tab', (f) => f.inWidget && f.tag === 'button' && BOT_BUTTONS.includes(f.text), {
    max: 15,
    what: 'a bot button',
  });
  const botsBefore = await page.locator(sel.bot).count();
  await page.keyboard.press('Enter');
  await until(() => page.locator(sel.bot).count(), (n) => n > botsBefore, { what: 'a bot answer' });
  const after = await focused(page);
  await page.keyboard.press('Escape');
  const closed = await page.locator(sel.panel).waitFor({ state: 'hidden', timeout: 3_000 }).then(() => true, () => false);
  t.diagnostic(`focus after pressing the quick reply: ${after.inWidget ? after.label || after.text : `<${after.tag}> (outside the widget)`}; Esc ${closed ? 'closed' : 'did not close'} the panel`);
  assert.ok(after.inWidget, `focus in the widget after pressing a quick reply: ${JSON.stringify(after)}`);
  assert.ok(closed, 'Esc closes the panel');
});
