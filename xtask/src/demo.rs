//! `cargo xtask demo`: build, then run the server with the demo site in the foreground.
//!
//! Data lives in `data/` (gitignored) and survives restarts. On the first run a management
//! API key is created and kept in `data/demo-api-key.txt`, so it can be printed every time.

use crate::toolchain::Toolchain;
use crate::util::{Result, check, forward_lines, note, output, step};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Address the demo server listens on.
const BIND: &str = "127.0.0.1:8080";

/// Runs the demo server until it exits (Ctrl-C stops it).
pub fn demo(tc: &Toolchain) -> Result {
    let root = &tc.root;
    let data = root.join("data");
    std::fs::create_dir_all(&data)?;
    let server_bin = root.join("target/release/parlo-server");

    step(&format!(
        "demo: starting parlo-server on http://{BIND}/ (Ctrl-C stops it)"
    ));
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
        .arg(root.join("www"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut server = command
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", server_bin.display()))?;
    let (lines_tx, lines) = mpsc::channel();
    forward_lines(server.stdout.take().expect("piped stdout"), lines_tx.clone());
    forward_lines(server.stderr.take().expect("piped stderr"), lines_tx);

    // Wait for the listening line, then make sure a management key exists.
    let listening = loop {
        match lines.recv_timeout(Duration::from_secs(60)) {
            Ok(line) if line.contains("listening on http://") => break true,
            Ok(_) => {}
            Err(_) => break false,
        }
    };
    if listening {
        let key = management_key(&server_bin, &data);
        println!();
        println!("  Demo site:       http://{BIND}/");
        println!("  Hostile page:    http://{BIND}/hostile.html");
        match key {
            Ok(key) => {
                println!("  Management key:  {key}");
                println!(
                    "  Try:             curl -H 'Authorization: Bearer {key}' http://{BIND}/api/v1/flows"
                );
            }
            Err(error) => println!("  (could not create a management key: {error})"),
        }
        println!();
    } else {
        note("the server did not report `listening on http://…` within 60 s");
    }
    // Keep draining so the forwarding threads never block, until the server exits.
    std::thread::spawn(move || while lines.recv().is_ok() {});
    let status = server.wait()?;
    check(&command, status)
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
