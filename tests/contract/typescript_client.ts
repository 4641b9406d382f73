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

// Conversations: an agent's reply is stored and read back in the history.
const reply = await api.POST('/api/v1/subscribers/{subscriber_id}/messages', {
  params: { path: { subscriber_id: sid } },
  body: { text: 'Hi, Sam here.' },
});
check(reply.response.status === 200, `agent message: ${reply.response.status}`);
const history = await api.GET('/api/v1/subscribers/{subscriber_id}/messages', {
  params: { path: { subscriber_id: sid }, query: { limit: 100 } },
});
check(history.data?.items.some((m) => m.author === 'agent') === true, 'the agent message is in the history');

// Webhook endpoints, and a flow whose webhook step calls one and then hands over.
const endpoint = await api.POST('/api/v1/webhook-endpoints', { body: { url: 'https://hooks.shop.example/parlo' } });
check(endpoint.response.status === 201 && endpoint.data !== undefined, `endpoint: ${endpoint.response.status}`);
const steps: Schemas['Flow']['steps'] = {
  call: {
    type: 'webhook',
    endpoint_id: endpoint.data.id,
    save: { [`plan_${suffix}`]: '/plan' },
    next: 'done',
    failure: 'person',
  },
  done: { type: 'notify_owner', to: 'owner@shop.example', text: 'New plan: {{plan_' + suffix + '}}' },
  person: { type: 'hand_over', text: 'A person will reply here.' },
};
const stored = await api.PUT('/api/v1/flows/{flow_id}', {
  params: { path: { flow_id: `ts_${suffix}` } },
  body: { id: `ts_${suffix}`, name: 'Plan check', start: 'call', steps },
});
check(stored.response.status === 201, `flow: ${stored.response.status} ${JSON.stringify(stored.error)}`);

// Custom fields, leads, deliveries and API keys are listed with their typed pages.
const fields = await api.GET('/api/v1/custom-fields', { params: { query: { limit: 100 } } });
check(fields.data?.items.some((f) => f.name === `plan_${suffix}`) === true, 'the custom field is listed');
const leads = await api.GET('/api/v1/leads', { params: { query: { limit: 10 } } });
check(leads.response.status === 200 && Array.isArray(leads.data?.items), `leads: ${leads.response.status}`);
const deliveries = await api.GET('/api/v1/deliveries', { params: { query: { limit: 10 } } });
check(deliveries.response.status === 200 && Array.isArray(deliveries.data?.items), `deliveries: ${deliveries.response.status}`);
const keys = await api.GET('/api/v1/api-keys');
check(keys.response.status === 200 && keys.data !== undefined, `api keys: ${keys.response.status}`);

// Bodies the server refuses do not compile.
// @ts-expect-error a custom field value is never an object
const objectValue: Schemas['ContentAction'] = { type: 'set_field', field: 'plan', value: { a: 1 } };
// @ts-expect-error there is no `sms` automation
const sms: Schemas['Automation'] = { type: 'sms', to: '+1' };
// @ts-expect-error a webhook step names its endpoint by id, not by URL
const urlStep: Schemas['Step'] = { type: 'webhook', endpoint_id: 'https://hooks.shop.example/parlo' };
// @ts-expect-error payload values are not arrays
const arrayPayload: Schemas['SendFlow'] = { flow_id: 'hours', payload: { list: [1] } };
void [objectValue, sms, arrayPayload, urlStep];

console.log(
  'generated TypeScript client: ok for tags, custom fields, subscribers, send-content, send-flow, conversations, ' +
    'webhook endpoints, flows, forms, leads, deliveries, api keys',
);
