// Verified identity: the page tells the widget who is signed in with `Parlo.setUser` and a
// `userHash` its back end computed (here: the test, with Node's crypto and the identity secret
// the management API answered when it created the channel). The same user on a second browser,
// who chatted anonymously first, sees one conversation with the first browser's messages, and
// the owner sees one subscriber with that external id, the attributes and the UTM parameters. A
// wrong hash is refused: the widget says so, emits `error`, and no session is made.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { launchBrowser, newPage, problemsBesidesRemount, saveFailureScreenshot } from './lib/browser.mjs';
import { ParloServer } from './lib/server.mjs';
import { botSays, openWidget, sel, typeAndSend, until } from './lib/widget.mjs';

let server;
let browser;
let channel;

before(async () => {
  server = await ParloServer.start({ name: 'identity' });
  const created = await server.request('POST', '/api/v1/channels', {
    key: server.key,
    body: { name: 'Member chat', allowed_origins: [server.url], welcome_flow: 'welcome', fallback_flow: 'fallback' },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  channel = created.body;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

/** What the site's back end computes: lower-case hex HMAC-SHA256 of the id with the secret. */
const userHash = (id, secret = channel.identity_secret) => createHmac('sha256', secret).update(id).digest('hex');

/** A page of the server's origin (the channel allows it) at `path` holding `script` before the embed snippet. */
async function pageWith(t, path, script) {
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  await page.route(`${server.url}/identity.html*`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><title>Members</title></head><body><h1>Members</h1>
        <script>window.log = []; window.Parlo = { q: [] }; Parlo.q.push(['init', '${channel.id}']);
          Parlo.q.push(['on', 'error', (detail) => log.push(detail)]); ${script}</script>
        <script type="module" async src="/embed.js"></script></body></html>`,
    }),
  );
  await page.goto(`${server.url}${path}`);
  return { context, page };
}

/** The widget's session token in this page's localStorage. */
const tokenOf = (page) => page.evaluate((key) => localStorage.getItem(key), `parlo:${channel.id}:session`);

/** Visitor texts of the conversation of `token`, from the public history API. */
async function visitorTexts(token) {
  const history = await server.ok('GET', `/api/public/v1/channels/${channel.id}/messages?limit=100`, { token });
  return history.items.filter((m) => m.author === 'visitor').map((m) => m.content.text);
}

test('a signed-in user sees one conversation on two browsers; the owner sees who it is', { timeout: 180_000 }, async (t) => {
  const user = JSON.stringify({ id: 'member-7', email: 'grace@example.com', name: 'Grace', userHash: userHash('member-7') });
  // Browser A: the user is known before the bundle loads (queued), with attributes.
  const a = await pageWith(t, '/identity.html?utm_source=newsletter&utm_campaign=winter',
    `Parlo.q.push(['setUser', ${user}]); Parlo.q.push(['setAttributes', { plan: 'gold', seats: 3 }]);`);
  // Browser B: an anonymous visitor who signs in after chatting.
  const b = await pageWith(t, '/identity.html', '');
  try {
    await openWidget(a.page);
    await botSays(a.page, 'Welcome to Bloom & Brew');
    await typeAndSend(a.page, 'Hello from the laptop');
    await a.page.locator(sel.visitor).filter({ hasText: 'Hello from the laptop' }).waitFor({ timeout: 15_000 });

    await openWidget(b.page);
    await botSays(b.page, 'Welcome to Bloom & Brew');
    await typeAndSend(b.page, 'Asked before signing in');
    await b.page.locator(sel.visitor).filter({ hasText: 'Asked before signing in' }).waitFor({ timeout: 15_000 });
    const anonymousToken = await tokenOf(b.page);
    const anonymous = await server.ok('POST', `/api/public/v1/channels/${channel.id}/sessions`, {
      body: { session_token: anonymousToken },
    });

    // The page learns who the visitor is (after the bundle loaded): the widget shows the
    // user's conversation, the laptop's message and the anonymous one in it.
    await b.page.evaluate((u) => Parlo.setUser(JSON.parse(u)), user);
    const panel = b.page.locator(sel.panel);
    await panel.locator(sel.visitor).filter({ hasText: 'Hello from the laptop' }).waitFor({ timeout: 20_000 });
    await panel.locator(sel.visitor).filter({ hasText: 'Asked before signing in' }).waitFor({ timeout: 20_000 });
    await typeAndSend(b.page, 'Written on the phone, signed in');
    await b.page.locator(sel.visitor).filter({ hasText: 'Written on the phone, signed in' }).waitFor({ timeout: 15_000 });

    // The history API answers one conversation to both browsers' tokens.
    const tokenA = await tokenOf(a.page);
    const tokenB = await tokenOf(b.page);
    const expected = ['Hello from the laptop', 'Asked before signing in', 'Written on the phone, signed in'];
    await until(() => visitorTexts(tokenA), (texts) => JSON.stringify(texts) === JSON.stringify(expected), { what: 'browser A history' });
    assert.deepEqual(await visitorTexts(tokenB), expected);

    // The owner: one subscriber with the external id, the profile, attributes and UTM.
    const session = await server.ok('POST', `/api/public/v1/channels/${channel.id}/sessions`, { body: { session_token: tokenA } });
    const subscriber = await server.ok('GET', `/api/v1/subscribers/${session.subscriber_id}`, { key: server.key });
    assert.equal(subscriber.external_id, 'member-7');
    assert.equal(subscriber.fields.email, 'grace@example.com');
    assert.equal(subscriber.fields.name, 'Grace');
    assert.equal(subscriber.fields.plan, 'gold');
    assert.equal(subscriber.fields.seats, '3');
    assert.equal(subscriber.capture.utm_source, 'newsletter');
    assert.equal(subscriber.capture.utm_campaign, 'winter');
    assert.match(subscriber.capture.landing_page, /\/identity\.html\?utm_source=newsletter/);
    const merged = await server.request('GET', `/api/v1/subscribers/${anonymous.subscriber_id}`, { key: server.key });
    assert.equal(merged.status, 404, 'the anonymous subscriber was merged into the user');
    // Mounted again as the user, the widget aborted its anonymous stream and reports: expected.
    assert.deepEqual([...problemsBesidesRemount(a.page), ...problemsBesidesRemount(b.page)], []);
  } catch (error) {
    await saveFailureScreenshot(a.page, 'identity-a-failure');
    await saveFailureScreenshot(b.page, 'identity-b-failure');
    error.message += `\npage problems:\n${[...a.page.problems, ...b.page.problems].join('\n')}`;
    throw error;
  }
});

test('a wrong hash is refused: the widget says so and emits error', { timeout: 120_000 }, async (t) => {
  const forged = JSON.stringify({ id: 'member-7', userHash: userHash('member-7', 'parlo_is_guessed') });
  const { page } = await pageWith(t, '/identity.html', `Parlo.q.push(['setUser', ${forged}]);`);
  try {
    const refused = page.waitForResponse((r) => r.url().endsWith(`/channels/${channel.id}/sessions`));
    await openWidget(page);
    const response = await refused;
    assert.equal(response.status(), 403);
    const problem = await response.json();
    assert.equal(problem.code, 'identity_invalid');
    assert.match(problem.detail, /does not match/);
    await page.locator(sel.panel).getByText("We couldn't confirm who you are").waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await page.locator(sel.status).getAttribute('data-parlo-status'), 'unverified');
    const errors = await until(() => page.evaluate(() => window.log), (log) => log.length > 0, { what: 'the error event' });
    assert.match(errors[0].message, /couldn't confirm who you are/);
    assert.equal(await tokenOf(page), null, 'no session was made');
  } catch (error) {
    await saveFailureScreenshot(page, 'identity-wrong-hash-failure');
    error.message += `\npage problems:\n${page.problems.join('\n')}`;
    throw error;
  }
});
