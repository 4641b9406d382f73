// Languages: the widget speaks the page's language (`<html lang>`), `setLocale` switches it,
// an owner's own text for a language wins over the built-in one, an Arabic page mirrors the
// panel (right to left; screenshot in docs/rtl.png), and a lead form on a Spanish page shows
// its own texts and field checks in Spanish.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launchBrowser, newPage, saveFailureScreenshot } from './lib/browser.mjs';
import { docsDir } from './lib/env.mjs';
import { formReady, formSel, servePage } from './lib/forms.mjs';
import { ParloServer } from './lib/server.mjs';
import { botSays, sel } from './lib/widget.mjs';

let server;
let browser;

before(async () => {
  server = await ParloServer.start({ name: 'locale' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

/** A page of the server's origin in language `lang` with the demo chat (`window.chat`). */
async function chatPage(t, lang, options = {}) {
  const { context, page } = await newPage(browser, { locale: 'en-US' });
  t.after(() => context.close());
  await servePage(
    page,
    server,
    '/locale.html',
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>Bloom & Brew</title></head>
    <body><h1>Bloom & Brew</h1><script type="module">
      import { init } from '/pkg/loader.js';
      window.chat = init(${JSON.stringify({ channel: 'demo', ...options })});
    </script></body></html>`,
  );
  await page.goto(`${server.url}/locale.html`);
  return page;
}

/** Opens the panel with the launcher, whatever language it speaks. */
async function open(page) {
  await page.locator('.parlo-launcher').click({ timeout: 20_000 });
  await page.locator(sel.panel).waitFor({ state: 'visible', timeout: 20_000 });
  await page.locator('[data-parlo-status="online"]').waitFor({ timeout: 15_000 });
}

/** What a visitor reads (or hears) of the open widget's own texts. */
const texts = (page) =>
  page.locator('.parlo').evaluate((root) => {
    const q = (s) => root.querySelector(s);
    return {
      lang: root.getAttribute('lang'),
      placeholder: q('textarea').getAttribute('placeholder'),
      composer: q('textarea').getAttribute('aria-label'),
      send: q('.parlo-send').getAttribute('aria-label'),
      close: q('.parlo-header > .parlo-close').getAttribute('aria-label'),
      log: q('[role=log]').getAttribute('aria-label'),
      launcher: q('.parlo-launcher').getAttribute('aria-label'),
    };
  });

async function failing(page, name, run) {
  try {
    await run();
  } catch (error) {
    await saveFailureScreenshot(page, `locale-${name}`);
    throw new Error(`${error.message}\n${page.problems.join('\n')}`, { cause: error });
  }
}

test('a German page gets the German widget, and setLocale("fr") switches it to French', { timeout: 120_000 }, async (t) => {
  const page = await chatPage(t, 'de-AT');
  await failing(page, 'de', async () => {
    await open(page);
    assert.deepEqual(await texts(page), {
      lang: 'de',
      placeholder: 'Nachricht schreiben…',
      composer: 'Nachricht',
      send: 'Senden',
      close: 'Chat schließen',
      log: 'Nachrichten',
      launcher: 'Chat schließen',
    });
    assert.equal(await page.locator('.parlo').getAttribute('dir'), null, 'German runs left to right');

    await page.evaluate(() => window.chat.setLocale('fr'));
    await page.locator('textarea[placeholder="Écrivez un message…"]').waitFor({ timeout: 15_000 });
    assert.deepEqual(await texts(page), {
      lang: 'fr',
      placeholder: 'Écrivez un message…',
      composer: 'Message',
      send: 'Envoyer',
      close: 'Fermer la discussion',
      log: 'Messages',
      launcher: 'Fermer la discussion',
    });
    // The conversation goes on in the switched widget.
    await botSays(page, 'Welcome to Bloom & Brew');
  });
});

test('setLocale before the bundle loads and the locale option both choose the language', { timeout: 120_000 }, async (t) => {
  const page = await chatPage(t, 'en', { locale: 'es-MX' });
  await failing(page, 'queued', async () => {
    await page.evaluate(() => window.chat.setLocale('de'));
    await open(page);
    assert.equal((await texts(page)).send, 'Senden');
    const spanish = await chatPage(t, 'en', { locale: 'es-MX' });
    await open(spanish);
    assert.equal((await texts(spanish)).placeholder, 'Escribe un mensaje…');
  });
});

test("an owner's own text for a language shows instead of the built-in one", { timeout: 120_000 }, async (t) => {
  const channel = await server.ok('GET', '/api/v1/channels/demo', { key: server.key });
  const own = 'Ihre Frage an Bloom & Brew…';
  await server.ok('PUT', '/api/v1/channels/demo', {
    key: server.key,
    body: { ...channel, strings: { de: { 'widget.composer.placeholder': own } } },
  });
  t.after(() => server.ok('PUT', '/api/v1/channels/demo', { key: server.key, body: channel }));
  const page = await chatPage(t, 'de');
  await failing(page, 'override', async () => {
    await open(page);
    const shown = await texts(page);
    assert.equal(shown.placeholder, own);
    assert.equal(shown.send, 'Senden', 'the other texts stay the catalogue’s');
  });
});

test('an Arabic page renders the widget right to left, launcher in the owner’s corner', { timeout: 120_000 }, async (t) => {
  const page = await chatPage(t, 'ar');
  await failing(page, 'ar', async () => {
    await open(page);
    const root = page.locator('.parlo');
    assert.equal(await root.getAttribute('dir'), 'rtl');
    assert.equal(await root.getAttribute('lang'), 'ar');
    assert.equal(await page.locator(sel.panel).evaluate((p) => getComputedStyle(p).direction), 'rtl');
    assert.equal((await texts(page)).placeholder, 'اكتب رسالة…');
    assert.equal(await page.locator('.parlo-header__status').textContent(), 'متصل');

    await botSays(page, 'Welcome to Bloom & Brew');
    const composer = page.locator('textarea');
    await composer.fill('مرحبا، هل تفتحون يوم الأحد؟');
    await composer.press('Enter');
    const visitor = page.locator(sel.visitor).last();
    await visitor.waitFor();
    // Mirrored content: the visitor's bubble sits on the left, the bot's on the right; the
    // launcher and the panel stay bottom right, as the channel's position says.
    const log = await page.locator(sel.log).boundingBox();
    const mine = await visitor.locator('.parlo-msg__text').boundingBox();
    const bot = await page.locator(sel.bot).first().locator('.parlo-msg__text').boundingBox();
    assert.ok(mine.x - log.x < 40, `visitor bubble at the left: ${mine.x} in ${log.x}..`);
    assert.ok(log.x + log.width - (bot.x + bot.width) < 40, 'bot bubble at the right');
    const launcher = await page.locator('.parlo-launcher').boundingBox();
    assert.ok(launcher.x > 1280 / 2, 'the launcher stays bottom right');
    await page.screenshot({ path: join(docsDir, 'rtl.png') });
  });
});

test('a lead form on a Spanish page shows its texts and field checks in Spanish', { timeout: 120_000 }, async (t) => {
  const { context, page } = await newPage(browser, { locale: 'en-US' });
  t.after(() => context.close());
  await servePage(
    page,
    server,
    '/formulario.html',
    `<!doctype html><html lang="es-ES"><head><meta charset="utf-8"><title>Presupuesto</title>
    <script type="module" async src="/embed.js"></script></head>
    <body><h1>Pide un presupuesto</h1><parlo-form form="quote"></parlo-form></body></html>`,
  );
  await page.goto(`${server.url}/formulario.html`);
  await failing(page, 'form-es', async () => {
    await formReady(page);
    assert.equal(await page.locator(formSel.form).getAttribute('lang'), 'es');
    assert.equal(await page.locator(`${formSel.input('service')} option`).first().textContent(), 'Elige…');
    await page.locator(formSel.submit).click();
    await page.locator(formSel.error('name')).waitFor();
    assert.equal(await page.locator(formSel.error('name')).textContent(), 'Este campo es obligatorio.');
    assert.equal(await page.locator(formSel.error('service')).textContent(), 'Elige una opción.');
    assert.equal(await page.locator(formSel.error('consent')).textContent(), 'Marca esta casilla para continuar.');
    await page.locator(formSel.input('email')).fill('ana@');
    await page.locator(formSel.input('email')).blur();
    assert.equal(
      await page.locator(formSel.error('email')).textContent(),
      'Introduce un correo electrónico como nombre@ejemplo.com.',
    );
  });
});
