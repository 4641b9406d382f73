//! `cargo xtask bench`: prints figures of the browser bundle; never asserts a time.
//!
//! The measuring is done by `tests/e2e/bench/widget.mjs` (Node + playwright-core + CDP):
//! bundle sizes raw/gzip/brotli, bytes the host page downloads before any interaction, time
//! until the launcher is visible and from a launcher click to the first bot message (median,
//! min and max of several runs, each in a fresh browser context, against a real server with a
//! fresh data directory).

use crate::toolchain::Toolchain;
use crate::util::{Result, run, step};
use std::process::Command;

/// Runs the widget benchmark; `args` are passed on (e.g. `--runs 11`).
pub fn bench(tc: &Toolchain, args: &[String]) -> Result {
    step("bench: widget bundle and page-load figures");
    let mut node = Command::new(&tc.node);
    node.current_dir(&tc.root)
        .arg(tc.e2e_dir().join("bench/widget.mjs"))
        .args(args);
    for (key, value) in tc.e2e_env() {
        node.env(key, value);
    }
    run(&mut node)
}
