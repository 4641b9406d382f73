//! `GET /metrics`: Prometheus text that moves with the traffic, behind the metrics token.
//!
//! The counters live in the process (one recorder per process), and the other tests of this
//! binary run servers in it at the same time, so this test runs its server as a child process
//! of its own, where only its own requests count.

use crate::common::{assert_problem, fresh_database, spawn_server, terminate};
use parlo_model::chat::Session;
use parlo_server::tokens::random_base62;
use reqwest::Client;
use serde_json::json;
use std::process::Stdio;

/// The value of the sample of `name` carrying every label of `labels` (`key="value"`).
fn sample(text: &str, name: &str, labels: &[&str]) -> Option<f64> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter(|line| {
            line.strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('{') || rest.starts_with(' '))
        })
        .find(|line| labels.iter().all(|label| line.contains(label)))
        .and_then(|line| line.rsplit(' ').next()?.parse().ok())
}

/// The metrics token of the test's server.
const TOKEN: &str = "metrics-token-for-tests";

async fn scrape(client: &Client, url: &str) -> String {
    let res = client
        .get(format!("{url}/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let content_type = res.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    res.text().await.unwrap()
}

#[tokio::test]
async fn a_chat_turn_moves_the_counters_and_an_open_stream_shows() {
    let dir = tempfile::tempdir().unwrap();
    let database_url = fresh_database().await;
    let mut envs = vec![("PARLO_METRICS_TOKEN", TOKEN)];
    envs.extend(database_url.as_deref().map(|url| ("PARLO_DATABASE_URL", url)));
    let (child, url) = spawn_server(&dir.path().join("data"), &envs, Stdio::null());
    let client = Client::new();
    // Without the token, or with another one: a 401 problem, and no metrics.
    for token in [None, Some("guess")] {
        let mut req = client.get(format!("{url}/metrics"));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        assert_problem(req.send().await.unwrap(), 401, "unauthorized").await;
    }
    let channel = format!("{url}/api/public/v1/channels/demo");
    let before = scrape(&client, &url).await;
    let turns = |text: &str, trigger: &str| {
        sample(
            text,
            "parlo_chat_turns_total",
            &[&format!("trigger=\"{trigger}\"")],
        )
        .unwrap_or(0.0)
    };
    let posts = |text: &str| {
        sample(
            text,
            "parlo_http_request_duration_seconds_count",
            &[
                "route=\"/api/public/v1/channels/{channel_id}/messages\"",
                "method=\"POST\"",
                "status=\"2xx\"",
            ],
        )
        .unwrap_or(0.0)
    };

    let res = client.post(format!("{channel}/sessions")).send().await.unwrap();
    assert_eq!(res.status(), 201);
    let session: Session = res.json().await.unwrap();
    let token = &session.session_token;
    let mut sse = client
        .get(format!("{channel}/events?token={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(sse.status(), 200);
    assert!(
        sse.chunk().await.unwrap().is_some(),
        "the stream sends the history"
    );
    let res = client
        .post(format!("{channel}/messages"))
        .bearer_auth(token)
        .json(&json!({"id": random_base62(16), "input": {"type": "text", "text": "menu"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    let after = scrape(&client, &url).await;
    assert_eq!(
        turns(&after, "session"),
        turns(&before, "session") + 1.0,
        "{after}"
    );
    assert_eq!(
        turns(&after, "message"),
        turns(&before, "message") + 1.0,
        "{after}"
    );
    assert_eq!(posts(&after), posts(&before) + 1.0, "{after}");
    let bucket = sample(
        &after,
        "parlo_http_request_duration_seconds_bucket",
        &[
            "route=\"/api/public/v1/channels/{channel_id}/messages\"",
            "le=\"+Inf\"",
        ],
    );
    assert_eq!(bucket, Some(posts(&after)), "a histogram with buckets");
    assert_eq!(sample(&after, "parlo_event_streams_open", &[]), Some(1.0));
    assert_eq!(sample(&after, "parlo_db_pool_max_connections", &[]), Some(8.0));
    assert!(sample(&after, "parlo_db_pool_connections", &["state=\"in_use\""]).is_some());
    for gauge in [
        "parlo_outbox_pending",
        "parlo_outbox_oldest_pending_age_seconds",
        "parlo_scheduled_items",
        "parlo_scheduled_overdue_seconds",
    ] {
        assert!(sample(&after, gauge, &[]).is_some(), "{gauge} in {after}");
    }

    drop(sse);
    // The stream ends on the server once it notices the closed connection.
    let mut closed = false;
    for _ in 0..100 {
        if sample(&scrape(&client, &url).await, "parlo_event_streams_open", &[]) == Some(0.0) {
            closed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    terminate(child);
    assert!(closed, "the closed stream is still counted as open");
}
