// `parlo/client` in browsers and workers: instantiates the management client's wasm (fetched
// next to this file), then re-exports `ParloClient` and friends.
import init from './parlo_client.js';

await init({ module_or_path: new URL('./parlo_client_bg.wasm', import.meta.url) });

export * from './parlo_client.js';
