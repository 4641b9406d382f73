//! The client's hand-written JSON decoding agrees with the model's serde encoding.
// Run by wasm-bindgen-test-runner in Chromium, without libtest (`harness = false`);
// elsewhere the binary is empty.
#![cfg_attr(target_arch = "wasm32", no_main)]

#[cfg(not(target_arch = "wasm32"))]
fn main() {}

#[cfg(target_arch = "wasm32")]
mod browser {
    use parlo::client::json::{FromJson, ToJson};
    use parlo_model::channel::{ChannelConfig, Position, Theme};
    use parlo_model::chat::{
        Author, Button, ButtonAction, Card, Image, Message, MessageContent, QuickReply, SendMessage,
        SendMessageResponse, Session, StartSession, VisitorInput,
    };
    use parlo_model::page::Page;
    use parlo_model::problem::{FieldError, Problem};
    use parlo_model::validate::FieldKind;
    use serde::Serialize;
    use std::fmt::Debug;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    /// Encodes `value` with serde (as the server does) and decodes it with the client.
    fn round_trip<T: Serialize + FromJson + PartialEq + Debug>(value: &T) {
        let json = serde_json::to_string(value).unwrap();
        let parsed = js_sys::JSON::parse(&json).unwrap();
        assert_eq!(&T::from_json(&parsed).unwrap(), value, "{json}");
    }

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

    #[wasm_bindgen_test]
    fn messages_pages_and_send_answers_decode() {
        round_trip(&rich_message());
        let plain = Message {
            author: Author::Visitor,
            content: MessageContent::text("hi"),
            reply_to: None,
            ..rich_message()
        };
        round_trip(&plain);
        round_trip(&Page {
            items: vec![plain.clone(), rich_message()],
            next_cursor: Some("abc".into()),
        });
        round_trip(&Page::<Message> {
            items: vec![],
            next_cursor: None,
        });
        round_trip(&SendMessageResponse {
            messages: vec![plain, rich_message()],
        });
    }

    #[wasm_bindgen_test]
    fn images_cards_carousels_and_notices_decode() {
        let card = |title: &str| Card {
            title: title.into(),
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
        let image = Message {
            content: MessageContent {
                image: Some(Image {
                    url: "https://example.com/shop.png".into(),
                    alt: String::new(),
                }),
                ..MessageContent::default()
            },
            ..rich_message()
        };
        round_trip(&image);
        let carousel = Message {
            content: MessageContent {
                cards: vec![
                    card("Lemon cake"),
                    Card {
                        title: "Plain".into(),
                        subtitle: None,
                        image: None,
                        buttons: vec![],
                    },
                ],
                ..MessageContent::default()
            },
            ..rich_message()
        };
        round_trip(&carousel);
        round_trip(&Message {
            author: Author::System,
            content: MessageContent::text("You're now chatting with a person."),
            ..rich_message()
        });
        round_trip(&Message {
            author: Author::Agent,
            ..rich_message()
        });
        // A content without text (image, card) may leave `text` out.
        let no_text = js_sys::JSON::parse(
            r#"{"id":"m","seq":1,"author":"bot","created_at":"x",
                "content":{"cards":[{"title":"T"}]}}"#,
        )
        .unwrap();
        assert_eq!(Message::from_json(&no_text).unwrap().content.cards[0].title, "T");
    }

    #[wasm_bindgen_test]
    fn channel_config_session_and_problem_decode() {
        round_trip(&ChannelConfig {
            id: "demo".into(),
            name: "Bloom & Brew".into(),
            greeting: Some("Hello".into()),
            theme: Theme {
                primary_color: "#b4532a".into(),
                on_primary_color: "#ffffff".into(),
                position: Position::Left,
            },
            ice_breakers: vec!["Hours?".into()],
            allowed_origins: vec![],
            pre_chat_form: Some("chat_intro".into()),
        });
        // Members with serde defaults may be missing.
        let minimal = js_sys::JSON::parse(r#"{"id":"demo","name":"Demo"}"#).unwrap();
        let config = ChannelConfig::from_json(&minimal).unwrap();
        assert_eq!(config.theme, Theme::default());
        assert_eq!(config.pre_chat_form, None);
        round_trip(&Session {
            session_token: "tok".into(),
            subscriber_id: "sub_1".into(),
            created: true,
            last_seq: 3,
        });
        round_trip(&Problem::validation(vec![FieldError::new(
            "/input/text",
            "too long",
        )]));
        round_trip(&Problem::new(404, "not_found", "Not found").with_detail("no such channel"));
    }

    #[wasm_bindgen_test]
    fn bad_answers_are_decode_errors() {
        let wrong =
            js_sys::JSON::parse(r#"{"id":"m","seq":-1,"author":"bot","content":{"text":""}}"#).unwrap();
        assert!(Message::from_json(&wrong).is_err());
        let unknown =
            js_sys::JSON::parse(r#"{"id":"m","seq":1,"author":"robot","content":{"text":""}}"#).unwrap();
        assert!(Message::from_json(&unknown).is_err());
    }

    /// Encodes `value` with the client and decodes it with serde (as the server does).
    fn encodes_like_serde<T: ToJson + serde::de::DeserializeOwned + PartialEq + Debug>(value: &T) {
        let json = String::from(js_sys::JSON::stringify(&value.to_json()).unwrap());
        assert_eq!(&serde_json::from_str::<T>(&json).unwrap(), value, "{json}");
    }

    #[wasm_bindgen_test]
    fn request_bodies_encode_like_serde() {
        encodes_like_serde(&StartSession::default());
        encodes_like_serde(&StartSession {
            session_token: Some("tok".into()),
        });
        encodes_like_serde(&SendMessage {
            id: "0b8e-1".into(),
            input: VisitorInput::Text { text: "Hi".into() },
        });
        encodes_like_serde(&SendMessage {
            id: "0b8e-2".into(),
            input: VisitorInput::Button {
                payload: "YES".into(),
                title: "Yes".into(),
            },
        });
    }
}
