//! Management API: bot (global) fields — typed definitions like custom fields, one value
//! each, set one or many at once, deleted by id or name, scoped to the workspace.

use crate::common::{TestServer, assert_problem};
use reqwest::Method;
use serde_json::{Value, json};

async fn create(s: &TestServer, key: &str, name: &str, field_type: &str) -> Value {
    let res = s
        .send_json(
            Method::POST,
            "/bot-fields",
            key,
            &json!({"name": name, "type": field_type, "description": "for tests"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    res.json().await.unwrap()
}

#[tokio::test]
async fn bot_fields_are_created_set_and_deleted() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let hours = create(&s, &key, "opening_hours", "text").await;
    assert_eq!(hours["type"], "text");
    assert_eq!(hours["value"], Value::Null);
    let promo = create(&s, &key, "promo_ends", "datetime").await;
    let tables = create(&s, &key, "tables", "number").await;
    let res = s
        .send_json(
            Method::POST,
            "/bot-fields",
            &key,
            &json!({"name": "tables", "type": "text"}),
        )
        .await;
    assert_problem(res, 409, "conflict").await;
    // A custom field may share a bot field's name: they are separate records.
    let res = s
        .send_json(
            Method::POST,
            "/custom-fields",
            &key,
            &json!({"name": "tables", "type": "text"}),
        )
        .await;
    assert_eq!(res.status(), 201);

    // Many at once, by name or id, checked and stored canonically.
    let res = s
        .send_json(
            Method::PATCH,
            "/bot-fields/values",
            &key,
            &json!({"fields": [
                {"field": "opening_hours", "value": "9-17"},
                {"field": promo["id"], "value": "2026-12-24T18:00:00+01:00"},
                {"field": "tables", "value": "12"},
            ]}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let set: Value = res.json().await.unwrap();
    let values: Vec<&Value> = set["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["value"])
        .collect();
    assert_eq!(
        values,
        [&json!("9-17"), &json!("2026-12-24T17:00:00.000Z"), &json!("12")]
    );
    assert_eq!(set["next_cursor"], Value::Null);

    // One at a time, and clearing with null.
    let res = s
        .send_json(
            Method::PATCH,
            "/bot-fields/values",
            &key,
            &json!({"fields": [{"field": tables["id"], "value": null}]}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let id = tables["id"].as_i64().unwrap();
    assert_eq!(
        s.get_ok(&format!("/bot-fields/{id}"), &key).await["value"],
        Value::Null
    );
    let by_name = s.get_ok("/bot-fields/by-name/opening_hours", &key).await;
    assert_eq!(by_name["value"], "9-17");
    assert_eq!(by_name["description"], "for tests");

    // All or nothing: a bad value or an unknown field changes nothing.
    let res = s
        .send_json(
            Method::PATCH,
            "/bot-fields/values",
            &key,
            &json!({"fields": [
                {"field": "opening_hours", "value": "closed"},
                {"field": "tables", "value": "many"},
                {"field": "promo_ends", "value": "soon"},
            ]}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["pointer"], "/fields/1/value");
    assert_eq!(problem["errors"][1]["pointer"], "/fields/2/value");
    let res = s
        .send_json(
            Method::PATCH,
            "/bot-fields/values",
            &key,
            &json!({"fields": [{"field": "opening_hours", "value": "closed"}, {"field": "ghost", "value": 1}]}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["pointer"], "/fields/1/field", "{problem}");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("'ghost'"),
        "{problem}"
    );
    assert_eq!(
        s.get_ok("/bot-fields/by-name/opening_hours", &key).await["value"],
        "9-17"
    );
    for body in [json!({"fields": []}), json!({"fields": [{"field": "tables"}]})] {
        let res = s
            .send_json(Method::PATCH, "/bot-fields/values", &key, &body)
            .await;
        assert_problem(res, 422, "validation_failed").await;
    }

    // Renamed, with its value kept; listed in id order with values.
    let res = s
        .send_json(
            Method::PATCH,
            &format!("/bot-fields/{}", hours["id"]),
            &key,
            &json!({"name": "hours"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let renamed: Value = res.json().await.unwrap();
    assert_eq!(
        (renamed["name"].as_str(), renamed["value"].as_str()),
        (Some("hours"), Some("9-17"))
    );
    let page = s.get_ok("/bot-fields?limit=2", &key).await;
    assert_eq!(page["items"][0]["name"], "hours");
    assert_eq!(page["items"][1]["value"], "2026-12-24T17:00:00.000Z");
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = s
        .get_ok(&format!("/bot-fields?limit=2&cursor={cursor}"), &key)
        .await;
    assert_eq!(rest["items"][0]["name"], "tables");
    assert_eq!(rest["next_cursor"], Value::Null);

    // Deleted by id and by name.
    let res = s
        .request(Method::DELETE, &format!("/bot-fields/{id}"), &key)
        .await;
    assert_eq!(res.status(), 204);
    let res = s.request(Method::DELETE, "/bot-fields/by-name/hours", &key).await;
    assert_eq!(res.status(), 204);
    let page = s.get_ok("/bot-fields", &key).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let res = s.request(Method::GET, "/bot-fields/by-name/hours", &key).await;
    assert_problem(res, 404, "not_found").await;
    assert_eq!(
        s.get_ok("/custom-fields/by-name/tables", &key).await["name"],
        "tables"
    );
}

#[tokio::test]
async fn bad_bot_field_input_is_a_problem() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    for body in [
        json!({"name": "", "type": "text"}),
        json!({"name": "x", "type": "colour"}),
        json!({"name": "x", "type": "text", "description": "d".repeat(1001)}),
    ] {
        let res = s.send_json(Method::POST, "/bot-fields", &key, &body).await;
        assert_problem(res, 422, "validation_failed").await;
    }
    for path in ["/bot-fields/abc", "/bot-fields/0"] {
        for method in [Method::GET, Method::DELETE] {
            let res = s.request(method, path, &key).await;
            assert_problem(res, 400, "invalid_id").await;
        }
    }
    for query in ["limit=0", "cursor=x"] {
        let res = s
            .request(Method::GET, &format!("/bot-fields?{query}"), &key)
            .await;
        assert_problem(res, 400, "invalid_cursor").await;
    }
}

#[tokio::test]
async fn another_workspace_never_sees_bot_fields() {
    let s = TestServer::start().await;
    s.create_workspace("other").await;
    let key = s.api_key("demo").await;
    let other = s.api_key("other").await;
    let field = create(&s, &key, "secret_code", "text").await;
    let id = field["id"].as_i64().unwrap();
    assert_eq!(s.get_ok("/bot-fields", &other).await["items"], json!([]));
    for (method, path) in [
        (Method::GET, format!("/bot-fields/{id}")),
        (Method::DELETE, format!("/bot-fields/{id}")),
        (Method::GET, "/bot-fields/by-name/secret_code".to_owned()),
        (Method::DELETE, "/bot-fields/by-name/secret_code".to_owned()),
    ] {
        let res = s.request(method, &path, &other).await;
        assert_problem(res, 404, "not_found").await;
    }
    let res = s
        .send_json(
            Method::PATCH,
            &format!("/bot-fields/{id}"),
            &other,
            &json!({"name": "mine"}),
        )
        .await;
    assert_problem(res, 404, "not_found").await;
    let res = s
        .send_json(
            Method::PATCH,
            "/bot-fields/values",
            &other,
            &json!({"fields": [{"field": id, "value": "x"}]}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["pointer"], "/fields/0/field", "{problem}");
    // The other workspace may have a bot field of the same name.
    create(&s, &other, "secret_code", "number").await;
    assert_eq!(s.get_ok(&format!("/bot-fields/{id}"), &key).await, field);
}
