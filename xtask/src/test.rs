//! `cargo xtask test`: every test suite, in order; fails if any of them fails.
//!
//! 1. `cargo test --workspace` (native);
//! 2. the wasm-bindgen tests of the `parlo` crate in headless Chromium (chromedriver);
//! 3. the end-to-end suite `node --test tests/e2e/*.test.mjs` (real Chromium driven by
//!    playwright-core, against the real `parlo-server` binary).
//!
//! All suites run even when an earlier one fails; a summary lists each outcome.

use crate::toolchain::{Toolchain, WASM_TARGET};
use crate::util::{Result, run, step};
use std::process::Command;
use std::time::Instant;

/// Runs all suites and reports them.
pub fn test(tc: &Toolchain) -> Result {
    let mut outcomes: Vec<(&str, Result, f64)> = Vec::new();
    let mut suite = |name: &'static str, f: &dyn Fn() -> Result| {
        step(&format!("test: {name}"));
        let started = Instant::now();
        let outcome = f();
        if let Err(error) = &outcome {
            println!("    FAILED: {error}");
        }
        outcomes.push((name, outcome, started.elapsed().as_secs_f64()));
    };
    suite("native (cargo test --workspace)", &|| native(tc));
    suite("wasm in Chromium (wasm-bindgen-test)", &|| wasm(tc));
    suite("end-to-end (node --test tests/e2e)", &|| e2e(tc));

    step("test: summary");
    let mut failed = 0;
    for (name, outcome, seconds) in &outcomes {
        let verdict = if outcome.is_ok() { "ok    " } else { "FAILED" };
        println!("    {verdict} {name} ({seconds:.0} s)");
        failed += usize::from(outcome.is_err());
    }
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} test suite(s) failed").into())
    }
}

/// `cargo test --workspace` with the native toolchain.
fn native(tc: &Toolchain) -> Result {
    run(tc.native_cargo().args(["test", "--workspace"]))
}

/// The `parlo` crate's tests compiled to wasm32 and run in Chromium by wasm-bindgen-test-runner.
fn wasm(tc: &Toolchain) -> Result {
    let Some(runner) = &tc.wasm_bindgen_test_runner else {
        return Err("the parlo crate does not depend on wasm-bindgen yet (no browser tests to run)".into());
    };
    run(tc
        .wasm_cargo()
        .env("CHROMEDRIVER", &tc.chromedriver)
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", runner)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
        .args(["test", "--target", WASM_TARGET, "-p", "parlo"]))
}

/// The Node end-to-end suite, one test file at a time.
fn e2e(tc: &Toolchain) -> Result {
    let mut files: Vec<_> = std::fs::read_dir(tc.e2e_dir())?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err("no tests/e2e/*.test.mjs files".into());
    }
    let mut node = Command::new(&tc.node);
    node.current_dir(&tc.root)
        .args(["--test", "--test-concurrency=1"])
        .args(&files);
    for (key, value) in tc.e2e_env() {
        node.env(key, value);
    }
    run(&mut node)
}
