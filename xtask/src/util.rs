//! Small helpers shared by the tasks: paths, step banners, running commands.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Result of a task; any error ends `cargo xtask` with its message and exit code 1.
pub type Result<T = ()> = std::result::Result<T, Box<dyn Error>>;

/// Root of the repository (the parent of `xtask/`).
pub fn root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .expect("xtask/ lives in the repository root")
        .to_path_buf()
}

/// Prints a step banner. The line carries the minutes and seconds since xtask started, so a log shows where
/// the time went.
pub fn step(message: &str) {
    let elapsed = started().elapsed().as_secs();
    println!("==> [{:02}:{:02}] {message}", elapsed / 60, elapsed % 60);
}

/// When xtask started (the first call; `main` calls it first thing).
pub fn started() -> std::time::Instant {
    static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    *STARTED.get_or_init(std::time::Instant::now)
}

/// Prints a detail line under a step.
pub fn note(message: &str) {
    println!("    {message}");
}

/// A shell-like rendering of a command, for logs and error messages.
pub fn describe(command: &Command) -> String {
    let mut text = String::new();
    for (key, value) in command.get_envs() {
        if let Some(value) = value {
            text.push_str(&format!("{}={} ", key.to_string_lossy(), value.to_string_lossy()));
        }
    }
    text.push_str(&command.get_program().to_string_lossy());
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// Runs a command with inherited stdio; fails unless it exits successfully.
pub fn run(command: &mut Command) -> Result {
    note(&format!("$ {}", describe(command)));
    let status = command
        .status()
        .map_err(|e| format!("cannot start `{}`: {e}", describe(command)))?;
    check(command, status)
}

/// Turns a non-successful exit status into an error naming the command.
pub fn check(command: &Command, status: ExitStatus) -> Result {
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(command)).into())
    }
}

/// Runs a command quietly and returns its trimmed stdout, or `None` if it cannot start or fails.
pub fn output(command: &mut Command) -> Option<String> {
    let out = command.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Runs a command with inherited stdio, killing it after `timeout`.
///
/// Returns `None` when it had to be killed.
pub fn run_with_timeout(command: &mut Command, timeout: Duration) -> Result<Option<ExitStatus>> {
    note(&format!(
        "$ {}   (time limit {} s)",
        describe(command),
        timeout.as_secs()
    ));
    let mut child = command.spawn()?;
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            child.kill()?;
            child.wait()?;
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Finds an executable by name on `PATH`.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

/// Whether `path` is an existing file with an execute bit.
pub fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// Cargo's home directory (`$CARGO_HOME`, else `~/.cargo`), where `cargo install` puts binaries.
pub fn cargo_home() -> PathBuf {
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        return PathBuf::from(home);
    }
    let home = std::env::var_os("HOME").unwrap_or_else(|| "/root".into());
    PathBuf::from(home).join(".cargo")
}
