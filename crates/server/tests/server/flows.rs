//! Management API: flows and subscribers, API keys and workspace scoping.

use crate::common::{TestServer, assert_problem, error_pointers, item_strings};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn api_keys_are_required_and_checked() {
    let s = TestServer::start().await;
    let res = s.client.get(s.api("/flows")).send().await.unwrap();
    assert_problem(res, 401, "unauthorized").await;
    for key in ["parlo_sk_unknown", "some-session-token"] {
        let res = s.request(Method::GET, "/flows", key).await;
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
    for seeded in ["delivery", "fallback", "hours", "menu", "welcome"] {
        assert!(ids.contains(&seeded), "{ids:?}");
    }
    assert!(ids.is_sorted(), "id order: {ids:?}");
    assert_eq!(page["next_cursor"], Value::Null);

    let page = s.get_ok("/flows?limit=2&cursor=fallback", &key).await;
    assert_eq!(page["items"][0]["id"], "hours");
    assert_eq!(page["items"][1]["id"], "human");
    assert_eq!(page["next_cursor"], "human");

    let res = s.request(Method::GET, "/flows?limit=0", &key).await;
    assert_problem(res, 400, "invalid_cursor").await;

    let flow = s.get_ok("/flows/welcome", &key).await;
    assert_eq!(flow["start"], "returning");
    let res = s.request(Method::GET, "/flows/nope", &key).await;
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
        error_pointers(&problem),
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
    assert_eq!(error_pointers(&problem), ["/steps/a/type"]);

    let res = s
        .management(Method::PUT, "/flows/x", &key)
        .header("content-type", "application/json")
        .body("{\"id\":")
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "bad_request").await;

    let res = s.request(Method::GET, "/flows/faq", &key).await;
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
    let res = s.request(Method::GET, "/flows/welcome", &acme).await;
    assert_problem(res, 404, "not_found").await;
    let res = s
        .request(Method::GET, &format!("/subscribers/{subscriber}"), &acme)
        .await;
    assert_problem(res, 404, "not_found").await;

    let demo = s.api_key("demo").await;
    let res = s
        .request(Method::GET, &format!("/subscribers/{subscriber}"), &demo)
        .await;
    assert_eq!(res.status(), 200);
    let res = s
        .request(Method::GET, "/subscribers/sub_00000000000000000000", &demo)
        .await;
    assert_problem(res, 404, "not_found").await;
    let res = s.request(Method::GET, "/subscribers/sub_nobody", &demo).await;
    assert_problem(res, 400, "invalid_id").await;

    // Flows of demo can be neither created over, deleted nor listed by folder from acme.
    let res = s.request(Method::DELETE, "/flows/welcome", &acme).await;
    assert_problem(res, 404, "not_found").await;
    let res = s
        .send_json(Method::POST, "/flows", &acme, &flow("welcome", None))
        .await;
    assert_eq!(res.status(), 201, "acme's own flow ids are its own");
    assert_eq!(s.get_ok("/flow-folders", &acme).await["items"], json!([]));
    assert_eq!(s.get_ok("/flows/welcome", &demo).await["name"], "Welcome");
}

/// A one-step flow `id` filed in `folder`.
fn flow(id: &str, folder: Option<&str>) -> Value {
    let mut flow = json!({
        "id": id, "name": id, "start": "a",
        "steps": {"a": {"type": "message", "text": "Hi"}}
    });
    if let Some(folder) = folder {
        flow["folder"] = json!(folder);
    }
    flow
}

fn flow_ids(page: &Value) -> Vec<&str> {
    item_strings(page, "id")
}

#[tokio::test]
async fn flows_are_created_and_deleted_unless_something_starts_them() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let seeded = s.get_ok("/flows?limit=100", &key).await["items"]
        .as_array()
        .unwrap()
        .len();
    let res = s
        .send_json(Method::POST, "/flows", &key, &flow("promo", None))
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(s.get_ok("/flows/promo", &key).await, flow("promo", None));
    let res = s
        .send_json(Method::POST, "/flows", &key, &flow("promo", None))
        .await;
    assert_problem(res, 409, "conflict").await;
    let res = s
        .send_json(
            Method::POST,
            "/flows",
            &key,
            &json!({"id": "Bad", "name": "", "start": "a", "steps": {}}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_pointers(&problem), ["/id", "/name", "/start"]);

    // A flow going to promo holds it; once it stops, promo can go.
    let mut teaser = flow("teaser", None);
    teaser["steps"]["a"]["next"] = json!("b");
    teaser["steps"]["b"] = json!({"type": "goto", "flow": "promo"});
    let res = s.send_json(Method::POST, "/flows", &key, &teaser).await;
    assert_eq!(res.status(), 201);
    let res = s.request(Method::DELETE, "/flows/promo", &key).await;
    let problem = assert_problem(res, 409, "conflict").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("flow 'teaser' (/steps/b/flow)"),
        "{problem}"
    );
    let res = s.request(Method::DELETE, "/flows/teaser", &key).await;
    assert_eq!(res.status(), 204);
    let res = s.request(Method::DELETE, "/flows/promo", &key).await;
    assert_eq!(res.status(), 204);
    let res = s.request(Method::GET, "/flows/promo", &key).await;
    assert_problem(res, 404, "not_found").await;
    let res = s.request(Method::DELETE, "/flows/promo", &key).await;
    assert_problem(res, 404, "not_found").await;

    // The channel's bot starts welcome (and triggers hours by keyword, its first ice breaker
    // and a main-menu item); other flows' buttons go to hours too.
    let res = s.request(Method::DELETE, "/flows/welcome", &key).await;
    let problem = assert_problem(res, 409, "conflict").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("channel 'demo' (/start_flow)"),
        "{problem}"
    );
    let res = s.request(Method::DELETE, "/flows/hours", &key).await;
    let detail = assert_problem(res, 409, "conflict").await["detail"]
        .as_str()
        .unwrap()
        .to_owned();
    for reference in [
        "channel 'demo' (/keywords/0/flow)",
        "channel 'demo' (/ice_breakers/0/flow)",
        "channel 'demo' (/main_menu/1/flow)",
        "flow 'welcome' (/steps/",
    ] {
        assert!(detail.contains(reference), "{reference} in {detail}");
    }
    let left = s.get_ok("/flows?limit=100", &key).await;
    assert_eq!(
        left["items"].as_array().unwrap().len(),
        seeded,
        "nothing seeded was deleted"
    );
}

#[tokio::test]
async fn flows_are_filed_in_folders() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let seeded = s.get_ok("/flows?limit=100", &key).await;
    let seeded = flow_ids(&seeded);
    for (id, folder) in [
        ("quote", Some("sales/quotes")),
        ("quote_eu", Some("sales/quotes/eu")),
        ("pitch", Some("sales")),
        ("refund", Some("support")),
    ] {
        let res = s.send_json(Method::POST, "/flows", &key, &flow(id, folder)).await;
        assert_eq!(res.status(), 201);
    }
    // Moving a flow is replacing it with another folder.
    let res = s
        .send_json(
            Method::PUT,
            "/flows/refund",
            &key,
            &flow("refund", Some("support/billing")),
        )
        .await;
    assert_eq!(res.status(), 200);

    for (query, expected) in [
        ("folder=sales", vec!["pitch"]),
        ("folder=sales/quotes", vec!["quote"]),
        ("folder=sales/quotes/eu", vec!["quote_eu"]),
        ("folder=support", vec![]),
        ("folder=", seeded.clone()),
        ("folder=nowhere", vec![]),
        ("folder=sales&limit=1", vec!["pitch"]),
    ] {
        let page = s.get_ok(&format!("/flows?{query}"), &key).await;
        assert_eq!(flow_ids(&page), expected, "{query}");
    }
    let all = s.get_ok("/flows?limit=100", &key).await;
    assert_eq!(all["items"].as_array().unwrap().len(), seeded.len() + 4);

    let top = s.get_ok("/flow-folders", &key).await;
    assert_eq!(
        top,
        json!({"items": [
            {"path": "sales", "name": "sales", "flows": 1, "folders": 1},
            {"path": "support", "name": "support", "flows": 0, "folders": 1},
        ], "next_cursor": null})
    );
    let sales = s.get_ok("/flow-folders?parent=sales", &key).await;
    assert_eq!(
        sales["items"],
        json!([{"path": "sales/quotes", "name": "quotes", "flows": 1, "folders": 1}])
    );
    let first = s.get_ok("/flow-folders?limit=1", &key).await;
    assert_eq!(first["next_cursor"], "sales");
    let rest = s.get_ok("/flow-folders?limit=1&cursor=sales", &key).await;
    assert_eq!(rest["items"][0]["path"], "support");
    assert_eq!(rest["next_cursor"], Value::Null);

    for query in [
        "/flows?folder=Sales",
        "/flows?folder=sales/",
        "/flow-folders?parent=/sales",
    ] {
        let res = s.request(Method::GET, query, &key).await;
        assert_problem(res, 400, "bad_request").await;
    }
    let res = s
        .send_json(
            Method::POST,
            "/flows",
            &key,
            &flow("bad", Some("a/b/c/d/e/f/g/h/i")),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_pointers(&problem), ["/folder"]);
}
