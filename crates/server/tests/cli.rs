//! The `parlo-server` binary: `listening on` line, env configuration, `create-key`,
//! graceful shutdown on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_parlo-server");

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

    let out = Command::new(BIN)
        .args(["create-key", "--workspace", "nope", "--name", "ci"])
        .env("PARLO_DATA_DIR", &data)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no workspace 'nope'"));

    let mut child = Command::new(BIN)
        .args(["serve", "--data-dir"])
        .arg(&data)
        .env("PARLO_BIND", "127.0.0.1:0")
        .env("PARLO_SEED_DEMO", "true")
        .env("PARLO_DEMO_ORIGINS", "http://a.test:1,http://b.test:2")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
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

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "graceful shutdown exits 0, got {status}");
    assert!(stream.chunk().await.unwrap_or(None).is_none(), "the stream ended");
}
