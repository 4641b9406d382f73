// The owner's inbox through the npm package's typed client (`parlo/client`, `ParloClient`)
// against a real parlo-server: conversations newest activity first with unread counts, and
// the read marker that clears them.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pkgDir } from './lib/env.mjs';
import { ParloServer } from './lib/server.mjs';

let server;
let consumerDir;
/** A `ParloClient` with the server's management key. */
let parlo;

before(async () => {
  server = await ParloServer.start({ name: 'inbox' });
  // An app with `node_modules/parlo` → pkg/, importing `parlo/client` by its package name.
  consumerDir = mkdtempSync(join(tmpdir(), 'parlo-inbox-consumer-'));
  mkdirSync(join(consumerDir, 'node_modules'));
  symlinkSync(pkgDir, join(consumerDir, 'node_modules', 'parlo'), 'dir');
  writeFileSync(join(consumerDir, 'app.mjs'), "export * from 'parlo/client';\n");
  const { ParloClient } = await import(pathToFileURL(join(consumerDir, 'app.mjs')).href);
  parlo = new ParloClient({ baseUrl: server.url, apiKey: server.key });
});

after(async () => {
  await server?.dispose();
  if (consumerDir) rmSync(consumerDir, { recursive: true, force: true });
});

test('the inbox lists the newest conversation first, with its unread messages until read', async () => {
  // Bob's conversation is older; Ada's message makes hers the newest activity.
  const bob = await server.session();
  const ada = await server.session();
  await server.sendText(ada.session_token, 'Where is my parcel?');

  const page = await parlo.inbox.list();
  const ids = page.items.map((c) => c.subscriber_id);
  assert.ok(ids.indexOf(ada.subscriber_id) < ids.indexOf(bob.subscriber_id), 'Ada wrote last');
  assert.ok(ids.includes(bob.subscriber_id));
  const row = page.items.find((c) => c.subscriber_id === ada.subscriber_id);
  assert.equal(row.unread_count, 1);
  assert.equal(row.channel_id, 'demo');
  assert.ok(row.last_message.created_at <= row.last_activity_at);

  const unread = await parlo.inbox.list({ unread: true }, { limit: 10 });
  assert.deepEqual(unread.items.map((c) => c.subscriber_id), [ada.subscriber_id]);

  const marker = await parlo.inbox.markRead(ada.subscriber_id);
  assert.equal(marker.unread_count, 0);
  assert.equal(marker.read_seq, row.last_message.seq);
  assert.deepEqual((await parlo.inbox.list({ unread: true })).items, []);
  assert.equal((await parlo.inbox.listAll()).length, ids.length);

  const error = await parlo.inbox.markRead(ada.subscriber_id, 1000).then(
    () => assert.fail('a marker after the newest message is refused'),
    (e) => e,
  );
  assert.equal(error.code, 'validation_failed');
  assert.equal(error.problem.errors[0].pointer, '/seq');
});

test('the workspace event stream brings a visitor message and an agent reply live, and resumes', async () => {
  const stream = await parlo.inbox.events();
  const start = stream.lastEventId;
  assert.equal(typeof start, 'number', 'the stream announces where it starts');
  const cy = await server.session();
  await server.sendText(cy.session_token, 'Anyone there?');
  // The greeting of the new session, then the visitor's message.
  let item;
  do {
    item = await stream.next();
  } while (item.event.message.author !== 'visitor');
  assert.equal(item.event.subscriber_id, cy.subscriber_id);
  assert.equal(item.event.message.content.text, 'Anyone there?');
  assert.equal(item.event.unread_count, 1);
  const visitorId = item.id;
  assert.ok(visitorId > start);

  await parlo.conversations.sendMessage(cy.subscriber_id, 'Hi, this is Sam.');
  do {
    item = await stream.next();
  } while (item.event.message.author !== 'agent');
  assert.equal(item.event.message.content.text, 'Hi, this is Sam.');
  stream.close();
  assert.equal(await stream.next(), undefined, 'a closed stream ends');

  // Reopened after the visitor's message, it brings what came after it first.
  const resumed = await parlo.inbox.events(visitorId);
  const next = await resumed.next();
  assert.ok(next.id > visitorId);
  assert.notEqual(next.event.message.content.text, 'Anyone there?');
  resumed.close();
});
