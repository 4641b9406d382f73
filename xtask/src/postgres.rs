//! A private PostgreSQL cluster on 127.0.0.1 for `cargo xtask test` (throw-away, in a
//! temporary directory) and `cargo xtask demo --postgres` (kept in `data/postgres`).
//!
//! PostgreSQL comes from Debian's `postgresql` package (installed when missing); the cluster
//! is made with its `initdb` and run with `pg_ctl` on a free non-default port, listening on
//! 127.0.0.1 only, with trust authentication for the one role [`USER`]. `initdb` refuses to
//! run as root, so as root the cluster belongs to the package's `postgres` user
//! (`runuser -u postgres`).

use crate::toolchain::install_apt_packages;
use crate::util::{Result, note, output, run, step};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The superuser role of the cluster (trust authentication, 127.0.0.1 only).
pub const USER: &str = "parlo";

/// Server settings of every cluster: no Unix socket outside its directory, enough
/// connections for the test suite's parallel servers (each pools up to 8).
const SETTINGS: &str = "-c listen_addresses=127.0.0.1 -c max_connections=300";

/// Extra settings of the throw-away test cluster: its data need not survive a crash, so it
/// skips fsync (only the tests' speed changes, not what they check).
const THROWAWAY_SETTINGS: &str = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off";

/// A running cluster; stopped when dropped (and deleted if it is throw-away).
pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    as_postgres: bool,
    throwaway: bool,
    /// TCP port on 127.0.0.1.
    pub port: u16,
}

impl Cluster {
    /// Starts a fresh throw-away cluster in a new temporary directory.
    pub fn throwaway() -> Result<Self> {
        let dir = std::env::temp_dir().join(format!("parlo-postgres-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        Self::start(&dir, true, THROWAWAY_SETTINGS)
    }

    /// Starts a fresh throw-away cluster that, unlike [`Cluster::throwaway`], syncs its
    /// commits to disk as a real installation does (for benchmarks).
    pub fn throwaway_durable() -> Result<Self> {
        let dir = std::env::temp_dir().join(format!("parlo-postgres-bench-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        Self::start(&dir, true, "")
    }

    /// Starts the cluster kept in `dir`, creating it on first use.
    pub fn persistent(dir: &Path) -> Result<Self> {
        Self::start(dir, false, "")
    }

    /// Starts the cluster in `dir` with `settings` added to [`SETTINGS`].
    fn start(dir: &Path, throwaway: bool, settings: &str) -> Result<Self> {
        let bin = ensure_installed()?;
        let as_postgres = output(Command::new("id").arg("-u")).as_deref() == Some("0");
        std::fs::create_dir_all(dir)?;
        if as_postgres {
            run(Command::new("chown").args(["postgres:postgres"]).arg(dir))?;
        }
        let mut cluster = Self {
            bin,
            dir: dir.to_path_buf(),
            as_postgres,
            throwaway,
            port: 0,
        };
        let data = cluster.data();
        if !data.join("PG_VERSION").exists() {
            step(&format!("postgres: initdb {}", data.display()));
            run(cluster.pg("initdb").arg("-D").arg(&data).args([
                "-U",
                USER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ]))?;
        }
        let status = cluster.pg("pg_ctl").arg("-D").arg(&data).arg("status").output()?;
        if status.status.success() {
            note("postgres: stopping the cluster left running by an interrupted run");
            run(&mut cluster.stop_command())?;
        }
        cluster.port = free_port()?;
        let options = format!("-p {} -k {} {SETTINGS} {settings}", cluster.port, dir.display());
        run(cluster
            .pg("pg_ctl")
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(dir.join("postgres.log"))
            .args(["-w", "-o", &options, "start"]))?;
        note(&format!(
            "PostgreSQL on 127.0.0.1:{} (log in {})",
            cluster.port,
            dir.join("postgres.log").display()
        ));
        Ok(cluster)
    }

    /// The cluster's data directory.
    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// A command running the PostgreSQL program `name`, as `postgres` when we are root.
    fn pg(&self, name: &str) -> Command {
        let program = self.bin.join(name);
        if self.as_postgres {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            Command::new(program)
        }
    }

    /// URL of `database` in this cluster, for `--database-url`.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/{database}", self.port)
    }

    /// Creates `database` unless it exists.
    pub fn ensure_database(&self, database: &str) -> Result {
        let exists = format!("SELECT 1 FROM pg_database WHERE datname = '{database}'");
        if output(&mut self.psql(&exists)).as_deref() == Some("1") {
            return Ok(());
        }
        run(&mut self.psql(&format!("CREATE DATABASE {database}")))
    }

    /// `psql` running `sql` in the database `postgres`, printing bare values.
    fn psql(&self, sql: &str) -> Command {
        let mut command = Command::new(self.bin.join("psql"));
        command.arg(self.url("postgres")).args(["-tAc", sql]);
        command
    }

    /// The command that stops the cluster (`pg_ctl stop -m fast`: running sessions end).
    pub fn stop_command(&self) -> Command {
        let mut command = self.pg("pg_ctl");
        command
            .arg("-D")
            .arg(self.data())
            .args(["-w", "-m", "fast", "stop"]);
        command
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let stopped = self.stop_command().status();
        if let Err(error) = stopped {
            eprintln!(
                "warning: cannot stop PostgreSQL in {}: {error}",
                self.dir.display()
            );
        }
        if self.throwaway {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// The `bin` directory of the newest PostgreSQL under /usr/lib/postgresql, installing
/// Debian's `postgresql` package first when there is none.
fn ensure_installed() -> Result<PathBuf> {
    if let Some(bin) = newest_bin() {
        return Ok(bin);
    }
    install_apt_packages(&["postgresql"])?;
    newest_bin()
        .ok_or_else(|| "no /usr/lib/postgresql/<version>/bin/initdb after installing postgresql".into())
}

fn newest_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

/// A TCP port on 127.0.0.1 that is free right now (the OS picks it).
fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}
