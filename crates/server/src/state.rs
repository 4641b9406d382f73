//! Shared state of the running server.

use crate::hub::Hub;
use sqlx::SqlitePool;
use std::ops::Deref;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

/// Handle to everything handlers share; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Inner>);

/// The shared parts behind [`AppState`].
#[derive(Debug)]
pub struct Inner {
    /// The database.
    pub db: SqlitePool,
    /// Live conversation events for the SSE streams.
    pub hub: Hub,
    /// Woken when new scheduled (delayed) output is stored.
    pub scheduler: Notify,
    /// Directory served at `/pkg` (the npm package build: loader, wasm, js).
    pub pkg_dir: PathBuf,
    /// Directory served at `/` (the demo site).
    pub www_dir: PathBuf,
    /// Cancelled on shutdown; ends event streams and the scheduler.
    pub shutdown: CancellationToken,
}

impl AppState {
    /// State over an open, migrated database.
    pub fn new(db: SqlitePool, pkg_dir: PathBuf, www_dir: PathBuf) -> Self {
        Self(Arc::new(Inner {
            db,
            hub: Hub::default(),
            scheduler: Notify::new(),
            pkg_dir,
            www_dir,
            shutdown: CancellationToken::new(),
        }))
    }
}

impl Deref for AppState {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        &self.0
    }
}
