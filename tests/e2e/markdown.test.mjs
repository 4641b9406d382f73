// Bot and agent messages show their Markdown subset (bold, italic, code, links, lists, line
// breaks, auto-links) — and hostile text sent as agent messages through the management API
// (script tags, event handlers, `javascript:` URLs in every spelling) runs nothing and makes
// no link other than http(s), mailto and tel, each opened in a new tab without an opener.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { ParloServer } from './lib/server.mjs';
import { botSays, openWidget, sel, sessionToken } from './lib/widget.mjs';

let server;
let browser;

before(async () => {
  server = await ParloServer.start({ name: 'markdown' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

/** Code that marks the page as compromised if it ever runs. */
const PWN = 'window.__pwned=(window.__pwned||0)+1';

/** Ways to write the scheme `javascript:` (and its cousins) that browsers may still accept. */
const SCHEMES = [
  'javascript:', 'JAVASCRIPT:', 'JaVaScRiPt:', ' javascript:', 'java\tscript:', 'java\nscript:',
  'java\rscript:', '\u0001javascript:', '\u0000javascript:', 'javascript\u0000:', '&#106;avascript:',
  '&#x6A;avascript:', '&#0000106;avascript:', 'javascript&colon;', 'jav&#x09;ascript:', 'jav&#10;ascript:',
  'javascript%3A', 'java\u00adscript:', 'ja\u200bvascript:', '\u2028javascript:', 'vbscript:', 'livescript:',
  'data:text/html,<script>' + PWN + '</script>#', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==#',
  '\\u006aavascript:', '\\x6aavascript:',
];

/** The hostile strings: each scheme in several link shapes, then HTML and Markdown tricks. */
function hostile() {
  const strings = [];
  for (const scheme of SCHEMES) {
    const url = `${scheme}${PWN}`;
    strings.push(`[click me](${url})`, `<${url}>`, `[x]( ${url} )`, `see ${url} now`);
  }
  strings.push(
    `<script>${PWN}</script>`,
    `<SCRIPT SRC=data:,${PWN}></SCRIPT>`,
    `<img src=x onerror="${PWN}">`,
    `<svg onload="${PWN}"></svg>`,
    `<svg><script>${PWN}</script></svg>`,
    `<iframe src="javascript:${PWN}"></iframe>`,
    `<iframe srcdoc="<script>parent.${PWN}</script>"></iframe>`,
    `<body onload="${PWN}">`,
    `<a href="javascript:${PWN}">html link</a>`,
    `<details open ontoggle="${PWN}">`,
    `<math><mtext><table><mglyph><style><img src=x onerror="${PWN}">`,
    `<object data="javascript:${PWN}"></object>`,
    `<embed src="javascript:${PWN}">`,
    `<input autofocus onfocus="${PWN}">`,
    `<video><source onerror="${PWN}"></video>`,
    `<style>@import "javascript:${PWN}";</style>`,
    `<meta http-equiv="refresh" content="0;url=javascript:${PWN}">`,
    `**<img src=x onerror="${PWN}">**`,
    `_<script>${PWN}</script>_`,
    `\`<img src=x onerror="${PWN}">\``,
    `[<img src=x onerror="${PWN}">](https://example.com/)`,
    `[ok](https://example.com/" onmouseover="${PWN})`,
    `[ok](https://example.com/'onclick='${PWN})`,
    `[ok](https://example.com/><script>${PWN}</script>)`,
    `https://example.com/"><img src=x onerror="${PWN}">`,
    `- <img src=x onerror="${PWN}">\n- [a](javascript:${PWN})`,
    `1. <script>${PWN}</script>`,
    `\\<script>${PWN}\\</script>`,
    `&lt;script&gt;${PWN}&lt;/script&gt;`,
    `[[nested](javascript:${PWN})](https://example.com/)`,
    `[x](mailto:a@b.example?body=<script>${PWN}</script>)`,
    `[x](tel:+1"onclick="${PWN})`,
    `{{constructor.constructor('${PWN}')()}}`,
    `\${${PWN}}`,
  );
  return strings;
}

/** Opens the demo chat on `page`; returns the visitor's subscriber id, for agent messages. */
async function chatWithAgent(page) {
  await page.goto(`${server.url}/`);
  await openWidget(page);
  await botSays(page, 'Welcome to Bloom & Brew');
  return (await server.session(await sessionToken(page))).subscriber_id;
}

test('Markdown renders as formatted text with safe links', { timeout: 120_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  try {
    const id = await chatWithAgent(page);
    const text = '**Fresh** today, _really_: `oat latte`.\nSee [our menu](https://example.com/menu) or https://example.com/shop.\n\n- buns\n- cake\n\n1. order\n2. enjoy\nCall [us](tel:+441234567) or [mail](mailto:hi@example.com)';
    await server.ok('POST', `/api/v1/subscribers/${id}/messages`, { key: server.key, body: { text } });
    const bubble = page.locator('.parlo-msg--agent .parlo-msg__text').last();
    await bubble.waitFor({ timeout: 15_000 });
    const shown = await bubble.evaluate((el) => ({
      strong: [...el.querySelectorAll('strong')].map((e) => e.textContent),
      em: [...el.querySelectorAll('em')].map((e) => e.textContent),
      code: [...el.querySelectorAll('code')].map((e) => e.textContent),
      links: [...el.querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('href'), a.target, a.rel]),
      ul: [...el.querySelectorAll('ul > li')].map((e) => e.textContent),
      ol: [...el.querySelectorAll('ol > li')].map((e) => e.textContent),
      breaks: el.querySelectorAll('br').length,
      paragraphs: el.querySelectorAll('p').length,
      bold: getComputedStyle(el.querySelector('strong')).fontWeight,
    }));
    const nw = ['_blank', 'noopener noreferrer'];
    assert.deepEqual(shown, {
      strong: ['Fresh'],
      em: ['really'],
      code: ['oat latte'],
      links: [
        ['our menu', 'https://example.com/menu', ...nw],
        ['https://example.com/shop', 'https://example.com/shop', ...nw],
        ['us', 'tel:+441234567', ...nw],
        ['mail', 'mailto:hi@example.com', ...nw],
      ],
      ul: ['buns', 'cake'],
      ol: ['order', 'enjoy'],
      breaks: 1,
      paragraphs: 2,
      bold: '700',
    });
  } catch (error) {
    await saveFailureScreenshot(page, 'markdown');
    throw error;
  }
});

test('hostile agent messages execute nothing and make no unsafe link', { timeout: 300_000 }, async (t) => {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  const strings = [];
  try {
    const id = await chatWithAgent(page);
    for (const text of hostile()) {
      // The API may refuse a text outright (e.g. one with a NUL): then it never reaches anyone.
      const { status } = await server.request('POST', `/api/v1/subscribers/${id}/messages`, { key: server.key, body: { text } });
      if (status < 300) strings.push(text);
      else assert.ok(status >= 400 && status < 500, `${status} for ${JSON.stringify(text)}`);
    }
    assert.ok(strings.length >= 100, `${strings.length} hostile strings delivered`);
    await page.waitForFunction((n) => {
      const host = document.querySelector('[data-parlo-widget]');
      return host.shadowRoot.querySelectorAll('.parlo-msg--agent').length >= n;
    }, strings.length, { timeout: 60_000 });

    // Every message is shown, as text where it is not Markdown.
    const texts = await page.locator('.parlo-msg--agent').evaluateAll((els) => els.map((e) => e.textContent));
    assert.equal(texts.length, strings.length);
    assert.ok(texts.includes(`<script>${PWN}</script>`), 'a script tag is shown as text');

    // Hover and focus everything, then look at what the messages made.
    for (const link of await page.locator('.parlo-msg--agent a').all()) await link.hover();
    await page.waitForTimeout(500);
    const made = await page.locator(sel.log).evaluate((log) => {
      const all = [...log.querySelectorAll('.parlo-msg--agent *')];
      return {
        tags: [...new Set(all.map((e) => e.localName))].sort(),
        handlers: all.flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${e.localName} ${a.name}`)),
        links: [...log.querySelectorAll('.parlo-msg--agent a')].map((a) => ({
          protocol: new URL(a.href).protocol,
          raw: a.getAttribute('href'),
          target: a.target,
          rel: a.rel,
          attributes: [...a.attributes].map((x) => x.name).sort(),
        })),
      };
    });
    const allowed = ['a', 'br', 'code', 'div', 'em', 'li', 'ol', 'p', 'strong', 'ul'];
    assert.deepEqual(made.tags.filter((tag) => !allowed.includes(tag)), [], `only Markdown's elements: ${made.tags}`);
    assert.deepEqual(made.handlers, []);
    assert.ok(made.links.length > 0, 'the safe links are links');
    for (const link of made.links) {
      assert.ok(['http:', 'https:', 'mailto:', 'tel:'].includes(link.protocol), JSON.stringify(link));
      assert.match(link.raw, /^(https?:\/\/|mailto:|tel:)\S+$/i, JSON.stringify(link));
      assert.equal(link.target, '_blank');
      assert.equal(link.rel, 'noopener noreferrer');
      assert.deepEqual(link.attributes, ['href', 'rel', 'target']);
    }
    assert.equal(await page.evaluate(() => window.__pwned ?? 0), 0, 'no hostile code ran');
    assert.deepEqual(dialogs, []);
  } catch (error) {
    await saveFailureScreenshot(page, 'markdown-hostile');
    throw new Error(`${error.message}\n${page.problems.join('\n')}`, { cause: error });
  }
});
