//! Management API: API keys — create (secret once), list (never the secret), revoke, Basic
//! auth, checksum, workspace isolation, and no secret (API key, password, user session
//! token) at rest or in logs.

use crate::common::{TestServer, assert_problem, spawn_server, terminate};
use parlo_model::api_key::is_well_formed_key;
use reqwest::Method;
use serde_json::{Value, json};
use std::process::Stdio;

async fn create(s: &TestServer, key: &str, name: &str) -> Value {
    let res = s
        .send_json(Method::POST, "/api-keys", key, &json!({"name": name}))
        .await;
    assert_eq!(res.status(), 201);
    res.json().await.unwrap()
}

#[tokio::test]
async fn keys_are_created_listed_and_revoked() {
    let s = TestServer::start().await;
    let admin = s.api_key("demo").await;
    let created = create(&s, &admin, "zapier").await;
    let secret = created["secret"].as_str().unwrap();
    assert!(is_well_formed_key(secret), "{secret}");
    assert_eq!(created["name"], "zapier");
    assert!(secret.starts_with(created["prefix"].as_str().unwrap()));

    // The new key works, as Bearer and as the Basic user name.
    s.get_ok("/flows", secret).await;
    let res = s
        .client
        .get(s.api("/flows"))
        .basic_auth(secret, None::<&str>)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = s
        .client
        .get(s.api("/flows"))
        .basic_auth(secret, Some("ignored"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    // Listed with prefix, name, created and last used, never the secret.
    let list = s.get_ok("/api-keys", &admin).await;
    assert!(!list.to_string().contains(secret));
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let listed = items.iter().find(|k| k["id"] == created["id"]).unwrap();
    assert_eq!(listed["name"], "zapier");
    assert_eq!(listed["prefix"], created["prefix"]);
    assert_eq!(listed["created_at"], created["created_at"]);
    assert!(listed["last_used_at"].is_string(), "used above: {listed}");
    assert!(listed.get("secret").is_none());

    // Paging through one at a time.
    let first = s.get_ok("/api-keys?limit=1", &admin).await;
    assert_eq!(first["items"].as_array().unwrap().len(), 1);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = s
        .get_ok(&format!("/api-keys?limit=1&cursor={cursor}"), &admin)
        .await;
    assert_eq!(second["next_cursor"], Value::Null);

    // Revoked: its very next request is rejected; it is no longer listed.
    let id = created["id"].as_i64().unwrap();
    let res = s
        .management(Method::DELETE, &format!("/api-keys/{id}"), &admin)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let res = s.management(Method::GET, "/flows", secret).send().await.unwrap();
    assert_problem(res, 401, "unauthorized").await;
    let list = s.get_ok("/api-keys", &admin).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let res = s
        .management(Method::DELETE, &format!("/api-keys/{id}"), &admin)
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
}

#[tokio::test]
async fn bad_input_is_a_problem() {
    let s = TestServer::start().await;
    let admin = s.api_key("demo").await;
    for name in ["", "   ", &"x".repeat(101)] {
        let res = s
            .send_json(Method::POST, "/api-keys", &admin, &json!({"name": name}))
            .await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["pointer"], "/name");
    }
    for id in ["abc", "0", "-1", "99999999999999999999"] {
        let res = s
            .management(Method::DELETE, &format!("/api-keys/{id}"), &admin)
            .send()
            .await
            .unwrap();
        assert_problem(res, 400, "invalid_id").await;
    }
    for query in ["limit=0", "limit=101", "cursor=zzz"] {
        let res = s
            .management(Method::GET, &format!("/api-keys?{query}"), &admin)
            .send()
            .await
            .unwrap();
        assert_problem(res, 400, "invalid_cursor").await;
    }
    // A one-character typo breaks the checksum.
    let last = admin.chars().last().unwrap();
    let typo = format!(
        "{}{}",
        &admin[..admin.len() - 1],
        if last == 'a' { 'b' } else { 'a' }
    );
    let res = s.management(Method::GET, "/flows", &typo).send().await.unwrap();
    let problem = assert_problem(res, 401, "unauthorized").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("checksum"),
        "{problem}"
    );
}

#[tokio::test]
async fn a_key_never_sees_another_workspace_keys() {
    let s = TestServer::start().await;
    s.create_workspace("other").await;
    let a = s.api_key("demo").await;
    let b = s.api_key("other").await;
    let a_key = create(&s, &a, "a-only").await;
    let list = s.get_ok("/api-keys", &b).await;
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        1,
        "only b's own key: {list}"
    );
    let id = a_key["id"].as_i64().unwrap();
    let res = s
        .management(Method::DELETE, &format!("/api-keys/{id}"), &b)
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
    s.get_ok("/flows", a_key["secret"].as_str().unwrap()).await;
}

#[tokio::test]
async fn no_secret_is_stored_or_logged() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let password = "Tr0ub4dor&3-leak-check";
    let out = std::process::Command::new(crate::common::BIN)
        .args(["--seed-demo", "create-user", "--email", "ada@example.com"])
        .env("PARLO_DATA_DIR", &data)
        .env("PARLO_PASSWORD", password)
        .env("RUST_LOG", "trace")
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed = [out.stdout, out.stderr].concat();
    assert!(
        !String::from_utf8_lossy(&printed).contains(password),
        "create-user printed the password"
    );
    let log = std::fs::File::create(dir.path().join("stderr.log")).unwrap();
    let (child, url) = spawn_server(&data, &[("RUST_LOG", "trace")], Stdio::from(log));

    let cli = <parlo_server::config::Cli as clap::Parser>::parse_from([
        "parlo-server".as_ref(),
        "--data-dir".as_ref(),
        data.as_os_str(),
    ]);
    let bootstrap = parlo_server::create_key(&cli.config, "demo", "bootstrap")
        .await
        .unwrap();
    let client = reqwest::Client::new();
    let created: Value = client
        .post(format!("{url}/api/v1/api-keys"))
        .basic_auth(&bootstrap, None::<&str>)
        .json(&json!({"name": "leak-check"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = created["secret"].as_str().unwrap().to_owned();
    for key in [&bootstrap, &secret] {
        let res = client
            .get(format!("{url}/api/v1/api-keys"))
            .bearer_auth(key)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
    // A console user: a failed and a good log-in, a session token used and logged out.
    let login = |password: &str| {
        client
            .post(format!("{url}/api/v1/auth/login"))
            .json(&json!({"email": "ada@example.com", "password": password}))
            .send()
    };
    assert_eq!(login(&format!("{password}x")).await.unwrap().status(), 401);
    let session: Value = login(password).await.unwrap().json().await.unwrap();
    let token = session["token"].as_str().unwrap().to_owned();
    let res = client
        .get(format!("{url}/api/v1/workspaces"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = client
        .post(format!("{url}/api/v1/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    terminate(child);

    let mut files = vec![dir.path().join("stderr.log")];
    files.extend(std::fs::read_dir(&data).unwrap().map(|e| e.unwrap().path()));
    let log_len = std::fs::metadata(dir.path().join("stderr.log")).unwrap().len();
    assert!(log_len > 0, "the server logged something");
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        for key in [&bootstrap, &secret, &token, &password.to_owned()] {
            let found = bytes.windows(key.len()).any(|w| w == key.as_bytes());
            assert!(
                !found,
                "a key secret, password or session token is in {}",
                file.display()
            );
        }
    }
}

#[tokio::test]
async fn keys_from_before_checksums_still_work() {
    let s = TestServer::start().await;
    let legacy = format!("parlo_sk_{}", "L".repeat(43));
    assert!(!is_well_formed_key(&legacy));
    let pool = s.db().await;
    sqlx::query("INSERT INTO api_keys (workspace_id, name, key_hash, created_at) VALUES (1, 'old', $1, '2026-01-01T00:00:00.000Z')")
        .bind(parlo_server::tokens::digest(&legacy))
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let list = s.get_ok("/api-keys", &legacy).await;
    assert_eq!(list["items"][0]["prefix"], "parlo_sk_");
}

#[tokio::test]
async fn a_regenerated_key_gets_a_new_secret_and_the_old_one_is_refused() {
    let s = TestServer::start().await;
    let admin = s.api_key("demo").await;
    let created = create(&s, &admin, "zapier").await;
    let old = created["secret"].as_str().unwrap();
    s.get_ok("/flows", old).await;

    let path = format!("/api-keys/{}/regenerate", created["id"]);
    let res = s.request(Method::POST, &path, &admin).await;
    assert_eq!(res.status(), 200);
    let regenerated: Value = res.json().await.unwrap();
    let new = regenerated["secret"].as_str().unwrap();
    assert!(is_well_formed_key(new) && new != old, "{new}");
    assert_eq!(regenerated["id"], created["id"]);
    assert_eq!(regenerated["name"], "zapier");
    assert_eq!(regenerated["created_at"], created["created_at"]);
    assert!(new.starts_with(regenerated["prefix"].as_str().unwrap()));

    assert_problem(s.request(Method::GET, "/flows", old).await, 401, "unauthorized").await;
    s.get_ok("/flows", new).await;
    // Listed once, under its name, with the new prefix.
    let list = s.get_ok("/api-keys", &admin).await;
    let listed: Vec<&Value> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["id"] == created["id"])
        .collect();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["prefix"], regenerated["prefix"]);

    // A key regenerating itself is refused from its next request too.
    let res = s.request(Method::POST, &path, new).await;
    let newest: Value = res.json().await.unwrap();
    assert_problem(s.request(Method::GET, "/flows", new).await, 401, "unauthorized").await;
    s.get_ok("/flows", newest["secret"].as_str().unwrap()).await;

    // Revoked and unknown keys are 404.
    assert_eq!(
        s.request(Method::DELETE, &format!("/api-keys/{}", created["id"]), &admin)
            .await
            .status(),
        204
    );
    assert_problem(s.request(Method::POST, &path, &admin).await, 404, "not_found").await;
    let res = s
        .request(Method::POST, "/api-keys/999999/regenerate", &admin)
        .await;
    assert_problem(res, 404, "not_found").await;
}
