// The owner console's subscribers, tags and fields in Chromium, beside a visitor chatting in
// the widget on the demo site: the visitor's conversation, first seen through the live
// stream, is named by their e-mail; fields and tags are created (a taken name said next to
// the form); the owner finds the visitor by search, adds a tag and sets custom fields (a
// value the field's type refuses said under its input), which the API then has and the
// demo bot greets by; the tag filter lists them; the inbox's "Unread" filter survives a
// reload; the screens work on a phone; axe-core finds no serious or critical violation on
// any of them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible } from './lib/axe.mjs';
import { newPage } from './lib/browser.mjs';
import { consoleSuite } from './lib/console.mjs';
import { botSays, openWidget, pressButton, sessionToken, typeAndSend } from './lib/widget.mjs';

const EMAIL = 'owner@example.com';
const PASSWORD = 'correct horse battery';
const VISITOR_EMAIL = 'zoe.tulip@example.com';

let server;
let browser;
const { logIn, withPages } = consoleSuite('console-subscribers', EMAIL, PASSWORD, (s, b) => ([server, browser] = [s, b]));

/** Goes to a screen of the header's navigation. */
async function navigate(page, name) {
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}

test('subscribers: found by search, tagged, fields set; tags and fields screens; inbox filter in the URL', { timeout: 240_000 }, async (t) => {
  const owner = await newPage(browser);
  const visitor = await newPage(browser);
  t.after(() => Promise.all([owner.context.close(), visitor.context.close()]));
  const [console_, widget] = [owner.page, visitor.page];

  await withPages([console_, widget], 'flow', async () => {
    await logIn(console_);
    await console_.getByRole('link', { name: /^Inbox/ }).first().click();
    await console_.getByRole('status').filter({ hasText: /^Live$/ }).waitFor();

    // A visitor chats and leaves their e-mail: their conversation, which the inbox first
    // sees through the live stream, is named by it (no reload).
    await widget.goto(`${server.url}/`);
    await openWidget(widget);
    await botSays(widget, 'Welcome to Bloom & Brew');
    await pressButton(widget, 'Get our newsletter');
    await botSays(widget, "What's your e-mail address?");
    await typeAndSend(widget, VISITOR_EMAIL);
    await botSays(widget, "Thanks! You're on the list");
    const { subscriber_id: subscriberId } = await server.session(await sessionToken(widget));
    await console_.locator('.conversations .who', { hasText: VISITOR_EMAIL }).waitFor();

    // Fields: a custom field of each kind the test needs; a taken name is said at the form.
    await navigate(console_, 'Fields');
    const custom = console_.getByRole('region', { name: 'Custom fields' });
    const existing = (await server.ok('GET', '/api/v1/custom-fields?limit=100', { key: server.key })).items;
    const wanted = [['favourite_flower', 'text'], ['next_visit', 'datetime']];
    if (!existing.some((f) => f.name === 'first_name')) wanted.push(['first_name', 'text']);
    for (const [name, type] of wanted) {
      await custom.getByLabel('Name', { exact: true }).fill(name);
      await custom.getByLabel('Type', { exact: true }).selectOption(type);
      await custom.getByRole('button', { name: 'Create field' }).click();
      await custom.getByRole('rowheader', { name, exact: true }).waitFor();
    }
    assert.equal(await custom.getByLabel('Name', { exact: true }).inputValue(), '', 'the form is emptied');
    await custom.getByLabel('Name', { exact: true }).fill('favourite_flower');
    await custom.getByRole('button', { name: 'Create field' }).click();
    await custom.getByRole('alert').filter({ hasText: /favourite_flower|taken|exists/i }).waitFor();

    // A bot field: created, its value set (a value its type refuses is said at the value).
    const bot = console_.getByRole('region', { name: 'Bot fields' });
    await bot.getByLabel('Name', { exact: true }).fill('shop_open');
    await bot.getByLabel('Type', { exact: true }).selectOption('boolean');
    await bot.getByRole('button', { name: 'Create bot field' }).click();
    const value = bot.getByLabel('Value of shop_open');
    await value.fill('maybe');
    await bot.getByRole('button', { name: 'Save shop_open' }).click();
    await bot.getByRole('alert').filter({ hasText: /boolean/ }).waitFor();
    assert.equal(await value.getAttribute('aria-invalid'), 'true');
    await value.fill('true');
    await bot.getByRole('button', { name: 'Save shop_open' }).click();
    await bot.getByRole('alert').waitFor({ state: 'detached' });
    const botFields = (await server.ok('GET', '/api/v1/bot-fields', { key: server.key })).items;
    assert.equal(botFields.find((f) => f.name === 'shop_open').value, 'true');
    await assertAccessible(console_, 'the fields screen');

    // Tags: created, a taken name said at the form, deleted after confirming.
    await navigate(console_, 'Tags');
    await console_.getByLabel('Name', { exact: true }).fill('vip');
    await console_.getByRole('button', { name: 'Create tag' }).click();
    await console_.getByRole('rowheader', { name: 'vip', exact: true }).waitFor();
    await console_.getByLabel('Name', { exact: true }).fill('vip');
    await console_.getByRole('button', { name: 'Create tag' }).click();
    await console_.locator('#tag-create-error').waitFor();
    await console_.getByRole('rowheader', { name: 'newsletter', exact: true }).waitFor();
    await assertAccessible(console_, 'the tags screen');
    console_.once('dialog', (dialog) => dialog.accept());
    await console_.getByRole('button', { name: 'Delete tag vip' }).click();
    await console_.getByRole('rowheader', { name: 'vip', exact: true }).waitFor({ state: 'detached' });
    assert.ok(!(await server.ok('GET', '/api/v1/tags', { key: server.key })).items.some((tag) => tag.name === 'vip'));

    // The owner finds the visitor by part of their e-mail (among others) and opens them.
    const { session_token: other, subscriber_id: otherId } = await server.session();
    await navigate(console_, 'Subscribers');
    const rows = console_.locator('tbody tr');
    await console_.waitForFunction(() => document.querySelectorAll('tbody tr').length === 2);
    await console_.getByLabel('Search', { exact: true }).fill('ZOE.TULIP');
    await console_.getByRole('button', { name: 'Search' }).click();
    await console_.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    await rows.first().getByRole('link', { name: VISITOR_EMAIL }).waitFor();
    assert.equal(new URL(console_.url()).searchParams.get('q'), 'ZOE.TULIP');
    await assertAccessible(console_, 'the subscribers screen');
    await rows.first().getByRole('link').click();
    await console_.getByRole('heading', { name: 'Subscriber', level: 1 }).waitFor();
    assert.equal(new URL(console_.url()).pathname.split('/').pop(), subscriberId);
    const profile = console_.getByRole('complementary', { name: 'Profile' });
    await profile.getByText(VISITOR_EMAIL).first().waitFor();

    // A tag, and custom fields: a value the field's type refuses is said under its input.
    await profile.getByLabel('New tag').fill('florist-lead');
    await profile.getByRole('button', { name: 'Add tag' }).click();
    await profile.getByRole('button', { name: 'Remove tag florist-lead' }).waitFor();
    const fields = console_.getByRole('form', { name: 'Custom fields' });
    await fields.getByLabel('favourite_flower').fill('Tulips');
    await fields.getByLabel('first_name').fill('Zoë');
    await fields.getByLabel('next_visit').fill('tomorrow');
    await fields.getByRole('button', { name: 'Save fields' }).click();
    const nextVisit = fields.getByLabel('next_visit');
    await fields.getByRole('alert').filter({ hasText: /RFC 3339/ }).waitFor();
    assert.equal(await nextVisit.getAttribute('aria-invalid'), 'true');
    await assertAccessible(console_, 'a subscriber with a field error');
    await nextVisit.fill('2026-12-24T10:00:00Z');
    await fields.getByRole('button', { name: 'Save fields' }).click();
    await fields.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    assert.equal(await nextVisit.getAttribute('aria-invalid'), null);

    // The API has the changes, and the demo bot greets the visitor by the name set here.
    const saved = await server.subscriber(subscriberId);
    assert.deepEqual(saved.tags, ['florist-lead', 'newsletter']);
    assert.equal(saved.fields.favourite_flower, 'Tulips');
    assert.equal(saved.fields.first_name, 'Zoë');
    assert.equal(saved.fields.next_visit, '2026-12-24T10:00:00.000Z');
    await typeAndSend(widget, 'hi');
    await botSays(widget, 'Welcome back, Zoë!');
    await assertAccessible(console_, 'a subscriber');

    // Back on the list, the search is as the owner left it; then filtered by the new tag,
    // the list has them (and only them).
    await console_.getByRole('link', { name: '← All subscribers' }).click();
    await console_.waitForURL(/q=ZOE.TULIP/);
    assert.equal(await console_.getByLabel('Search', { exact: true }).inputValue(), 'ZOE.TULIP');
    await console_.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    await console_.getByLabel('Search', { exact: true }).fill('');
    await console_.getByLabel('Tag', { exact: true }).selectOption('florist-lead');
    await console_.getByRole('button', { name: 'Search' }).click();
    await console_.waitForURL(/tag=florist-lead/);
    await console_.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    await rows.first().getByRole('link', { name: 'Zoë' }).waitFor();

    // Their conversation, opened from their page.
    await rows.first().getByRole('link').click();
    await console_.getByRole('link', { name: 'Open conversation' }).click();
    await console_.getByRole('list', { name: 'Messages' }).locator('.msg.visitor', { hasText: 'hi' }).waitFor();
    assert.match(new URL(console_.url()).pathname, new RegExp(`/conversations/${subscriberId}$`));

    // The inbox's "Unread" filter: in the address bar, kept by a reload.
    await navigate(console_, 'Inbox');
    await server.sendText(other, 'A question from someone else');
    await console_.locator('.conversations li', { hasText: otherId }).waitFor();
    await console_.getByLabel('Unread', { exact: true }).check();
    await console_.waitForURL(/unread=true/);
    await console_.locator('.conversations li', { hasText: otherId }).waitFor();
    await console_.locator('.conversations .who', { hasText: 'Zoë' }).waitFor({ state: 'detached' });
    await console_.reload();
    await console_.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    assert.equal(new URL(console_.url()).searchParams.get('unread'), 'true');
    assert.equal(await console_.getByLabel('Unread', { exact: true }).isChecked(), true);
    await console_.locator('.conversations li', { hasText: otherId }).waitFor();
    assert.equal(await console_.locator('.conversations .who', { hasText: 'Zoë' }).count(), 0);
    await assertAccessible(console_, 'the inbox filtered by unread');
    await console_.getByLabel('Unread', { exact: true }).uncheck();
    await console_.locator('.conversations .who', { hasText: 'Zoë' }).waitFor();
    assert.equal(new URL(console_.url()).search, '');
  });
});

test('subscribers, tags and fields on a phone: keyboard, focus ring, no sideways scrolling, axe', { timeout: 120_000 }, async (t) => {
  const { context, page } = await newPage(browser, { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  t.after(() => context.close());
  await withPages([page], 'phone', async () => {
    await logIn(page);
    await page.getByRole('link', { name: /^Inbox/ }).first().click();
    await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    const workspace = new URL(page.url()).pathname.split('/')[3];
    for (const [path, title] of [['subscribers', 'Subscribers'], ['tags', 'Tags'], ['fields', 'Fields']]) {
      await page.goto(`${server.url}/console/w/${workspace}/${path}`);
      await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      await page.locator('[aria-busy="true"]').waitFor({ state: 'detached' });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${title}: no horizontal scrolling (${overflow} px too wide)`);
      await assertAccessible(page, `${title} on a phone`);
    }
    // Keyboard: the search box, then Tab to the tag filter, with a visible focus ring.
    await page.goto(`${server.url}/console/w/${workspace}/subscribers`);
    await page.getByLabel('Search', { exact: true }).focus();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => ({
      id: document.activeElement.id,
      outline: getComputedStyle(document.activeElement).outlineStyle,
    }));
    assert.equal(focused.id, 'subscriber-tag');
    assert.notEqual(focused.outline, 'none');
  });
});
