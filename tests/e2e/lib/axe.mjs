// Accessibility checks with axe-core (npm `axe-core`), run inside the page under test.

import { createRequire } from 'node:module';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * The serious and critical violations axe-core finds in `page` (a playwright-core page), one
 * line each: rule id, impact, the element's selector and what is wrong. Empty when none.
 */
export async function violations(page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary}`));
}

/** Fails with the list of [`violations`] when axe-core finds any on `page` showing `screen`. */
export async function assertAccessible(page, screen) {
  const found = await violations(page);
  if (found.length > 0) throw new Error(`axe on ${screen}:\n${found.join('\n')}`);
}
