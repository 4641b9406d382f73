//! `parlo-server webhook-receiver --bind 127.0.0.1:8090 --secret whsec_…`: a tiny local webhook receiver for the demo and for
//! trying endpoints out. Every `POST` is verified with the endpoint's secret
//! ([`super::signature::verify`]) and printed on stdout, one line each:
//!
//! ```text
//! webhook msg_2KWPBgLlAfxdpx2AI54pPJ85f4W signature verified: yes body: {"type":"lead.created",…}
//! ```
//!
//! It answers 204 to a verified delivery and 401 otherwise (so a bad signature is
//! retried, as a real receiver would make it).

use super::signature::{self, Secret};
use crate::clock;
use crate::db;
use crate::db::webhook_endpoints;
use anyhow::Context;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use clap::Args;
use parlo_model::webhook::CreateWebhookEndpoint;
use std::net::SocketAddr;
use std::sync::Arc;

/// The demo workspace's endpoint for this receiver (`seed/webhook_endpoint.json`): URL
/// `http://127.0.0.1:8090/parlo` and a public, demo-only secret.
pub const DEMO_ENDPOINT: &str = include_str!("../../seed/webhook_endpoint.json");

/// Id of the demo endpoint ([`DEMO_ENDPOINT`]) of the workspace, created when the workspace
/// has no endpoint with its URL (idempotent, for `--seed-demo`).
pub async fn ensure_demo_endpoint(
    conn: &mut db::Connection,
    workspace_id: i64,
    now: &str,
) -> anyhow::Result<i64> {
    let demo: CreateWebhookEndpoint =
        serde_json::from_str(DEMO_ENDPOINT).context("seed webhook_endpoint.json")?;
    if let Some(id) = webhook_endpoints::find_by_url(conn, workspace_id, &demo.url).await? {
        return Ok(id);
    }
    let secret = demo.secret.context("seed webhook_endpoint.json has no secret")?;
    let endpoint =
        webhook_endpoints::create(conn, workspace_id, &demo.url, &demo.description, &secret, now).await?;
    Ok(endpoint.id)
}

/// Slug of the demo workspace and id of its lead form that [`seed_demo_webhook`] wires up.
const DEMO_FORM: (&str, &str) = ("demo", "quote");

/// `--demo-webhook` (with `--seed-demo`): gives the demo workspace the endpoint of
/// [`DEMO_ENDPOINT`] and adds a webhook to it to the demo form's automations, both once.
/// `cargo xtask demo` turns it on; tests and other servers keep the form as seeded.
pub async fn seed_demo_webhook(pool: &db::Pool) -> anyhow::Result<()> {
    let (slug, form_id) = DEMO_FORM;
    let now = clock::now_rfc3339();
    let mut tx = crate::db::begin_write(pool).await?;
    let workspace_id = crate::db::workspaces::find_by_slug(&mut tx, slug)
        .await?
        .context("the demo workspace is not seeded")?;
    let endpoint_id = ensure_demo_endpoint(&mut tx, workspace_id, &now).await?;
    let mut form = crate::db::forms::find(&mut tx, workspace_id, form_id)
        .await?
        .context("the demo form is not seeded")?;
    let webhook = parlo_model::automation::Automation::Webhook { endpoint_id };
    if !form.automations.contains(&webhook) {
        form.automations.push(webhook);
        crate::db::forms::replace(&mut tx, workspace_id, &form, &now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Arguments of `webhook-receiver` (it listens on the global `--bind`).
#[derive(Clone, Debug, Args)]
pub struct ReceiverArgs {
    /// The endpoint's signing secret `whsec_…`.
    #[arg(long, env = "PARLO_WEBHOOK_SECRET")]
    pub secret: String,
}

/// The line printed for one received webhook.
pub fn describe(secret: &Secret, headers: &HeaderMap, body: &[u8]) -> (bool, String) {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("");
    let id = header("webhook-id");
    let verdict = signature::verify(
        secret,
        id,
        header("webhook-timestamp"),
        header("webhook-signature"),
        body,
        clock::now_ms() / 1000,
    );
    let verified = match &verdict {
        Ok(()) => "yes".to_owned(),
        Err(e) => format!("no ({e})"),
    };
    let line = format!(
        "webhook {id} signature verified: {verified} body: {}",
        String::from_utf8_lossy(body)
    );
    (verdict.is_ok(), line)
}

/// Serves on `bind` until the process ends; prints `receiving webhooks on http://<addr>`
/// once bound.
pub async fn serve(bind: SocketAddr, args: &ReceiverArgs) -> anyhow::Result<()> {
    let secret = Secret::parse(&args.secret).map_err(|e| anyhow::anyhow!("--secret {e}"))?;
    async fn receive(State(secret): State<Arc<Secret>>, headers: HeaderMap, body: Bytes) -> StatusCode {
        let (verified, line) = describe(&secret, &headers, &body);
        println!("{line}");
        if verified {
            StatusCode::NO_CONTENT
        } else {
            StatusCode::UNAUTHORIZED
        }
    }
    let app = Router::new()
        .route("/", post(receive))
        .route("/{*path}", post(receive))
        .with_state(Arc::new(secret));
    let listener = tokio::net::TcpListener::bind(bind).await?;
    println!("receiving webhooks on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_endpoint_is_valid() {
        let demo: CreateWebhookEndpoint = serde_json::from_str(DEMO_ENDPOINT).unwrap();
        assert!(super::super::target::check_url(&demo.url, true).is_ok());
        assert!(Secret::parse(demo.secret.as_deref().unwrap()).is_ok());
    }
}
