// The owner console's inbox in Chromium, beside a visitor chatting in the widget on the demo
// site: the visitor's message shows up in the inbox at once (no reload), with its unread
// count; opened, the conversation is marked read and shows who wrote what; the agent's reply
// reaches the visitor's widget, a failed send keeps the text and says why; pausing and
// resuming the bot show its state; a tag is added and removed; the stream reconnects after a
// network loss without missing a message; the deep link survives a reload; axe-core finds
// no serious or critical violation, on a desktop and on a phone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible } from './lib/axe.mjs';
import { keepDocsScreenshot, newPage } from './lib/browser.mjs';
import { consoleSuite } from './lib/console.mjs';
import { botSays, openWidget, sessionToken, typeAndSend } from './lib/widget.mjs';

const EMAIL = 'agent@example.com';
const PASSWORD = 'correct horse battery';

let server;
let browser;
const { logIn, withPages } = consoleSuite('console-inbox', EMAIL, PASSWORD, (s, b) => ([server, browser] = [s, b]));

test('inbox: live messages, reply, bot pause and resume, tags, reconnect, deep link', { timeout: 180_000 }, async (t) => {
  const agent = await newPage(browser);
  const visitor = await newPage(browser);
  t.after(() => Promise.all([agent.context.close(), visitor.context.close()]));
  const [console_, widget] = [agent.page, visitor.page];

  await withPages([console_, widget], 'live', async () => {
    await logIn(console_);
    await console_.getByRole('link', { name: /^Inbox/ }).first().click();
    await console_.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    assert.match(new URL(console_.url()).pathname, /^\/console\/w\/\d+\/conversations$/);
    const status = console_.getByRole('status').filter({ hasText: /^Live$/ });
    await status.waitFor();
    // Set on this document only: still there afterwards means the page was not reloaded.
    await console_.evaluate(() => { window.notReloaded = true; });

    // The visitor writes: the conversation appears at the top at once, unread.
    await widget.goto(`${server.url}/`);
    await openWidget(widget);
    await botSays(widget, 'Welcome to Bloom & Brew');
    await typeAndSend(widget, 'Do you ship to Lisbon?');
    // (The bot may have answered already: the row shows the newest message.)
    const row = console_.locator('.conversations li').first();
    await row.getByText(/unread/).waitFor();
    assert.equal(await console_.evaluate(() => window.notReloaded), true, 'no reload');

    // Opened: its history, who wrote what, and marked read.
    await row.getByRole('link').click();
    const path = new URL(console_.url()).pathname;
    assert.match(path, /^\/console\/w\/\d+\/conversations\/sub_[A-Za-z0-9]{20}$/);
    const subscriberId = path.split('/').pop();
    const history = console_.getByRole('list', { name: 'Messages' });
    await history.locator('.msg.visitor', { hasText: 'Do you ship to Lisbon?' }).waitFor();
    await history.locator('.msg.bot', { hasText: 'Welcome to Bloom & Brew' }).first().waitFor();
    assert.equal(await history.locator('.msg.visitor .author').first().textContent(), 'Visitor');
    await row.getByText(/unread/).waitFor({ state: 'detached' });
    const profile = console_.getByRole('complementary', { name: 'Profile' });
    await profile.getByText('Channel').waitFor();
    await assertAccessible(console_, 'an open conversation');

    // Pause the bot: its state is said, and the server has it paused.
    await console_.getByRole('button', { name: 'Pause bot' }).click();
    await console_.getByText('Bot paused: you answer').waitFor();
    await console_.getByRole('button', { name: 'Resume bot' }).waitFor();

    // A failed send keeps the text and says why next to the box.
    const reply = console_.getByLabel('Reply as agent');
    await console_.route('**/api/v1/subscribers/*/messages', (route) =>
      route.request().method() === 'POST' ? route.abort('connectionrefused') : route.fallback());
    await reply.fill('Yes, we ship to Portugal.');
    await console_.getByRole('button', { name: 'Send' }).click();
    await console_.locator('#reply-error').filter({ hasText: /could not be reached/ }).waitFor();
    assert.equal(await reply.inputValue(), 'Yes, we ship to Portugal.');
    assert.equal(await reply.getAttribute('aria-invalid'), 'true');
    await console_.unroute('**/api/v1/subscribers/*/messages');

    // Sent (Ctrl+Enter from the keyboard): it reaches the visitor's widget as the agent's.
    await reply.press('Control+Enter');
    await widget.locator('.parlo-msg--agent', { hasText: 'Yes, we ship to Portugal.' }).waitFor();
    await history.locator('.msg.agent', { hasText: 'Yes, we ship to Portugal.' }).waitFor();
    assert.equal(await reply.inputValue(), '');
    await console_.locator('#reply-error').waitFor({ state: 'detached' });

    // While the conversation is open, the visitor's next message shows up in it.
    await typeAndSend(widget, 'Great, thanks!');
    await history.locator('.msg.visitor', { hasText: 'Great, thanks!' }).waitFor();
    await row.getByText('Visitor: Great, thanks!').waitFor();
    await keepDocsScreenshot(console_, 'console-inbox.png', { fullPage: true });

    await console_.getByRole('button', { name: 'Resume bot' }).click();
    await console_.getByText('Bot answering').waitFor();
    await console_.getByRole('button', { name: 'Pause bot' }).waitFor();

    // Tags: added, then removed.
    await profile.getByLabel('New tag').fill('wholesale');
    await profile.getByRole('button', { name: 'Add tag' }).click();
    const remove = profile.getByRole('button', { name: 'Remove tag wholesale' });
    await remove.waitFor();
    assert.deepEqual((await server.subscriber(subscriberId)).tags, ['wholesale']);
    await assertAccessible(console_, 'a conversation with a tag');
    await remove.click();
    await remove.waitFor({ state: 'detached' });
    assert.deepEqual((await server.subscriber(subscriberId)).tags, []);

    // The connection is lost (the server goes down, and the agent's network with it):
    // "reconnecting". A message stored before the agent is back online arrives once the
    // stream resumes after its last event (`Last-Event-ID`).
    await agent.context.setOffline(true);
    await server.kill();
    await console_.getByRole('status').filter({ hasText: /reconnecting/ }).waitFor();
    await server.spawn();
    await server.sendText(await sessionToken(widget), 'Are you still there?');
    await agent.context.setOffline(false);
    await status.waitFor({ timeout: 20_000 });
    await history.locator('.msg.visitor', { hasText: 'Are you still there?' }).waitFor();
    assert.equal(await console_.evaluate(() => window.notReloaded), true, 'no reload');

    // The deep link, reloaded: the same conversation.
    await console_.reload();
    await console_.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    assert.equal(new URL(console_.url()).pathname, path);
    await history.locator('.msg.agent', { hasText: 'Yes, we ship to Portugal.' }).waitFor();
    await history.locator('.msg.visitor', { hasText: 'Are you still there?' }).waitFor();
    assert.equal(await console_.title(), 'Conversation · Parlo console');
    await assertAccessible(console_, 'the reloaded deep link');
  });
});

test('inbox on a phone: list and conversation stacked, no sideways scrolling, axe', { timeout: 120_000 }, async (t) => {
  const visitor = await newPage(browser);
  const agent = await newPage(browser, { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  t.after(() => Promise.all([agent.context.close(), visitor.context.close()]));
  const [console_, widget] = [agent.page, visitor.page];
  await withPages([console_, widget], 'phone', async () => {
    await widget.goto(`${server.url}/`);
    await openWidget(widget);
    await botSays(widget, 'Welcome to Bloom & Brew');
    await typeAndSend(widget, 'Hello from a phone test');

    await logIn(console_);
    await console_.getByRole('link', { name: /^Inbox/ }).first().click();
    const row = console_.locator('.conversations li').first();
    await row.getByRole('link').click();
    await console_.getByRole('list', { name: 'Messages' }).locator('.msg.visitor', { hasText: 'Hello from a phone test' }).waitFor();
    await console_.getByLabel('Reply as agent').waitFor();
    const overflow = await console_.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (${overflow} px too wide)`);
    // Stacked: the conversation above the list, both the full width.
    const [list, open] = await Promise.all([
      console_.locator('.inbox-list').boundingBox(),
      console_.locator('.conversation').boundingBox(),
    ]);
    assert.ok(open.y + open.height <= list.y + 1, 'the conversation above the list');
    await assertAccessible(console_, 'the inbox on a phone');

    // Keyboard: Tab from the reply box reaches Send, with a visible focus ring.
    await console_.getByLabel('Reply as agent').focus();
    await console_.keyboard.press('Tab');
    const focused = await console_.evaluate(() => ({
      text: document.activeElement.textContent,
      outline: getComputedStyle(document.activeElement).outlineStyle,
    }));
    assert.equal(focused.text, 'Send');
    assert.notEqual(focused.outline, 'none');
  });
});

test('inbox paging: 20 conversations, then "Load more" adds the older ones', { timeout: 120_000 }, async (t) => {
  for (let i = 0; i < 22; i += 1) {
    const { session_token: token } = await server.session();
    await server.sendText(token, `Paging visitor ${i}`);
  }
  const agent = await newPage(browser);
  t.after(() => agent.context.close());
  const page = agent.page;
  await withPages([page], 'paging', async () => {
    await logIn(page);
    await page.getByRole('link', { name: /^Inbox/ }).first().click();
    const rows = page.locator('.conversations li');
    await page.getByRole('button', { name: 'Load more' }).waitFor();
    assert.equal(await rows.count(), 20);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByRole('button', { name: 'Load more' }).waitFor({ state: 'detached' });
    const total = (await server.ok('GET', '/api/v1/conversations?limit=100', { key: server.key })).items.length;
    assert.ok(total > 20);
    assert.equal(await rows.count(), total);
  });
});
