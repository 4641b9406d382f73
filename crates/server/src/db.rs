//! SQLite storage: opening the database, transactions, and queries per table (submodules).
//!
//! Every query function takes a `&mut SqliteConnection`, so it runs alike on a pooled
//! connection or inside a transaction (`&mut *tx`).

pub mod api_keys;
pub mod bot_fields;
pub mod channels;
pub mod custom_fields;
pub mod flow_statistics;
pub mod flows;
pub mod forms;
pub mod leads;
pub mod messages;
pub mod outbox;
pub mod scheduled;
pub mod sessions;
pub mod subscribers;
pub mod tags;
pub mod users;
pub mod webhook_endpoints;
pub mod workspaces;

use anyhow::Context;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::path::Path;
use std::time::Duration;

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "parlo.db";

/// Opens (creating if needed) `<data_dir>/parlo.db` and runs the embedded migrations.
///
/// Pragmas: WAL journal, `synchronous=FULL`, foreign keys on, 5 s busy timeout.
pub async fn open(data_dir: &Path) -> anyhow::Result<SqlitePool> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating data directory {}", data_dir.display()))?;
    let options = SqliteConnectOptions::new()
        .filename(data_dir.join(DB_FILE))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .with_context(|| format!("opening {}", data_dir.join(DB_FILE).display()))?;
    sqlx::migrate!("./migrations")
        .run(&pool)
        .await
        .context("running database migrations")?;
    Ok(pool)
}

/// Begins a write transaction with `BEGIN IMMEDIATE`, taking SQLite's write lock at once
/// so concurrent writers wait (busy timeout) instead of failing on lock upgrade.
pub async fn begin_write(pool: &SqlitePool) -> sqlx::Result<Transaction<'static, Sqlite>> {
    pool.begin_with("BEGIN IMMEDIATE").await
}
