//! `parlo-server`: see `parlo_server::config` for the command line.

use clap::Parser;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .init();
    let cli = parlo_server::config::Cli::parse();
    match parlo_server::run_cli(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "parlo-server failed");
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
