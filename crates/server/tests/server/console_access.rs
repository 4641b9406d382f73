//! The management API with a console user session instead of an API key: the session token
//! plus `Parlo-Workspace: <id>` of a workspace the user owns acts like a key of that
//! workspace; another user's workspace is 404, a missing header or a bad token 401.

use crate::common::{TestServer, assert_problem, item_strings};
use reqwest::{Method, RequestBuilder, Response};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

/// `method /api/v1<path>` with the user session `token` and `Parlo-Workspace: workspace`.
fn as_user(s: &TestServer, method: Method, path: &str, token: &str, workspace: &str) -> RequestBuilder {
    s.management(method, path, token)
        .header("Parlo-Workspace", workspace)
}

async fn send(request: RequestBuilder) -> Response {
    request.send().await.unwrap()
}

/// The id of the user's workspace `slug`, as a header value.
async fn workspace_id(s: &TestServer, token: &str, slug: &str) -> String {
    let page = s.get_ok("/workspaces", token).await;
    let workspace = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["slug"] == slug)
        .unwrap_or_else(|| panic!("no workspace {slug} in {page}"));
    workspace["id"].to_string()
}

#[tokio::test]
async fn a_user_session_acts_on_a_workspace_it_owns() {
    let s = TestServer::start().await;
    // The first user of a seeded server owns the demo workspace.
    s.user("ada@example.com", PASSWORD).await;
    let ada = s.user_token("ada@example.com", PASSWORD).await;
    let demo = workspace_id(&s, &ada, "demo").await;

    // The same answers as the workspace's API key.
    let key = s.api_key("demo").await;
    let with_key = s.get_ok("/flows", &key).await;
    let res = send(as_user(&s, Method::GET, "/flows", &ada, &demo)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap(), with_key);

    // Keys made, listed and revoked through the session are the workspace's keys.
    let res =
        send(as_user(&s, Method::POST, "/api-keys", &ada, &demo).json(&json!({"name": "zapier"}))).await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    let secret = created["secret"].as_str().unwrap();
    assert_eq!(s.get_ok("/tags", secret).await["items"], json!([]));
    let res = send(as_user(&s, Method::GET, "/api-keys", &ada, &demo)).await;
    let keys: Value = res.json().await.unwrap();
    assert!(item_strings(&keys, "name").contains(&"zapier"), "{keys}");
    let revoke = format!("/api-keys/{}", created["id"]);
    assert_eq!(
        send(as_user(&s, Method::DELETE, &revoke, &ada, &demo))
            .await
            .status(),
        204
    );
    assert_problem(s.request(Method::GET, "/tags", secret).await, 401, "unauthorized").await;

    // Logged out: the token is refused here too.
    assert_eq!(s.request(Method::POST, "/auth/logout", &ada).await.status(), 204);
    let problem = assert_problem(
        send(as_user(&s, Method::GET, "/flows", &ada, &demo)).await,
        401,
        "unauthorized",
    )
    .await;
    assert_eq!(
        problem["detail"],
        "unknown, logged out or expired user session token"
    );
}

#[tokio::test]
async fn other_workspaces_and_bad_headers_are_refused() {
    let s = TestServer::start().await;
    s.user("ada@example.com", PASSWORD).await;
    s.user("bob@example.com", PASSWORD).await;
    let ada = s.user_token("ada@example.com", PASSWORD).await;
    let bob = s.user_token("bob@example.com", PASSWORD).await;
    let demo = workspace_id(&s, &ada, "demo").await;

    // Bob does not own the demo workspace: 404, as for one that does not exist.
    let problem = assert_problem(
        send(as_user(&s, Method::GET, "/flows", &bob, &demo)).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(problem["detail"], format!("no workspace {demo}"));
    assert_problem(
        send(as_user(&s, Method::GET, "/flows", &ada, "999999")).await,
        404,
        "not_found",
    )
    .await;
    for bad in ["demo", "0", "-1", ""] {
        assert_problem(
            send(as_user(&s, Method::GET, "/flows", &ada, bad)).await,
            400,
            "invalid_id",
        )
        .await;
    }

    // A session without the header, or a forged token with it.
    let problem = assert_problem(s.request(Method::GET, "/flows", &ada).await, 401, "unauthorized").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("Parlo-Workspace"),
        "{problem}"
    );
    let forged = format!("parlo_us_{}", "x".repeat(43));
    assert_problem(
        send(as_user(&s, Method::GET, "/flows", &forged, &demo)).await,
        401,
        "unauthorized",
    )
    .await;

    // An API key keeps its own workspace whatever the header says.
    s.create_workspace("other").await;
    let other_key = s.api_key("other").await;
    let res = send(as_user(&s, Method::GET, "/flows", &other_key, &demo)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["items"], json!([]));
}
