// Helpers of the owner console's end-to-end tests.

import { saveFailureScreenshot } from './browser.mjs';

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
