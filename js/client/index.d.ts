// The declarations of `parlo/client` (both entries): those wasm-bindgen generated from the
// Rust types, without the wasm loader functions (the entries load the wasm themselves), and
// `ParloClient.ready()`.
export * from './parlo_client.js';

declare module './parlo_client.js' {
  namespace ParloClient {
    /**
     * Instantiates the client's WebAssembly once; every call returns the same promise until it
     * settles. Await it before `new ParloClient(…)` in browsers and workers, where the wasm is
     * fetched (`parlo_client_bg.wasm`, next to the module as the bundler emitted it); in
     * Node.js it is instantiated when `parlo/client` is imported, so this resolves at once.
     * Rejects with an `Error` whose `cause` is the fetch's or instantiation's error when the
     * wasm cannot be loaded; a later call tries again.
     */
    function ready(): Promise<void>;
  }
}
