//! Limits of the public chat API: sessions per client IP (behind trusted proxies, the
//! address they report), messages and read reports per session, event streams per session and per server.

use crate::common::{TestServer, assert_problem};
use parlo_server::rate_limit::public::PublicLimitsConfig;
use reqwest::Response;
use serde_json::json;
use std::time::Duration;

/// Asserts a 429 `rate_limited` problem with a `Retry-After` in `1..=max_secs` seconds,
/// `detail` in its detail and, for a token bucket, its `RateLimit-Policy` (`None`: no
/// bucket, no such header).
async fn assert_limited(res: Response, detail: &str, max_secs: u64, policy: Option<&str>) {
    let retry_after: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=max_secs).contains(&retry_after), "Retry-After {retry_after}");
    let header = |name| res.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(header("ratelimit-policy").as_deref(), policy);
    if let Some(policy) = policy {
        let name = policy.split(';').next().unwrap();
        let state = header("ratelimit").unwrap();
        assert!(state.starts_with(&format!("{name};r=0;t=")), "{state}");
    }
    let problem = assert_problem(res, 429, "rate_limited").await;
    let text = problem["detail"].as_str().unwrap();
    assert!(text.starts_with(detail), "{text}");
}

/// `POST …/sessions` with `X-Forwarded-For: <forwarded_for>`.
async fn start_session(s: &TestServer, forwarded_for: &'static str) -> reqwest::Result<Response> {
    s.client
        .post(s.channel("/sessions"))
        .header("x-forwarded-for", forwarded_for)
        .send()
        .await
}

#[tokio::test]
async fn sessions_are_limited_per_client_ip_and_only_trusted_proxies_name_it() {
    let s = TestServer::start_with(|c| c.public_limits.session_rate_limit = 3).await;
    let start = |forwarded_for| start_session(&s, forwarded_for);
    for n in 0..3 {
        assert_eq!(start("203.0.113.1").await.unwrap().status(), 201, "session {n}");
    }
    // The peer (127.0.0.1) is not a trusted proxy: a forged header changes nothing.
    let res = start("203.0.113.2").await.unwrap();
    assert_limited(
        res,
        "too many sessions started from this IP address",
        20,
        Some("\"session-ip\";q=3;w=60"),
    )
    .await;
    let db = s.db().await;
    let mut conn = db.acquire().await.unwrap();
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM subscribers")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(count, 3, "the refused request made no subscriber");

    // Behind a trusted proxy each reported client has its own bucket.
    let s = TestServer::start_with(|c| {
        c.public_limits.session_rate_limit = 2;
        c.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
    })
    .await;
    let start = |forwarded_for| start_session(&s, forwarded_for);
    for _ in 0..2 {
        assert_eq!(start("6.6.6.6, 203.0.113.1").await.unwrap().status(), 201);
    }
    let res = start("203.0.113.1").await.unwrap();
    assert_limited(
        res,
        "too many sessions started from this IP address",
        30,
        Some("\"session-ip\";q=2;w=60"),
    )
    .await;
    assert_eq!(start("203.0.113.1, 203.0.113.2").await.unwrap().status(), 201);
    let res = s
        .client
        .post(s.channel("/sessions"))
        .header("forwarded", "for=\"[2001:db8::7]:4711\"")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
}

#[tokio::test]
async fn messages_are_limited_per_session_and_a_refused_one_is_not_stored() {
    let s = TestServer::start_with(|c| c.public_limits.message_rate_limit = 3).await;
    let session = s.session().await;
    let token = &session.session_token;
    for _ in 0..3 {
        s.say(token, "hello").await;
    }
    let before = s.history(token).await.len();
    let res = s
        .post_message(
            token,
            &json!({"id": "refused1", "input": {"type": "text", "text": "again"}}),
        )
        .await;
    assert_limited(
        res,
        "too many messages in this session",
        20,
        Some("\"session-messages\";q=3;w=60"),
    )
    .await;
    assert_eq!(
        s.history(token).await.len(),
        before,
        "nothing stored for the refusal"
    );
    // Another visitor is not affected.
    let other = s.session().await;
    s.say(&other.session_token, "hello").await;
}

#[tokio::test]
async fn read_reports_are_limited_per_session() {
    let s = TestServer::start_with(|c| c.public_limits.read_rate_limit = 2).await;
    let (a, b) = (s.session().await, s.session().await);
    let report = |token: &str, seq: u64| {
        s.client
            .post(s.channel("/read"))
            .bearer_auth(token)
            .json(&json!({ "seq": seq }))
            .send()
    };
    for seq in 1..=2 {
        assert_eq!(report(&a.session_token, seq).await.unwrap().status(), 204);
    }
    let res = report(&a.session_token, 3).await.unwrap();
    assert_limited(
        res,
        "too many read reports in this session",
        30,
        Some("\"session-reads\";q=2;w=60"),
    )
    .await;
    // Messages and other visitors are not affected.
    s.say(&a.session_token, "hello").await;
    assert_eq!(report(&b.session_token, 1).await.unwrap().status(), 204);
}

#[tokio::test]
async fn event_streams_are_limited_per_session_and_per_server() {
    let s = TestServer::start_with(|c| {
        c.public_limits.streams_per_session = 2;
        c.public_limits.max_streams = 3;
    })
    .await;
    let (a, b, c) = (s.session().await, s.session().await, s.session().await);
    let open = |token: &str| s.client.get(s.channel(&format!("/events?token={token}"))).send();
    let a1 = s.events(&a.session_token, "", None).await;
    let _a2 = s.events(&a.session_token, "", None).await;
    let res = open(&a.session_token).await.unwrap();
    assert_limited(res, "too many event streams open for this session", 10, None).await;
    let _b1 = s.events(&b.session_token, "", None).await;
    let res = open(&c.session_token).await.unwrap();
    assert_limited(res, "too many event streams open on this server", 10, None).await;

    // A closed stream frees its place once the server notices the closed connection.
    drop(a1);
    let mut reopened = None;
    for _ in 0..100 {
        let res = open(&c.session_token).await.unwrap();
        if res.status() == 200 {
            reopened = Some(res);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(reopened.is_some(), "the place of the closed stream was not freed");
}

#[tokio::test]
async fn a_visitor_chatting_at_the_default_limits_never_meets_them() {
    let s = TestServer::start_with(|c| c.public_limits = PublicLimitsConfig::default()).await;
    let session = s.session().await;
    let token = &session.session_token;
    let mut tabs = Vec::new();
    for _ in 0..3 {
        tabs.push(s.events(token, "", None).await);
    }
    for n in 0..40 {
        let said = s.say(token, &format!("question {n}")).await;
        // The open widget reports each message it shows.
        for message in said {
            let res = s
                .client
                .post(s.channel("/read"))
                .bearer_auth(token)
                .json(&json!({ "seq": message.seq }))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 204);
        }
    }
    // Reloads resume the same session.
    for _ in 0..20 {
        let res = s
            .client
            .post(s.channel("/sessions"))
            .json(&json!({"session_token": token}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
}
