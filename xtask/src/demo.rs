//! `cargo xtask demo`: build, then run the server with the demo site in the foreground.
//!
//! Data lives in `data/` (gitignored) and survives restarts. On the first run a management
//! API key is created and kept in `data/demo-api-key.txt`, so it can be printed every time.

use crate::toolchain::Toolchain;
#[cfg(not(unix))]
use crate::util::check;
use crate::util::{Result, output, step};
use std::path::Path;
use std::process::Command;

/// Address the demo server listens on.
const BIND: &str = "127.0.0.1:8080";

/// Runs the demo server until it exits (Ctrl-C stops it).
///
/// The management key is made first (seeding the demo workspace), then xtask *becomes* the
/// server (`exec` on Unix), so a signal sent to `cargo xtask demo` stops the server itself
/// instead of leaving it running behind a dead parent.
pub fn demo(tc: &Toolchain) -> Result {
    let root = &tc.root;
    let data = root.join("data");
    std::fs::create_dir_all(&data)?;
    let server_bin = root.join("target/release/parlo-server");

    let key = management_key(&server_bin, &data);
    step(&format!(
        "demo: starting parlo-server on http://{BIND}/ (Ctrl-C stops it)"
    ));
    println!();
    println!("  Demo site:       http://{BIND}/");
    println!("  Hostile page:    http://{BIND}/hostile.html");
    println!("  API docs:        http://{BIND}/docs");
    match key {
        Ok(key) => {
            println!("  Management key:  {key}");
            println!("  Try:             curl -H 'Authorization: Bearer {key}' http://{BIND}/api/v1/flows");
        }
        Err(error) => println!("  (could not create a management key: {error})"),
    }
    println!();
    let mut command = Command::new(&server_bin);
    command
        .current_dir(root)
        .arg("--seed-demo")
        .arg("--data-dir")
        .arg(&data)
        .arg("--bind")
        .arg(BIND)
        .arg("--pkg-dir")
        .arg(root.join("pkg"))
        .arg("--www-dir")
        .arg(root.join("www"));
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let error = command.exec();
        Err(format!("cannot start {}: {error}", server_bin.display()).into())
    }
    #[cfg(not(unix))]
    {
        let status = command.status()?;
        check(&command, status)
    }
}

/// The demo workspace's management key: read from `data/demo-api-key.txt`, or created with
/// `parlo-server create-key` and saved there.
fn management_key(server_bin: &Path, data: &Path) -> Result<String> {
    let saved = data.join("demo-api-key.txt");
    if let Ok(key) = std::fs::read_to_string(&saved)
        && key.trim().starts_with("parlo_sk_")
    {
        return Ok(key.trim().to_owned());
    }
    let printed = output(Command::new(server_bin).env("PARLO_DATA_DIR", data).args([
        "--seed-demo",
        "create-key",
        "--workspace",
        "demo",
        "--name",
        "demo",
    ]))
    .ok_or("`parlo-server create-key --workspace demo --name demo` failed")?;
    let key = printed
        .split_whitespace()
        .find(|word| word.starts_with("parlo_sk_"))
        .ok_or_else(|| format!("no parlo_sk_ key in the output of create-key: {printed}"))?
        .to_owned();
    std::fs::write(&saved, format!("{key}\n"))?;
    Ok(key)
}
