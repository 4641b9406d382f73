//! The `parlo-server` binary: `listening on` line, env configuration, `create-key`,
//! `create-channel`, `create-user`, graceful shutdown on SIGTERM.

use crate::common::{BIN, spawn_server, terminate};
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
    // Its last lines (a reconnection hint, see tests/shutdown.rs) are already sent; then it ends.
    while stream.chunk().await.unwrap_or(None).is_some() {}
}

/// Runs `parlo-server --seed-demo create-user --email <email>` over `data` with `env`
/// and `stdin`; answers (success, stdout, stderr).
fn create_user(
    data: &std::path::Path,
    email: &str,
    env: Option<&str>,
    stdin: &str,
) -> (bool, String, String) {
    use std::io::Write;
    let mut command = Command::new(BIN);
    command
        .args(["--seed-demo", "create-user", "--email", email])
        .env("PARLO_DATA_DIR", data)
        .env_remove("PARLO_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(password) = env {
        command.env("PARLO_PASSWORD", password);
    }
    let mut child = command.spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[tokio::test]
async fn create_user_takes_the_password_from_the_environment_or_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");

    let (ok, stdout, stderr) = create_user(&data, "ada@example.com", Some("from the env"), "");
    assert!(ok, "{stderr}");
    assert_eq!(stdout.trim(), "1");
    assert!(stderr.contains("owner of workspace 'demo'"), "{stderr}");
    let (ok, _, stderr) = create_user(&data, "bob@example.com", None, "from stdin\n");
    assert!(ok, "{stderr}");
    assert!(
        !stderr.contains("demo"),
        "the demo already has an owner: {stderr}"
    );
    assert!(
        !stderr.contains("from"),
        "the password is never printed: {stderr}"
    );

    for (email, password, problem) in [
        ("ADA@example.com", "another one", "exists"),
        ("not-an-email", "long enough", "e-mail"),
        ("eve@example.com", "short", "at least 8"),
    ] {
        let (ok, _, stderr) = create_user(&data, email, Some(password), "");
        assert!(!ok && stderr.contains(problem), "{email}: {stderr}");
    }
    let out = Command::new(BIN)
        .args(["create-user", "--email", "eve@example.com", "--password", "x"])
        .env("PARLO_DATA_DIR", &data)
        .output()
        .unwrap();
    assert!(!out.status.success(), "there is no --password flag");

    let (child, url) = spawn_server(&data, &[], Stdio::null());
    let client = reqwest::Client::new();
    for (email, password, status) in [
        ("ada@example.com", "from the env", 201),
        ("bob@example.com", "from stdin", 201),
        ("bob@example.com", "from stdin\n", 401),
    ] {
        let res = client
            .post(format!("{url}/api/v1/auth/login"))
            .json(&serde_json::json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), status, "{email}");
    }
    terminate(child);
}

#[tokio::test]
async fn create_channel_prints_the_id_a_snippet_that_works_on_its_origin_and_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let create_channel = |args: &[&str]| {
        Command::new(BIN)
            .args(["--seed-demo", "create-channel", "--workspace"])
            .args(args)
            .env("PARLO_DATA_DIR", &data)
            .env("PARLO_PUBLIC_URL", "https://chat.example.com/")
            .output()
            .unwrap()
    };

    let out = create_channel(&["demo", "--origin", "https://shop.example", "--name", "Shop"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    let id = lines[0];
    assert!(id.starts_with("ch_"), "{stdout}");
    assert_eq!(
        lines[1],
        format!(
            r#"<script type="module" async src="https://chat.example.com/embed.js" data-channel="{id}"></script>"#
        )
    );
    assert!(
        lines[2].starts_with("parlo_is_") && lines[2].len() == 49,
        "{stdout}"
    );

    for (args, problem) in [
        (
            ["nope", "--origin", "https://shop.example"],
            "no workspace 'nope'",
        ),
        (
            ["demo", "--origin", "https://shop.example/"],
            "/allowed_origins/0",
        ),
    ] {
        let out = create_channel(&args);
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(problem), "{stderr}");
    }

    let (child, url) = spawn_server(&data, &[], Stdio::null());
    let client = reqwest::Client::new();
    let config: serde_json::Value = client
        .get(format!("{url}/api/public/v1/channels/{id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(config["name"], "Shop");
    for (origin, status) in [("https://shop.example", 201), ("https://other.example", 403)] {
        let res = client
            .post(format!("{url}/api/public/v1/channels/{id}/sessions"))
            .header("origin", origin)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), status, "{origin}");
    }
    terminate(child);
}
