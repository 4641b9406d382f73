//! Console log-in: e-mail + password (argon2id) → session token; logout of one token or
//! every token; throttling of failed log-ins per e-mail and per client IP.

use crate::common::{TestServer, assert_problem};
use parlo_model::user::SESSION_TOKEN_PREFIX;
use reqwest::{Method, Response};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

#[tokio::test]
async fn a_user_logs_in_and_out() {
    let s = TestServer::start().await;
    let id = s.user("ada@example.com", PASSWORD).await;

    let res = s.login("ADA@example.com ", PASSWORD).await;
    assert_eq!(res.status(), 201);
    let session: Value = res.json().await.unwrap();
    let token = session["token"].as_str().unwrap().to_owned();
    assert!(
        token.starts_with(SESSION_TOKEN_PREFIX) && token.len() == 52,
        "{token}"
    );
    assert_eq!(session["user"]["id"], id);
    assert_eq!(session["user"]["email"], "ada@example.com");
    assert!(session["expires_at"].as_str().unwrap() > session["user"]["created_at"].as_str().unwrap());
    assert_eq!(s.request(Method::GET, "/workspaces", &token).await.status(), 200);

    // Wrong password and unknown e-mail get the same answer.
    for (email, password) in [
        ("ada@example.com", "wrong password"),
        ("eve@example.com", PASSWORD),
    ] {
        let problem = assert_problem(s.login(email, password).await, 401, "unauthorized").await;
        assert_eq!(problem["detail"], "wrong e-mail or password");
    }

    // Session tokens and API keys are not interchangeable.
    let key = s.api_key("demo").await;
    assert_problem(
        s.request(Method::GET, "/workspaces", &key).await,
        401,
        "unauthorized",
    )
    .await;
    assert_problem(
        s.request(Method::GET, "/flows", &token).await,
        401,
        "unauthorized",
    )
    .await;
    let res = s.client.get(s.api("/workspaces")).send().await.unwrap();
    assert_problem(res, 401, "unauthorized").await;
    let forged = format!("{SESSION_TOKEN_PREFIX}{}", "x".repeat(43));
    assert_problem(
        s.request(Method::GET, "/workspaces", &forged).await,
        401,
        "unauthorized",
    )
    .await;

    // Logout ends this token only.
    let other = s.user_token("ada@example.com", PASSWORD).await;
    assert_eq!(
        s.request(Method::POST, "/auth/logout", &token).await.status(),
        204
    );
    assert_problem(
        s.request(Method::GET, "/workspaces", &token).await,
        401,
        "unauthorized",
    )
    .await;
    assert_problem(
        s.request(Method::POST, "/auth/logout", &token).await,
        401,
        "unauthorized",
    )
    .await;
    assert_eq!(s.request(Method::GET, "/workspaces", &other).await.status(), 200);

    // Logout-all ends every token of the user, not other users'.
    s.user("bob@example.com", PASSWORD).await;
    let bob = s.user_token("bob@example.com", PASSWORD).await;
    let third = s.user_token("ada@example.com", PASSWORD).await;
    assert_eq!(
        s.request(Method::POST, "/auth/logout-all", &third).await.status(),
        204
    );
    for token in [&other, &third] {
        assert_problem(
            s.request(Method::GET, "/workspaces", token).await,
            401,
            "unauthorized",
        )
        .await;
    }
    assert_eq!(s.request(Method::GET, "/workspaces", &bob).await.status(), 200);
    // Logging in again works.
    s.user_token("ada@example.com", PASSWORD).await;
}

#[tokio::test]
async fn bad_log_in_bodies_are_problems() {
    let s = TestServer::start().await;
    for body in [
        json!({"email": "ada@example.com"}),
        json!({"email": "a", "password": "b", "otp": 1}),
    ] {
        let res = s
            .client
            .post(s.api("/auth/login"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_problem(res, 422, "validation_failed").await;
    }
    let problem = assert_problem(
        s.login("ada@example.com", &"x".repeat(1025)).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["pointer"], "/password");
    let res = s
        .client
        .post(s.api("/auth/login"))
        .body("email=ada")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);
}

/// Asserts a 429 `rate_limited` with a `Retry-After` within the 15-minute window.
async fn assert_throttled(res: Response) {
    let retry_after: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    assert_problem(res, 429, "rate_limited").await;
}

#[tokio::test]
async fn repeated_failures_for_an_e_mail_are_throttled() {
    let s = TestServer::start().await;
    s.user("ada@example.com", PASSWORD).await;
    s.user("bob@example.com", PASSWORD).await;
    for _ in 0..5 {
        assert_problem(s.login("ada@example.com", "guess").await, 401, "unauthorized").await;
    }
    // Now even the right password is refused, in any case of the e-mail.
    assert_throttled(s.login("ada@example.com", PASSWORD).await).await;
    assert_throttled(s.login("Ada@Example.com", PASSWORD).await).await;
    // Another e-mail from the same address still logs in.
    s.user_token("bob@example.com", PASSWORD).await;
}

#[tokio::test]
async fn repeated_failures_from_an_address_are_throttled() {
    let s = TestServer::start().await;
    s.user("ada@example.com", PASSWORD).await;
    // A success clears the e-mail's failures, so 4 + success + 4 never locks the e-mail.
    for round in 0..2 {
        for _ in 0..4 {
            assert_problem(s.login("ada@example.com", "guess").await, 401, "unauthorized").await;
        }
        assert_eq!(
            s.login("ada@example.com", PASSWORD).await.status(),
            201,
            "round {round}"
        );
    }
    // 20 failures from this address, spread over e-mails, lock every e-mail from it.
    for i in 0..12 {
        let res = s.login(&format!("nobody{i}@example.com"), "guess").await;
        assert_problem(res, 401, "unauthorized").await;
    }
    assert_throttled(s.login("ada@example.com", PASSWORD).await).await;
    assert_throttled(s.login("somebody@example.com", "guess").await).await;
}

#[tokio::test]
async fn the_api_document_describes_user_session_tokens() {
    let s = TestServer::start().await;
    let doc: Value = s
        .client
        .get(format!("{}/api/openapi.json", s.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let scheme = &doc["components"]["securitySchemes"]["user_session"];
    assert_eq!(
        (scheme["type"].as_str(), scheme["scheme"].as_str()),
        (Some("http"), Some("bearer"))
    );
    let paths = &doc["paths"];
    assert_eq!(paths["/api/v1/auth/login"]["post"]["security"], json!([]));
    for (path, method) in [
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/auth/logout-all", "post"),
        ("/api/v1/workspaces", "get"),
        ("/api/v1/workspaces", "post"),
        ("/api/v1/workspaces/{workspace_id}/api-keys", "post"),
    ] {
        assert_eq!(
            paths[path][method]["security"],
            json!([{"user_session": []}]),
            "{method} {path}"
        );
    }
    let login = &paths["/api/v1/auth/login"]["post"]["responses"];
    assert!(
        login.get("429").is_some() && login.get("401").is_some(),
        "{login}"
    );
}
