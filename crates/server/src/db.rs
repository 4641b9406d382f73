//! Storage: SQLite (a file in the data directory, the default) or PostgreSQL (selected by a
//! `postgres://` URL), opening the database, transactions, and queries per table
//! (submodules).
//!
//! Both backends go through sqlx's `Any` driver, so there is one query function per
//! operation and one SQL text wherever the dialects agree — which is nearly everywhere:
//! placeholders are `$1, $2, …` (sqlx binds them by number on SQLite too), values are
//! `i64`, `f64`, `String` and `Option`s of them, and `INSERT … ON CONFLICT`, `RETURNING`,
//! row-value comparisons and partial indexes mean the same on both. What differs is kept
//! here and in the migrations:
//! * schema: `migrations/sqlite` (the history of the SQLite file) and `migrations/postgres`
//!   (the same tables, BIGINT identity keys, byte-wise text collation, and SQLite's
//!   `instr`/`json_extract` defined as SQL functions), embedded in the binary;
//! * write transactions ([`begin_write`]): SQLite takes its single write lock up front
//!   (`BEGIN IMMEDIATE`); PostgreSQL takes one transaction-scoped advisory lock, so writers
//!   are serialised exactly as on SQLite — read-modify-write sequences (message numbering,
//!   scheduler claims) stay correct, also across several server processes;
//! * the outbox claim, one statement outside such a transaction, locks the rows it takes
//!   on PostgreSQL (`FOR UPDATE SKIP LOCKED`, see `db::outbox`);
//! * connection settings ([`open`]).
//!
//! Callers see only [`Pool`], [`Connection`] and [`Transaction`]; every query function
//! takes a `&mut Connection`, so it runs alike on a pooled connection or inside a
//! transaction (`&mut *tx`).

pub mod api_keys;
pub mod backup;
pub mod bot_fields;
pub mod broadcasts;
pub mod channels;
pub mod custom_fields;
pub mod email_opt_outs;
pub mod erasure;
pub mod flow_statistics;
pub mod flows;
pub mod forms;
pub mod inbox;
pub mod leads;
pub mod merge;
pub mod messages;
pub mod outbox;
pub mod scheduled;
pub mod sessions;
pub mod shop;
pub mod subscribers;
pub mod tags;
pub mod triggers;
pub mod users;
pub mod webhook_endpoints;
pub mod workspaces;
pub mod writer;

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Executor};
use std::path::Path;

/// A pool of database connections (either backend).
pub type Pool = sqlx::AnyPool;
/// One database connection (either backend); query functions take `&mut Connection`.
pub type Connection = sqlx::AnyConnection;
/// A database transaction; derefs to [`Connection`].
pub type Transaction = sqlx::Transaction<'static, sqlx::Any>;

/// File name of the SQLite database inside the data directory.
pub const DB_FILE: &str = "parlo.db";

/// Connections per pool.
const MAX_CONNECTIONS: u32 = 8;

/// The database engine behind a [`Pool`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The backend of `pool`, from the scheme of its URL.
    pub fn of(pool: &Pool) -> Self {
        match pool.connect_options().database_url.scheme() {
            "sqlite" => Self::Sqlite,
            _ => Self::Postgres,
        }
    }

    /// The backend of `conn`, for the few queries written once per dialect.
    pub fn of_connection(conn: &Connection) -> Self {
        match conn.backend_name() {
            "SQLite" => Self::Sqlite,
            _ => Self::Postgres,
        }
    }

    /// Rows per statement of a multi-row write (one SQL text for both backends, its rows
    /// `VALUES (…), (…)` or an `IN (…)` list) that binds `params_per_row` parameters a row
    /// besides at most one shared one. SQLite: `sqlite_rows`, each caller's choice of a
    /// few hundred parameters at most, as SQLite looks each `$N` up by name in a list of
    /// them (a statement of thousands cost most of a broadcast's batch). PostgreSQL binds
    /// by number, up to 65,535 parameters (its protocol counts them in 16 bits), and each
    /// statement is a round trip: as many rows as fit, so a broadcast's batch of
    /// recipients is written in one statement per table.
    pub fn rows_per_statement(self, sqlite_rows: usize, params_per_row: usize) -> usize {
        match self {
            Self::Sqlite => sqlite_rows,
            Self::Postgres => (POSTGRES_MAX_PARAMS - 1) / params_per_row.max(1),
        }
    }
}

/// Most parameters of one PostgreSQL statement.
const POSTGRES_MAX_PARAMS: usize = 65_535;

/// SQLite settings of every connection: WAL journal, `synchronous=FULL` (a commit is on
/// disk when acknowledged), foreign keys on, 5 s busy timeout.
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                              PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;";

/// Opens the database and runs the embedded migrations of its backend: PostgreSQL when
/// `database_url` is given (`postgres://user:password@host:port/database`; the database
/// must exist), else `<data_dir>/parlo.db`, created with the directory if needed.
///
/// # Errors
/// An unsupported URL, an unreachable or refusing server, an unwritable data directory, or
/// a failed migration.
pub async fn open(data_dir: &Path, database_url: Option<&str>) -> anyhow::Result<Pool> {
    sqlx::any::install_default_drivers();
    let pool = match database_url {
        Some(url) => {
            if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                anyhow::bail!("unsupported database URL (expected postgres://…)");
            }
            let options: AnyConnectOptions = url.parse().context("parsing the database URL")?;
            AnyPoolOptions::new()
                .max_connections(MAX_CONNECTIONS)
                .connect_with(options)
                .await
                .context("connecting to PostgreSQL")?
        }
        None => {
            std::fs::create_dir_all(data_dir)
                .with_context(|| format!("creating data directory {}", data_dir.display()))?;
            let file = data_dir.join(DB_FILE);
            let url = SqliteConnectOptions::new()
                .filename(&file)
                .create_if_missing(true)
                .to_url_lossy();
            let options: AnyConnectOptions = url.as_str().parse().context("SQLite URL")?;
            // A SQLite connection is a file handle: it cannot go stale like a network
            // connection, so the pool does not ping it (a round trip to the connection's
            // worker thread) every time it is handed out.
            AnyPoolOptions::new()
                .max_connections(MAX_CONNECTIONS)
                .test_before_acquire(false)
                .after_connect(|conn, _| {
                    Box::pin(async move { conn.execute(SQLITE_PRAGMAS).await.map(drop) })
                })
                .connect_with(options)
                .await
                .with_context(|| format!("opening {}", file.display()))?
        }
    };
    migrator(Backend::of(&pool))
        .run(&pool)
        .await
        .context("running database migrations")?;
    Ok(pool)
}

/// The embedded migrations of `backend`.
fn migrator(backend: Backend) -> sqlx::migrate::Migrator {
    match backend {
        Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
        Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
    }
}

/// Checks that the database answers and that every migration of this build is applied
/// (the newest embedded version is recorded as successful), for the readiness probe.
///
/// # Errors
/// No connection within the pool's acquire timeout, a failing query, or a schema older
/// than this build (another instance has not migrated yet, or a migration failed).
pub async fn check_ready(pool: &Pool) -> anyhow::Result<()> {
    let newest = migrator(Backend::of(pool)).iter().map(|m| m.version).max();
    let mut conn = pool.acquire().await.context("database unreachable")?;
    let applied: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
        .fetch_one(&mut *conn)
        .await
        .context("database not answering")?;
    if applied < newest {
        anyhow::bail!(
            "database schema at migration {} but this build needs {}",
            applied.unwrap_or(0),
            newest.unwrap_or(0)
        );
    }
    Ok(())
}

/// Key of the PostgreSQL advisory lock held by every write transaction (any fixed
/// number; it only has to be the same in every process).
const WRITE_LOCK: i64 = 0x0070_6172_6c6f;

/// Begins a write transaction holding the database's write lock until it ends, so writers
/// run one at a time and a read-then-write inside it sees no concurrent change: SQLite's
/// `BEGIN IMMEDIATE` (concurrent writers wait up to the busy timeout), or on PostgreSQL
/// `pg_advisory_xact_lock` (waiting writers queue; released by commit or rollback).
pub async fn begin_write(pool: &Pool) -> sqlx::Result<Transaction> {
    match Backend::of(pool) {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => locked(pool.begin().await?).await,
    }
}

/// [`begin_write`] on a connection the caller holds (one that stays with its holder, such
/// as the turn writer's).
pub async fn begin_write_on(conn: &mut Connection) -> sqlx::Result<sqlx::Transaction<'_, sqlx::Any>> {
    match Backend::of_connection(conn) {
        Backend::Sqlite => sqlx::Connection::begin_with(conn, "BEGIN IMMEDIATE").await,
        Backend::Postgres => locked(sqlx::Connection::begin(conn).await?).await,
    }
}

/// `tx` once it holds the PostgreSQL write lock.
async fn locked<'c>(
    mut tx: sqlx::Transaction<'c, sqlx::Any>,
) -> sqlx::Result<sqlx::Transaction<'c, sqlx::Any>> {
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(WRITE_LOCK)
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}

/// `sql` with every parameter `$n` renumbered `$n + by`, so that it can follow other
/// statements in one multi-statement query (SQLite, where each query is one hand-off to the
/// connection's thread) whose parameters come first. `sql` has no `$` but in parameters.
pub(crate) fn shift_params(sql: &str, by: usize) -> String {
    let mut shifted = String::with_capacity(sql.len() + 8);
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        shifted.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        let number: usize = rest[..digits].parse().expect("a parameter number follows `$`");
        shifted.push_str(&(number + by).to_string());
        rest = &rest[digits..];
    }
    shifted.push_str(rest);
    shifted
}

#[cfg(test)]
mod shift_tests {
    #[test]
    fn parameters_are_renumbered() {
        assert_eq!(
            super::shift_params("UPDATE t SET a = $1 WHERE b = $12 AND c = $1", 3),
            "UPDATE t SET a = $4 WHERE b = $15 AND c = $4"
        );
    }
}
