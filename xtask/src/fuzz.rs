//! API fuzzing with schemathesis (`tests/schemathesis/`) against `/api/openapi.json` of the
//! debug `parlo-server` (the one the test suites use) on a fresh data directory.
//!
//! Two ways to run it:
//! - `cargo xtask test fuzz` (part of `cargo xtask test`, so of CI): [`Fuzz::CI`], the fixed
//!   seed [`CI_SEED`], the configured number of examples, no example database and no values
//!   from earlier answers in later requests (`tests/schemathesis/reproducible.toml`), so a
//!   given tree sends the same requests on every run (the stateful phase's carry the ids
//!   the server made) and a failure is reproducible instead of random;
//! - `cargo xtask fuzz [--seed N] [--max-examples N]`: a random seed unless one is given
//!   (schemathesis prints the seed it used, so a failure can be rerun with `--seed`), and
//!   [`EXPLORE_EXAMPLES`] generated requests per operation unless told otherwise — for
//!   digging, never part of CI.

use crate::server::{Server, create_key};
use crate::toolchain::Toolchain;
use crate::util::{Result, note, run};
use std::path::Path;
use std::process::Command;

/// The seed of the CI run. Any seed must pass; this one is fixed so that CI is
/// deterministic (a new failure found by `cargo xtask fuzz` is fixed in the server or the
/// document, then this seed keeps guarding it like every other case).
pub const CI_SEED: u64 = 20_261_206;

/// Generated requests per operation for `cargo xtask fuzz` (CI uses the configured 100).
pub const EXPLORE_EXAMPLES: u32 = 500;

/// What a [`Fuzz::reproducible`] run adds to `tests/schemathesis/schemathesis.toml`.
const REPRODUCIBLE_CONFIG: &str = "tests/schemathesis/reproducible.toml";

/// Requests per minute for the fuzzed server, per management key, per client IP for new
/// sessions and per session for messages, and open event streams per session: far above what the run sends, so no operation is
/// answered 429 instead of being tested.
const FUZZ_RATE_LIMIT: &str = "1000000";

/// How a fuzzing run generates its requests.
#[derive(Debug, Clone, Copy)]
pub struct Fuzz {
    /// Hypothesis seed; `None` lets schemathesis pick (and print) one.
    pub seed: Option<u64>,
    /// Generated requests per operation; `None` keeps `schemathesis.toml`'s value.
    pub max_examples: Option<u32>,
    /// Whether the requests follow from the seed alone. On for CI: no example database
    /// (hypothesis would try the failures of earlier runs first) and no values of earlier
    /// answers in later requests ([`REPRODUCIBLE_CONFIG`]), so a run of the fixed seed sends
    /// the same requests on every machine, whatever ran there before. Off for digging:
    /// failures found once are tried again, and ids from answers reach deeper.
    pub reproducible: bool,
}

impl Fuzz {
    /// The CI run: the fixed seed and the configured examples.
    pub const CI: Fuzz = Fuzz {
        seed: Some(CI_SEED),
        max_examples: None,
        reproducible: true,
    };

    /// Reads `cargo xtask fuzz` arguments: `--seed N`, `--max-examples N`.
    ///
    /// # Errors
    /// An unknown argument or a value that is not a non-negative integer.
    pub fn from_args(args: &[String]) -> Result<Self> {
        let mut fuzz = Fuzz {
            seed: None,
            max_examples: Some(EXPLORE_EXAMPLES),
            reproducible: false,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| {
                args.next()
                    .ok_or_else(|| format!("{name} needs a value"))
                    .cloned()
            };
            match arg.as_str() {
                "--seed" => fuzz.seed = Some(value("--seed")?.parse().map_err(|e| format!("--seed: {e}"))?),
                "--max-examples" => {
                    fuzz.max_examples = Some(
                        value("--max-examples")?
                            .parse()
                            .map_err(|e| format!("--max-examples: {e}"))?,
                    )
                }
                other => {
                    return Err(format!(
                        "unknown fuzz argument `{other}` (expected --seed N, --max-examples N)"
                    )
                    .into());
                }
            }
        }
        Ok(fuzz)
    }
}

/// The server of `tc.server_build` (the debug one for `test` and `fuzz`) on a fresh data
/// directory `dir/data` (demo seeded, one management key named `name`, rate limits no run
/// reaches), its log in `dir/server.log`; answers the running server and the key.
pub fn fresh_server(tc: &Toolchain, dir: &Path, name: &str) -> Result<(Server, String)> {
    let data = dir.join("data");
    if data.exists() {
        std::fs::remove_dir_all(&data)?;
    }
    std::fs::create_dir_all(&data)?;
    let server_bin = tc.server_bin();
    let key = create_key(&server_bin, &data, None, name)?;
    let mut command = Command::new(&server_bin);
    command
        .current_dir(&tc.root)
        .args(["serve", "--seed-demo", "--bind", "127.0.0.1:0"])
        .args(["--key-rate-limit", FUZZ_RATE_LIMIT])
        .args(["--session-rate-limit", FUZZ_RATE_LIMIT])
        .args(["--message-rate-limit", FUZZ_RATE_LIMIT])
        .args(["--read-rate-limit", FUZZ_RATE_LIMIT])
        .args(["--streams-per-session", FUZZ_RATE_LIMIT])
        .arg("--data-dir")
        .arg(&data)
        .arg("--pkg-dir")
        .arg(tc.root.join("pkg"))
        .arg("--www-dir")
        .arg(tc.root.join("www"));
    let log = dir.join("server.log");
    let server = Server::start(&mut command, &log)?;
    note(&format!(
        "parlo-server on {} (log in {})",
        server.url,
        log.display()
    ));
    Ok((server, key))
}

/// schemathesis with `tests/schemathesis/schemathesis.toml` against [`fresh_server`] in
/// `target/schemathesis`; the JUnit report goes to `target/schemathesis/report/`.
pub fn schemathesis(tc: &Toolchain, fuzz: Fuzz) -> Result {
    let dir = tc.root.join("target/schemathesis");
    let (server, key) = fresh_server(tc, &dir, "schemathesis")?;

    let mut config = tc.root.join("tests/schemathesis/schemathesis.toml");
    if fuzz.reproducible {
        // TOML has no includes: the run's configuration is the two files one after the other.
        let joined = dir.join("reproducible-config.toml");
        let text = std::fs::read_to_string(&config)?
            + "\n"
            + &std::fs::read_to_string(tc.root.join(REPRODUCIBLE_CONFIG))?;
        std::fs::write(&joined, text)?;
        config = joined;
    }
    let mut run_fuzz = Command::new(&tc.schemathesis);
    run_fuzz
        .current_dir(&dir)
        .env("PARLO_API_KEY", &key)
        .env("SCHEMATHESIS_HOOKS", tc.root.join("tests/schemathesis/hooks.py"))
        .arg("--config-file")
        .arg(&config)
        .args(["run", "--report", "junit", "--report-dir", "report"]);
    if let Some(seed) = fuzz.seed {
        run_fuzz.args(["--seed", &seed.to_string()]);
    }
    if let Some(examples) = fuzz.max_examples {
        run_fuzz.args(["--max-examples", &examples.to_string()]);
    }
    if fuzz.reproducible {
        run_fuzz.args(["--generation-database", "none"]);
    }
    run_fuzz.arg(format!("{}/api/openapi.json", server.url));
    let outcome = run(&mut run_fuzz);
    drop(server);
    outcome
}
