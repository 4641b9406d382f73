//! Per-channel CORS of the public API.

use crate::common::{SITE, TestServer, assert_problem};

#[tokio::test]
async fn allowed_origins_get_cors_headers() {
    let s = TestServer::start().await;
    for origin in [SITE, "http://localhost:8080"] {
        let res = s
            .client
            .post(s.channel("/sessions"))
            .header("origin", origin)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        assert_eq!(res.headers()["access-control-allow-origin"], origin);
        assert!(res.headers().get_all("vary").iter().any(|v| v == "origin"));
    }
    // Error answers carry them too, so the widget can read the problem.
    let res = s
        .client
        .get(s.channel("/messages"))
        .header("origin", SITE)
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["access-control-allow-origin"], SITE);
    // A page's script may read how long a rate limit asks it to wait.
    assert_eq!(
        res.headers()["access-control-expose-headers"],
        "retry-after, ratelimit, ratelimit-policy"
    );
    assert_problem(res, 401, "unauthorized").await;
}

#[tokio::test]
async fn preflights_are_answered_for_allowed_origins_only() {
    let s = TestServer::start().await;
    let res = s
        .client
        .request(reqwest::Method::OPTIONS, s.channel("/messages"))
        .header("origin", SITE)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type, authorization")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let h = res.headers();
    assert_eq!(h["access-control-allow-origin"], SITE);
    assert!(
        h["access-control-allow-methods"]
            .to_str()
            .unwrap()
            .contains("POST")
    );
    let allowed = h["access-control-allow-headers"].to_str().unwrap();
    for header in [
        "content-type",
        "authorization",
        "last-event-id",
        "idempotency-key",
    ] {
        assert!(allowed.contains(header), "{allowed}");
    }

    // Another origin's preflight passes too, so that its real request's 403 is readable.
    let res = s
        .client
        .request(reqwest::Method::OPTIONS, s.channel("/messages"))
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let res = s
        .client
        .post(s.channel("/sessions"))
        .header("origin", "https://evil.example")
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "https://evil.example"
    );
    assert_problem(res, 403, "forbidden").await;
}

#[tokio::test]
async fn other_origins_are_forbidden_and_server_to_server_calls_pass() {
    let s = TestServer::start().await;
    for origin in ["https://evil.example", "http://site.test:3001", "null"] {
        let res = s
            .client
            .get(s.channel(""))
            .header("origin", origin)
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.headers()["access-control-allow-origin"],
            origin,
            "the 403 is readable"
        );
        assert_problem(res, 403, "forbidden").await;
    }
    let res = s.client.get(s.channel("")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn pages_of_the_server_itself_pass_and_only_the_browser_says_so() {
    let s = TestServer::start().await;
    // The browser marks a request from a page of the server's own origin (the console's
    // widget preview) `Sec-Fetch-Site: same-origin`; the channel need not list that origin.
    let res = s
        .client
        .get(s.channel(""))
        .header("origin", &s.url)
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    let res = s
        .client
        .get(s.channel(""))
        .header("origin", &s.url)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    // Any other site stays refused, whatever else it claims.
    for site in ["cross-site", "same-site", "none"] {
        let res = s
            .client
            .get(s.channel(""))
            .header("origin", "https://evil.example")
            .header("sec-fetch-site", site)
            .send()
            .await
            .unwrap();
        assert_problem(res, 403, "forbidden").await;
    }
}
