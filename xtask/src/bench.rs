//! `cargo xtask bench`: prints figures; never asserts a time.
//!
//! - `tests/e2e/bench/widget.mjs` (Node + playwright-core + CDP): bundle sizes raw/gzip/brotli,
//!   bytes the host page downloads before any interaction, times from navigation start until
//!   the loader arrives, the launcher is appended (`parlo:launcher` mark) and visible, the
//!   page's own first-contentful-paint and the launcher's time minus it, and from a launcher
//!   click to the first bot message (median, min and max of several runs,
//!   each in a fresh browser context, against a real server with a fresh data directory);
//! - `tests/e2e/bench/server.mjs`: chat turns per second and latency percentiles of the server
//!   on SQLite, with concurrent visitors on 127.0.0.1 for a bounded time.
//! - `tests/e2e/bench/leads.mjs`: 1,000 lead submissions (idempotency keys, retried on errors)
//!   with a webhook automation to a local receiver: leads lost and duplicated, webhooks missing
//!   and repeated, submit → acknowledgement and submit → webhook latency p50/p99.
//!
//! `cargo xtask bench server [--db sqlite|postgres] [--instances N] [--visitors N] [--seconds S]
//! [--rate N]` runs only `server.mjs`, after building only the release server: on SQLite
//! (one instance), or on a throw-away PostgreSQL cluster that syncs its commits like a real
//! installation (`N` instances on one schema). It installs Debian's `wrk` when missing, so the figures
//! come from a compiled client too (see `server.mjs` for what is printed). `--rate N` paces the
//! chat turns at `N` per second in total instead of back to back (latency at a given load).
//!
//! `cargo xtask bench server --streams N [--samples N] [--db sqlite|postgres]` runs
//! `streams.mjs` instead: `N` open event streams on one instance, the server's memory per
//! stream, and how long messages take to reach them (see that script).
//!
//! Options are passed to both scripts: `--runs N` (page runs, default 9), `--path /`,
//! `--launcher-only` (page runs stop once the launcher is drawn),
//! `--visitors N` (default 16), `--seconds S` (default 10), `--leads N` (default 1000),
//! `--concurrency N` (default 16).

use crate::postgres::Cluster;
use crate::toolchain::{Toolchain, install_apt_packages};
use crate::util::{Result, run, step};
use std::process::Command;

/// Runs the benchmarks with `args` passed on.
pub fn bench(tc: &Toolchain, args: &[String]) -> Result {
    for (script, what) in [
        ("widget.mjs", "widget bundle and page-load figures"),
        ("server.mjs", "server chat-turn throughput"),
        (
            "leads.mjs",
            "lead submissions: lost, duplicated, submit → webhook latency",
        ),
    ] {
        step(&format!("bench: {what}"));
        let mut node = Command::new(&tc.node);
        node.current_dir(&tc.root)
            .arg(tc.e2e_dir().join("bench").join(script))
            .args(args);
        for (key, value) in tc.e2e_env() {
            node.env(key, value);
        }
        run(&mut node)?;
    }
    Ok(())
}

/// `cargo xtask bench server`: the server benchmark alone; `args` as in the module docs.
pub fn server(tc: &Toolchain, args: &[String]) -> Result {
    let mut postgres = false;
    let mut script = "server.mjs";
    let mut passed = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match (arg.as_str(), rest.next().map(String::as_str)) {
            ("--db", Some("sqlite")) => postgres = false,
            ("--db", Some("postgres")) => postgres = true,
            (
                name @ ("--instances" | "--visitors" | "--seconds" | "--rate" | "--streams" | "--samples"),
                Some(value),
            ) if value.parse::<u32>().is_ok() => {
                if name == "--streams" {
                    script = "streams.mjs";
                }
                passed.extend([name.to_owned(), value.to_owned()]);
            }
            (name, value) => {
                return Err(format!(
                    "bench server: unexpected `{name} {}`; expected --db sqlite|postgres, --instances N, --visitors N, --seconds S, --rate N, --streams N, --samples N",
                    value.unwrap_or("")
                )
                .into());
            }
        }
    }
    install_apt_packages(&["wrk"])?;
    let cluster = postgres.then(Cluster::throwaway_durable).transpose()?;
    step(&format!("bench: server ({script})"));
    let mut node = Command::new(&tc.node);
    node.current_dir(&tc.root)
        .arg(tc.e2e_dir().join("bench").join(script))
        .args(&passed);
    for (key, value) in tc.e2e_env() {
        node.env(key, value);
    }
    if let Some(cluster) = &cluster {
        node.env("PARLO_E2E_DATABASE_URL", cluster.url("postgres"));
    }
    run(&mut node)
}
