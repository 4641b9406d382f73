// The typed management client of the npm package (`parlo/client`, `ParloClient`) against a
// real parlo-server: imported in Node the way an app would (through the package's `exports`),
// it drives every resource; the same package works in Chromium too.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser, newPage } from './lib/browser.mjs';
import { pkgDir } from './lib/env.mjs';
import { ParloServer } from './lib/server.mjs';

let server;
let consumerDir;
/** The module `parlo/client` as resolved from an app that depends on the package. */
let parloClient;
/** A `ParloClient` with the server's management key. */
let parlo;

before(async () => {
  server = await ParloServer.start({ name: 'client' });
  // An app with `node_modules/parlo` → pkg/, importing `parlo/client` by its package name.
  consumerDir = mkdtempSync(join(tmpdir(), 'parlo-client-consumer-'));
  mkdirSync(join(consumerDir, 'node_modules'));
  symlinkSync(pkgDir, join(consumerDir, 'node_modules', 'parlo'), 'dir');
  writeFileSync(join(consumerDir, 'app.mjs'), "export * from 'parlo/client';\n");
  parloClient = await import(pathToFileURL(join(consumerDir, 'app.mjs')).href);
  parlo = new parloClient.ParloClient({ baseUrl: server.url, apiKey: server.key });
});

after(async () => {
  await server?.dispose();
  if (consumerDir) rmSync(consumerDir, { recursive: true, force: true });
});

/** Awaits `promise`, which must reject with a ParloError of `code` and `status`; returns it. */
async function rejectsWith(promise, code, status) {
  const error = await promise.then(
    (value) => assert.fail(`expected ${code}, got ${JSON.stringify(value)}`),
    (e) => e,
  );
  assert.ok(error instanceof Error, `not an Error: ${error}`);
  assert.equal(error.name, 'ParloError');
  assert.equal(error.code, code, error.message);
  assert.equal(error.status, status);
  assert.equal(error.problem.code, code);
  assert.equal(error.problem.status, status);
  return error;
}

/** A fresh subscriber of the demo channel (a visitor starting a chat). */
async function newSubscriber() {
  const session = await server.session();
  return session.subscriber_id;
}

describe('ParloClient in Node', () => {
  test('the package entry exports the client class and throws TypeError for bad options', () => {
    assert.equal(typeof parloClient.ParloClient, 'function');
    assert.throws(() => new parloClient.ParloClient({ baseUrl: server.url }), TypeError);
    assert.throws(() => new parloClient.ParloClient(), TypeError);
  });

  test('api keys: create shows the secret once, list and listAll never, revoke refuses the key', async () => {
    const created = await parlo.apiKeys.create('client test');
    assert.match(created.secret, /^parlo_sk_/);
    assert.equal(created.name, 'client test');

    const page = await parlo.apiKeys.list({ limit: 100 });
    const listed = page.items.find((k) => k.id === created.id);
    assert.equal(listed.name, 'client test');
    assert.equal(listed.secret, undefined);
    assert.ok(created.secret.startsWith(listed.prefix));
    assert.ok((await parlo.apiKeys.listAll()).some((k) => k.id === created.id));

    const old = new parloClient.ParloClient({ baseUrl: server.url, apiKey: created.secret });
    assert.ok(Array.isArray((await old.tags.list()).items));
    const regenerated = await parlo.apiKeys.regenerate(created.id);
    assert.equal(regenerated.id, created.id);
    assert.equal(regenerated.name, 'client test');
    assert.notEqual(regenerated.secret, created.secret);
    await rejectsWith(old.tags.list(), 'unauthorized', 401);
    const other = new parloClient.ParloClient({ baseUrl: server.url, apiKey: regenerated.secret });
    assert.ok(Array.isArray((await other.tags.list()).items));
    assert.equal(await parlo.apiKeys.revoke(created.id), undefined);
    await rejectsWith(other.tags.list(), 'unauthorized', 401);
    await rejectsWith(parlo.apiKeys.regenerate(created.id), 'not_found', 404);
    await rejectsWith(parlo.apiKeys.revoke(created.id), 'not_found', 404);
    await rejectsWith(parlo.apiKeys.create(''), 'validation_failed', 422);
  });

  test('tags: create, get by id and by name, pages, listAll, conflict, delete', async () => {
    const names = ['client-a', 'client b/ü', 'client-c'];
    const tags = [];
    for (const name of names) tags.push(await parlo.tags.create(name));
    assert.deepEqual(tags.map((t) => t.name), names);

    assert.deepEqual(await parlo.tags.get(tags[0].id), tags[0]);
    assert.deepEqual(await parlo.tags.get('client b/ü'), tags[1]);
    const conflict = await rejectsWith(parlo.tags.create('client-a'), 'conflict', 409);
    assert.match(conflict.message, /client-a/);

    const first = await parlo.tags.list({ limit: 1 });
    assert.equal(first.items.length, 1);
    assert.equal(typeof first.next_cursor, 'string');
    const second = await parlo.tags.list({ limit: 1, cursor: first.next_cursor });
    assert.notDeepEqual(second.items[0], first.items[0]);
    const all = await parlo.tags.listAll();
    for (const tag of tags) assert.ok(all.some((t) => t.id === tag.id));
    await rejectsWith(parlo.tags.list({ limit: 101 }), 'invalid_cursor', 400);

    await parlo.tags.delete('client-c');
    await parlo.tags.delete(tags[0].id);
    await rejectsWith(parlo.tags.get(tags[0].id), 'not_found', 404);
    await rejectsWith(parlo.tags.get('client-c'), 'not_found', 404);
    await assert.rejects(parlo.tags.get({ id: 1 }), TypeError);
  });

  test('custom fields: create, get, update, list, validation errors, delete', async () => {
    const plan = await parlo.customFields.create({ name: 'plan', type: 'text', description: 'Plan' });
    assert.equal(plan.type, 'text');
    const seats = await parlo.customFields.create({ name: 'seats', type: 'number' });
    assert.deepEqual(await parlo.customFields.get('plan'), plan);
    assert.deepEqual(await parlo.customFields.get(seats.id), seats);

    const renamed = await parlo.customFields.update(plan.id, { name: 'tier', description: 'Tier' });
    assert.equal(renamed.name, 'tier');
    assert.equal(renamed.description, 'Tier');
    const all = await parlo.customFields.listAll();
    assert.ok(all.some((f) => f.name === 'tier') && all.some((f) => f.name === 'seats'));
    assert.ok((await parlo.customFields.list({ limit: 1 })).items.length === 1);

    const invalid = await rejectsWith(parlo.customFields.create({ name: ' ', type: 'text' }), 'validation_failed', 422);
    assert.equal(invalid.problem.errors[0].pointer, '/name');
    await assert.rejects(parlo.customFields.create({ name: 'x', type: 'colour' }), TypeError);

    await parlo.customFields.delete('seats');
    await rejectsWith(parlo.customFields.get(seats.id), 'not_found', 404);
  });

  test('subscribers: list with filters, get, tags add/remove, fields set/clear, delete', async () => {
    const id = await newSubscriber();
    const other = await newSubscriber();
    await parlo.customFields.create({ name: 'company', type: 'text' });
    // `email` comes with the demo (its shop flow reads it).
    await parlo.customFields.create({ name: 'employees', type: 'number' });

    const tagged = await parlo.subscribers.addTags(id, ['client-vip', 'client-new']);
    assert.deepEqual(tagged.tags, ['client-new', 'client-vip']);
    const vip = await parlo.tags.get('client-vip');
    const untagged = await parlo.subscribers.removeTags(id, [vip.id]);
    assert.deepEqual(untagged.tags, ['client-new']);

    const withFields = await parlo.subscribers.setFields(id, [
      { field: 'company', value: 'Analytical Engines' },
      { field: 'email', value: 'ada@example.com' },
    ]);
    assert.equal(withFields.fields.company, 'Analytical Engines');
    const invalid = await rejectsWith(
      parlo.subscribers.setFields(id, [{ field: 'employees', value: 'many' }]),
      'validation_failed',
      422,
    );
    assert.equal(invalid.problem.errors[0].pointer, '/fields/0/value');

    assert.deepEqual((await parlo.subscribers.list({ tag: 'client-new' })).items.map((s) => s.id), [id]);
    assert.deepEqual((await parlo.subscribers.list({ email: 'ADA@example.com' })).items.map((s) => s.id), [id]);
    assert.deepEqual(
      (await parlo.subscribers.list({ field: 'company', value: 'Analytical Engines' })).items.map((s) => s.id),
      [id],
    );
    assert.deepEqual((await parlo.subscribers.find('company', 'Analytical Engines')).items.map((s) => s.id), [id]);
    const onePerPage = await parlo.subscribers.list({ channel: 'demo' }, { limit: 1 });
    assert.equal(onePerPage.items.length, 1);
    assert.equal(typeof onePerPage.next_cursor, 'string');
    const everyone = await parlo.subscribers.listAll({ channel: 'demo' });
    assert.ok(everyone.some((s) => s.id === id) && everyone.some((s) => s.id === other));
    await rejectsWith(
      parlo.subscribers.list({ created_from: '2030-01-01T00:00:00Z', created_to: '2020-01-01T00:00:00Z' }),
      'invalid_date_range',
      400,
    );

    const cleared = await parlo.subscribers.clearFields(id, ['company']);
    assert.equal(cleared.fields.company, undefined);
    assert.deepEqual(await parlo.subscribers.get(id), cleared);

    await parlo.subscribers.delete(other);
    await rejectsWith(parlo.subscribers.get(other), 'not_found', 404);
  });

  test('subscribers: create one or many, update the profile, unique e-mail', async () => {
    const grace = await parlo.subscribers.create({
      channel_id: 'demo',
      name: 'Grace Hopper',
      email: 'grace@example.com',
      tags: ['client-created'],
    });
    assert.match(grace.id, /^sub_/);
    assert.deepEqual(grace.tags, ['client-created']);
    assert.equal(grace.fields.email, 'grace@example.com');
    await rejectsWith(parlo.subscribers.create({ channel_id: 'demo', email: 'GRACE@example.com' }), 'conflict', 409);

    const many = await parlo.subscribers.createMany([
      { channel_id: 'demo', first_name: 'Alan' },
      { channel_id: 'demo', first_name: 'Edsger' },
    ]);
    assert.deepEqual(many.map((s) => s.fields.first_name), ['Alan', 'Edsger']);
    const invalid = await rejectsWith(
      parlo.subscribers.createMany([{ channel_id: 'demo' }, { channel_id: 'demo', email: 'nope' }]),
      'validation_failed',
      422,
    );
    assert.ok(invalid.problem.errors.some((e) => e.pointer.startsWith('/subscribers/1')), JSON.stringify(invalid.problem));

    const updated = await parlo.subscribers.update(grace.id, { name: null, phone: '+44 20 7946 0958' });
    assert.equal(updated.fields.name, undefined);
    assert.equal(updated.fields.phone, '+442079460958');
    await rejectsWith(parlo.subscribers.get('sub_nope'), 'invalid_id', 400);
  });

  test('conversations: agent messages, pause and resume, send a flow and content, history', async () => {
    const id = (await parlo.subscribers.create({ channel_id: 'demo', first_name: 'Ada' })).id;
    const paused = await parlo.conversations.pauseBot(id, 30);
    assert.equal(paused.paused, true);
    assert.equal(typeof paused.paused_until, 'string');
    await rejectsWith(parlo.conversations.sendFlow(id, { flow_id: 'client_hello' }), 'conflict', 409);
    const sent = await parlo.conversations.sendMessage(id, 'A human here');
    assert.equal(sent.messages[0].content.text, 'A human here');
    assert.equal((await parlo.conversations.resumeBot(id)).paused, false);

    await parlo.flows.put({
      id: 'client_hello',
      name: 'Client hello',
      start: 'hi',
      steps: { hi: { type: 'message', text: 'Hello {{payload.who}}' } },
    });
    const flowed = await parlo.conversations.sendFlow(id, { flow_id: 'client_hello', payload: { who: 'Ada' } });
    assert.ok(flowed.messages.some((m) => m.content.text === 'Hello Ada'), JSON.stringify(flowed));
    const content = await parlo.conversations.sendContent(id, {
      messages: [{ type: 'text', text: 'Our menu', buttons: [{ title: 'Open', url: 'https://example.com/menu' }] }],
      actions: [{ type: 'add_tag', tag: 'client-content' }],
    });
    assert.equal(content.messages[0].content.text, 'Our menu');
    assert.ok((await parlo.subscribers.get(id)).tags.includes('client-content'));

    const all = await parlo.conversations.historyAll(id);
    for (const text of ['A human here', 'Hello Ada', 'Our menu']) {
      assert.ok(all.some((m) => m.content.text === text), `${text} in ${JSON.stringify(all)}`);
    }
    const withoutBot = await parlo.conversations.historyAll(id, { include_bot: false, include_system: false });
    assert.deepEqual(withoutBot.map((m) => m.content.text), ['A human here']);
    const page = await parlo.conversations.history(id, {}, { limit: 1 });
    assert.equal(page.items.length, 1);
    await rejectsWith(
      parlo.conversations.history(id, { from: '2030-01-01T00:00:00Z', to: '2020-01-01T00:00:00Z' }),
      'invalid_date_range',
      400,
    );
  });

  test('flows: the API trigger creates a subscriber once per idempotency key and runs the flow', async () => {
    await parlo.flows.put({
      id: 'client_form_thanks',
      name: 'Thanks for the form',
      start: 'hi',
      steps: { hi: { type: 'message', text: 'Thanks {{payload.first}}, your quote {{payload.quote}} is on its way' } },
    });
    const body = {
      find: { type: 'email', email: 'form-sender@example.com' },
      channel_id: 'demo',
      first_name: 'Ada',
      tags: ['website-form'],
      payload: { first: 'Ada', quote: 42 },
    };
    const first = await parlo.flows.trigger('client_form_thanks', body, 'client-form-1');
    assert.equal(first.created, true);
    assert.equal(first.subscriber.fields.email, 'form-sender@example.com');
    assert.equal(first.subscriber.fields.first_name, 'Ada');
    assert.deepEqual(first.subscriber.tags, ['website-form']);
    const text = 'Thanks Ada, your quote 42 is on its way';
    assert.deepEqual(first.messages.map((m) => m.content.text), [text]);

    // A retry with the key answers the same and runs nothing; the key with another body is refused.
    assert.deepEqual(await parlo.flows.trigger('client_form_thanks', body, 'client-form-1'), first);
    await rejectsWith(
      parlo.flows.trigger('client_form_thanks', { ...body, tags: ['other'] }, 'client-form-1'),
      'conflict',
      409,
    );
    const found = await parlo.subscribers.find('email', 'form-sender@example.com');
    assert.deepEqual(found.items.map((s) => s.id), [first.subscriber.id]);
    const history = await parlo.conversations.historyAll(first.subscriber.id);
    assert.deepEqual(history.map((m) => m.content.text), [text]);

    // Without a key, a new call finds her and runs the flow again.
    const again = await parlo.flows.trigger('client_form_thanks', { find: body.find, payload: { first: 'again' } });
    assert.equal(again.created, false);
    assert.equal(again.subscriber.id, first.subscriber.id);
    assert.equal((await parlo.conversations.historyAll(first.subscriber.id)).length, 2);

    const invalid = await rejectsWith(
      parlo.flows.trigger('client_form_thanks', { find: { type: 'email', email: 'nobody@example.com' } }),
      'validation_failed',
      422,
    );
    assert.deepEqual(invalid.problem.errors.map((e) => e.pointer), ['/channel_id']);
    await rejectsWith(parlo.flows.trigger('no_such_flow', body), 'not_found', 404);
  });

  test('bot fields: create, get, update, set values, list, delete', async () => {
    const hours = await parlo.botFields.create({ name: 'opening_hours', type: 'text' });
    assert.equal(hours.value, null);
    const open = await parlo.botFields.create({ name: 'open_today', type: 'boolean' });
    const changed = await parlo.botFields.setValues([
      { field: 'opening_hours', value: '9-17' },
      { field: open.id, value: true },
    ]);
    assert.deepEqual(changed.map((f) => f.value), ['9-17', 'true']);
    assert.equal((await parlo.botFields.get('opening_hours')).value, '9-17');
    const renamed = await parlo.botFields.update(hours.id, { description: 'Shop hours' });
    assert.equal(renamed.description, 'Shop hours');
    await rejectsWith(parlo.botFields.setValues([{ field: 'open_today', value: 'perhaps' }]), 'validation_failed', 422);
    assert.equal((await parlo.botFields.listAll()).length, 2);
    await parlo.botFields.delete('open_today');
    await rejectsWith(parlo.botFields.get(open.id), 'not_found', 404);
  });

  test('flows: list, listAll, get, put creates and replaces, invalid documents name every problem', async () => {
    const seeded = await parlo.flows.listAll();
    assert.ok(seeded.length >= 1);
    const page = await parlo.flows.list(null, { limit: 1 });
    assert.deepEqual(page.items[0], seeded[0]);
    assert.deepEqual(await parlo.flows.get(seeded[0].id), seeded[0]);

    const flow = {
      id: 'client_hello',
      name: 'Client hello',
      start: 'hi',
      steps: { hi: { type: 'message', text: 'Hello from the client test' } },
    };
    const created = await parlo.flows.put(flow);
    assert.equal(created.id, 'client_hello');
    const replaced = await parlo.flows.put({ ...flow, name: 'Client hello 2' });
    assert.equal(replaced.name, 'Client hello 2');
    assert.equal((await parlo.flows.get('client_hello')).name, 'Client hello 2');

    const broken = { ...flow, start: 'nowhere' };
    const invalid = await rejectsWith(parlo.flows.put(broken), 'validation_failed', 422);
    assert.ok(invalid.problem.errors.some((e) => e.pointer === '/start'), JSON.stringify(invalid.problem));
    await rejectsWith(parlo.flows.get('no_such_flow'), 'not_found', 404);
  });

  test('flows: create, folders, statistics, delete', async () => {
    const quote = {
      id: 'client_quote',
      name: 'Quote',
      folder: 'sales/quotes',
      start: 'ask',
      steps: { ask: { type: 'message', text: 'A quote?', quick_replies: [{ title: 'Yes', next: 'yes' }] }, yes: { type: 'message', text: 'Great' } },
    };
    assert.equal((await parlo.flows.create(quote)).folder, 'sales/quotes');
    await rejectsWith(parlo.flows.create(quote), 'conflict', 409);
    assert.deepEqual((await parlo.flows.listAll({ folder: 'sales/quotes' })).map((f) => f.id), ['client_quote']);
    const top = await parlo.flows.folders();
    assert.ok(top.items.some((f) => f.path === 'sales'), JSON.stringify(top));
    const sub = await parlo.flows.folders('sales');
    assert.deepEqual(sub.items.map((f) => f.path), ['sales/quotes']);

    const id = (await parlo.subscribers.create({ channel_id: 'demo' })).id;
    await parlo.conversations.sendFlow(id, { flow_id: 'client_quote' });
    const statistics = await parlo.flows.statistics('client_quote');
    assert.equal(statistics.flow_id, 'client_quote');
    assert.equal(statistics.steps.find((s) => s.step_id === 'ask').sent, 1);

    await parlo.flows.delete('client_quote');
    await rejectsWith(parlo.flows.get('client_quote'), 'not_found', 404);
  });

  test('forms and leads: create, get, put, stats, leads list, get and CSV export, delete', async () => {
    const form = {
      id: 'client-contact',
      name: 'Contact',
      fields: [{ name: 'email', type: 'email', label: 'E-mail', required: true }],
      min_fill_ms: 0,
    };
    assert.equal((await parlo.forms.create(form)).id, 'client-contact');
    await rejectsWith(parlo.forms.create(form), 'conflict', 409);
    assert.equal((await parlo.forms.put({ ...form, name: 'Contact us' })).name, 'Contact us');
    assert.equal((await parlo.forms.get('client-contact')).name, 'Contact us');
    assert.ok((await parlo.forms.listAll()).some((f) => f.id === 'client-contact'));

    await server.ok('POST', '/api/public/v1/forms/client-contact/submissions', {
      body: { idempotency_key: 'client-lead-1', values: { email: 'lead@example.com' } },
    });
    assert.equal((await parlo.forms.stats('client-contact')).leads, 1);
    const leads = await parlo.leads.listAll({ form_id: 'client-contact' });
    assert.equal(leads.length, 1);
    assert.deepEqual(await parlo.leads.get(leads[0].id), leads[0]);
    assert.equal((await parlo.leads.list({ form_id: 'client-contact' }, { limit: 1 })).items.length, 1);
    const csv = await parlo.leads.exportCsv({ form_id: 'client-contact' });
    assert.match(csv, /lead@example\.com/);
    await rejectsWith(parlo.leads.list({ from: '2030-01-01T00:00:00Z', to: '2020-01-01T00:00:00Z' }), 'invalid_date_range', 400);

    await parlo.forms.delete('client-contact');
    await rejectsWith(parlo.forms.get('client-contact'), 'not_found', 404);
  });

  test('subscribers: export one as a document, erase one with everything they sent', async () => {
    const form = {
      id: 'client-gdpr',
      name: 'Newsletter',
      fields: [{ name: 'email', type: 'email', label: 'E-mail', required: true }],
      min_fill_ms: 0,
    };
    await parlo.forms.create(form);
    const session = await server.session();
    const id = session.subscriber_id;
    await parlo.conversations.sendMessage(id, 'Your data, as asked');
    await server.ok('POST', '/api/public/v1/forms/client-gdpr/submissions', {
      body: { idempotency_key: 'client-gdpr-1', values: { email: 'erin@example.com' }, session_token: session.session_token },
    });

    const exported = await parlo.subscribers.export(id);
    assert.deepEqual(exported.subscriber, await parlo.subscribers.get(id));
    assert.equal(exported.conversations.length, 1);
    assert.ok(exported.conversations[0].messages.some((m) => m.content.text === 'Your data, as asked'));
    assert.deepEqual(exported.leads.map((l) => l.values.email), ['erin@example.com']);

    await parlo.subscribers.erase(id);
    await rejectsWith(parlo.subscribers.get(id), 'not_found', 404);
    await rejectsWith(parlo.subscribers.export(id), 'not_found', 404);
    await rejectsWith(parlo.subscribers.erase(id), 'not_found', 404);
    assert.deepEqual(await parlo.leads.listAll({ form_id: 'client-gdpr' }), []);
    await parlo.forms.delete('client-gdpr');
  });

  test('channels: create shows the snippet and the identity secret once, put, list, keywords, rotate, archive, delete', async () => {
    const settings = { name: 'Client shop', allowed_origins: ['https://client.example'] };
    const created = await parlo.channels.create(settings);
    assert.match(created.identity_secret, /^parlo_is_/);
    assert.ok(created.embed_snippet.includes(`data-channel="${created.id}"`), created.embed_snippet);
    const got = await parlo.channels.get(created.id);
    assert.equal(got.identity_secret, undefined);
    assert.equal(got.embed_snippet, created.embed_snippet);
    const put = await parlo.channels.put(created.id, { ...settings, greeting: 'Hello from the client' });
    assert.equal(put.greeting, 'Hello from the client');
    assert.ok((await parlo.channels.listAll()).some((c) => c.id === created.id));
    await rejectsWith(parlo.channels.create({ name: 'Bad', allowed_origins: ['https://client.example/'] }), 'validation_failed', 422);
    const keyword = await parlo.channels.createKeyword(created.id, { phrases: ['Refund'], match: 'starts_with', flow: 'menu' });
    assert.match(keyword.id, /^kw_/);
    assert.equal(keyword.enabled, true);
    const off = await parlo.channels.putKeyword(created.id, keyword.id, { phrases: ['refund'], flow: 'menu', enabled: false });
    assert.deepEqual(await parlo.channels.getKeyword(created.id, keyword.id), off);
    assert.deepEqual(await parlo.channels.listKeywords(created.id), [off]);
    await rejectsWith(parlo.channels.createKeyword(created.id, { phrases: ['?!'], flow: 'no-such-flow' }), 'validation_failed', 422);
    assert.equal(await parlo.channels.deleteKeyword(created.id, keyword.id), undefined);
    await rejectsWith(parlo.channels.getKeyword(created.id, keyword.id), 'not_found', 404);
    const rotated = await parlo.channels.rotateIdentitySecret(created.id);
    assert.notEqual(rotated.identity_secret, created.identity_secret);
    assert.equal(await parlo.channels.delete(created.id, true), undefined);
    assert.ok((await parlo.channels.get(created.id)).archived_at);
    await parlo.channels.delete(created.id);
    await rejectsWith(parlo.channels.get(created.id), 'not_found', 404);
  });

  test('broadcasts: create, get until done with statistics, list, recipients, cancel', async () => {
    await parlo.tags.create('client-broadcast');
    const ids = [await newSubscriber(), await newSubscriber()];
    for (const id of ids) await parlo.subscribers.addTags(id, ['client-broadcast']);
    const content = { type: 'messages', messages: [{ type: 'text', text: 'Hello, subscribers' }] };

    const sent = await parlo.broadcasts.create({ name: 'Now', content, audience: { tags: ['client-broadcast'] } });
    assert.equal(sent.name, 'Now');
    let done = sent;
    for (let i = 0; i < 100 && done.state !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      done = await parlo.broadcasts.get(sent.id);
    }
    assert.equal(done.state, 'done');
    assert.deepEqual(
      { targeted: done.statistics.targeted, sent: done.statistics.sent, failed: done.statistics.failed },
      { targeted: 2, sent: 2, failed: 0 },
    );
    const recipients = await parlo.broadcasts.recipientsAll(sent.id);
    assert.deepEqual(recipients.map((r) => [r.subscriber_id, r.state]), ids.map((id) => [id, 'sent']));
    assert.deepEqual((await parlo.broadcasts.recipients(sent.id, { limit: 1 })).items.length, 1);
    const history = await parlo.conversations.historyAll(ids[0]);
    assert.ok(history.some((m) => m.content?.text === 'Hello, subscribers'), JSON.stringify(history));

    const later = await parlo.broadcasts.create({
      name: 'Later', content, audience: { subscriber_ids: [ids[0]] }, send_at: '2099-01-01T00:00:00Z',
    });
    assert.equal(later.state, 'scheduled');
    assert.equal((await parlo.broadcasts.cancel(later.id)).state, 'cancelled');
    assert.ok((await parlo.broadcasts.listAll()).some((b) => b.id === later.id && b.state === 'cancelled'));
    await rejectsWith(parlo.broadcasts.cancel(sent.id), 'conflict', 409);
    await rejectsWith(parlo.broadcasts.get(999999), 'not_found', 404);
    await rejectsWith(
      parlo.broadcasts.create({ name: 'Nobody', content, audience: { tags: ['no-such-tag'] } }),
      'validation_failed',
      422,
    );
    await assert.rejects(parlo.broadcasts.create({ name: 'Bad' }), TypeError);
  });

  test('shop: products, a cart priced on the server, orders and their status', async () => {
    const product = await parlo.products.create({
      name: 'Client mug', currency: 'EUR', price: 900, sku: 'client-mug',
      variants: [{ options: { colour: 'blue' }, price: 950, sku: 'client-mug-blue', stock: 1 }],
    });
    assert.equal(product.settings.variants[0].stock, 1);
    assert.ok((await parlo.products.listAll()).some((p) => p.id === product.id));
    await rejectsWith(parlo.products.create({ ...product.settings, sku: 'client-mug-2' }), 'validation_failed', 422);

    const id = await newSubscriber();
    const cart = await parlo.carts.add(id, 'client-mug-blue', 2);
    assert.deepEqual(cart.totals, [{ currency: 'EUR', amount: 1900 }]);
    assert.equal((await parlo.carts.setQuantity(id, 'client-mug-blue', 1)).lines[0].quantity, 1);

    const buyer = { name: 'Ada Lovelace', email: 'ada@example.com' };
    const order = await parlo.orders.create({ subscriber_id: id, buyer });
    assert.deepEqual([order.status, order.total.amount], ['pending', 950]);
    assert.deepEqual((await parlo.carts.get(id)).lines, []);
    await rejectsWith(
      parlo.orders.create({ lines: [{ sku: 'client-mug-blue', quantity: 1 }], buyer }),
      'out_of_stock',
      409,
    );
    await rejectsWith(parlo.orders.setStatus(order.id, 'fulfilled'), 'invalid_transition', 409);
    assert.equal((await parlo.orders.setStatus(order.id, 'paid')).status, 'paid');
    const paid = await parlo.orders.list({ status: 'paid', subscriber_id: id });
    assert.deepEqual(paid.items.map((o) => o.id), [order.id]);
    assert.equal((await parlo.orders.get(order.id)).lines[0].unit_price, 950);
    await parlo.products.delete(product.id);
    await rejectsWith(parlo.products.get(product.id), 'not_found', 404);
  });

  test('webhook endpoints and deliveries: create shows the secret once, rotate, list, redeliver, delete', async () => {
    const created = await parlo.webhookEndpoints.create({ url: 'https://hooks.example.com/parlo', description: 'client test' });
    assert.match(created.secret, /^whsec_/);
    assert.equal((await parlo.webhookEndpoints.get(created.id)).secret, undefined);
    const rotated = await parlo.webhookEndpoints.rotateSecret(created.id);
    assert.notEqual(rotated.secret, created.secret);
    assert.ok((await parlo.webhookEndpoints.listAll()).some((e) => e.id === created.id));
    assert.equal((await parlo.webhookEndpoints.list({ limit: 1 })).items.length, 1);

    const deliveries = await parlo.deliveries.listAll({ endpoint_id: created.id });
    assert.deepEqual(deliveries, []);
    assert.deepEqual((await parlo.deliveries.list({ status: 'pending' })).items.filter((d) => d.automation?.endpoint_id === created.id), []);
    await assert.rejects(parlo.deliveries.list({ status: 'lost' }), TypeError);
    await rejectsWith(parlo.deliveries.get(999999), 'not_found', 404);
    await rejectsWith(parlo.deliveries.redeliver(999999), 'not_found', 404);
    await rejectsWith(parlo.deliveries.attempts(999999), 'not_found', 404);

    await parlo.webhookEndpoints.delete(created.id);
    await rejectsWith(parlo.webhookEndpoints.get(created.id), 'not_found', 404);
  });

  test('console users: login, workspaces and their keys, delete a workspace, logout', async () => {
    const email = 'owner@example.com';
    await server.createUser(email, 'correct horse battery staple');
    const { client, session } = await parloClient.ParloClient.login(server.url, {
      email,
      password: 'correct horse battery staple',
    });
    assert.equal(session.user.email, email);
    assert.ok(client instanceof parloClient.ParloClient);
    await rejectsWith(
      parloClient.ParloClient.login(server.url, { email, password: 'wrong' }),
      'unauthorized',
      401,
    );

    const workspace = await client.workspaces.create({ slug: 'client-ws', name: 'Client WS' });
    assert.ok((await client.workspaces.listAll()).some((w) => w.id === workspace.id));
    const key = await client.workspaces.createApiKey(workspace.id, 'from the console');
    assert.ok((await client.workspaces.apiKeys(workspace.id)).items.some((k) => k.id === key.id));
    const scoped = new parloClient.ParloClient({ baseUrl: server.url, apiKey: key.secret });
    assert.deepEqual((await scoped.tags.list()).items, []);
    const inWorkspace = client.inWorkspace(workspace.id);
    assert.ok(inWorkspace instanceof parloClient.ParloClient);
    await inWorkspace.tags.create('made-with-the-session');
    assert.deepEqual((await scoped.tags.list()).items.map((t) => t.name), ['made-with-the-session']);
    assert.throws(() => client.inWorkspace('client-ws'), TypeError);
    assert.throws(() => client.inWorkspace(0), TypeError);

    await rejectsWith(client.workspaces.delete(workspace.id, 'not-its-slug'), 'bad_request', 400);
    await client.workspaces.delete(workspace.id, 'client-ws');
    assert.ok(!(await client.workspaces.listAll()).some((w) => w.id === workspace.id));
    await rejectsWith(scoped.tags.list(), 'unauthorized', 401);
    await rejectsWith(client.workspaces.delete(workspace.id, 'client-ws'), 'not_found', 404);

    await client.logout();
    await rejectsWith(client.workspaces.list(), 'unauthorized', 401);
  });

  test('a server that is not there rejects with network_error after the retries', async () => {
    const offline = new parloClient.ParloClient({ baseUrl: 'http://127.0.0.1:9', apiKey: server.key, maxAttempts: 2 });
    const error = await offline.tags.list().catch((e) => e);
    assert.equal(error.name, 'ParloError');
    assert.equal(error.code, 'network_error');
    assert.equal(error.status, undefined);
  });
});

describe('ParloClient in Chromium', () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('the browser entry loads the wasm and manages tags from a page', async () => {
    const { page } = await newPage(browser);
    // A page of the server's own origin (the server serves pkg/ at /pkg/).
    await page.goto(`${server.url}/pkg/package.json`);
    const result = await page.evaluate(async (apiKey) => {
      const { ParloClient } = await import('/pkg/client/index.js');
      await ParloClient.ready();
      const parlo = new ParloClient({ baseUrl: location.origin, apiKey });
      const tag = await parlo.tags.create('from-chromium');
      const found = await parlo.tags.get('from-chromium');
      const missing = await parlo.tags.get(999999).catch((e) => ({ name: e.name, code: e.code, status: e.status }));
      return { tag, found, missing };
    }, server.key);
    assert.deepEqual(result.found, result.tag);
    assert.deepEqual(result.missing, { name: 'ParloError', code: 'not_found', status: 404 });
    assert.deepEqual(page.problems.filter((p) => !p.includes('404')), []);
  });

  test('a wasm that cannot be fetched rejects ParloClient.ready(); a later call loads it', async () => {
    const { page } = await newPage(browser);
    await page.goto(`${server.url}/pkg/package.json`);
    const wasm = (url) => url.pathname === '/pkg/client/parlo_client_bg.wasm';
    await page.route(wasm, (route) => route.abort('internetdisconnected'));
    const first = await page.evaluate(async () => {
      const { ParloClient } = await import('/pkg/client/index.js');
      return ParloClient.ready().then(() => 'resolved', (error) => error.message);
    });
    assert.equal(first, 'Parlo: cannot load the management client (parlo_client_bg.wasm)');
    await page.unroute(wasm);
    const tags = await page.evaluate(async (apiKey) => {
      const { ParloClient } = await import('/pkg/client/index.js');
      await ParloClient.ready();
      return (await new ParloClient({ baseUrl: location.origin, apiKey }).tags.listAll()).length;
    }, server.key);
    assert.ok(tags >= 1, 'the client works once its wasm loads');
  });
});
