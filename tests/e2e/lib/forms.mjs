// Lead forms in e2e tests: host pages with <parlo-form>, driving it like a visitor (Playwright's
// CSS engine pierces its open shadow root), and reading leads back.

import { until } from './widget.mjs';

/** Selectors of the form's DOM contract. */
export const formSel = {
  host: 'parlo-form',
  form: 'form.parlo-form',
  submit: 'button.parlo-submit',
  done: '.parlo-form-done[role=status]',
  error: (name) => `#pf-${name}-e`,
  input: (name) => `#pf-${name}`,
  honeypot: 'input[name=website]',
};

/** Text shown while a submission waits for the network (src/lead_form/app.rs). */
export const QUEUED_TEXT = 'Saved — it will be sent when you are back online.';

/** localStorage key prefix of queued submissions (src/lead_form/queue.rs). */
export const QUEUE_PREFIX = 'parlo:lead:';

/**
 * A page with the embed snippet (no chat widget) and `<parlo-form form="{formId}">`; it records
 * every `parlo:*` event in `window.formEvents` (`{ type, detail }`).
 */
export function formPage(formId, { title = 'Form page' } = {}) {
  return `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>${title}</title>
<script type="module" async src="/embed.js"></script></head>
<body>
  <h1>${title}</h1>
  <parlo-form form="${formId}"></parlo-form>
  <script>
    window.formEvents = [];
    for (const type of ['parlo:submit', 'parlo:success', 'parlo:failure']) {
      document.addEventListener(type, (e) => window.formEvents.push({ type, detail: e.detail }));
    }
  </script>
</body>
</html>`;
}

/** Serves `html` at `{server.url}{path}` (any query) for `page` (same origin as the API). */
export function servePage(page, server, path, html) {
  return page.route((url) => url.origin === server.url && url.pathname === path, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
  );
}

/** Creates (or replaces) the form `form.id` through the management API. */
export async function putForm(server, form) {
  const { status } = await server.request('GET', `/api/v1/forms/${form.id}`, { key: server.key });
  if (status === 200) return server.ok('PUT', `/api/v1/forms/${form.id}`, { key: server.key, body: form });
  return server.ok('POST', '/api/v1/forms', { key: server.key, body: form });
}

/**
 * Submits a valid quote request of the demo's form `quote` by `name` over the public API, as
 * its page does (after the form's minimum fill time, which refuses faster submissions).
 */
export async function requestQuote(server, name) {
  const form = await server.ok('GET', '/api/public/v1/forms/quote');
  await new Promise((resolve) => setTimeout(resolve, form.min_fill_ms ?? 2000));
  return server.ok('POST', '/api/public/v1/forms/quote/submissions', {
    body: {
      idempotency_key: crypto.randomUUID(),
      values: { name, email: 'ada@example.com', service: 'other', consent: true },
      capture: {},
      honeypot: '',
      render_token: form.render_token,
    },
  });
}

/** Every lead of `formId`, all pages, newest first. */
export async function leadsOf(server, formId) {
  const all = [];
  let cursor = null;
  for (;;) {
    const query = `form_id=${encodeURIComponent(formId)}&limit=100${cursor ? `&cursor=${cursor}` : ''}`;
    const page = await server.ok('GET', `/api/v1/leads?${query}`, { key: server.key });
    all.push(...page.items);
    if (!page.next_cursor) return all;
    cursor = page.next_cursor;
  }
}

/** `GET /api/v1/forms/{id}/stats`: `{ leads, honeypot, too_fast }`. */
export function formStats(server, formId) {
  return server.ok('GET', `/api/v1/forms/${formId}/stats`, { key: server.key });
}

/** The queued submissions in the page's localStorage (`[key, entry]`). */
export function queued(page) {
  return page.evaluate((prefix) => {
    const found = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key.startsWith(prefix)) found.push([key.slice(prefix.length), JSON.parse(localStorage.getItem(key))]);
    }
    return found;
  }, QUEUE_PREFIX);
}

/** Waits until the form is rendered. */
export async function formReady(page, { timeout = 20_000 } = {}) {
  await page.locator(formSel.submit).waitFor({ state: 'visible', timeout });
}

/** The `id` of the element focused inside the form's shadow root. */
export function focusedInForm(page) {
  return page.evaluate((host) => document.querySelector(host)?.shadowRoot?.activeElement?.id ?? null, formSel.host);
}

/** Polls the leads of `formId` until `accept(leads)`. */
export function untilLeads(server, formId, accept, options = {}) {
  return until(() => leadsOf(server, formId), accept, { what: `leads of ${formId}`, ...options });
}

/**
 * A webhook receiver on a free port of 127.0.0.1 that answers 200 and keeps every request in
 * `received` (`{ id: webhook-id header, body: parsed JSON }`).
 */
export async function startReceiver() {
  const { createServer } = await import('node:http');
  const received = [];
  const server = createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      let body = null;
      try {
        body = JSON.parse(text);
      } catch {}
      received.push({ id: request.headers['webhook-id'], body });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}/hooks`,
    received,
    close: () => new Promise((r) => (server.closeAllConnections?.(), server.close(r))),
  };
}

/** Adds a webhook automation to the form `formId` for a new endpoint at `url`; returns the endpoint. */
export async function addWebhook(server, formId, url) {
  const endpoint = await server.ok('POST', '/api/v1/webhook-endpoints', {
    key: server.key,
    body: { url, description: `e2e: leads of ${formId}` },
  });
  const form = await server.ok('GET', `/api/v1/forms/${formId}`, { key: server.key });
  form.automations = [...(form.automations ?? []), { type: 'webhook', endpoint_id: endpoint.id }];
  await server.ok('PUT', `/api/v1/forms/${formId}`, { key: server.key, body: form });
  return endpoint;
}
