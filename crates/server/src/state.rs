//! Shared state of the running server.

use crate::config::Config;
use crate::db::Pool;
use crate::db::writer::Writer;
use crate::hub::Hub;
use crate::rate_limit::public::PublicLimits;
use crate::rate_limit::{FormLimits, KeyLimiter};
use ipnet::IpNet;
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
    pub db: Pool,
    /// Where chat turns are written (group commit).
    pub writer: Writer,
    /// Live conversation events for the SSE streams.
    pub hub: Hub,
    /// Woken when new scheduled (delayed) output is stored.
    pub scheduler: Notify,
    /// Woken when outbox rows are committed ([`crate::outbox::enqueue`]), so the
    /// delivery worker runs at once instead of at its next timer tick.
    pub outbox: Notify,
    /// Wakes the broadcast worker (a broadcast was created; see [`crate::broadcasts`]).
    pub broadcasts: Notify,
    /// Whether webhook endpoints may point at non-public addresses
    /// (`--allow-private-webhooks`, see `outbox::target`).
    pub allow_private_webhooks: bool,
    /// The server's public base URL without trailing `/` (`--public-url`, else
    /// `http://<bound address>`), for embed snippets.
    pub public_url: String,
    /// Directory served at `/pkg` (the npm package build: loader, wasm, js).
    pub pkg_dir: PathBuf,
    /// Directory served at `/` (the demo site).
    pub www_dir: PathBuf,
    /// Directory of the npm package `swagger-ui-dist`, served at `/docs/assets`.
    pub swagger_ui_dir: PathBuf,
    /// Per API key rate limit of the management API.
    pub key_limiter: KeyLimiter,
    /// Rate limits of form submissions, per client IP and per form.
    pub form_limits: FormLimits,
    /// The bearer token `GET /metrics` requires (`--metrics-token`), if any.
    pub metrics_token: Option<String>,
    /// Limits of the public chat API: sessions, messages, event streams.
    pub public_limits: PublicLimits,
    /// Proxies whose `Forwarded` / `X-Forwarded-For` name the client (`--trusted-proxies`,
    /// see [`crate::client_ip`]).
    pub trusted_proxies: Vec<IpNet>,
    /// Cancelled on shutdown; ends event streams and the scheduler.
    pub shutdown: CancellationToken,
}

impl AppState {
    /// State over an open, migrated database, with the directories of `config`, for a
    /// server listening on `addr`. Must be called inside a Tokio runtime.
    ///
    /// # Errors
    /// The turn writer's thread could not start ([`Writer::new`]).
    pub fn new(db: Pool, config: &Config, addr: std::net::SocketAddr) -> std::io::Result<Self> {
        Ok(Self(Arc::new(Inner {
            writer: Writer::new(db.clone())?,
            db,
            hub: Hub::default(),
            scheduler: Notify::new(),
            outbox: Notify::new(),
            broadcasts: Notify::new(),
            allow_private_webhooks: config.outbox.allow_private_webhooks,
            public_url: config.public_url(addr),
            pkg_dir: config.pkg_dir.clone(),
            www_dir: config.www_dir.clone(),
            swagger_ui_dir: config.swagger_ui_dir.clone(),
            key_limiter: KeyLimiter::new(config.key_rate_limit),
            form_limits: FormLimits::new(config.form_ip_rate_limit, config.form_rate_limit),
            metrics_token: config.metrics_token.clone(),
            public_limits: PublicLimits::new(&config.public_limits),
            trusted_proxies: config.trusted_proxies.clone(),
            shutdown: CancellationToken::new(),
        })))
    }
}

impl Deref for AppState {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        &self.0
    }
}
