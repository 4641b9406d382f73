// The app every bundler builds: the chat widget with `init` (no `bundleUrl`: the bundler
// emitted the bundles), a lead form with `form`, and the workspace's tags listed with
// `ParloClient`. The Parlo server and a management key come from the page's query string
// (`?api=…&key=…`); the page shows what happened in `data-*` attributes of `<body>`.
import { form, init } from 'parlo';
import { ParloClient, type Tag } from 'parlo/client';

const query = new URLSearchParams(location.search);
const apiBase = query.get('api') ?? location.origin;
const body = document.body;

const chat = init({ channel: 'demo', apiBase });
chat.on('error', ({ message }) => (body.dataset.chatError = message));

const host = document.querySelector<HTMLElement>('#lead');
if (!host) throw new Error('no #lead element');
form(host, { form: query.get('form') ?? 'quote', apiBase }).ready.then(
  () => (body.dataset.form = 'ready'),
  (error: unknown) => (body.dataset.form = String(error)),
);

/** Lists the names of the workspace's tags in `#tags`. */
async function listTags(apiKey: string): Promise<void> {
  await ParloClient.ready();
  const parlo = new ParloClient({ baseUrl: apiBase, apiKey });
  const tags: Tag[] = await parlo.tags.listAll();
  const list = document.querySelector('#tags');
  for (const tag of tags) list?.append(Object.assign(document.createElement('li'), { textContent: tag.name }));
  body.dataset.tags = 'listed';
}

listTags(query.get('key') ?? '').catch((error: unknown) => (body.dataset.tags = String(error)));
