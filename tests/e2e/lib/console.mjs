// Helpers of the owner console's end-to-end tests.

import { after, before } from 'node:test';
import { launchBrowser, saveFailureScreenshot } from './browser.mjs';
import { ParloServer } from './server.mjs';

/** Opens the console at `url` in `page` and logs in as `email` with `password`. */
export async function logIn(page, url, email, password) {
  await page.goto(url);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Runs `body()`; on failure keeps screenshots `<name>-<i>` of `pages` and their errors. */
export async function withPages(pages, name, body) {
  try {
    await body();
  } catch (error) {
    for (const [i, page] of pages.entries()) await saveFailureScreenshot(page, `${name}-${i}`);
    throw new Error(`${error.message}\n${pages.flatMap((p) => p.problems).join('\n')}`, { cause: error });
  }
}

/**
 * The setup every console test file shares, as its `before` and `after` hooks: a server
 * `name` with a console user `email` (password `password`) who owns the demo workspace, and a
 * Chromium, handed to `ready(server, browser)` once started; both are gone after the tests.
 * Returns `logIn(page, path = '/console')`, which opens the console at `path` and logs in,
 * and `withPages(pages, label, body)`, which keeps screenshots `<name>-<label>-<i>` of `pages`
 * and their errors when `body()` fails.
 */
export function consoleSuite(name, email, password, ready) {
  let server;
  let browser;
  before(async () => {
    server = await ParloServer.start({ name });
    await server.createUser(email, password, { ownsDemo: true });
    browser = await launchBrowser();
    ready(server, browser);
  });
  after(async () => {
    await browser?.close();
    await server?.dispose();
  });
  return {
    logIn: (page, path = '/console') => logIn(page, `${server.url}${path}`, email, password),
    withPages: (pages, label, body) => withPages(pages, `${name}-${label}`, body),
  };
}
