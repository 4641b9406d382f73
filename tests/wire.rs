//! Every wire type the browser reads, decoded from JSON written by the server's `serde_json`
//! (`crates/model/tests/wire/*.json`, generated from model values by the native test
//! `wire_fixtures`), and every body it sends, encoded back: through the transport's
//! `from_json`/`to_json` (the model's serde derives over `serde-wasm-bindgen`), each
//! example decodes to what the server's serde decodes and encodes to the same JSON.
// Run by wasm-bindgen-test-runner in Chromium, without libtest (`harness = false`);
// elsewhere the binary is empty.
#![cfg_attr(target_arch = "wasm32", no_main)]

#[cfg(not(target_arch = "wasm32"))]
fn main() {}

#[cfg(target_arch = "wasm32")]
mod browser {
    use parlo::client::Error;
    use parlo::client::transport::{from_json, to_json};
    use parlo_model::channel::ChannelConfig;
    use parlo_model::chat::{Message, SendMessage, SendMessageResponse, Session, StartSession};
    use parlo_model::form::{PublicForm, Submission};
    use parlo_model::lead::SubmissionAccepted;
    use parlo_model::page::Page;
    use parlo_model::problem::Problem;
    use serde::Serialize;
    use serde::de::DeserializeOwned;
    use std::fmt::Debug;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    macro_rules! fixture {
        ($name:literal) => {
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/crates/model/tests/wire/",
                $name,
                ".json"
            ))
        };
    }

    /// `text` as a JSON value after `JSON.parse` and `JSON.stringify` (so `2.0` and `2` are
    /// the same number, as in JSON; members compare in any order).
    fn normal(text: &str) -> serde_json::Value {
        let text = js_sys::JSON::stringify(&js_sys::JSON::parse(text).unwrap()).unwrap();
        serde_json::from_str(&String::from(text)).unwrap()
    }

    /// Each example of `fixture` decodes in the browser to what `serde_json` decodes, and
    /// encodes back to the same JSON.
    fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(fixture: &str) {
        let examples: Vec<serde_json::Value> = serde_json::from_str(fixture).unwrap();
        assert!(!examples.is_empty());
        for example in examples {
            let text = example.to_string();
            let decoded: T = from_json(text.clone()).unwrap_or_else(|e| panic!("{e}: {text}"));
            assert_eq!(decoded, serde_json::from_str::<T>(&text).unwrap(), "{text}");
            assert_eq!(normal(&to_json(&decoded).unwrap()), normal(&text), "{text}");
        }
    }

    #[wasm_bindgen_test]
    fn what_the_widget_reads() {
        round_trip::<ChannelConfig>(fixture!("channel_config"));
        round_trip::<Session>(fixture!("session"));
        round_trip::<Message>(fixture!("message"));
        round_trip::<Page<Message>>(fixture!("message_page"));
        round_trip::<SendMessageResponse>(fixture!("send_message_response"));
        round_trip::<Problem>(fixture!("problem"));
    }

    #[wasm_bindgen_test]
    fn the_typing_event() {
        #[derive(Debug, PartialEq, Serialize, serde::Deserialize)]
        struct Typing {
            duration_ms: u32,
        }
        round_trip::<Typing>(fixture!("typing"));
    }

    #[wasm_bindgen_test]
    fn what_the_forms_read() {
        round_trip::<PublicForm>(fixture!("public_form"));
        round_trip::<SubmissionAccepted>(fixture!("submission_accepted"));
    }

    #[wasm_bindgen_test]
    fn what_the_browser_sends() {
        round_trip::<StartSession>(fixture!("start_session"));
        round_trip::<SendMessage>(fixture!("send_message"));
        round_trip::<Submission>(fixture!("submission"));
    }

    #[wasm_bindgen_test]
    fn a_member_missing_or_of_the_wrong_kind_is_a_decode_error_with_the_body() {
        for bad in [
            r#"{"id":"m","seq":-1,"author":"bot","content":{"text":""},"created_at":"x"}"#,
            r#"{"id":"m","seq":1,"author":"robot","content":{"text":""},"created_at":"x"}"#,
            r#"{"id":"m","seq":1,"author":"bot","content":{}}"#,
            "not json",
        ] {
            match from_json::<Message>(bad.to_owned()) {
                Err(Error::Decode { body, .. }) => assert_eq!(body, bad),
                other => panic!("{bad}: {other:?}"),
            }
        }
        // Members with serde defaults may be missing.
        let config: ChannelConfig = from_json(r#"{"id":"demo","name":"Demo"}"#.to_owned()).unwrap();
        assert_eq!(config.pre_chat_form, None);
        let no_text: Message = from_json(
            r#"{"id":"m","seq":1,"author":"bot","created_at":"x","content":{"cards":[{"title":"T"}]}}"#
                .to_owned(),
        )
        .unwrap();
        assert_eq!(no_text.content.cards[0].title, "T");
    }
}
