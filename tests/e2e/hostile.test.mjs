// The widget on a host page with hostile global CSS: it must still be visible, really
// clickable, readable and working, and it must not change the host page's own styles.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { ParloServer } from './lib/server.mjs';
import { botSays, openWidget, sel, typeAndSend } from './lib/widget.mjs';

let server;
let browser;

before(async () => {
  server = await ParloServer.start({ name: 'hostile' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

/** Computed properties compared on every host-page element before and after the widget opens. */
const HOST_PROPERTIES = [
  'display', 'position', 'z-index', 'color', 'background-color', 'font-family', 'font-size',
  'font-weight', 'line-height', 'letter-spacing', 'text-transform', 'margin-top', 'padding-top',
  'border-top-width', 'box-sizing', 'visibility', 'opacity', 'transform', 'overflow-x', 'overflow-y',
  'width',
];

/** Computed properties of a bot bubble that must not depend on the host page's CSS. */
const BUBBLE_PROPERTIES = [
  'font-family', 'font-size', 'font-style', 'font-weight', 'line-height', 'letter-spacing',
  'word-spacing', 'text-transform', 'text-align', 'white-space', 'color', 'visibility', 'cursor',
];

/** Computed styles of every light-DOM element of the page except the widget's host. */
function hostStyles(page) {
  return page.evaluate(
    ({ properties, hostSelector }) => {
      const out = {};
      const elements = [document.documentElement, document.body, ...document.body.querySelectorAll('*')];
      // A stable name per element (a CSS path), so elements the widget adds shift nothing.
      const pathOf = (el) => {
        const parts = [];
        for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
          const siblings = node.parentElement ? [...node.parentElement.children].filter((c) => c.tagName === node.tagName) : [node];
          const tag = node.tagName.toLowerCase();
          parts.unshift(node.id ? `${tag}#${node.id}` : `${tag}:nth-of-type(${siblings.indexOf(node) + 1})`);
        }
        return parts.join('>');
      };
      elements.forEach((el) => {
        if (el.matches(hostSelector) || el.closest(hostSelector)) return;
        if (el.tagName === 'SCRIPT' || el.tagName === 'STYLE' || el.tagName === 'LINK') return;
        const style = getComputedStyle(el);
        const name = pathOf(el);
        out[name] = Object.fromEntries(properties.map((p) => [p, style.getPropertyValue(p)]));
      });
      return out;
    },
    { properties: HOST_PROPERTIES, hostSelector: sel.host },
  );
}

/** Computed style of the first bot bubble, and the launcher's box. */
async function widgetLook(page) {
  const bubble = await page.locator(sel.bot).first().evaluate(
    (el, properties) => Object.fromEntries(properties.map((p) => [p, getComputedStyle(el).getPropertyValue(p)])),
    BUBBLE_PROPERTIES,
  );
  return bubble;
}

/** Opens `path`, checks the launcher, opens the panel and has one exchange with the bot. */
async function chatOn(page, path) {
  await page.goto(`${server.url}${path}`);
  const launcher = page.locator(sel.launcher);
  await launcher.waitFor({ state: 'visible', timeout: 20_000 });
  const box = await launcher.boundingBox();
  const stylesBefore = await hostStyles(page);
  await openWidget(page); // a real click: fails if anything covers the launcher
  await botSays(page, 'Welcome to Bloom & Brew');
  await typeAndSend(page, 'What are your opening hours?');
  await botSays(page, /we're open monday/i);
  const stylesAfter = await hostStyles(page);
  const panel = await page.locator(sel.panel).boundingBox();
  return { box, panel, stylesBefore, stylesAfter, bubble: await widgetLook(page) };
}

/** The differences between two `hostStyles` snapshots, as readable lines. */
function styleChanges(before, after) {
  const changes = [];
  for (const [element, properties] of Object.entries(before)) {
    for (const [property, value] of Object.entries(properties)) {
      const now = after[element]?.[property];
      if (now !== value) changes.push(`${element} ${property}: ${value} → ${now}`);
    }
  }
  return changes;
}

test('on a page with hostile CSS the widget is visible, clickable, readable and leaks no CSS', { timeout: 120_000 }, async (t) => {
  const reference = await newPage(browser);
  const hostile = await newPage(browser);
  t.after(() => Promise.all([reference.context.close(), hostile.context.close()]));
  try {
    const normal = await chatOn(reference.page, '/');
    const attacked = await chatOn(hostile.page, '/hostile.html');
    const viewport = hostile.page.viewportSize();

    // The launcher sits in the bottom-right corner, at its normal size despite `html { font-size: 40px }`.
    assert.ok(attacked.box, 'launcher has a box');
    assert.ok(attacked.box.x + attacked.box.width <= viewport.width && attacked.box.y + attacked.box.height <= viewport.height,
      `launcher inside the viewport: ${JSON.stringify(attacked.box)}`);
    assert.ok(attacked.box.x > viewport.width / 2 && attacked.box.y > viewport.height / 2,
      `launcher in the bottom-right quadrant: ${JSON.stringify(attacked.box)}`);
    for (const dimension of ['width', 'height']) {
      const ratio = attacked.box[dimension] / normal.box[dimension];
      assert.ok(ratio > 0.9 && ratio < 1.1,
        `launcher ${dimension} ${attacked.box[dimension]} px, ${normal.box[dimension]} px on the demo page`);
    }
    // The open panel fits in the viewport and has the same size as on the demo page.
    assert.ok(attacked.panel && attacked.panel.y >= 0 && attacked.panel.y + attacked.panel.height <= viewport.height,
      `panel inside the viewport: ${JSON.stringify(attacked.panel)}`);
    assert.ok(Math.abs(attacked.panel.width - normal.panel.width) <= normal.panel.width * 0.1,
      `panel width ${attacked.panel.width} px, ${normal.panel.width} px on the demo page`);

    // Inherited host styles (uppercase, 40px root font, Comic Sans, letter-spacing…) do not reach the bubbles.
    assert.deepEqual(attacked.bubble, normal.bubble, 'a bot bubble looks the same as on the demo page');

    // Opening and using the widget changed no host element's style, on either page.
    assert.deepEqual(styleChanges(attacked.stylesBefore, attacked.stylesAfter), [], 'hostile page styles unchanged');
    assert.deepEqual(styleChanges(normal.stylesBefore, normal.stylesAfter), [], 'demo page styles unchanged');

    // Exactly one widget on each page.
    assert.equal(await hostile.page.locator(sel.host).count(), 1);
    assert.equal(await reference.page.locator(sel.host).count(), 1);
  } catch (error) {
    await saveFailureScreenshot(hostile.page, 'hostile-failure');
    error.message += `\npage problems:\n${hostile.page.problems.join('\n')}`;
    throw error;
  }
});
