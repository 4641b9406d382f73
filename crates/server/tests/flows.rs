//! Management API: flows and subscribers, API keys and workspace scoping.

mod common;

use common::{TestServer, assert_problem};
use reqwest::Method;
use serde_json::{Value, json};

fn pointers(problem: &Value) -> Vec<&str> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn api_keys_are_required_and_checked() {
    let s = TestServer::start().await;
    let res = s.client.get(s.api("/flows")).send().await.unwrap();
    assert_problem(res, 401, "unauthorized").await;
    for key in ["parlo_sk_unknown", "some-session-token"] {
        let res = s.management(Method::GET, "/flows", key).send().await.unwrap();
        assert_eq!(res.headers()["www-authenticate"], "Bearer");
        assert_problem(res, 401, "unauthorized").await;
    }
}

#[tokio::test]
async fn lists_and_reads_the_workspace_flows() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let page = s.get_ok("/flows", &key).await;
    let ids: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["delivery", "fallback", "hours", "menu", "welcome"]);
    assert_eq!(page["next_cursor"], Value::Null);

    let page = s.get_ok("/flows?limit=2&cursor=fallback", &key).await;
    assert_eq!(page["items"][0]["id"], "hours");
    assert_eq!(page["next_cursor"], "menu");

    let res = s
        .management(Method::GET, "/flows?limit=0", &key)
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "invalid_cursor").await;

    let flow = s.get_ok("/flows/welcome", &key).await;
    assert_eq!(flow["start"], "greet");
    let res = s
        .management(Method::GET, "/flows/nope", &key)
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
}

#[tokio::test]
async fn put_creates_then_replaces_a_flow() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let mut flow = json!({
        "id": "faq", "name": "FAQ", "start": "a",
        "steps": {
            "a": {"type": "message", "text": "Ask me anything",
                  "quick_replies": [{"title": "Menu", "flow": "menu"}, {"title": "Again", "flow": "faq"}]}
        }
    });
    let res = s.send_json(Method::PUT, "/flows/faq", &key, &flow).await;
    assert_eq!(res.status(), 201);
    flow["name"] = json!("Questions");
    let res = s.send_json(Method::PUT, "/flows/faq", &key, &flow).await;
    assert_eq!(res.status(), 200);
    let stored = s.get_ok("/flows/faq", &key).await;
    assert_eq!(stored, flow);
}

#[tokio::test]
async fn an_invalid_flow_is_a_422_listing_every_problem() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let flow = json!({
        "id": "other", "name": "", "start": "missing",
        "steps": {
            "a": {"type": "message", "text": "hi", "buttons": [{"title": "Go", "flow": "ghost"}], "next": "zz"},
            "b": {"type": "delay", "ms": 0},
            "c": {"type": "goto", "flow": "nowhere"}
        }
    });
    let res = s.send_json(Method::PUT, "/flows/faq", &key, &flow).await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(
        pointers(&problem),
        [
            "/name",
            "/start",
            "/steps/a/next",
            "/steps/b/ms",
            "/id",
            "/steps/a/buttons/0/flow",
            "/steps/c/flow"
        ]
    );

    let res = s
        .send_json(
            Method::PUT,
            "/flows/x",
            &key,
            &json!({"id": "x", "name": "X", "start": "a", "steps": {"a": {"type": "launch_rocket"}}}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(pointers(&problem), ["/steps/a/type"]);

    let res = s
        .management(Method::PUT, "/flows/x", &key)
        .header("content-type", "application/json")
        .body("{\"id\":")
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "bad_request").await;

    let res = s
        .management(Method::GET, "/flows/faq", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404, "nothing was stored");
}

#[tokio::test]
async fn other_workspaces_see_nothing() {
    let s = TestServer::start().await;
    let subscriber = s.session().await.subscriber_id;
    s.create_workspace("acme").await;
    let acme = s.api_key("acme").await;

    let page = s.get_ok("/flows", &acme).await;
    assert_eq!(page["items"], json!([]));
    let res = s
        .management(Method::GET, "/flows/welcome", &acme)
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
    let res = s
        .management(Method::GET, &format!("/subscribers/{subscriber}"), &acme)
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;

    let demo = s.api_key("demo").await;
    let res = s
        .management(Method::GET, &format!("/subscribers/{subscriber}"), &demo)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = s
        .management(Method::GET, "/subscribers/sub_nobody", &demo)
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
}
