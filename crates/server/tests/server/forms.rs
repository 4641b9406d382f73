//! Lead form definitions: management CRUD, validation, the public view and per-form CORS.

use crate::common::{SITE, TestServer, assert_problem, error_pointers};
use reqwest::Method;
use serde_json::{Value, json};

fn contact(id: &str) -> Value {
    json!({
        "id": id,
        "name": "Contact",
        "fields": [
            { "name": "email", "type": "email", "label": "E-mail", "required": true },
            { "name": "message", "type": "long_text", "label": "Message" }
        ],
        "allowed_origins": ["https://shop.example"],
        "min_fill_ms": 0,
        "automations": [{ "type": "add_tags", "tags": ["contact"] }]
    })
}

/// The form ids of a page.
fn ids(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn forms_are_created_listed_replaced_and_deleted() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    for id in ["a-contact", "b-contact", "c-contact"] {
        s.create_form(&key, &contact(id)).await;
    }
    let got = s.get_ok("/forms/a-contact", &key).await;
    assert_eq!(got["fields"][0]["type"], "email");
    assert_eq!(got["published"], true, "defaults are filled in");
    assert_eq!(got["submit_label"], "Send");

    // The seeded `chat_intro` and `quote` forms are listed too; pages follow the id order.
    let page = s.get_ok("/forms?limit=2", &key).await;
    assert_eq!(ids(&page), ["a-contact", "b-contact"]);
    let next = page["next_cursor"].as_str().unwrap();
    let page = s.get_ok(&format!("/forms?limit=3&cursor={next}"), &key).await;
    assert_eq!(ids(&page), ["c-contact", "chat_intro", "quote"]);
    assert!(page["next_cursor"].is_null());

    let mut changed = contact("a-contact");
    changed["name"] = json!("Contact us");
    let res = s.send_json(Method::PUT, "/forms/a-contact", &key, &changed).await;
    assert_eq!(res.status(), 200);
    assert_eq!(s.get_ok("/forms/a-contact", &key).await["name"], "Contact us");

    let res = s
        .send_json(Method::PUT, "/forms/a-contact", &key, &contact("other"))
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_pointers(&problem), ["/id"]);

    let res = s
        .send_json(Method::POST, "/forms", &key, &contact("b-contact"))
        .await;
    assert_problem(res, 409, "conflict").await;

    let res = s
        .management(Method::DELETE, "/forms/a-contact", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let res = s
        .management(Method::GET, "/forms/a-contact", &key)
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
    let res = s
        .management(Method::GET, "/forms?limit=0", &key)
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "invalid_cursor").await;
}

#[tokio::test]
async fn an_invalid_definition_lists_every_problem() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let form = json!({
        "id": "Bad Id",
        "name": "",
        "channel_id": "nope",
        "fields": [
            // Look-behind is ECMAScript but not `regex` syntax: refused, so browser and
            // server never disagree.
            { "name": "code", "type": "text", "label": "Code", "pattern": "(?<=a)b" },
            { "name": "agree", "type": "consent", "label": "I agree" },
            { "name": "size", "type": "select", "label": "Size" }
        ],
        "success": { "type": "redirect", "url": "javascript:alert(1)" },
        "allowed_origins": ["https://shop.example/"],
        "automations": [{ "type": "start_flow", "flow_id": "no_such_flow" }]
    });
    let res = s.send_json(Method::POST, "/forms", &key, &form).await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(
        error_pointers(&problem),
        [
            "/id",
            "/name",
            "/fields/0/pattern",
            "/fields/1/version",
            "/fields/2/options",
            "/success/url",
            "/allowed_origins/0",
            "/channel_id",
            "/automations/0/flow_id"
        ]
    );
    // Unknown members and field types are named.
    let mut typo = contact("typo");
    typo["fields"][0]["requried"] = json!(true);
    let res = s.send_json(Method::POST, "/forms", &key, &typo).await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("requried"),
        "{problem}"
    );
}

#[tokio::test]
async fn another_workspace_sees_no_form_and_cannot_take_its_id() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    s.create_workspace("other").await;
    let other = s.api_key("other").await;
    for (method, path) in [
        (Method::GET, "/forms/quote"),
        (Method::DELETE, "/forms/quote"),
        (Method::GET, "/forms/quote/stats"),
    ] {
        let res = s.management(method, path, &other).send().await.unwrap();
        assert_problem(res, 404, "not_found").await;
    }
    let quote = s.get_ok("/forms/quote", &key).await;
    let res = s.send_json(Method::PUT, "/forms/quote", &other, &quote).await;
    assert_problem(res, 404, "not_found").await;
    // Public URLs name no workspace, so form ids are unique on the server.
    let res = s
        .send_json(Method::POST, "/forms", &other, &contact("quote"))
        .await;
    assert_problem(res, 409, "conflict").await;
    assert!(
        s.get_ok("/forms", &other).await["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn the_public_view_hides_automations_and_origins() {
    let s = TestServer::start().await;
    let res = s.client.get(s.form_url("quote", "")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let form: Value = res.json().await.unwrap();
    assert_eq!(form["id"], "quote");
    assert_eq!(form["channel_id"], "demo");
    assert!(form["render_token"].as_str().unwrap().contains('.'));
    assert!(form.get("automations").is_none() && form.get("allowed_origins").is_none());
    let kinds: Vec<&str> = form["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "text",
            "email",
            "phone",
            "select",
            "number",
            "long_text",
            "consent",
            "hidden"
        ]
    );

    let key = s.api_key("demo").await;
    let mut draft = contact("draft");
    draft["published"] = json!(false);
    s.create_form(&key, &draft).await;
    for res in [
        s.client.get(s.form_url("draft", "")).send().await.unwrap(),
        s.client.get(s.form_url("missing", "")).send().await.unwrap(),
    ] {
        assert_problem(res, 404, "not_found").await;
    }
}

#[tokio::test]
async fn each_form_allows_its_own_origins() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    s.create_form(&key, &contact("contact")).await;
    let get = |form: &'static str, origin: &'static str| {
        s.client.get(s.form_url(form, "")).header("origin", origin).send()
    };
    // The seeded form takes the demo channel's origins; `contact` only its own.
    for (form, origin) in [("quote", SITE), ("contact", "https://shop.example")] {
        let res = get(form, origin).await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["access-control-allow-origin"], origin);
        assert!(res.headers().get_all("vary").iter().any(|v| v == "origin"));
    }
    let res = get("contact", SITE).await.unwrap();
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        SITE,
        "the refusal is readable"
    );
    let problem = assert_problem(res, 403, "forbidden").await;
    assert_eq!(problem["detail"], format!("origin {SITE} may not use this form"));
    let res = s
        .client
        .post(s.form_url("contact", "/submissions"))
        .header("origin", "https://evil.example")
        .json(&json!({ "idempotency_key": "k1", "values": { "email": "ada@example.com" } }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    assert_eq!(s.get_ok("/forms/contact/stats", &key).await["leads"], 0);
}
