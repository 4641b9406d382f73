//! The JSON fixtures of the browser's round-trip test (`tests/wire.rs` of the `parlo` crate),
//! written from model values by the same `serde_json` the server answers with.
//!
//! `tests/wire/<type>.json` holds an array of examples of one wire type: every type the
//! widget and the lead forms read from the public API, and every body they send. The browser
//! test decodes each example with the model's serde derives over `serde-wasm-bindgen` and
//! encodes it back to the same JSON. This test fails when a file is not what the model
//! gives today; `PARLO_UPDATE_FIXTURES=1 cargo test -p parlo-model --test wire_fixtures`
//! (re)writes them.

use parlo_model::channel::{Availability, ChannelConfig, Position, ProactiveMessage, Theme};
use parlo_model::chat::{
    Author, Button, ButtonAction, Card, Image, Message, MessageContent, QuickReply, SendMessage,
    SendMessageResponse, Session, StartSession, StreamEvent, VisitorInput,
};
use parlo_model::form::{
    Capture, Field, FieldOption, FieldType, FieldValue, PublicForm, Submission, Success,
};
use parlo_model::identity::VisitorUser;
use parlo_model::lead::SubmissionAccepted;
use parlo_model::locale::Strings;
use parlo_model::page::Page;
use parlo_model::problem::{FieldError, Problem};
use parlo_model::validate::FieldKind;
use serde::Serialize;
use std::path::Path;

fn rich_message() -> Message {
    Message {
        id: "m-1".into(),
        seq: 7,
        author: Author::Bot,
        content: MessageContent {
            text: "Your e-mail?".into(),
            buttons: vec![
                Button {
                    title: "Menu".into(),
                    action: ButtonAction::Url {
                        url: "https://example.com/menu".into(),
                    },
                },
                Button {
                    title: "Skip".into(),
                    action: ButtonAction::Postback {
                        payload: "SKIP".into(),
                    },
                },
            ],
            quick_replies: vec![QuickReply {
                title: "Later".into(),
                payload: "LATER".into(),
            }],
            expects: Some(FieldKind::Email),
            ..MessageContent::default()
        },
        created_at: "2026-11-21T09:30:00.123Z".into(),
        reply_to: Some("v-1".into()),
    }
}

fn messages() -> Vec<Message> {
    let card = Card {
        title: "Lemon cake".into(),
        subtitle: Some("Fresh every morning".into()),
        image: Some(Image {
            url: "https://example.com/cake.jpg".into(),
            alt: "A lemon cake".into(),
        }),
        buttons: vec![Button {
            title: "Order".into(),
            action: ButtonAction::Postback {
                payload: "flow:order".into(),
            },
        }],
    };
    let plain_card = Card {
        title: "Plain".into(),
        subtitle: None,
        image: None,
        buttons: vec![],
    };
    vec![
        rich_message(),
        Message {
            author: Author::Visitor,
            content: MessageContent::text("hi"),
            reply_to: None,
            seq: 9_007_199_254_740_991,
            ..rich_message()
        },
        Message {
            content: MessageContent {
                image: Some(Image {
                    url: "https://example.com/shop.png".into(),
                    alt: String::new(),
                }),
                ..MessageContent::default()
            },
            ..rich_message()
        },
        Message {
            content: MessageContent {
                cards: vec![card, plain_card],
                ..MessageContent::default()
            },
            ..rich_message()
        },
        Message {
            author: Author::System,
            content: MessageContent::text("You're now chatting with a person — ünïcödé ✓"),
            ..rich_message()
        },
        Message {
            author: Author::Agent,
            content: MessageContent {
                expects: Some(FieldKind::Number),
                ..MessageContent::text("How many?")
            },
            ..rich_message()
        },
    ]
}

fn field(name: &str, kind: FieldType) -> Field {
    Field {
        name: name.into(),
        kind,
        label: format!("The {name}"),
        required: false,
        min: None,
        max: None,
        min_date: None,
        max_date: None,
        pattern: None,
        help: None,
        placeholder: None,
        default: None,
        options: vec![],
        version: None,
    }
}

fn public_forms() -> Vec<PublicForm> {
    let options = vec![
        FieldOption {
            value: "s".into(),
            label: "Small".into(),
        },
        FieldOption {
            value: "l".into(),
            label: "Large".into(),
        },
    ];
    let fields = vec![
        Field {
            required: true,
            min: Some(2.0),
            max: Some(50.0),
            placeholder: Some("Ada Lovelace".into()),
            ..field("name", FieldType::Text)
        },
        Field {
            pattern: Some("[A-Z]{3}".into()),
            help: Some("three capitals".into()),
            ..field("code", FieldType::Text)
        },
        Field {
            max: Some(10.0),
            ..field("about", FieldType::LongText)
        },
        Field {
            required: true,
            ..field("email", FieldType::Email)
        },
        field("phone", FieldType::Phone),
        Field {
            min: Some(0.5),
            max: Some(1e6),
            ..field("budget", FieldType::Number)
        },
        Field {
            min_date: Some("2026-01-01".into()),
            max_date: Some("2026-12-31".into()),
            ..field("day", FieldType::Date)
        },
        Field {
            options: options.clone(),
            default: Some(FieldValue::Text("s".into())),
            ..field("size", FieldType::Select)
        },
        Field {
            options: options.clone(),
            ..field("size2", FieldType::Radio)
        },
        Field {
            options,
            min: Some(1.0),
            default: Some(FieldValue::List(vec!["s".into(), "l".into()])),
            ..field("extras", FieldType::Checkboxes)
        },
        Field {
            required: true,
            version: Some("2026-01".into()),
            ..field("terms", FieldType::Consent)
        },
        Field {
            default: Some(FieldValue::Text("spring".into())),
            ..field("campaign", FieldType::Hidden)
        },
    ];
    let form = PublicForm {
        id: "all".into(),
        name: "Every kind".into(),
        fields,
        submit_label: "Send it".into(),
        success: Success::Message {
            text: "Thanks!".into(),
        },
        channel_id: Some("demo".into()),
        render_token: "rt.123".into(),
        locale: Some("es".into()),
        strings: Strings(vec![("form.sent".into(), "Enviado.".into())]),
    };
    vec![
        form.clone(),
        PublicForm {
            success: Success::Redirect {
                url: "https://shop.example/thanks".into(),
            },
            channel_id: None,
            fields: vec![field("only", FieldType::Text)],
            locale: None,
            strings: Strings::default(),
            ..form
        },
    ]
}

/// Every file: name and JSON text.
fn fixtures() -> Vec<(&'static str, String)> {
    fn json<T: Serialize>(values: &[T]) -> String {
        let mut text = serde_json::to_string_pretty(values).unwrap();
        text.push('\n');
        text
    }
    let problem_fields = Problem::validation(vec![
        FieldError::new("/values/email", "Enter an e-mail address like name@example.com."),
        FieldError::new("/values/terms", "Please tick this box to continue."),
    ]);
    // The stream's `typing` data is the variant's member alone (the SSE `event:` names it).
    let typing = serde_json::to_value(StreamEvent::Typing { duration_ms: 1200 }).unwrap()["data"].clone();
    vec![
        (
            "channel_config",
            json(&[
                ChannelConfig {
                    id: "demo".into(),
                    name: "Bloom & Brew".into(),
                    greeting: Some("Hello".into()),
                    theme: Theme {
                        primary_color: "#b4532a".into(),
                        on_primary_color: "#ffffff".into(),
                        position: Position::Left,
                        launcher_label: Some("Chat with us".into()),
                        font_family: Some("Georgia, serif".into()),
                        corner_radius: Some(8),
                        offset_bottom: Some(24),
                        offset_side: Some(32),
                        proactive_message: Some(ProactiveMessage {
                            text: "Need help?".into(),
                            delay_seconds: 10,
                        }),
                    },
                    ice_breakers: vec![QuickReply {
                        title: "Hours?".into(),
                        payload: "flow:hours".into(),
                    }],
                    main_menu: vec![
                        Button {
                            title: "Prices".into(),
                            action: ButtonAction::Postback {
                                payload: "flow:prices".into(),
                            },
                        },
                        Button {
                            title: "Shop".into(),
                            action: ButtonAction::Url {
                                url: "https://shop.example/".into(),
                            },
                        },
                    ],
                    allowed_origins: vec!["https://shop.example".into()],
                    pre_chat_form: Some("chat_intro".into()),
                    availability: Some(Availability {
                        online: false,
                        away_message: "Back at 9".into(),
                    }),
                    locale: Some("de".into()),
                    strings: Strings(vec![("widget.composer.send".into(), "Senden".into())]),
                },
                ChannelConfig {
                    id: "plain".into(),
                    name: "Plain".into(),
                    greeting: None,
                    theme: Theme::default(),
                    ice_breakers: vec![],
                    main_menu: vec![],
                    allowed_origins: vec![],
                    pre_chat_form: None,
                    availability: None,
                    locale: None,
                    strings: Strings::default(),
                },
            ]),
        ),
        (
            "session",
            json(&[Session {
                session_token: "tok".into(),
                subscriber_id: "sub_1".into(),
                created: true,
                last_seq: 3,
            }]),
        ),
        ("message", json(&messages())),
        (
            "message_page",
            json(&[
                Page {
                    items: messages(),
                    next_cursor: Some("abc".into()),
                },
                Page {
                    items: vec![],
                    next_cursor: None,
                },
            ]),
        ),
        (
            "send_message_response",
            json(&[SendMessageResponse { messages: messages() }]),
        ),
        ("typing", json(&[typing])),
        (
            "problem",
            json(&[
                problem_fields,
                Problem::new(404, "not_found", "Not found").with_detail("no such channel"),
                Problem::new(429, "rate_limited", "Too many requests"),
            ]),
        ),
        ("public_form", json(&public_forms())),
        (
            "submission_accepted",
            json(&[SubmissionAccepted {
                idempotency_key: "k-1".into(),
                accepted_at: "2026-11-21T09:30:00Z".into(),
                success: Success::Redirect {
                    url: "https://shop.example/thanks".into(),
                },
            }]),
        ),
        (
            "start_session",
            json(&[
                StartSession::default(),
                StartSession {
                    session_token: Some("tok".into()),
                    ..StartSession::default()
                },
                StartSession {
                    session_token: None,
                    user: Some(VisitorUser {
                        id: Some("user-42".into()),
                        email: Some("ada@example.com".into()),
                        name: Some("Ada".into()),
                        phone: None,
                        user_hash: Some("5e0b".repeat(16)),
                    }),
                    attributes: [("plan".to_owned(), serde_json::json!("pro"))].into(),
                    capture: Some(Capture {
                        utm_source: Some("newsletter".into()),
                        landing_page: Some("https://shop.example/?utm_source=newsletter".into()),
                        ..Capture::default()
                    }),
                },
            ]),
        ),
        (
            "send_message",
            json(&[
                SendMessage {
                    id: "0b8e-1".into(),
                    input: VisitorInput::Text { text: "Hi".into() },
                },
                SendMessage {
                    id: "0b8e-2".into(),
                    input: VisitorInput::Button {
                        payload: "YES".into(),
                        title: "Yes".into(),
                    },
                },
            ]),
        ),
        (
            "submission",
            json(&[
                Submission {
                    idempotency_key: "k-1".into(),
                    values: [
                        ("name", FieldValue::Text("Ada".into())),
                        ("extras", FieldValue::List(vec!["s".into(), "l".into()])),
                        ("terms", FieldValue::Bool(true)),
                    ]
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect(),
                    capture: Capture {
                        utm_source: Some("news".into()),
                        page_url: Some("https://shop.example/quote".into()),
                        submitted_at: Some("2026-11-21T09:29:58.001Z".into()),
                        ..Capture::default()
                    },
                    honeypot: String::new(),
                    render_token: Some("rt.123".into()),
                    session_token: Some("st".into()),
                },
                Submission {
                    idempotency_key: "k-2".into(),
                    values: Default::default(),
                    capture: Capture::default(),
                    honeypot: "bot".into(),
                    render_token: None,
                    session_token: None,
                },
            ]),
        ),
    ]
}

#[test]
fn wire_fixtures_are_what_the_model_serializes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wire");
    let update = std::env::var("PARLO_UPDATE_FIXTURES").is_ok_and(|v| v == "1");
    std::fs::create_dir_all(&dir).unwrap();
    let mut stale = Vec::new();
    for (name, text) in fixtures() {
        let path = dir.join(format!("{name}.json"));
        match std::fs::read_to_string(&path) {
            Ok(old) if old == text => {}
            Ok(_) if !update => stale.push(name),
            _ => std::fs::write(&path, text).unwrap(),
        }
    }
    assert!(
        stale.is_empty(),
        "fixtures differ from the model's serde: {stale:?}; rewrite them with \
         PARLO_UPDATE_FIXTURES=1 cargo test -p parlo-model --test wire_fixtures"
    );
}
