// `parlo/client` in browsers and workers: `ParloClient` and friends, with `ParloClient.ready()`,
// which instantiates the management client's wasm (fetched from `parlo_client_bg.wasm` next to
// the glue, by the literal URL bundlers follow) once. No top-level `await`: importing loads
// nothing; `new ParloClient(…)` needs `await ParloClient.ready()` first.
import init, { ParloClient } from './parlo_client.js';

/** The instantiation under way or done; cleared by a failure, so a later call tries again. */
let loading = null;

ParloClient.ready = function ready() {
  loading ??= init({ module_or_path: new URL('./parlo_client_bg.wasm', import.meta.url) }).then(
    () => undefined,
    (cause) => {
      loading = null;
      throw new Error('Parlo: cannot load the management client (parlo_client_bg.wasm)', { cause });
    },
  );
  return loading;
};

export * from './parlo_client.js';
