//! Running the release `parlo-server` from a task: management keys and a background server.

use crate::util::{Result, describe, output};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// `parlo-server --seed-demo create-key --workspace demo --name <name>` over `data` (or the
/// PostgreSQL database `database_url`): seeds the demo workspace if needed and answers the
/// new `parlo_sk_…` key (printed once by the server).
pub fn create_key(server_bin: &Path, data: &Path, database_url: Option<&str>, name: &str) -> Result<String> {
    let mut command = Command::new(server_bin);
    command.env("PARLO_DATA_DIR", data);
    if let Some(url) = database_url {
        command.env("PARLO_DATABASE_URL", url);
    }
    let printed = output(command.args(["--seed-demo", "create-key", "--workspace", "demo", "--name", name]))
        .ok_or_else(|| format!("`parlo-server create-key --workspace demo --name {name}` failed"))?;
    let key = printed
        .split_whitespace()
        .find(|word| word.starts_with("parlo_sk_"))
        .ok_or_else(|| format!("no parlo_sk_ key in the output of create-key: {printed}"))?;
    Ok(key.to_owned())
}

/// A `parlo-server` running in the background; killed when dropped.
pub struct Server {
    child: Child,
    /// Base URL from its `listening on <url>` line, e.g. `http://127.0.0.1:41234`.
    pub url: String,
}

impl Server {
    /// Starts `command` (a `parlo-server serve` with `--bind 127.0.0.1:0` or similar) and waits
    /// for its first stdout line, `listening on <url>`. Its stderr (the log) goes to `log`.
    pub fn start(command: &mut Command, log: &Path) -> Result<Self> {
        let log_file = std::fs::File::create(log)?;
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .map_err(|e| format!("cannot start `{}`: {e}", describe(command)))?;
        let mut line = String::new();
        let stdout = child.stdout.take().ok_or("no stdout")?;
        BufReader::new(stdout).read_line(&mut line)?;
        let Some(url) = line.trim().strip_prefix("listening on ") else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "`{}` did not start (first line {line:?}; log in {})",
                describe(command),
                log.display()
            )
            .into());
        };
        Ok(Self {
            url: url.to_owned(),
            child,
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
