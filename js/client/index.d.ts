// The declarations of `parlo/client` (both entries): those wasm-bindgen generated from the
// Rust types, without the wasm loader functions (the entries load the wasm themselves).
export * from './parlo_client.js';
