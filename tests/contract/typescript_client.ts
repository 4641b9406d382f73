// A TypeScript client of the Parlo API made only from the server's OpenAPI document:
// `openapi-typescript` turns `/api/openapi.json` into `./api.d.ts` (next to this file when the
// test copies it), `openapi-fetch` sends typed requests. `tsc --strict` must accept every call
// below and refuse the ones marked `@ts-expect-error` (bodies the server refuses); then the
// compiled program runs in Node against a real server.
//
// Usage: node typescript_client.js <base-url> <management-key>

import createClient from 'openapi-fetch';
import type { components, paths } from './api.js';

// Node's `process`, without a dependency on its type package.
declare const process: { argv: string[] };

type Schemas = components['schemas'];

const [baseUrl, key] = process.argv.slice(2);
const api = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${key}` } });

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const suffix = Math.random().toString(36).slice(2, 10);

// Tags: the created tag is typed, and so is the problem of a refused name.
const tag = await api.POST('/api/v1/tags', { body: { name: `vip-${suffix}` } });
check(tag.response.status === 201 && tag.data !== undefined, `tag: ${tag.response.status}`);
const id: number = tag.data.id;
const refused = await api.POST('/api/v1/tags', { body: { name: ' ' } });
const problem: Schemas['Problem'] | undefined = refused.error;
check(refused.response.status === 422 && problem?.code === 'validation_failed', 'a blank name is refused');
check(problem.errors?.[0]?.pointer === '/name', 'the problem points at /name');

const page = await api.GET('/api/v1/tags', { params: { query: { limit: 100 } } });
check(page.data?.items.some((t) => t.id === id) === true, 'the tag is listed');

// Subscribers and send-content with every message and action kind.
const created = await api.POST('/api/v1/subscribers', {
  body: { channel_id: 'demo', email: `ts-${suffix}@example.com`, first_name: 'Ada' },
});
check(created.data !== undefined, `subscriber: ${created.response.status}`);
const sid = created.data.id;
await api.POST('/api/v1/custom-fields', { body: { name: `plan_${suffix}`, type: 'text' } });

const messages: Schemas['ContentMessage'][] = [
  { type: 'text', text: 'Hello', buttons: [{ title: 'Site', url: 'https://shop.example/' }] },
  { type: 'image', url: 'https://shop.example/rose.jpg', alt: 'A rose' },
  { type: 'card', title: 'Roses', buttons: [{ title: 'Hours', flow: 'hours' }] },
  { type: 'carousel', cards: [{ title: 'One' }, { title: 'Two' }] },
];
const actions: Schemas['ContentAction'][] = [
  { type: 'add_tag', tag: `vip-${suffix}` },
  { type: 'remove_tag', tag: id },
  { type: 'set_field', field: `plan_${suffix}`, value: 'gold' },
  { type: 'clear_field', field: `plan_${suffix}` },
];
const sent = await api.POST('/api/v1/subscribers/{subscriber_id}/send-content', {
  params: { path: { subscriber_id: sid } },
  body: { messages, actions },
});
check(sent.data?.messages.length === 4, `send-content: ${sent.response.status}`);

// Send-flow: payload values are strings, numbers or booleans.
const flow = await api.POST('/api/v1/subscribers/{subscriber_id}/send-flow', {
  params: { path: { subscriber_id: sid } },
  body: { flow_id: 'hours', payload: { order: 'A-17', count: 2, gift: true } },
});
check(flow.response.status === 200, `send-flow: ${flow.response.status}`);

// A form with every automation kind, read back with its variants.
const automations: Schemas['Automation'][] = [
  { type: 'add_tags', tags: ['lead'] },
  { type: 'remove_tags', tags: ['cold'] },
  { type: 'set_fields', fields: { first_name: '{{values.name}}' } },
  { type: 'start_flow', flow_id: 'hours' },
  { type: 'email', to: 'owner@shop.example' },
];
const form = await api.POST('/api/v1/forms', {
  body: {
    id: `ts_${suffix}`,
    name: 'Contact',
    fields: [{ name: 'email', type: 'email', label: 'E-mail', required: true }],
    success: { type: 'message', text: 'Thanks!' },
    automations,
  },
});
check(form.response.status === 201, `form: ${form.response.status} ${JSON.stringify(form.error)}`);
const kinds = form.data?.automations?.map((a) => a.type);
check(JSON.stringify(kinds) === JSON.stringify(automations.map((a) => a.type)), `automations: ${kinds}`);

// Bodies the server refuses do not compile.
// @ts-expect-error a custom field value is never an object
const objectValue: Schemas['ContentAction'] = { type: 'set_field', field: 'plan', value: { a: 1 } };
// @ts-expect-error there is no `sms` automation
const sms: Schemas['Automation'] = { type: 'sms', to: '+1' };
// @ts-expect-error payload values are not arrays
const arrayPayload: Schemas['SendFlow'] = { flow_id: 'hours', payload: { list: [1] } };
void [objectValue, sms, arrayPayload];

console.log('generated TypeScript client: ok for tags, subscribers, send-content, send-flow, forms');
