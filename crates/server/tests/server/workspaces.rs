//! Console: a logged-in user lists and creates the workspaces they own and mints API keys
//! for them; another user's workspace answers 404.

use crate::common::{TestServer, assert_problem, error_pointers, item_strings};
use reqwest::Method;
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

async fn create(s: &TestServer, token: &str, slug: &str, name: &str) -> Value {
    let res = s
        .send_json(
            Method::POST,
            "/workspaces",
            token,
            &json!({"slug": slug, "name": name}),
        )
        .await;
    assert_eq!(res.status(), 201);
    res.json().await.unwrap()
}

fn slugs(page: &Value) -> Vec<&str> {
    item_strings(page, "slug")
}

#[tokio::test]
async fn a_user_owns_several_workspaces() {
    let s = TestServer::start().await;
    // The first user of a seeded server gets the demo workspace; the second does not.
    s.user("ada@example.com", PASSWORD).await;
    s.user("bob@example.com", PASSWORD).await;
    let ada = s.user_token("ada@example.com", PASSWORD).await;
    let bob = s.user_token("bob@example.com", PASSWORD).await;
    assert_eq!(slugs(&s.get_ok("/workspaces", &ada).await), ["demo"]);
    assert_eq!(s.get_ok("/workspaces", &bob).await["items"], json!([]));

    let acme = create(&s, &ada, "acme", " Acme Inc. ").await;
    assert_eq!(acme["name"], "Acme Inc.");
    create(&s, &ada, "acme-eu", "Acme Europe").await;
    create(&s, &bob, "bobs", "Bob's").await;
    assert_eq!(
        slugs(&s.get_ok("/workspaces", &ada).await),
        ["demo", "acme", "acme-eu"]
    );
    assert_eq!(slugs(&s.get_ok("/workspaces", &bob).await), ["bobs"]);
    let first = s.get_ok("/workspaces?limit=2", &ada).await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = s
        .get_ok(&format!("/workspaces?limit=2&cursor={cursor}"), &ada)
        .await;
    assert_eq!(slugs(&rest), ["acme-eu"]);
    assert_eq!(rest["next_cursor"], Value::Null);

    // Slugs are unique across users.
    for slug in ["demo", "acme"] {
        let res = s
            .send_json(
                Method::POST,
                "/workspaces",
                &bob,
                &json!({"slug": slug, "name": "Mine"}),
            )
            .await;
        assert_problem(res, 409, "conflict").await;
    }
    let res = s
        .send_json(
            Method::POST,
            "/workspaces",
            &bob,
            &json!({"slug": "Not A Slug", "name": ""}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    let pointers: Vec<&str> = error_pointers(&problem);
    assert_eq!(pointers, ["/slug", "/name"]);
    for query in ["limit=0", "cursor=x"] {
        let res = s
            .request(Method::GET, &format!("/workspaces?{query}"), &ada)
            .await;
        assert_problem(res, 400, "invalid_cursor").await;
    }
}

#[tokio::test]
async fn a_user_mints_keys_for_their_workspaces_only() {
    let s = TestServer::start().await;
    s.user("ada@example.com", PASSWORD).await;
    s.user("bob@example.com", PASSWORD).await;
    let ada = s.user_token("ada@example.com", PASSWORD).await;
    let bob = s.user_token("bob@example.com", PASSWORD).await;
    let acme = create(&s, &ada, "acme", "Acme").await;
    let keys = format!("/workspaces/{}/api-keys", acme["id"]);

    let res = s
        .send_json(Method::POST, &keys, &ada, &json!({"name": "zapier"}))
        .await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    let secret = created["secret"].as_str().unwrap();
    assert!(parlo_model::api_key::is_well_formed_key(secret), "{secret}");

    // The key works on the management API, scoped to acme (no flows, unlike demo).
    assert_eq!(s.get_ok("/flows", secret).await["items"], json!([]));
    let listed = s.get_ok(&keys, &ada).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert_eq!(listed["items"][0]["name"], "zapier");
    assert!(!listed.to_string().contains(secret));
    // Keys minted by the API show up too, and revoked ones drop out.
    let by_api: Value = s
        .send_json(Method::POST, "/api-keys", secret, &json!({"name": "ci"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(s.get_ok(&keys, &ada).await["items"].as_array().unwrap().len(), 2);
    let res = s
        .request(Method::DELETE, &format!("/api-keys/{}", by_api["id"]), secret)
        .await;
    assert_eq!(res.status(), 204);
    assert_eq!(s.get_ok(&keys, &ada).await["items"].as_array().unwrap().len(), 1);

    // Bob cannot see or mint keys of Ada's workspaces; unknown and malformed ids too.
    for (method, body) in [(Method::GET, None), (Method::POST, Some(json!({"name": "mine"})))] {
        for (path, status, code) in [
            (keys.clone(), 404, "not_found"),
            ("/workspaces/99999/api-keys".to_owned(), 404, "not_found"),
            ("/workspaces/abc/api-keys".to_owned(), 400, "invalid_id"),
        ] {
            let mut req = s.management(method.clone(), &path, &bob);
            if let Some(body) = &body {
                req = req.json(body);
            }
            assert_problem(req.send().await.unwrap(), status, code).await;
        }
    }
    // An API key is not a user session.
    let res = s
        .send_json(Method::POST, &keys, secret, &json!({"name": "x"}))
        .await;
    assert_problem(res, 401, "unauthorized").await;
    let res = s
        .send_json(Method::POST, &keys, &ada, &json!({"name": " "}))
        .await;
    assert_problem(res, 422, "validation_failed").await;
}
