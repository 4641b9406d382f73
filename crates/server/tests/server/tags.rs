//! Management API: tags and custom fields, and setting them on subscribers.

use crate::common::{TestServer, assert_problem};
use reqwest::Method;
use serde_json::{Value, json};

async fn created(s: &TestServer, path: &str, key: &str, body: Value) -> Value {
    let res = s.send_json(Method::POST, path, key, &body).await;
    assert_eq!(res.status(), 201, "POST {path} {body}");
    res.json().await.unwrap()
}

async fn status(s: &TestServer, method: Method, path: &str, key: &str) -> u16 {
    s.management(method, path, key)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn names(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn tags_are_created_listed_read_and_deleted_by_id_or_name() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let vip = created(&s, "/tags", &key, json!({"name": " vip "})).await;
    assert_eq!(vip["name"], "vip");
    created(&s, "/tags", &key, json!({"name": "lead"})).await;
    created(&s, "/tags", &key, json!({"name": "Grüße ✓"})).await;

    let res = s
        .send_json(Method::POST, "/tags", &key, &json!({"name": "vip"}))
        .await;
    assert_problem(res, 409, "conflict").await;
    for bad in [
        json!({"name": ""}),
        json!({"name": "a\nb"}),
        json!({"name": "x".repeat(101)}),
    ] {
        let res = s.send_json(Method::POST, "/tags", &key, &bad).await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["pointer"], "/name");
    }

    let page = s.get_ok("/tags?limit=2", &key).await;
    assert_eq!(names(&page), ["vip", "lead"]);
    let cursor = page["next_cursor"].as_str().unwrap();
    let page = s.get_ok(&format!("/tags?limit=2&cursor={cursor}"), &key).await;
    assert_eq!(names(&page), ["Grüße ✓"]);
    assert_eq!(page["next_cursor"], Value::Null);

    let id = vip["id"].as_i64().unwrap();
    assert_eq!(s.get_ok(&format!("/tags/{id}"), &key).await, vip);
    assert_eq!(s.get_ok("/tags/by-name/vip", &key).await, vip);
    assert_eq!(
        s.get_ok("/tags/by-name/Gr%C3%BC%C3%9Fe%20%E2%9C%93", &key).await["name"],
        "Grüße ✓"
    );
    let res = s.management(Method::GET, "/tags/vip", &key).send().await.unwrap();
    assert_problem(res, 400, "invalid_id").await;

    assert_eq!(
        status(&s, Method::DELETE, &format!("/tags/{id}"), &key).await,
        204
    );
    assert_eq!(status(&s, Method::DELETE, "/tags/by-name/lead", &key).await, 204);
    let res = s
        .management(Method::GET, &format!("/tags/{id}"), &key)
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
    assert_eq!(status(&s, Method::DELETE, "/tags/by-name/lead", &key).await, 404);
    assert_eq!(names(&s.get_ok("/tags", &key).await), ["Grüße ✓"]);
}

/// The custom fields the demo's flows read in their conditions, which the seed creates.
const DEMO_FIELDS: [&str; 2] = ["email", "first_name"];

#[tokio::test]
async fn custom_fields_have_types_and_can_be_renamed() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let seeded = s.get_ok("/custom-fields?limit=100", &key).await;
    let mut seeded: Vec<&str> = seeded["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    seeded.sort_unstable();
    assert_eq!(seeded, DEMO_FIELDS);
    for t in [
        "text",
        "number",
        "boolean",
        "date",
        "datetime",
        "array",
        "long_text",
    ] {
        let field = created(
            &s,
            "/custom-fields",
            &key,
            json!({"name": format!("f_{t}"), "type": t}),
        )
        .await;
        assert_eq!(field["type"], t);
        assert_eq!(field["description"], "");
    }
    let res = s
        .send_json(
            Method::POST,
            "/custom-fields",
            &key,
            &json!({"name": "x", "type": "money"}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["pointer"], "/type");
    let res = s
        .send_json(
            Method::POST,
            "/custom-fields",
            &key,
            &json!({"name": "f_text", "type": "text"}),
        )
        .await;
    assert_problem(res, 409, "conflict").await;
    assert_eq!(
        s.get_ok("/custom-fields?limit=100", &key).await["items"]
            .as_array()
            .unwrap()
            .len(),
        7 + DEMO_FIELDS.len()
    );

    let number = s.get_ok("/custom-fields/by-name/f_number", &key).await;
    let id = number["id"].as_i64().unwrap();
    let res = s
        .send_json(
            Method::PATCH,
            &format!("/custom-fields/{id}"),
            &key,
            &json!({"name": "age", "description": "in years"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let renamed: Value = res.json().await.unwrap();
    assert_eq!(
        (renamed["name"].as_str(), renamed["type"].as_str()),
        (Some("age"), Some("number"))
    );
    assert_eq!(renamed["description"], "in years");
    assert_eq!(s.get_ok(&format!("/custom-fields/{id}"), &key).await, renamed);

    let path = format!("/custom-fields/{id}");
    let res = s
        .send_json(Method::PATCH, &path, &key, &json!({"name": "f_text"}))
        .await;
    assert_problem(res, 409, "conflict").await;
    let res = s
        .send_json(Method::PATCH, &path, &key, &json!({"type": "text"}))
        .await;
    assert_problem(res, 422, "validation_failed").await;

    assert_eq!(status(&s, Method::DELETE, &path, &key).await, 204);
    assert_eq!(
        status(&s, Method::DELETE, "/custom-fields/by-name/f_date", &key).await,
        204
    );
    assert_eq!(status(&s, Method::GET, &path, &key).await, 404);
    assert_eq!(
        status(&s, Method::GET, "/custom-fields/by-name/f_date", &key).await,
        404
    );
    assert_eq!(status(&s, Method::GET, "/custom-fields/0", &key).await, 400);
}

#[tokio::test]
async fn subscriber_tags_and_fields_are_changed_in_batches() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let sub = s.session().await.subscriber_id;
    let tags_path = format!("/subscribers/{sub}/tags");
    let fields_path = format!("/subscribers/{sub}/fields");
    let vip = created(&s, "/tags", &key, json!({"name": "vip"})).await;
    for (name, t) in [
        ("age", "number"),
        ("born", "date"),
        ("optin", "boolean"),
        ("seen", "datetime"),
        ("likes", "array"),
    ] {
        created(&s, "/custom-fields", &key, json!({"name": name, "type": t})).await;
    }

    // Add by id and by name; a missing name is created.
    let res = s
        .send_json(
            Method::POST,
            &tags_path,
            &key,
            &json!({"tags": [vip["id"], "buyer"]}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let subscriber: Value = res.json().await.unwrap();
    assert_eq!(subscriber["tags"], json!(["buyer", "vip"]));
    assert_eq!(s.get_ok("/tags/by-name/buyer", &key).await["name"], "buyer");

    // Removing needs known tags; nothing changes when one is unknown.
    let res = s
        .send_json(
            Method::DELETE,
            &tags_path,
            &key,
            &json!({"tags": ["vip", 999_999]}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["pointer"], "/tags/1", "{problem}");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("999999")
    );
    let res = s
        .send_json(Method::DELETE, &tags_path, &key, &json!({"tags": ["vip"]}))
        .await;
    assert_eq!(res.json::<Value>().await.unwrap()["tags"], json!(["buyer"]));
    for bad in [
        json!({"tags": []}),
        json!({"tags": vec!["t"; 101]}),
        json!({"tags": [""]}),
    ] {
        let res = s.send_json(Method::POST, &tags_path, &key, &bad).await;
        assert_problem(res, 422, "validation_failed").await;
    }

    // Fields: typed values, all or nothing.
    let body = json!({"fields": [
        {"field": "age", "value": 42},
        {"field": "born", "value": "1990-02-30"},
        {"field": "optin", "value": "maybe"},
        {"field": "likes", "value": ["tea", "cake"]},
    ]});
    let res = s.send_json(Method::PATCH, &fields_path, &key, &body).await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    let pointers: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/fields/1/value", "/fields/2/value"]);
    assert_eq!(
        s.get_ok(&format!("/subscribers/{sub}"), &key).await["fields"],
        json!({})
    );

    let age_id = s.get_ok("/custom-fields/by-name/age", &key).await["id"].clone();
    let body = json!({"fields": [
        {"field": age_id, "value": "7.5"},
        {"field": "born", "value": "1990-02-28"},
        {"field": "optin", "value": true},
        {"field": "seen", "value": "2026-11-21T10:30:00+01:00"},
        {"field": "likes", "value": ["tea", "cake"]},
    ]});
    let res = s.send_json(Method::PATCH, &fields_path, &key, &body).await;
    assert_eq!(res.status(), 200);
    let fields = res.json::<Value>().await.unwrap()["fields"].clone();
    assert_eq!(
        fields,
        json!({"age": "7.5", "born": "1990-02-28", "optin": "true", "seen": "2026-11-21T09:30:00.000Z", "likes": "[\"tea\",\"cake\"]"})
    );

    let body = json!({"fields": [{"field": "age", "value": null}, {"field": "optin", "value": null}]});
    let res = s.send_json(Method::PATCH, &fields_path, &key, &body).await;
    let fields = res.json::<Value>().await.unwrap()["fields"].clone();
    assert!(
        fields.get("age").is_none() && fields.get("optin").is_none(),
        "{fields}"
    );
    let res = s
        .send_json(
            Method::PATCH,
            &fields_path,
            &key,
            &json!({"fields": [{"field": "nope", "value": 1}]}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["pointer"], "/fields/0/field", "{problem}");

    // Deleting a field or tag takes it off the subscriber.
    assert_eq!(
        status(&s, Method::DELETE, "/custom-fields/by-name/born", &key).await,
        204
    );
    assert_eq!(status(&s, Method::DELETE, "/tags/by-name/buyer", &key).await, 204);
    let subscriber = s.get_ok(&format!("/subscribers/{sub}"), &key).await;
    assert!(subscriber["fields"].get("born").is_none());
    assert_eq!(subscriber["tags"], json!([]));
}

#[tokio::test]
async fn flows_use_the_same_tag_and_field_records() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let session = s.newsletter_subscriber("ada@example.com").await;
    assert_eq!(names(&s.get_ok("/tags", &key).await), ["newsletter"]);
    let email = s.get_ok("/custom-fields/by-name/email", &key).await;
    assert_eq!(email["type"], "text");

    // The flow reuses existing records instead of making new ones.
    let again = s.newsletter_subscriber("bob@example.com").await;
    assert_eq!(names(&s.get_ok("/tags", &key).await), ["newsletter"]);
    assert_eq!(
        s.get_ok("/custom-fields", &key).await["items"]
            .as_array()
            .unwrap()
            .len(),
        DEMO_FIELDS.len(),
        "the flow's `email` is the demo's own"
    );

    // Deleting the tag through the API takes it off both subscribers.
    assert_eq!(
        status(&s, Method::DELETE, "/tags/by-name/newsletter", &key).await,
        204
    );
    for sub in [session.subscriber_id, again.subscriber_id] {
        let subscriber = s.get_ok(&format!("/subscribers/{sub}"), &key).await;
        assert_eq!(subscriber["tags"], json!([]));
        assert!(subscriber["fields"]["email"].is_string());
    }
}

#[tokio::test]
async fn another_workspace_sees_none_of_it() {
    let s = TestServer::start().await;
    s.create_workspace("other").await;
    let a = s.api_key("demo").await;
    let b = s.api_key("other").await;
    let sub = s.session().await.subscriber_id;
    let tag = created(&s, "/tags", &a, json!({"name": "vip"})).await["id"].clone();
    let field =
        created(&s, "/custom-fields", &a, json!({"name": "age", "type": "number"})).await["id"].clone();

    assert_eq!(s.get_ok("/tags", &b).await["items"], json!([]));
    assert_eq!(s.get_ok("/custom-fields", &b).await["items"], json!([]));
    for (method, path) in [
        (Method::GET, format!("/tags/{tag}")),
        (Method::DELETE, format!("/tags/{tag}")),
        (Method::GET, "/tags/by-name/vip".to_owned()),
        (Method::DELETE, "/tags/by-name/vip".to_owned()),
        (Method::GET, format!("/custom-fields/{field}")),
        (Method::DELETE, format!("/custom-fields/{field}")),
        (Method::GET, "/custom-fields/by-name/age".to_owned()),
        (Method::DELETE, "/custom-fields/by-name/age".to_owned()),
        (Method::GET, format!("/subscribers/{sub}")),
    ] {
        let res = s.management(method.clone(), &path, &b).send().await.unwrap();
        assert_eq!(res.status(), 404, "{method} {path}");
    }
    let res = s
        .send_json(
            Method::PATCH,
            &format!("/custom-fields/{field}"),
            &b,
            &json!({"name": "x"}),
        )
        .await;
    assert_problem(res, 404, "not_found").await;
    let res = s
        .send_json(
            Method::POST,
            &format!("/subscribers/{sub}/tags"),
            &b,
            &json!({"tags": ["x"]}),
        )
        .await;
    assert_problem(res, 404, "not_found").await;
    let res = s
        .send_json(
            Method::DELETE,
            &format!("/subscribers/{sub}/tags"),
            &b,
            &json!({"tags": [tag]}),
        )
        .await;
    assert_problem(res, 404, "not_found").await;
    let body = json!({"fields": [{"field": field, "value": 1}]});
    let res = s
        .send_json(Method::PATCH, &format!("/subscribers/{sub}/fields"), &b, &body)
        .await;
    assert_problem(res, 404, "not_found").await;
    // Nothing of B's requests leaked into either workspace.
    assert_eq!(s.get_ok("/tags", &b).await["items"], json!([]));
    assert_eq!(s.get_ok(&format!("/tags/{tag}"), &a).await["name"], "vip");
}
