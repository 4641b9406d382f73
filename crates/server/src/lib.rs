//! Parlo's platform server: the public widget API, a management API slice, the realtime
//! stream (SSE), the scheduler of delayed bot messages, the broadcast worker, and the static files of the demo
//! site and npm package.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! use clap::Parser;
//! let cli = parlo_server::config::Cli::parse_from(["parlo-server", "--bind", "127.0.0.1:0"]);
//! let server = parlo_server::start(&cli.config).await?;
//! println!("listening on {}", server.url());
//! server.shutdown().await?;
//! # Ok(()) }
//! ```
//!
//! Routes: see [`routes`]. Errors: every error is `application/problem+json`
//! ([`error::ApiError`]), also those of layers and static files ([`problem_bodies`]). Storage: SQLite in `<data_dir>/parlo.db` or PostgreSQL (`--database-url`) ([`db`]).

pub mod auth;
pub mod broadcasts;
pub mod chat;
pub mod client_ip;
pub mod clock;
pub mod config;
pub mod content;
pub mod cors;
pub mod db;
pub mod error;
pub mod extract;
pub mod field_values;
pub mod forms;
pub mod hub;
pub mod identity;
pub mod listener;
pub mod locales;
pub mod management_cors;
pub mod openapi;
pub mod outbox;
pub mod problem_bodies;
pub mod pruning;
pub mod rate_limit;
pub mod routes;
pub mod scheduler;
pub mod seed;
pub mod state;
pub mod telemetry;
pub mod tokens;
pub mod workspace_hub;

use crate::config::{Cli, Command, Config};
use crate::error::ApiError;
use anyhow::Context;
use axum::Router;
use axum::http::Request;
pub use state::AppState;
use std::net::SocketAddr;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

/// The answer to a request whose handler panicked (a bug): a 500 `internal` problem, the
/// panic's message logged, and the server goes on serving.
fn panicked(panic: Box<dyn std::any::Any + Send>) -> axum::response::Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    axum::response::IntoResponse::into_response(ApiError::Internal(anyhow::anyhow!(
        "handler panicked: {message}"
    )))
}

/// The whole HTTP application over `state`.
pub fn app(state: AppState) -> Router {
    async fn method_not_allowed() -> ApiError {
        ApiError::MethodNotAllowed
    }
    Router::new()
        .merge(routes::api())
        .merge(routes::api_fallback())
        .merge(routes::docs::router(&state.swagger_ui_dir))
        .merge(routes::health::router())
        .merge(routes::unsubscribe::router())
        .merge(routes::metrics::router())
        .merge(routes::assets::router(&state.pkg_dir, &state.www_dir))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(CatchPanicLayer::custom(panicked))
        .layer(axum::middleware::map_response(problem_bodies::problem_bodies))
        .layer(axum::middleware::from_fn(telemetry::track_requests))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            cors::per_resource,
        ))
        .layer(axum::middleware::from_fn(management_cors::middleware))
        // Spans carry the path only: queries may hold session tokens.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<_>| {
                    tracing::info_span!("http", method = %req.method(), path = %req.uri().path())
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .with_state(state)
}

/// A server started by [`start`].
#[derive(Debug)]
pub struct Running {
    addr: SocketAddr,
    state: AppState,
    server: JoinHandle<std::io::Result<()>>,
    scheduler: JoinHandle<()>,
    outbox: JoinHandle<()>,
    broadcasts: JoinHandle<()>,
    pruning: JoinHandle<()>,
    fan_out: Option<JoinHandle<()>>,
}

impl Running {
    /// The address actually bound (with the real port when the configured one was 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The shared state (database, notifiers) of the running server.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// `http://<addr>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, ends event streams, waits for in-flight requests and the background
    /// tasks, and closes the database.
    pub async fn shutdown(self) -> anyhow::Result<()> {
        self.state.shutdown.cancel();
        self.server.await.context("server task")?.context("serving")?;
        self.scheduler.await.context("scheduler task")?;
        self.outbox.await.context("outbox task")?;
        self.broadcasts.await.context("broadcast task")?;
        self.pruning.await.context("pruning task")?;
        if let Some(fan_out) = self.fan_out {
            fan_out.await.context("hub fan-out task")?;
        }
        self.state.db.close().await;
        Ok(())
    }
}

/// Opens and migrates the database, seeds the demo if asked, binds, and starts serving,
/// the scheduler, the outbox worker, the broadcast worker ([`broadcasts`]), the pruning ([`pruning`]) and (on PostgreSQL) the
/// hub's fan-out to the other instances in the background.
pub async fn start(config: &Config) -> anyhow::Result<Running> {
    let db = db::open(&config.data_dir, config.database_url.as_deref()).await?;
    if config.seed_demo {
        seed::seed_demo(&db, &config.demo_origins).await?;
        if config.outbox.demo_webhook {
            outbox::receiver::seed_demo_webhook(&db).await?;
        }
    }
    telemetry::handle();
    let listener = TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("binding {}", config.bind))?;
    let addr = listener.local_addr()?;
    if config.seed_demo {
        seed::seed_demo_shop(&db, &config.public_url(addr)).await?;
    }
    let state = AppState::new(db, config, addr).context("starting the turn writer")?;
    let fan_out = hub::fan_out(&state).await?;
    let scheduler = tokio::spawn(scheduler::run(state.clone()));
    let outbox = tokio::spawn(outbox::run(state.clone(), config.outbox.clone()));
    let broadcasts = tokio::spawn(broadcasts::run(state.clone()));
    let pruning = tokio::spawn(pruning::run(state.clone(), pruning::Retention::of(config)));
    let shutdown = state.shutdown.clone();
    // Handlers may read the client address (`ConnectInfo`), e.g. for rate limits.
    let service = app(state.clone()).into_make_service_with_connect_info::<listener::Peer>();
    let server = tokio::spawn(
        axum::serve(listener::ProblemListener(listener), service)
            .with_graceful_shutdown(async move { shutdown.cancelled().await })
            .into_future(),
    );
    Ok(Running {
        addr,
        state,
        server,
        scheduler,
        outbox,
        broadcasts,
        pruning,
        fan_out,
    })
}

/// Listens for SIGINT (Ctrl-C) and SIGTERM from now on, and resolves when one arrives.
/// Registered before the server says it is listening, so a signal sent right after that line
/// shuts it down gracefully instead of killing it.
///
/// # Errors
/// The signal handlers could not be installed.
#[cfg(unix)]
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

/// Resolves on Ctrl-C (no SIGTERM outside Unix).
#[cfg(not(unix))]
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// Serves until SIGINT/SIGTERM. Prints `listening on http://<addr>` on stdout once bound.
///
/// First raises the process's open-file limit to its hard limit: each open event stream
/// holds a socket, and the usual soft limit (1,024 on many Linux systems) would refuse
/// connections long before `--max-streams`. A limit still below that cap is logged as a
/// warning.
pub async fn serve(config: &Config) -> anyhow::Result<()> {
    let max_streams = u64::from(config.public_limits.max_streams);
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(files) if files < max_streams + 256 => tracing::warn!(
            files,
            max_streams,
            "the open-file limit is below --max-streams plus room for the database and \
             requests: raise the hard limit (ulimit -Hn, LimitNOFILE=)"
        ),
        Ok(files) => tracing::info!(files, "open-file limit"),
        Err(error) => tracing::warn!(%error, "could not raise the open-file limit"),
    }
    let running = start(config).await?;
    let signal = shutdown_signal().context("listening for SIGINT and SIGTERM")?;
    println!("listening on {}", running.url());
    tracing::info!(addr = %running.addr(), "listening");
    signal.await;
    tracing::info!("shutting down");
    running.shutdown().await
}

/// For the command-line tools: the database of `config` (migrated, the demo seeded if
/// asked), a connection, and the id of the workspace with slug `workspace`.
async fn open_workspace(
    config: &Config,
    workspace: &str,
) -> anyhow::Result<(db::Pool, sqlx::pool::PoolConnection<sqlx::Any>, i64)> {
    let db = db::open(&config.data_dir, config.database_url.as_deref()).await?;
    if config.seed_demo {
        seed::seed_demo(&db, &config.demo_origins).await?;
    }
    let mut conn = db.acquire().await?;
    let workspace_id = db::workspaces::find_by_slug(&mut conn, workspace)
        .await?
        .with_context(|| format!("no workspace '{workspace}'"))?;
    Ok((db, conn, workspace_id))
}

/// Creates an API key for the workspace `workspace` (by slug) and returns it; only its
/// SHA-256 is stored. Same format as `POST /api/v1/api-keys` ([`auth::issue_api_key`]).
pub async fn create_key(config: &Config, workspace: &str, name: &str) -> anyhow::Result<String> {
    let (db, mut conn, workspace_id) = open_workspace(config, workspace).await?;
    let key = auth::issue_api_key(&mut conn, workspace_id, name).await?;
    drop(conn);
    db.close().await;
    Ok(key.secret)
}

/// Creates a channel in workspace `workspace` (by slug) allowing `origins`, named `name`
/// (`parlo-server create-channel`), checked like `POST /api/v1/channels`; answers its id, its
/// embed snippet (for `--public-url`, else `http://<--bind>`) and its identity secret.
pub async fn create_channel(
    config: &Config,
    workspace: &str,
    origins: &[String],
    name: &str,
) -> anyhow::Result<(String, String, String)> {
    let (db, mut conn, workspace_id) = open_workspace(config, workspace).await?;
    let settings = parlo_model::channel::ChannelSettings::new(name.to_owned(), origins.to_vec());
    let problems = routes::channels::problems(&mut conn, workspace_id, &settings).await?;
    if !problems.is_empty() {
        let lines: Vec<String> = problems
            .iter()
            .map(|p| format!("{}: {}", p.pointer, p.message))
            .collect();
        anyhow::bail!("invalid channel: {}", lines.join("; "));
    }
    let channel = routes::channels::new_channel(workspace_id, settings, &clock::now_rfc3339());
    let identity_secret = tokens::new_identity_secret();
    db::channels::create(&mut conn, &channel, &identity_secret).await?;
    drop(conn);
    db.close().await;
    let snippet = routes::channels::embed_snippet(&config.public_url(config.bind), &channel.config.id);
    Ok((channel.config.id.to_string(), snippet, identity_secret))
}

/// Creates a console user (`parlo-server create-user`, [`auth::create_user`]); with
/// `seed_demo` the demo is seeded and given to the user if nobody owns it. Answers the
/// user and whether they got the demo workspace.
pub async fn create_user(
    config: &Config,
    email: &str,
    password: String,
) -> anyhow::Result<(parlo_model::user::User, bool)> {
    let db = db::open(&config.data_dir, config.database_url.as_deref()).await?;
    if config.seed_demo {
        seed::seed_demo(&db, &config.demo_origins).await?;
    }
    let mut tx = db::begin_write(&db).await?;
    let user = auth::create_user(&mut tx, email, password).await?;
    let demo = match db::workspaces::find_by_slug(&mut tx, seed::DEMO_WORKSPACE).await? {
        Some(id) if config.seed_demo => db::workspaces::adopt(&mut tx, id, user.id).await?,
        _ => false,
    };
    tx.commit().await?;
    db.close().await;
    Ok((user, demo))
}

/// Runs the command line (see [`config`]).
pub async fn run_cli(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        None | Some(Command::Serve) => serve(&cli.config).await,
        Some(Command::WebhookReceiver(args)) => outbox::receiver::serve(cli.config.bind, &args).await,
        Some(Command::CreateKey(args)) => {
            let key = create_key(&cli.config, &args.workspace, &args.name).await?;
            println!("{key}");
            eprintln!(
                "created API key '{}' for workspace '{}'; it is shown only once",
                args.name, args.workspace
            );
            Ok(())
        }
        Some(Command::CreateChannel(args)) => {
            let (id, snippet, identity_secret) =
                create_channel(&cli.config, &args.workspace, &args.origins, &args.name).await?;
            println!("{id}");
            println!("{snippet}");
            println!("{identity_secret}");
            eprintln!(
                "created channel {id} for workspace '{}'; paste the snippet into the pages of {}; \
                 the last line is its identity secret (for verified visitor identities), shown \
                 only once",
                args.workspace,
                args.origins.join(", ")
            );
            Ok(())
        }
        Some(Command::Backup(args)) => {
            let db = db::open(&cli.config.data_dir, cli.config.database_url.as_deref()).await?;
            let copied = db::backup::backup(&db, &args.to).await;
            db.close().await;
            copied?;
            eprintln!("backed up the database to {}", args.to.display());
            Ok(())
        }
        Some(Command::CreateUser(args)) => {
            let password = config::CreateUser::password().context("reading the password from stdin")?;
            let (user, demo) = create_user(&cli.config, &args.email, password).await?;
            println!("{}", user.id);
            eprintln!(
                "created user {} (id {}){}",
                user.email,
                user.id,
                if demo { ", owner of workspace 'demo'" } else { "" }
            );
            Ok(())
        }
    }
}
