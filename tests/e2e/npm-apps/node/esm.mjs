// `parlo/client` from a Node.js ES module: prints the names of the workspace's tags as JSON.
// Usage: node esm.mjs <server URL> <management key>
import { ParloClient } from 'parlo/client';

const [baseUrl, apiKey] = process.argv.slice(2);
await ParloClient.ready();
const parlo = new ParloClient({ baseUrl, apiKey });
const tags = await parlo.tags.listAll();
console.log(JSON.stringify(tags.map((tag) => tag.name)));
