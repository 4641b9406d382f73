//! The API contract suite: clients generated from the running server's
//! `/api/openapi.json` by tools nobody here wrote, driven against that server.
//!
//! - `openapi-python-client` (PyPI, pinned in `tests/schemathesis/requirements.txt`, in the
//!   same virtual environment as schemathesis) generates a Python package; the generation
//!   must succeed without dropping a schema, then `tests/contract/python_client.py` drives
//!   one operation or more of every resource family through it.

use crate::fuzz::fresh_server;
use crate::toolchain::Toolchain;
use crate::util::{Result, note, run};
use std::process::Command;

/// Generates the Python client from the server's document and runs the driver script.
///
/// Everything lives in `target/contract/`: the server's data and log, `openapi.json`, the
/// generated package `parlo_api_client` and the generator's output `generate.log`.
pub fn python_client(tc: &Toolchain) -> Result {
    let dir = tc.root.join("target/contract");
    let (server, key) = fresh_server(tc, &dir, "contract")?;
    let document = dir.join("openapi.json");
    run(Command::new("curl")
        .args(["--silent", "--show-error", "--fail", "--output"])
        .arg(&document)
        .arg(format!("{}/api/openapi.json", server.url)))?;

    let venv_bin = tc.schemathesis.parent().ok_or("schemathesis has no directory")?;
    let generated = dir.join("generated");
    if generated.exists() {
        std::fs::remove_dir_all(&generated)?;
    }
    std::fs::create_dir_all(&generated)?;
    let output = Command::new(venv_bin.join("openapi-python-client"))
        .current_dir(&generated)
        .args(["generate", "--meta", "none", "--path"])
        .arg(&document)
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
        .arg(&server.url)
        .arg(&key)
        .arg(&generated))
}
