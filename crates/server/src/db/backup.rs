//! `parlo-server backup --to FILE`: a consistent copy of a running SQLite database.
//!
//! SQLite's `VACUUM INTO` (<https://sqlite.org/lang_vacuum.html#vacuuminto>) writes the
//! database as one read transaction sees it, while the server goes on writing: the copy
//! holds every transaction committed before the backup began, and nothing half-written.
//! It is written next to `FILE` as `FILE.partial` and renamed when complete, so `FILE`
//! is never a torn copy. Restoring is stopping the server and putting the copy in place
//! of `<data dir>/parlo.db` (see the server README). PostgreSQL has its own tools
//! (`pg_dump`), so the command refuses a PostgreSQL database and says so.

use super::{Backend, Pool};
use anyhow::Context;
use std::path::Path;

/// Copies the SQLite database of `pool` to `to`, which must not exist yet.
///
/// # Errors
/// `to` exists, its directory is not writable, the database is PostgreSQL, or SQLite
/// fails (e.g. a full disk); a failed copy leaves no `to`.
pub async fn backup(pool: &Pool, to: &Path) -> anyhow::Result<()> {
    if Backend::of(pool) == Backend::Postgres {
        anyhow::bail!(
            "backup copies the embedded SQLite database; back up PostgreSQL with its own tools, \
             e.g. pg_dump --format=custom --file=parlo.dump <database URL>"
        );
    }
    if to.exists() {
        anyhow::bail!("{} already exists; choose a new file name", to.display());
    }
    let mut partial = to.as_os_str().to_owned();
    partial.push(".partial");
    let partial = Path::new(&partial);
    if partial.exists() {
        std::fs::remove_file(partial).with_context(|| format!("removing {}", partial.display()))?;
    }
    let target = partial
        .to_str()
        .with_context(|| format!("{} is not valid UTF-8", partial.display()))?;
    let copied = sqlx::query("VACUUM INTO $1").bind(target).execute(pool).await;
    if let Err(e) = copied {
        let _ = std::fs::remove_file(partial);
        return Err(e).with_context(|| format!("copying the database to {}", partial.display()));
    }
    std::fs::rename(partial, to)
        .with_context(|| format!("renaming {} to {}", partial.display(), to.display()))
}
