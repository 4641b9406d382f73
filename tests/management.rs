//! The management client against a real `parlo-server`, from Chromium.
// Run by wasm-bindgen-test-runner in Chromium, without libtest (`harness = false`);
// elsewhere the binary is empty.
#![cfg_attr(target_arch = "wasm32", no_main)]

#[cfg(not(target_arch = "wasm32"))]
fn main() {}

#[cfg(target_arch = "wasm32")]
mod browser {
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);
}
