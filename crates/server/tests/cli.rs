//! The `parlo-server` binary: `listening on` line, env configuration, `create-key`,
//! graceful shutdown on SIGTERM.

mod common;

use common::{BIN, spawn_server, terminate};
use std::process::{Command, Stdio};

#[tokio::test]
async fn serves_on_a_random_port_and_uses_keys_from_create_key() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");

    let out = Command::new(BIN)
        .args(["--seed-demo", "create-key", "--workspace", "demo", "--name", "ci"])
        .env("PARLO_DATA_DIR", &data)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let key = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(key.starts_with("parlo_sk_") && key.len() == 52, "{key}");
    assert!(parlo_model::api_key::is_well_formed_key(&key), "{key}");

    let out = Command::new(BIN)
        .args(["create-key", "--workspace", "nope", "--name", "ci"])
        .env("PARLO_DATA_DIR", &data)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no workspace 'nope'"));

    let (child, url) = spawn_server(
        &data,
        &[("PARLO_DEMO_ORIGINS", "http://a.test:1,http://b.test:2")],
        Stdio::null(),
    );
    assert!(
        url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"),
        "{url}"
    );

    let client = reqwest::Client::new();
    let res = client
        .get(format!("{url}/api/v1/flows/welcome"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let config: serde_json::Value = client
        .get(format!("{url}/api/public/v1/channels/demo"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        config["allowed_origins"],
        serde_json::json!([
            "http://127.0.0.1:8080",
            "http://localhost:8080",
            "http://a.test:1",
            "http://b.test:2"
        ])
    );

    // An open event stream must not hold up the graceful shutdown.
    let session: serde_json::Value = client
        .post(format!("{url}/api/public/v1/channels/demo/sessions"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = session["session_token"].as_str().unwrap();
    let mut stream = client
        .get(format!("{url}/api/public/v1/channels/demo/events?token={token}"))
        .send()
        .await
        .unwrap();
    assert!(stream.chunk().await.unwrap().is_some(), "the greeting arrives");

    terminate(child);
    assert!(stream.chunk().await.unwrap_or(None).is_none(), "the stream ended");
}
