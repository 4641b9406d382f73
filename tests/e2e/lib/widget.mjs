// The widget's DOM contract and helpers to drive it like a visitor. Playwright's CSS engine
// pierces open shadow roots, so these selectors reach inside the widget.

/** Selectors of the DOM contract. */
export const sel = {
  host: '[data-parlo-widget]',
  launcher: 'button[aria-label="Open chat"]',
  panel: '[role="dialog"]',
  log: '[role="log"]',
  message: '.parlo-msg[data-seq]',
  bot: '.parlo-msg.parlo-msg--bot',
  visitor: '.parlo-msg.parlo-msg--visitor',
  composer: 'textarea[aria-label="Message"]',
  send: 'button[aria-label="Send"]',
  status: '[data-parlo-status]',
};

/** localStorage key of the demo channel's session token. */
export const SESSION_KEY = 'parlo:demo:session';

/** Clicks the launcher (a real click: it must be visible, enabled and not covered) and waits for the panel. */
export async function openWidget(page, { timeout = 20_000 } = {}) {
  await page.locator(sel.launcher).click({ timeout });
  await page.locator(sel.panel).waitFor({ state: 'visible', timeout });
}

/**
 * Makes sure the panel is open: after a reload the widget may reopen it by itself (it remembers
 * that it was open); if it has not within `grace` ms, clicks the launcher.
 */
export async function ensureOpen(page, { grace = 5_000, timeout = 20_000 } = {}) {
  const panel = page.locator(sel.panel);
  try {
    await panel.waitFor({ state: 'visible', timeout: grace });
  } catch {
    await openWidget(page, { timeout });
  }
}

/** Waits for a bot bubble whose text matches `text` (string or RegExp); returns its locator. */
export async function botSays(page, text, { timeout = 15_000 } = {}) {
  const bubble = page.locator(sel.bot).filter({ hasText: text }).last();
  await bubble.waitFor({ state: 'visible', timeout });
  return bubble;
}

/** Types `text` into the composer and presses Enter. */
export async function typeAndSend(page, text) {
  const composer = page.locator(sel.composer);
  await composer.fill(text);
  await composer.press('Enter');
}

/** Presses the button (or quick reply) titled `title` in the panel. */
export async function pressButton(page, title, { timeout = 15_000 } = {}) {
  await page.locator(sel.panel).locator('button', { hasText: title }).last().click({ timeout });
}

/** The `data-seq` of every rendered message, in DOM order. */
export function renderedSeqs(page) {
  return page.locator(sel.message).evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-seq'))));
}

/** `{ seq, text }` of every rendered message, in DOM order. */
export function renderedMessages(page) {
  return page.locator(sel.message).evaluateAll((els) =>
    els.map((el) => ({
      seq: Number(el.getAttribute('data-seq')),
      author: el.classList.contains('parlo-msg--bot') ? 'bot' : el.classList.contains('parlo-msg--visitor') ? 'visitor' : 'other',
      text: el.textContent.trim(),
    })),
  );
}

/** The session token the widget keeps in localStorage (raw string, or JSON holding it). */
export async function sessionToken(page) {
  const raw = await page.evaluate((key) => window.localStorage.getItem(key), SESSION_KEY);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw);
    if (typeof parsed === 'string') return parsed;
    return parsed?.session_token ?? parsed?.token ?? raw;
  } catch {
    return raw;
  }
}

/** Polls `probe` until `accept(value)` is true; returns the value or throws with the last one. */
export async function until(probe, accept, { timeout = 15_000, interval = 200, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await probe();
    if (accept(last)) return last;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}; last value: ${JSON.stringify(last)}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Whether `seqs` is strictly increasing and without duplicates. */
export function strictlyIncreasing(seqs) {
  return seqs.every((seq, i) => i === 0 || seq > seqs[i - 1]);
}
