//! The typed management client (`parlo::management`) from Chromium against a real
//! `parlo-server`: every resource, the errors a caller sees, and all_pages.
//!
//! `cargo xtask test wasm` starts the server (see `wasm` in `xtask/src/test.rs`) and passes
//! its URL, a management key of the demo workspace and a console user at compile time.
// Run by wasm-bindgen-test-runner in Chromium, without libtest (`harness = false`);
// elsewhere the binary is empty.
#![cfg_attr(target_arch = "wasm32", no_main)]

#[cfg(not(target_arch = "wasm32"))]
fn main() {}

#[cfg(target_arch = "wasm32")]
mod browser {
    use parlo::management::{
        Client, DeliveryFilter, Error, FlowFilter, HistoryFilter, LeadFilter, ListParams, SubscriberFilter,
        all_pages,
    };
    use parlo_model::conversation::{SendContent, SendFlow};
    use parlo_model::flow::Flow;
    use parlo_model::form::Form;
    use parlo_model::ids::{FlowId, FormId, SubscriberId};
    use parlo_model::subscriber::{CreateSubscriber, UpdateSubscriber};
    use parlo_model::tag::{CreateCustomField, FieldType, FieldValue, IdOrName, UpdateCustomField};
    use parlo_model::user::Login;
    use parlo_model::webhook::CreateWebhookEndpoint;
    use parlo_model::workspace::CreateWorkspace;
    use serde::de::DeserializeOwned;
    use serde_json::json;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    const MISSING: &str = "run this test with `cargo xtask test wasm`, which starts a parlo-server for it";

    fn base_url() -> &'static str {
        option_env!("PARLO_TEST_API_BASE").expect(MISSING)
    }

    fn client() -> Client {
        Client::new(base_url(), option_env!("PARLO_TEST_API_KEY").expect(MISSING))
    }

    /// `value` decoded as `T` (for the larger documents, written as JSON).
    fn from_json<T: DeserializeOwned>(value: serde_json::Value) -> T {
        serde_json::from_value(value).unwrap()
    }

    /// The status and code of an API error; panics for other outcomes.
    #[track_caller]
    fn problem<T: std::fmt::Debug>(outcome: Result<T, Error>) -> (u16, String) {
        match outcome {
            Err(Error::Api { problem, .. }) => (problem.status, problem.code),
            other => panic!("expected an API error, got {other:?}"),
        }
    }

    fn by_name(name: &str) -> IdOrName {
        IdOrName::Name(name.to_owned())
    }

    async fn new_subscriber(client: &Client, first_name: &str) -> SubscriberId {
        let subscriber: CreateSubscriber =
            from_json(json!({ "channel_id": "demo", "first_name": first_name }));
        client.subscribers().create(&subscriber).await.unwrap().id
    }

    #[wasm_bindgen_test]
    async fn api_keys_show_the_secret_once_and_a_revoked_key_is_refused() {
        let client = client();
        let created = client.api_keys().create("wasm test").await.unwrap();
        assert!(created.secret.starts_with("parlo_sk_"));
        let keys = all_pages(|c| client.api_keys().list(ListParams::after(c)))
            .await
            .unwrap();
        assert!(
            keys.iter()
                .any(|k| k.id == created.id && created.secret.starts_with(&k.prefix))
        );

        let other = Client::new(base_url(), &created.secret);
        other.tags().list(ListParams::default()).await.unwrap();
        client.api_keys().revoke(created.id).await.unwrap();
        assert_eq!(
            problem(other.tags().list(ListParams::default()).await),
            (401, "unauthorized".into())
        );
        assert_eq!(
            problem(client.api_keys().revoke(created.id).await),
            (404, "not_found".into())
        );
    }

    #[wasm_bindgen_test]
    async fn tags_by_id_and_name_page_by_page() {
        let client = client();
        let tags = client.tags();
        let first = tags.create("wasm-a").await.unwrap();
        let second = tags.create("wasm b/ü").await.unwrap();
        assert_eq!(tags.get(&IdOrName::Id(first.id)).await.unwrap(), first);
        assert_eq!(tags.get(&by_name("wasm b/ü")).await.unwrap(), second);
        assert_eq!(problem(tags.create("wasm-a").await), (409, "conflict".into()));

        let page = tags
            .list(ListParams {
                limit: Some(1),
                cursor: None,
            })
            .await
            .unwrap();
        assert_eq!(page.items.len(), 1);
        let cursor = page.next_cursor.expect("a second page");
        let next = tags
            .list(ListParams {
                limit: Some(1),
                cursor: Some(cursor),
            })
            .await
            .unwrap();
        assert_ne!(next.items, page.items);
        let all = all_pages(|c| tags.list(ListParams::after(c))).await.unwrap();
        assert!(all.contains(&first) && all.contains(&second));
        let limit = ListParams {
            limit: Some(101),
            cursor: None,
        };
        assert_eq!(problem(tags.list(limit).await), (400, "invalid_cursor".into()));

        tags.delete(&by_name("wasm b/ü")).await.unwrap();
        assert_eq!(
            problem(tags.get(&IdOrName::Id(second.id)).await),
            (404, "not_found".into())
        );
    }

    #[wasm_bindgen_test]
    async fn custom_and_bot_fields() {
        let client = client();
        let plan = CreateCustomField {
            name: "wasm_plan".into(),
            field_type: FieldType::Text,
            description: String::new(),
        };
        let field = client.custom_fields().create(&plan).await.unwrap();
        let renamed = UpdateCustomField {
            name: Some("wasm_tier".into()),
            description: Some("Tier".into()),
        };
        let updated = client.custom_fields().update(field.id, &renamed).await.unwrap();
        assert_eq!(
            (updated.name.as_str(), updated.description.as_str()),
            ("wasm_tier", "Tier")
        );
        assert_eq!(
            client.custom_fields().get(&by_name("wasm_tier")).await.unwrap(),
            updated
        );
        let bad = CreateCustomField {
            name: " ".into(),
            ..plan.clone()
        };
        assert_eq!(
            problem(client.custom_fields().create(&bad).await),
            (422, "validation_failed".into())
        );
        client
            .custom_fields()
            .delete(&IdOrName::Id(field.id))
            .await
            .unwrap();

        let bot = client.bot_fields();
        let hours = bot
            .create(&CreateCustomField {
                name: "wasm_hours".into(),
                ..plan
            })
            .await
            .unwrap();
        let value = FieldValue {
            field: by_name("wasm_hours"),
            value: json!("9-17"),
        };
        let changed = bot.set_values(&[value]).await.unwrap();
        assert_eq!(changed[0].value.as_deref(), Some("9-17"));
        assert_eq!(
            bot.get(&by_name("wasm_hours")).await.unwrap().value.as_deref(),
            Some("9-17")
        );
        let all = all_pages(|c| bot.list(ListParams::after(c))).await.unwrap();
        assert!(all.iter().any(|f| f.field.id == hours.field.id));
        bot.delete(&by_name("wasm_hours")).await.unwrap();
        assert_eq!(
            problem(bot.get(&by_name("wasm_hours")).await),
            (404, "not_found".into())
        );
    }

    #[wasm_bindgen_test]
    async fn subscribers_created_found_tagged_and_deleted() {
        let client = client();
        let subscribers = client.subscribers();
        let ada: CreateSubscriber = from_json(json!({
            "channel_id": "demo", "name": "Ada Lovelace", "email": "ada.wasm@example.com", "tags": ["wasm-vip"]
        }));
        let ada = subscribers.create(&ada).await.unwrap();
        assert_eq!(ada.tags, ["wasm-vip"]);
        let many: Vec<CreateSubscriber> = from_json(json!([
            { "channel_id": "demo", "first_name": "Alan" },
            { "channel_id": "demo", "first_name": "Edsger" }
        ]));
        let created = subscribers.create_many(&many).await.unwrap();
        assert_eq!(created.len(), 2);

        let by_email = SubscriberFilter {
            email: Some("ADA.WASM@example.com".into()),
            ..Default::default()
        };
        let found = subscribers.list(&by_email, ListParams::default()).await.unwrap();
        assert_eq!(found.items.iter().map(|s| &s.id).collect::<Vec<_>>(), [&ada.id]);
        let found = subscribers
            .find("email", "ada.wasm@example.com", ListParams::default())
            .await
            .unwrap();
        assert_eq!(found.items[0].id, ada.id);
        let everyone = SubscriberFilter {
            channel: Some("demo".into()),
            ..Default::default()
        };
        let all = all_pages(|c| {
            subscribers.list(
                &everyone,
                ListParams {
                    limit: Some(1),
                    cursor: c,
                },
            )
        })
        .await
        .unwrap();
        assert!(all.iter().any(|s| s.id == created[1].id));

        let tagged = subscribers
            .add_tags(&ada.id, &[by_name("wasm-new")])
            .await
            .unwrap();
        assert_eq!(tagged.tags, ["wasm-new", "wasm-vip"]);
        let untagged = subscribers
            .remove_tags(&ada.id, &[by_name("wasm-vip")])
            .await
            .unwrap();
        assert_eq!(untagged.tags, ["wasm-new"]);
        let name = FieldValue {
            field: by_name("name"),
            value: json!("Ada K."),
        };
        let renamed = subscribers.set_fields(&ada.id, &[name]).await.unwrap();
        assert_eq!(renamed.fields["name"], "Ada K.");
        let cleared = subscribers
            .clear_fields(&ada.id, &[by_name("name")])
            .await
            .unwrap();
        assert!(!cleared.fields.contains_key("name"));
        let rename = UpdateSubscriber {
            name: Some(Some("Ada King".into())),
            ..Default::default()
        };
        assert_eq!(
            subscribers.update(&ada.id, &rename).await.unwrap().fields["name"],
            "Ada King"
        );

        subscribers.delete(&created[0].id).await.unwrap();
        assert_eq!(
            problem(subscribers.get(&created[0].id).await),
            (404, "not_found".into())
        );
        assert_eq!(
            problem(subscribers.get(&"sub_nope".into()).await),
            (400, "invalid_id".into())
        );
    }

    #[wasm_bindgen_test]
    async fn flows_conversations_and_statistics() {
        let client = client();
        let flow: Flow = from_json(json!({
            "id": "wasm_hello", "name": "Hello", "folder": "wasm/tests", "start": "hi",
            "steps": { "hi": { "type": "message", "text": "Hello {{payload.who}}" } }
        }));
        client.flows().create(&flow).await.unwrap();
        assert_eq!(
            problem(client.flows().create(&flow).await),
            (409, "conflict".into())
        );
        assert_eq!(client.flows().get(&flow.id).await.unwrap(), flow);
        let in_folder = FlowFilter {
            folder: Some("wasm/tests".into()),
        };
        let listed = client
            .flows()
            .list(&in_folder, ListParams::default())
            .await
            .unwrap();
        assert_eq!(listed.items, [flow.clone()]);
        let folders = client
            .flows()
            .folders(Some("wasm"), ListParams::default())
            .await
            .unwrap();
        assert_eq!(folders.items[0].path, "wasm/tests");
        let broken = Flow {
            start: "nowhere".into(),
            ..flow.clone()
        };
        let error = client.flows().put(&broken).await.unwrap_err();
        let Error::Api { problem: invalid, .. } = error else {
            panic!("{error}")
        };
        assert!(
            invalid.errors.iter().any(|e| e.pointer == "/start"),
            "{invalid:?}"
        );

        let id = new_subscriber(&client, "Grace").await;
        let conversations = client.conversations();
        assert!(conversations.pause_bot(&id, Some(5)).await.unwrap().paused);
        let send: SendFlow = from_json(json!({ "flow_id": "wasm_hello", "payload": { "who": "Grace" } }));
        assert_eq!(
            problem(conversations.send_flow(&id, &send).await),
            (409, "conflict".into())
        );
        conversations.send_message(&id, "A human here").await.unwrap();
        assert!(!conversations.resume_bot(&id).await.unwrap().paused);
        let sent = conversations.send_flow(&id, &send).await.unwrap();
        assert!(sent.messages.iter().any(|m| m.content.text == "Hello Grace"));
        let content: SendContent = from_json(json!({
            "messages": [{ "type": "text", "text": "Our menu" }],
            "actions": [{ "type": "add_tag", "tag": "wasm-content" }]
        }));
        conversations.send_content(&id, &content).await.unwrap();
        assert!(
            client
                .subscribers()
                .get(&id)
                .await
                .unwrap()
                .tags
                .contains(&"wasm-content".to_owned())
        );

        let everything = HistoryFilter::default();
        let history = all_pages(|c| conversations.history(&id, &everything, ListParams::after(c)))
            .await
            .unwrap();
        for text in ["A human here", "Hello Grace", "Our menu"] {
            assert!(history.iter().any(|m| m.content.text == text), "{text}");
        }
        let people_only = HistoryFilter {
            include_bot: Some(false),
            include_system: Some(false),
            ..Default::default()
        };
        let human = conversations
            .history(&id, &people_only, ListParams::default())
            .await
            .unwrap();
        assert_eq!(
            human
                .items
                .iter()
                .map(|m| m.content.text.as_str())
                .collect::<Vec<_>>(),
            ["A human here"]
        );

        let statistics = client
            .flows()
            .statistics(&FlowId::from("wasm_hello"))
            .await
            .unwrap();
        assert_eq!(statistics.steps[0].sent, 1);
        client.flows().delete(&flow.id).await.unwrap();
        assert_eq!(
            problem(client.flows().get(&flow.id).await),
            (404, "not_found".into())
        );
    }

    #[wasm_bindgen_test]
    async fn forms_leads_and_their_csv() {
        let client = client();
        let form: Form = from_json(json!({
            "id": "wasm-contact", "name": "Contact", "min_fill_ms": 0,
            "fields": [{ "name": "email", "type": "email", "label": "E-mail", "required": true }]
        }));
        client.forms().create(&form).await.unwrap();
        let renamed = Form {
            name: "Contact us".into(),
            ..form
        };
        assert_eq!(client.forms().put(&renamed).await.unwrap().name, "Contact us");
        let id = FormId::from("wasm-contact");
        assert_eq!(client.forms().get(&id).await.unwrap().name, "Contact us");

        // A visitor submits the form from this page (the public API, every origin allowed).
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        let headers = js_sys::Object::new();
        js_sys::Reflect::set(&headers, &"content-type".into(), &"application/json".into()).unwrap();
        init.set_headers(&headers);
        let body =
            json!({ "idempotency_key": "wasm-lead-1", "values": { "email": "lead.wasm@example.com" } });
        init.set_body(&body.to_string().into());
        let url = format!("{}/api/public/v1/forms/wasm-contact/submissions", base_url());
        let window = web_sys::window().unwrap();
        let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
            .await
            .unwrap()
            .unchecked_into();
        assert!(response.ok(), "submission: {}", response.status());

        assert_eq!(client.forms().stats(&id).await.unwrap().leads, 1);
        let of_form = LeadFilter {
            form_id: Some("wasm-contact".into()),
            ..Default::default()
        };
        let leads = all_pages(|c| client.leads().list(&of_form, ListParams::after(c)))
            .await
            .unwrap();
        assert_eq!(leads.len(), 1);
        assert_eq!(client.leads().get(&leads[0].id).await.unwrap(), leads[0]);
        let csv = client.leads().export_csv(&of_form).await.unwrap();
        assert!(csv.contains("lead.wasm@example.com"), "{csv}");

        client.forms().delete(&id).await.unwrap();
        assert_eq!(problem(client.forms().get(&id).await), (404, "not_found".into()));
    }

    #[wasm_bindgen_test]
    async fn webhook_endpoints_and_deliveries() {
        let client = client();
        let endpoints = client.webhook_endpoints();
        let create = CreateWebhookEndpoint {
            url: "https://hooks.example.com/wasm".into(),
            description: "wasm test".into(),
            secret: None,
        };
        let created = endpoints.create(&create).await.unwrap();
        assert!(created.secret.starts_with("whsec_"));
        let rotated = endpoints.rotate_secret(created.endpoint.id).await.unwrap();
        assert_ne!(rotated.secret, created.secret);
        assert_eq!(endpoints.get(created.endpoint.id).await.unwrap().url, create.url);
        let all = all_pages(|c| endpoints.list(ListParams::after(c))).await.unwrap();
        assert!(all.iter().any(|e| e.id == created.endpoint.id));

        let to_it = DeliveryFilter {
            endpoint_id: Some(created.endpoint.id),
            ..Default::default()
        };
        let deliveries = client
            .deliveries()
            .list(&to_it, ListParams::default())
            .await
            .unwrap();
        assert!(deliveries.items.is_empty());
        assert_eq!(
            problem(client.deliveries().get(999_999).await),
            (404, "not_found".into())
        );
        assert_eq!(
            problem(client.deliveries().redeliver(999_999).await),
            (404, "not_found".into())
        );

        endpoints.delete(created.endpoint.id).await.unwrap();
        assert_eq!(
            problem(endpoints.get(created.endpoint.id).await),
            (404, "not_found".into())
        );
    }

    #[wasm_bindgen_test]
    async fn console_users_log_in_manage_workspaces_and_log_out() {
        let login = Login {
            email: option_env!("PARLO_TEST_USER_EMAIL").expect(MISSING).into(),
            password: option_env!("PARLO_TEST_USER_PASSWORD").expect(MISSING).into(),
        };
        let wrong = Login {
            password: "wrong".into(),
            ..login.clone()
        };
        assert_eq!(
            problem(Client::login(base_url(), &wrong).await),
            (401, "unauthorized".into())
        );
        let (console, session) = Client::login(base_url(), &login).await.unwrap();
        assert_eq!(session.user.email, login.email);

        let workspaces = console.workspaces();
        let create = CreateWorkspace {
            slug: "wasm-ws".into(),
            name: "Wasm WS".into(),
        };
        let workspace = workspaces.create(&create).await.unwrap();
        let owned = all_pages(|c| workspaces.list(ListParams::after(c)))
            .await
            .unwrap();
        assert!(owned.iter().any(|w| w.id == workspace.id));
        let key = workspaces
            .create_api_key(workspace.id, "from wasm")
            .await
            .unwrap();
        let keys = workspaces
            .api_keys(workspace.id, ListParams::default())
            .await
            .unwrap();
        assert!(keys.items.iter().any(|k| k.id == key.id));
        let scoped = Client::new(base_url(), &key.secret);
        assert!(
            scoped
                .tags()
                .list(ListParams::default())
                .await
                .unwrap()
                .items
                .is_empty()
        );

        console.logout().await.unwrap();
        assert_eq!(
            problem(workspaces.list(ListParams::default()).await),
            (401, "unauthorized".into())
        );
    }

    #[wasm_bindgen_test]
    async fn a_server_that_is_not_there_is_a_network_error() {
        let retry = parlo::management::RetryPolicy::NONE;
        let offline = Client::with_retry("http://127.0.0.1:9", "parlo_sk_x", retry);
        let outcome = offline.tags().list(ListParams::default()).await;
        assert!(matches!(outcome, Err(Error::Network(_))), "{outcome:?}");
    }
}
