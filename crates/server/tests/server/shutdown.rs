//! Graceful shutdown of the `parlo-server` binary: SIGTERM ends open event streams with a
//! reconnection hint, lets requests finish and exits 0.

use crate::common::{spawn_server, terminate};
use parlo_model::chat::Session;
use std::process::Stdio;
use std::time::Duration;

/// Longest wait for the stream to end after SIGTERM (a bound, not a timing assertion).
const BOUND: Duration = Duration::from_secs(20);

#[tokio::test]
async fn sigterm_ends_event_streams_with_a_retry_hint_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let (child, url) = spawn_server(&dir.path().join("data"), &[], Stdio::null());
    let client = reqwest::Client::new();
    let channel = format!("{url}/api/public/v1/channels/demo");
    let res = client.post(format!("{channel}/sessions")).send().await.unwrap();
    assert_eq!(res.status(), 201);
    let session: Session = res.json().await.unwrap();
    let mut stream = client
        .get(format!("{channel}/events?token={}", session.session_token))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let mut text = String::new();
    while !text.contains("event: message") {
        let chunk = tokio::time::timeout(BOUND, stream.chunk())
            .await
            .unwrap()
            .unwrap();
        text.push_str(std::str::from_utf8(&chunk.expect("the stream is open")).unwrap());
    }

    // SIGTERM; the stream ends on its own, its last lines telling the client to come back.
    let server = tokio::task::spawn_blocking(move || terminate(child));
    let rest = tokio::time::timeout(BOUND, async {
        let mut rest = String::new();
        while let Some(chunk) = stream.chunk().await.expect("the stream ends cleanly") {
            rest.push_str(std::str::from_utf8(&chunk).unwrap());
        }
        rest
    })
    .await
    .expect("the stream ends after SIGTERM");
    assert!(
        rest.lines()
            .any(|line| line == "retry: 1000" || line == "retry:1000"),
        "a retry hint before the end: {rest:?}"
    );
    // `terminate` asserts exit status 0.
    tokio::time::timeout(BOUND, server)
        .await
        .expect("the process exits after SIGTERM")
        .unwrap();
}
