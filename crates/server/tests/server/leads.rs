//! Leads management: list with filters and pages, get, CSV export, workspace scoping.

use crate::common::{TestServer, assert_problem};
use reqwest::Method;
use serde_json::{Value, json};

fn signup(id: &str) -> Value {
    json!({
        "id": id,
        "name": "Event sign-up",
        "min_fill_ms": 0,
        "fields": [
            { "name": "name", "type": "text", "label": "Name", "required": true },
            { "name": "email", "type": "email", "label": "E-mail", "required": true },
            { "name": "phone", "type": "phone", "label": "Phone" },
            { "name": "sessions", "type": "checkboxes", "label": "Sessions",
              "options": [{ "value": "am", "label": "Morning" }, { "value": "pm", "label": "Afternoon" }] },
            { "name": "privacy", "type": "consent", "label": "I agree to the privacy notice.", "version": "2026-01" }
        ]
    })
}

async fn submit(s: &TestServer, form_id: &str, key: &str, values: Value) {
    let body = json!({ "idempotency_key": key, "values": values, "capture": { "utm_campaign": "spring" } });
    let res = s.submit_form(form_id, &body).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
}

/// `GET /api/v1<path>` with `key`.
async fn get(s: &TestServer, path: &str, key: &str) -> reqwest::Response {
    s.management(Method::GET, path, key).send().await.unwrap()
}

fn keys(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["idempotency_key"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn leads_are_listed_newest_first_filtered_and_paged() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    s.create_form(&key, &signup("signup")).await;
    s.create_form(&key, &signup("webinar")).await;
    for (form, k) in [
        ("signup", "s1"),
        ("webinar", "w1"),
        ("signup", "s2"),
        ("signup", "s3"),
    ] {
        submit(
            &s,
            form,
            k,
            json!({ "name": "Ada", "email": format!("{k}@example.com") }),
        )
        .await;
    }
    assert_eq!(keys(&s.get_ok("/leads", &key).await), ["s3", "s2", "w1", "s1"]);
    let first = s.get_ok("/leads?form_id=signup&limit=2", &key).await;
    assert_eq!(keys(&first), ["s3", "s2"]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = s
        .get_ok(&format!("/leads?form_id=signup&limit=2&cursor={cursor}"), &key)
        .await;
    assert_eq!(keys(&second), ["s1"]);
    assert!(second["next_cursor"].is_null());

    let all = s.get_ok("/leads", &key).await;
    let created = |l: &Value| l["created_at"].as_str().unwrap().to_owned();
    let of = |k: &str| {
        created(
            all["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["idempotency_key"] == k)
                .unwrap(),
        )
    };
    let (from, to) = (of("w1"), of("s2"));
    // Both bounds are inclusive (leads stored in the same millisecond all match).
    let expected: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| (from.as_str()..=to.as_str()).contains(&created(l).as_str()))
        .map(|l| l["idempotency_key"].as_str().unwrap())
        .collect();
    assert!(expected.contains(&"w1") && expected.contains(&"s2"));
    let page = s.get_ok(&format!("/leads?from={from}&to={to}"), &key).await;
    assert_eq!(keys(&page), expected);
    let page = s
        .get_ok(
            "/leads?from=2000-01-01T00:00:00Z&to=2000-12-31T00:00:00%2B02:00",
            &key,
        )
        .await;
    assert!(keys(&page).is_empty());

    for query in [
        "from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z",
        "from=yesterday",
    ] {
        let res = get(&s, &format!("/leads?{query}"), &key).await;
        assert_problem(res, 400, "invalid_date_range").await;
    }
    for query in ["limit=0", "limit=101", "cursor=abc"] {
        let res = get(&s, &format!("/leads?{query}"), &key).await;
        assert_problem(res, 400, "invalid_cursor").await;
    }
}

#[tokio::test]
async fn a_lead_is_only_visible_to_its_workspace() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    s.create_form(&key, &signup("signup")).await;
    submit(
        &s,
        "signup",
        "k1",
        json!({ "name": "Ada", "email": "ada@example.com" }),
    )
    .await;
    let lead = s.get_ok("/leads", &key).await["items"][0].clone();
    let id = lead["id"].as_str().unwrap();
    assert!(id.starts_with("lead_"));
    assert_eq!(s.get_ok(&format!("/leads/{id}"), &key).await, lead);

    s.create_workspace("other").await;
    let other = s.api_key("other").await;
    let res = get(&s, &format!("/leads/{id}"), &other).await;
    assert_problem(res, 404, "not_found").await;
    assert!(
        s.get_ok("/leads?form_id=signup", &other).await["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let res = get(&s, "/leads/export.csv", &other).await;
    assert_eq!(res.text().await.unwrap().lines().count(), 1, "only the header");
    let res = get(&s, "/leads/lead_nope", &key).await;
    assert_problem(res, 404, "not_found").await;
}

#[tokio::test]
async fn leads_export_as_csv_with_a_column_per_field() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    s.create_form(&key, &signup("signup")).await;
    submit(
        &s,
        "signup",
        "k1",
        json!({ "name": "Ada, \"the Countess\"", "email": "ada@example.com", "phone": "+44 20 7946 0958",
                "sessions": ["am", "pm"], "privacy": true }),
    )
    .await;
    submit(
        &s,
        "signup",
        "k2",
        json!({ "name": "=HYPERLINK(\"http://evil\")", "email": "grace@example.com" }),
    )
    .await;

    let res = get(&s, "/leads/export.csv?form_id=signup", &key).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("leads.csv")
    );
    let text = res.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        header,
        [
            "lead_id",
            "created_at",
            "form_id",
            "subscriber_id",
            "name",
            "email",
            "phone",
            "sessions",
            "privacy",
            "utm_source",
            "utm_medium",
            "utm_campaign",
            "utm_term",
            "utm_content",
            "referrer",
            "landing_page",
            "page_url",
            "locale",
            "submitted_at",
            "privacy_text",
            "privacy_version"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let cell = |row: usize, name: &str| rows[row][header.iter().position(|h| h == name).unwrap()].to_owned();
    // Oldest first; quotes and commas survive the round trip.
    assert_eq!(cell(0, "name"), "Ada, \"the Countess\"");
    assert_eq!(cell(0, "sessions"), "am; pm");
    assert_eq!(cell(0, "privacy"), "yes");
    assert_eq!(cell(1, "privacy"), "no");
    assert_eq!(cell(0, "privacy_text"), "I agree to the privacy notice.");
    assert_eq!(cell(0, "privacy_version"), "2026-01");
    assert_eq!(cell(0, "utm_campaign"), "spring");
    assert!(cell(0, "lead_id").starts_with("lead_"));
    // Spreadsheets must not run a value as a formula (OWASP CSV injection).
    assert_eq!(cell(1, "name"), "'=HYPERLINK(\"http://evil\")");
    assert_eq!(cell(0, "phone"), "'+442079460958");
    assert_eq!(cell(1, "phone"), "");
}

#[tokio::test]
async fn a_large_export_streams_every_lead_once_in_order() {
    let s = TestServer::start_with(|c| {
        c.form_ip_rate_limit = 100_000;
        c.form_rate_limit = 100_000;
    })
    .await;
    let key = s.api_key("demo").await;
    s.create_form(&key, &signup("signup")).await;
    // More than two chunks of the export (500 leads); a phone only on the last lead, so its column
    // comes from the last chunk.
    let n = 1_201;
    for i in 0..n {
        let mut values = json!({ "name": format!("Guest {i}"), "email": format!("g{i}@example.com") });
        if i == n - 1 {
            values["phone"] = json!("+44 20 7946 0958");
        }
        submit(&s, "signup", &format!("k{i}"), values).await;
    }
    let res = get(&s, "/leads/export.csv", &key).await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers().get("content-length").is_none(),
        "streamed, not buffered"
    );
    let text = res.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let name = header.iter().position(|h| h == "name").unwrap();
    let phone = header.iter().position(|h| h == "phone").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), n);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(&row[name], format!("Guest {i}"), "oldest first, each once");
    }
    assert_eq!(&rows[n - 1][phone], "'+442079460958", "defused like every cell");
    assert_eq!(&rows[0][phone], "");
}
