//! `parlo-server webhook-receiver --bind 127.0.0.1:8090 --secret whsec_…`: a tiny local webhook receiver for the demo and for
//! trying endpoints out. Every `POST` is verified with the endpoint's secret
//! ([`super::signature::verify`]) and printed on stdout, one line each:
//!
//! ```text
//! webhook msg_2KWPBgLlAfxdpx2AI54pPJ85f4W signature verified: yes body: {"type":"lead.created",…}
//! ```
//!
//! It answers 204 to a verified delivery, a demo order status (JSON) to a verified call of a
//! flow's webhook step (type `flow.webhook`), and 401 otherwise (so a bad signature is
//! retried, as a real receiver would make it).

use super::signature::{self, Secret};
use crate::clock;
use crate::db;
use crate::db::webhook_endpoints;
use crate::db::{channels, flows};
use anyhow::Context;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use clap::Args;
use parlo_model::flow::{Flow, Step};
use parlo_model::keyword::{Keyword, KeywordMatch, KeywordSettings};
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
/// The demo channel that [`seed_demo_webhook`] gives a keyword for [`TRACK_ORDER`].
const DEMO_CHANNEL: &str = "demo";
/// The flow "Track an order" (`seed/track_order.json`), whose webhook step calls the demo
/// endpoint (its `endpoint_id` is set to the endpoint's id when seeded).
const TRACK_ORDER: &str = include_str!("../../seed/track_order.json");
/// The answer of the receiver to a webhook step's call: an order status for the demo's
/// "Track an order" flow.
const DEMO_ORDER: &str = r#"{"order":{"status":"out for delivery","eta":"today before 17:00"}}"#;

/// `--demo-webhook` (with `--seed-demo`): gives the demo workspace the endpoint of
/// [`DEMO_ENDPOINT`], adds a webhook to it to the demo form's automations, and adds the
/// flow [`TRACK_ORDER`] (calling the endpoint) with a keyword of the demo channel
/// (`track`, `my order`, `order status`), each once. `cargo xtask demo` turns it on; tests
/// and other servers keep the demo as seeded.
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
    let mut track = Flow::from_json(TRACK_ORDER)
        .map_err(|errors| anyhow::anyhow!("seed flow track_order is invalid: {errors:?}"))?;
    for step in track.steps.values_mut() {
        if let Step::Webhook { endpoint_id: id, .. } = step {
            *id = endpoint_id;
        }
    }
    if flows::find(&mut tx, workspace_id, track.id.as_str())
        .await?
        .is_none()
    {
        flows::upsert(&mut tx, workspace_id, &track, &now).await?;
    }
    let mut channel = channels::find(&mut tx, DEMO_CHANNEL)
        .await?
        .context("the demo channel is not seeded")?;
    if !channel.bot.keywords.iter().any(|k| k.flow == track.id) {
        let settings = KeywordSettings {
            phrases: vec!["track".into(), "my order".into(), "order status".into()],
            match_rule: KeywordMatch::Contains,
            flow: track.id.clone(),
            enabled: true,
        };
        channel
            .bot
            .keywords
            .push(Keyword::new("kw_track_order".into(), settings));
        channels::upsert(&mut tx, workspace_id, &channel.config, &channel.bot, &now).await?;
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
    async fn receive(State(secret): State<Arc<Secret>>, headers: HeaderMap, body: Bytes) -> Response {
        let (verified, line) = describe(&secret, &headers, &body);
        println!("{line}");
        let event: Option<serde_json::Value> = serde_json::from_slice(&body).ok();
        let step_call = event
            .as_ref()
            .and_then(|e| e.get("type"))
            .and_then(|t| t.as_str())
            == Some(crate::scheduler::webhook_step::EVENT_TYPE);
        match (verified, step_call) {
            (true, true) => ([(CONTENT_TYPE, "application/json")], DEMO_ORDER).into_response(),
            (true, false) => StatusCode::NO_CONTENT.into_response(),
            (false, _) => StatusCode::UNAUTHORIZED.into_response(),
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
