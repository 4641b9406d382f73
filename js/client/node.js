// `parlo/client` in Node.js ≥ 18: `fetch` cannot read file: URLs there, so the wasm bytes are
// read from disk and instantiated synchronously; then `ParloClient` and friends are re-exported.
import { readFileSync } from 'node:fs';
import { initSync } from './parlo_client.js';

initSync({ module: readFileSync(new URL('./parlo_client_bg.wasm', import.meta.url)) });

export * from './parlo_client.js';
