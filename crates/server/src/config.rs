//! Command line and environment: `parlo-server [serve] [flags]`, `parlo-server create-key`,
//! `parlo-server create-channel`, `parlo-server create-user`.
//!
//! Every flag is also an environment variable (`PARLO_*`); flags win.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Parlo platform server.
#[derive(Debug, Parser)]
#[command(name = "parlo-server", version, about)]
pub struct Cli {
    /// Server settings (accepted before or after the subcommand).
    #[command(flatten)]
    pub config: Config,
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (the default).
    Serve,
    /// Create a management API key and print it once on stdout (only its SHA-256 is kept).
    CreateKey(CreateKey),
    /// Create a web chat channel and print its id, its embed snippet and its identity secret
    /// (shown only once), one per line, on stdout.
    CreateChannel(CreateChannel),
    /// Create a console user; the password comes from `PARLO_PASSWORD` or, without it, the
    /// first line of stdin (never a flag: flags show in process lists and shell history).
    /// With `--seed-demo` the user also gets the demo workspace if nobody owns it.
    CreateUser(CreateUser),
    /// Copy the SQLite database to a new file while the server may be running (consistent:
    /// every transaction committed before it began); see `db::backup`.
    Backup(Backup),
    /// Run a local webhook receiver on `--bind` that verifies and prints each delivery
    /// (see `outbox::receiver`).
    WebhookReceiver(crate::outbox::receiver::ReceiverArgs),
}

/// Arguments of `create-key`.
#[derive(Debug, Args)]
pub struct CreateKey {
    /// Slug of the workspace the key is scoped to, e.g. `demo`.
    #[arg(long)]
    pub workspace: String,
    /// Human name of the key, e.g. `ci`.
    #[arg(long)]
    pub name: String,
}

/// Arguments of `backup`.
#[derive(Debug, Args)]
pub struct Backup {
    /// The copy to write, e.g. `backups/parlo-2026-12-06.db`; must not exist yet.
    #[arg(long)]
    pub to: PathBuf,
}

/// Arguments of `create-channel`.
#[derive(Debug, Args)]
pub struct CreateChannel {
    /// Slug of the workspace the channel belongs to, e.g. `demo`.
    #[arg(long)]
    pub workspace: String,
    /// An origin allowed to use the channel, exactly as browsers send it, e.g.
    /// `https://shop.example` or `http://localhost:3000`; repeat for more.
    #[arg(long = "origin", required = true)]
    pub origins: Vec<String>,
    /// Name shown in the widget header.
    #[arg(long, default_value = "Chat")]
    pub name: String,
}

/// Arguments of `create-user`.
#[derive(Debug, Args)]
pub struct CreateUser {
    /// Log-in e-mail address of the user, unique ignoring case.
    #[arg(long)]
    pub email: String,
}

/// Environment variable holding the password of `create-user`.
pub const PASSWORD_ENV: &str = "PARLO_PASSWORD";

impl CreateUser {
    /// The password: `PARLO_PASSWORD` if set, else the first line of stdin (without its
    /// line ending).
    pub fn password() -> std::io::Result<String> {
        if let Ok(password) = std::env::var(PASSWORD_ENV) {
            return Ok(password);
        }
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

/// A `--public-url`: an absolute `http`/`https` URL without query or fragment; answered
/// without its trailing `/`.
fn parse_public_url(text: &str) -> Result<String, String> {
    let url = url::Url::parse(text).map_err(|e| e.to_string())?;
    if !matches!(url.scheme(), "http" | "https") || url.query().is_some() || url.fragment().is_some() {
        return Err(
            "expected an http(s) URL without query or fragment, e.g. https://chat.example.com".into(),
        );
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Server settings.
#[derive(Clone, Debug, Args)]
pub struct Config {
    /// Address to listen on; port 0 picks a free port (the real one is printed).
    #[arg(long, env = "PARLO_BIND", default_value = "127.0.0.1:8080", global = true)]
    pub bind: SocketAddr,
    /// Directory of the SQLite database `parlo.db` (created and migrated on first start),
    /// used unless `--database-url` is given.
    #[arg(long, env = "PARLO_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,
    /// PostgreSQL instead of SQLite: `postgres://user:password@host:port/database` (the
    /// database must exist; it is migrated on start). Prefer the environment variable, as
    /// flags show in process lists.
    #[arg(long, env = "PARLO_DATABASE_URL", hide_env_values = true, global = true)]
    pub database_url: Option<String>,
    /// Directory served at `/pkg` (the built npm package; `loader.js` is `/embed.js`).
    #[arg(long, env = "PARLO_PKG_DIR", default_value = "pkg", global = true)]
    pub pkg_dir: PathBuf,
    /// Directory served at `/` (the demo site).
    #[arg(long, env = "PARLO_WWW_DIR", default_value = "www", global = true)]
    pub www_dir: PathBuf,
    /// Directory of the npm package `swagger-ui-dist` (installed by `cargo xtask setup`),
    /// served at `/docs/assets`; without it `/docs` answers 503.
    #[arg(
        long,
        env = "PARLO_SWAGGER_UI_DIR",
        default_value = "crates/server/swagger-ui/node_modules/swagger-ui-dist",
        global = true
    )]
    pub swagger_ui_dir: PathBuf,
    /// Management requests allowed per API key per minute (a token bucket: bursts up to
    /// this many, refilled evenly); see `rate_limit`.
    #[arg(long, env = "PARLO_KEY_RATE_LIMIT", default_value_t = 600, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub key_rate_limit: u32,
    /// Form submissions allowed per client IP per minute (a token bucket, across forms);
    /// see `rate_limit::FormLimits`.
    #[arg(long, env = "PARLO_FORM_IP_RATE_LIMIT", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub form_ip_rate_limit: u32,
    /// Form submissions allowed per form per minute (a token bucket, across clients).
    #[arg(long, env = "PARLO_FORM_RATE_LIMIT", default_value_t = 600, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub form_rate_limit: u32,
    /// The server's public base URL as sites reach it, e.g. `https://chat.example.com`, used
    /// in channels' embed snippets; `http://<bound address>` when absent.
    #[arg(long, env = "PARLO_PUBLIC_URL", value_parser = parse_public_url, global = true)]
    pub public_url: Option<String>,
    /// Seed the demo workspace `demo` (channel `demo`) if absent; idempotent.
    #[arg(long, env = "PARLO_SEED_DEMO", global = true)]
    pub seed_demo: bool,
    /// Extra origins allowed on the demo channel, comma-separated, e.g.
    /// `http://127.0.0.1:41234`.
    #[arg(
        long = "demo-origin",
        env = "PARLO_DEMO_ORIGINS",
        value_delimiter = ',',
        global = true
    )]
    pub demo_origins: Vec<String>,
    /// Reverse proxies (load balancers) in front of the server, comma-separated CIDR blocks
    /// or addresses, e.g. `10.0.0.0/8,127.0.0.1`: requests from them are counted against
    /// the client address they report in `Forwarded` or `X-Forwarded-For` (see
    /// `client_ip`). None by default: the TCP peer is the client.
    #[arg(long, env = "PARLO_TRUSTED_PROXIES", value_delimiter = ',', value_parser = crate::client_ip::parse_trusted_proxy, global = true)]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// A secret that `GET /metrics` then requires as `Authorization: Bearer <token>` (a
    /// Prometheus scrape config's `authorization: { credentials: … }`); without it the
    /// endpoint is open, for a monitoring network that only Prometheus reaches. Prefer the
    /// environment variable, as flags show in process lists.
    #[arg(long, env = "PARLO_METRICS_TOKEN", hide_env_values = true, global = true)]
    pub metrics_token: Option<String>,
    /// Hours an idempotency key of a session start (`Idempotency-Key` of `POST
    /// …/sessions`) or of an API trigger (`POST /api/v1/flows/{flow_id}/trigger`) is kept:
    /// a retry with it within that time answers what the first call did; then the record is
    /// deleted (see `pruning`).
    #[arg(long, env = "PARLO_IDEMPOTENCY_RETENTION_HOURS",
          default_value_t = crate::pruning::DEFAULT_IDEMPOTENCY_RETENTION_HOURS,
          value_parser = clap::value_parser!(u32).range(1..=8760), global = true)]
    pub idempotency_retention_hours: u32,
    /// Limits of the public chat API (see `rate_limit::public`).
    #[command(flatten)]
    pub public_limits: crate::rate_limit::public::PublicLimitsConfig,
    /// Outbox worker: webhooks, e-mail, retries (see `outbox::OutboxConfig`).
    #[command(flatten)]
    pub outbox: crate::outbox::OutboxConfig,
}

impl Config {
    /// `--public-url`, or `http://<addr>` for a server listening on `addr`.
    pub fn public_url(&self, addr: SocketAddr) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"))
    }
}
