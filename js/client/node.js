// `parlo/client` in Node.js ≥ 18: `fetch` cannot read file: URLs there, so the wasm bytes are
// read from disk and instantiated synchronously while the module loads (no top-level `await`,
// so `require("parlo/client")` works where Node.js can require ES modules); then `ParloClient`
// and friends are re-exported, with `ParloClient.ready()` already resolved.
import { readFileSync } from 'node:fs';
import { initSync, ParloClient } from './parlo_client.js';

initSync({ module: readFileSync(new URL('./parlo_client_bg.wasm', import.meta.url)) });

ParloClient.ready = () => Promise.resolve();

export * from './parlo_client.js';
