//! Management API: flow statistics (sent, clicks per button, completions per step).

use crate::common::{TestServer, assert_problem};
use reqwest::Method;
use serde_json::{Value, json};

/// The statistics of step `step` in `stats`.
fn step<'a>(stats: &'a Value, step: &str) -> &'a Value {
    stats["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step_id"] == step)
        .unwrap_or_else(|| panic!("no step {step} in {stats}"))
}

#[tokio::test]
async fn counts_sends_presses_and_completions_as_visitors_chat() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let stats = s.get_ok("/flows/welcome/statistics", &key).await;
    assert_eq!(step(&stats, "greet")["sent"], 0);

    // Two visitors: one asks for the newsletter (the thanks come after a delay), one
    // presses "Opening hours".
    let ada = s.newsletter_subscriber("ada@example.com").await;
    let mut sse = s.events(&ada.session_token, "", None).await;
    loop {
        let (_, m) = sse.next_message().await;
        if m.content.text.starts_with("Thanks!") {
            break;
        }
    }
    let bob = s.session().await;
    let greeting = s.history(&bob.session_token).await.remove(0);
    s.press(&bob.session_token, &greeting, "Opening hours").await;

    let stats = s.get_ok("/flows/welcome/statistics", &key).await;
    let greet = step(&stats, "greet");
    assert_eq!(greet["type"], "message");
    assert_eq!(greet["sent"], 2);
    assert_eq!(
        greet["buttons"],
        json!([
            {"index": 0, "title": "Opening hours", "clicks": 1},
            {"index": 1, "title": "Get our newsletter", "clicks": 1}
        ])
    );
    assert_eq!(step(&stats, "ask_email")["sent"], 1);
    assert_eq!(step(&stats, "thanks")["sent"], 1, "counted on delayed delivery");
    assert_eq!(step(&stats, "tag_newsletter")["sent"], 0);
    assert_eq!(
        stats["completions"], 0,
        "every end of welcome offers quick replies"
    );

    // A flow that ends: completions are counted at its last step.
    let flow = json!({"id": "promo", "name": "Promo", "start": "a", "steps": {
        "a": {"type": "message", "text": "20% off today", "next": "b"},
        "b": {"type": "add_tag", "tag": "promo"}}});
    s.put_flow(&key, &flow).await;
    for who in [&ada, &bob] {
        let path = format!("/subscribers/{}/send-flow", who.subscriber_id);
        let res = s
            .send_json(Method::POST, &path, &key, &json!({"flow_id": "promo"}))
            .await;
        assert_eq!(res.status(), 200);
    }
    let stats = s.get_ok("/flows/promo/statistics", &key).await;
    assert_eq!(stats["completions"], 2);
    assert_eq!(step(&stats, "a")["sent"], 2);
    assert_eq!(step(&stats, "a")["completions"], 0);
    assert_eq!(step(&stats, "b")["completions"], 2);
}

#[tokio::test]
async fn statistics_are_per_workspace_and_check_the_id() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let res = s
        .management(Method::GET, "/flows/Not%20An%20Id/statistics", &key)
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "invalid_id").await;
    let res = s
        .management(Method::GET, "/flows/nope/statistics", &key)
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
    s.create_workspace("other").await;
    let other = s.api_key("other").await;
    let res = s
        .management(Method::GET, "/flows/welcome/statistics", &other)
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
}
