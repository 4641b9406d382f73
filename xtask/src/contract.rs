//! The API contract suite: clients generated from the running server's
//! `/api/openapi.json` by tools nobody here wrote, driven against that server.
//!
//! - `openapi-python-client` (PyPI, pinned in `tests/schemathesis/requirements.txt`, in the
//!   same virtual environment as schemathesis) generates a Python package; the generation
//!   must succeed without dropping a schema, then `tests/contract/python_client.py` drives
//!   one operation or more of every resource family through it;
//! - Redocly and Spectral lint the document: no errors;
//! - `openapi-typescript` (npm, pinned in `tests/e2e/package.json`) generates TypeScript
//!   types; `tests/contract/typescript_client.ts` uses them with `openapi-fetch`, must pass
//!   `tsc --strict` (including the calls it marks `@ts-expect-error`: bodies the server
//!   refuses must not compile), and then runs in Node against the same server.

use crate::fuzz::fresh_server;
use crate::toolchain::Toolchain;
use crate::util::{Result, note, run};
use std::path::Path;
use std::process::Command;

/// Both generated clients against one fresh server.
///
/// `target/contract/` holds the server's data and log, `openapi.json`, the generated Python
/// package and the generator's output `generate.log`; the TypeScript program is compiled in
/// `tests/e2e/artifacts/contract-ts/` (under `tests/e2e`, so `tsc` and Node resolve its npm
/// packages).
pub fn generated_clients(tc: &Toolchain) -> Result {
    let dir = tc.root.join("target/contract");
    let (server, key) = fresh_server(tc, &dir, "contract")?;
    let document = dir.join("openapi.json");
    run(Command::new("curl")
        .args(["--silent", "--show-error", "--fail", "--output"])
        .arg(&document)
        .arg(format!("{}/api/openapi.json", server.url)))?;

    lint(tc, &document)?;
    python_client(tc, &dir, &document, &server.url, &key)?;
    typescript_client(tc, &document, &server.url, &key)
}

/// Redocly (`recommended` rules) and Spectral (`spectral:oas`, `tests/contract/spectral.yaml`)
/// must find no error in `document` (warnings are printed, not fatal).
fn lint(tc: &Toolchain, document: &Path) -> Result {
    let bin = tc.e2e_dir().join("node_modules/.bin");
    run(Command::new(bin.join("redocly"))
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
        .args(["lint", "--extends", "recommended", "--format", "summary"])
        .arg(document))?;
    run(Command::new(bin.join("spectral"))
        .args([
            "lint",
            "--fail-severity",
            "error",
            "--display-only-failures",
            "--ruleset",
        ])
        .arg(tc.root.join("tests/contract/spectral.yaml"))
        .arg(document))
}

/// The Python client generated from `document` into `dir/generated`, then driven by its
/// script.
fn python_client(tc: &Toolchain, dir: &Path, document: &Path, url: &str, key: &str) -> Result {
    let venv_bin = tc.schemathesis.parent().ok_or("schemathesis has no directory")?;
    let generated = dir.join("generated");
    if generated.exists() {
        std::fs::remove_dir_all(&generated)?;
    }
    std::fs::create_dir_all(&generated)?;
    let output = Command::new(venv_bin.join("openapi-python-client"))
        .current_dir(&generated)
        .args(["generate", "--meta", "none", "--path"])
        .arg(document)
        .output()?;
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::write(dir.join("generate.log"), &log)?;
    // The generator exits 0 even when it drops a schema it cannot model; it says so with
    // "Unable to process schema".
    if !output.status.success() || log.contains("Unable to process") {
        println!("{log}");
        return Err("openapi-python-client could not model the whole document".into());
    }
    note("openapi-python-client: the whole document generated");
    run(Command::new(venv_bin.join("python"))
        .arg(tc.root.join("tests/contract/python_client.py"))
        .arg(url)
        .arg(key)
        .arg(&generated))
}

/// The TypeScript types generated from `document`, the program compiled with them under
/// `tsc --strict`, then run.
fn typescript_client(tc: &Toolchain, document: &Path, url: &str, key: &str) -> Result {
    let work = tc.e2e_dir().join("artifacts/contract-ts");
    if work.exists() {
        std::fs::remove_dir_all(&work)?;
    }
    std::fs::create_dir_all(&work)?;
    let bin = tc.e2e_dir().join("node_modules/.bin");
    run(Command::new(bin.join("openapi-typescript"))
        .arg(document)
        .arg("--output")
        .arg(work.join("api.d.ts")))?;
    std::fs::copy(
        tc.root.join("tests/contract/typescript_client.ts"),
        work.join("typescript_client.ts"),
    )?;
    run(Command::new(bin.join("tsc"))
        .current_dir(&work)
        .args(["--strict", "--target", "es2022", "--module", "nodenext"])
        .args(["--moduleResolution", "nodenext", "--outDir", "out"])
        .arg("typescript_client.ts"))?;
    run(Command::new(&tc.node)
        .arg(work.join("out/typescript_client.js"))
        .arg(url)
        .arg(key))
}
