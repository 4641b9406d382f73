//! `cargo xtask <task>`: the build, demo, test and bench tasks of Parlo.
//!
//! ```text
//! cargo xtask setup    find or install the toolchain (every other task runs it first)
//! cargo xtask build    wasm bundle → pkg/, release parlo-server
//! cargo xtask demo     build, then serve the demo site on http://127.0.0.1:8080/
//!                      (`--postgres`: on a PostgreSQL cluster in data/postgres)
//! cargo xtask test     build, then every test suite (native, the server's tests again on
//!                      PostgreSQL, wasm in Chromium, end-to-end, API fuzzing with schemathesis,
//!                      a generated Python client)
//! cargo xtask bench    build, then print bundle sizes and page-load figures
//! cargo xtask fuzz     build, then API fuzzing with a random seed and more examples (not CI)
//! ```

mod bench;
mod build;
mod contract;
mod demo;
mod fuzz;
mod postgres;
mod responder;
mod server;
mod test;
mod toolchain;
mod util;

use std::process::ExitCode;

/// Usage text printed by `help` and on unknown tasks.
const USAGE: &str = "\
usage: cargo xtask <task> [args]

tasks:
  setup          find or install the toolchain: wasm32 compiler, wasm-bindgen-cli,
                 Chromium + chromedriver, the npm packages of tests/e2e, schemathesis
                 (PyPI, in target/schemathesis/venv)
  build [bundle…]
                 wasm bundles into pkg/ (cargo, wasm-bindgen, wasm-opt), release parlo-server;
                 with names (widget, prechat, forms, client, console) only those bundles
  demo [--postgres]
                 build, then run the demo on http://127.0.0.1:8080/ (Ctrl-C stops it); with
                 --postgres on a PostgreSQL cluster in data/postgres instead of SQLite
  test [suite…]  build, then run every test suite (or the named ones: native, postgres,
                 wasm, e2e, fuzz, contract); fails if any fails. `postgres` runs the server tests on
                 a throw-away PostgreSQL cluster (Debian's postgresql, installed if missing);
                 `fuzz` and `contract` alone build only the server
  bench [--runs N]
                 build, then print bundle sizes, page-load figures (median of N runs) and
                 server chat turns/s (--visitors N --seconds S)
  bench server [--db sqlite|postgres] [--instances N] [--visitors N] [--seconds S] [--rate N]
                 build only the release server, then print chat turns/s, latency, commits
                 per turn, memory and the client's read-only ceiling (Node fetch, and wrk);
                 with --rate, N chat turns per second in total, paced: achieved rate and latency
  bench server --streams N [--samples N] [--db sqlite|postgres]
                 N open event streams: server memory per stream, message delivery times

environment:
  PARLO_WASM_ROUTE=rustup|debian   force how wasm32 is compiled
  PARLO_CHROMIUM, CHROMEDRIVER     browser and driver (default /usr/bin/chromium, /usr/bin/chromedriver)
";

fn main() -> ExitCode {
    util::started();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(task) = args.first() else {
        eprint!("{USAGE}");
        return ExitCode::FAILURE;
    };
    let result = match task.as_str() {
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        "setup" | "build" | "demo" | "test" | "fuzz" | "bench" => run_task(task, &args[1..]),
        other => {
            eprint!("unknown task `{other}`\n\n{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Runs `task`: setup first, then build unless the task is `setup`, then the task itself.
fn run_task(task: &str, args: &[String]) -> util::Result {
    let root = util::root();
    let mut tc = toolchain::setup(&root)?;
    if matches!(task, "test" | "fuzz") {
        tc.server_build = toolchain::ServerBuild::Debug;
    }
    if task == "setup" {
        util::step("setup: done");
        return Ok(());
    }
    if task == "bench" && args.first().is_some_and(|a| a == "server") {
        build::build_server(&tc)?;
        return bench::server(&tc, &args[1..]);
    }
    if task == "build" {
        return build::build_named(&tc, args);
    }
    if task == "test" && test::needs_only_the_server(args) {
        build::build_server(&tc)?;
    } else {
        build::build(&tc)?;
    }
    match task {
        "demo" => demo::demo(&tc, args),
        "test" => test::test(&tc, args),
        "fuzz" => fuzz::schemathesis(&tc, fuzz::Fuzz::from_args(args)?),
        "bench" => bench::bench(&tc, args),
        _ => unreachable!("checked by main"),
    }
}
