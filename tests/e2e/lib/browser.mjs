// Launches Debian's Chromium through playwright-core (no browser download).

import { chromium } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { artifactsDir, chromiumPath, docsDir } from './env.mjs';

/** Flags that keep headless Chromium quiet and working as root on a closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** A headless Chromium. */
export function launchBrowser() {
  return chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, headless: true });
}

/**
 * A fresh context and page; page errors and console errors are collected in `page.problems`
 * (a list of strings) so failures can show them.
 */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') page.problems.push(`console.error: ${message.text()}`);
  });
  page.on('requestfailed', (request) => {
    page.problems.push(`requestfailed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  return { context, page };
}

/**
 * `page.problems` without the requests a widget aborts when it is unmounted or mounted again
 * (`destroy()`, `Parlo.setUser`): its event stream and any read report still in flight — the
 * next session reports what the visitor has seen again, so nothing is lost.
 */
export function problemsBesidesRemount(page) {
  return page.problems.filter((p) => !/^requestfailed: (GET \S+\/events\?\S*|POST \S+\/read) net::ERR_ABORTED$/.test(p));
}

/** Saves a screenshot of `page` as `tests/e2e/artifacts/<name>.png` (best effort). */
export async function saveFailureScreenshot(page, name) {
  try {
    mkdirSync(artifactsDir, { recursive: true });
    await page.screenshot({ path: join(artifactsDir, `${name}.png`) });
  } catch {
    // The page may already be gone.
  }
}

/**
 * Keeps a screenshot of `page` as `docs/<file>` for the README when it is missing or when
 * `PARLO_UPDATE_SCREENSHOT=1`; waits half a second first so entrance animations settle.
 * `options` go to Playwright's `page.screenshot` (e.g. `{ fullPage: true }`).
 */
export async function keepDocsScreenshot(page, file, options = {}) {
  const path = join(docsDir, file);
  if (process.env.PARLO_UPDATE_SCREENSHOT !== '1' && existsSync(path)) return;
  mkdirSync(docsDir, { recursive: true });
  await page.waitForTimeout(500);
  await page.screenshot({ path, ...options });
}
