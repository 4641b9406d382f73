//! `cargo xtask test`: every test suite, in order; fails if any of them fails.
//!
//! 1. `cargo test --workspace` (native; the server's tests on SQLite files);
//! 2. on PostgreSQL, a throw-away cluster ([`Cluster::throwaway`]): the server's tests again
//!    (`cargo test --workspace --test server`, the server's integration tests, with the
//!    features of the native build, and `PARLO_TEST_DATABASE_URL`; each test server gets a
//!    fresh schema), then the end-to-end chat and lead-form files and the multi-instance
//!    test ([`E2E_ON_POSTGRES`], with `PARLO_E2E_DATABASE_URL`);
//! 3. the wasm-bindgen tests of the `parlo` crate in headless Chromium (chromedriver);
//! 4. the end-to-end suite `node --test tests/e2e/*.test.mjs` (real Chromium driven by
//!    playwright-core, against the real `parlo-server` binary);
//! 5. API fuzzing: schemathesis (PyPI) against `/api/openapi.json` of the server
//!    (`tests/schemathesis/`), with CI's fixed seed (see `fuzz.rs`);
//! 6. the API contract: clients generated from that document by `openapi-python-client`
//!    and `openapi-typescript` drive the API (see `contract.rs`).
//!
//! All suites run even when an earlier one fails; a summary lists each outcome.
//! `cargo xtask test <suite>…` runs only the named ones (`native`, `postgres`, `wasm`, `e2e`,
//! `fuzz`, `contract`); `fuzz` and `contract` alone build only the server.

use crate::postgres::Cluster;
use crate::server::{Server, create_key};
use crate::toolchain::{Toolchain, WASM_TARGET};
use crate::util::{Result, note, run, step};
use std::process::Command;
use std::time::Instant;

/// Short names of the suites, in the order they run.
const SUITES: [&str; 6] = ["native", "postgres", "wasm", "e2e", "fuzz", "contract"];

/// Suites that talk to the API only, so they need the debug server but no wasm bundle.
const SERVER_ONLY_SUITES: [&str; 2] = ["fuzz", "contract"];

/// Whether the suites named in `only` (all of them when it is empty) need nothing but the
/// server, so `cargo xtask test fuzz` builds no wasm bundle before running.
pub fn needs_only_the_server(only: &[String]) -> bool {
    !only.is_empty() && only.iter().all(|s| SERVER_ONLY_SUITES.contains(&s.as_str()))
}

/// Runs the suites named in `only` (all of them when it is empty) and reports them.
pub fn test(tc: &Toolchain, only: &[String]) -> Result {
    if let Some(unknown) = only.iter().find(|s| !SUITES.contains(&s.as_str())) {
        return Err(format!("unknown test suite `{unknown}` (expected one of {SUITES:?})").into());
    }
    let mut outcomes: Vec<(&str, Result, f64)> = Vec::new();
    let mut suite = |short: &str, name: &'static str, f: &dyn Fn() -> Result| {
        if !only.is_empty() && !only.iter().any(|s| s == short) {
            return;
        }
        step(&format!("test: {name}"));
        let started = Instant::now();
        let outcome = f();
        if let Err(error) = &outcome {
            println!("    FAILED: {error}");
        }
        outcomes.push((name, outcome, started.elapsed().as_secs_f64()));
    };
    suite("native", "native (cargo test --workspace)", &|| native(tc));
    suite(
        "postgres",
        "on PostgreSQL (server tests, e2e chat and lead forms)",
        &|| server_on_postgres(tc),
    );
    suite("wasm", "wasm in Chromium (wasm-bindgen-test)", &|| wasm(tc));
    suite("e2e", "end-to-end (node --test tests/e2e)", &|| e2e(tc));
    suite("fuzz", "API fuzzing (schemathesis, fixed seed)", &|| {
        crate::fuzz::schemathesis(tc, crate::fuzz::Fuzz::CI)
    });
    suite(
        "contract",
        "API contract (generated Python and TypeScript clients)",
        &|| crate::contract::generated_clients(tc),
    );

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

/// End-to-end files that run on PostgreSQL too: the chat, its crash test (two instances
/// there), the exactly-once crash test of session starts and form flows, and the lead forms
/// (`lead-crash.test.mjs` reads the SQLite file itself, so it stays on SQLite), the owner
/// console (log-in, keys and leads through a user session), and the one that runs only
/// there, three server instances on one schema.
const E2E_ON_POSTGRES: [&str; 8] = [
    "chat.test.mjs",
    "console.test.mjs",
    "chat-crash.test.mjs",
    "once-crash.test.mjs",
    "lead-form.test.mjs",
    "lead-lazy.test.mjs",
    "lead-offline.test.mjs",
    "multi-instance.test.mjs",
];

/// The server's test suite, then [`E2E_ON_POSTGRES`], on a throw-away PostgreSQL cluster,
/// stopped and deleted after. Both run even when the first fails.
fn server_on_postgres(tc: &Toolchain) -> Result {
    let cluster = Cluster::throwaway()?;
    let url = cluster.url("postgres");
    let server = run(tc.native_cargo().env("PARLO_TEST_DATABASE_URL", &url).args([
        "test",
        "--workspace",
        "--test",
        "server",
    ]));
    let e2e = node_tests(
        tc,
        &|name| E2E_ON_POSTGRES.contains(&name),
        &[("PARLO_E2E_DATABASE_URL", &url)],
    );
    server.and(e2e)
}

/// The `parlo` crate's tests compiled to wasm32 and run in Chromium by wasm-bindgen-test-runner,
/// with the feature `management`. `tests/management.rs` drives a server started here
/// (fresh data directory `target/wasm-tests/data`, demo seeded, log in
/// `target/wasm-tests/server.log`): its URL, a management key and a console user reach the
/// test at compile time as `PARLO_TEST_API_BASE`, `PARLO_TEST_API_KEY`,
/// `PARLO_TEST_USER_EMAIL` and `PARLO_TEST_USER_PASSWORD` (`option_env!`); the scripted
/// responder of `tests/transport.rs` (see `responder.rs`) as `PARLO_TEST_SCRIPTED`.
fn wasm(tc: &Toolchain) -> Result {
    let Some(runner) = &tc.wasm_bindgen_test_runner else {
        return Err("the parlo crate does not depend on wasm-bindgen yet (no browser tests to run)".into());
    };
    let dir = tc.root.join("target/wasm-tests");
    let data = dir.join("data");
    if data.exists() {
        std::fs::remove_dir_all(&data)?;
    }
    std::fs::create_dir_all(&data)?;
    let server_bin = tc.server_bin();
    let key = create_key(&server_bin, &data, None, "wasm-tests")?;
    let (email, password) = ("wasm-tests@example.com", "wasm tests password");
    crate::util::output(
        Command::new(&server_bin)
            .env("PARLO_DATA_DIR", &data)
            .env("PARLO_PASSWORD", password)
            .args(["create-user", "--email", email]),
    )
    .ok_or("`parlo-server create-user` failed")?;
    let server = Server::start(
        Command::new(&server_bin)
            .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
            .arg(&data),
        &dir.join("server.log"),
    )?;
    note(&format!("parlo-server for tests/management.rs on {}", server.url));
    let scripted = crate::responder::start()?;
    let outcome = run(tc
        .wasm_cargo()
        .env("CHROMEDRIVER", &tc.chromedriver)
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", runner)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
        .env("PARLO_TEST_API_BASE", &server.url)
        .env("PARLO_TEST_API_KEY", &key)
        .env("PARLO_TEST_USER_EMAIL", email)
        .env("PARLO_TEST_USER_PASSWORD", password)
        .env("PARLO_TEST_SCRIPTED", &scripted)
        .args([
            "test",
            "--target",
            WASM_TARGET,
            "-p",
            "parlo",
            "--features",
            "management",
        ]));
    drop(server);
    outcome
}

/// The Node end-to-end suite, one test file at a time.
fn e2e(tc: &Toolchain) -> Result {
    node_tests(tc, &|_| true, &[])
}

/// The files `tests/e2e/*.test.mjs` whose names pass `select`, one at a time, with `env`.
fn node_tests(tc: &Toolchain, select: &dyn Fn(&str) -> bool, env: &[(&str, &str)]) -> Result {
    let mut files: Vec<_> = std::fs::read_dir(tc.e2e_dir())?
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.ends_with(".test.mjs") && select(n))
        })
        .map(|e| e.path())
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
    node.envs(env.iter().copied());
    run(&mut node)
}
