//! The one transport's retry rules, against a scripted HTTP responder on 127.0.0.1 (started
//! by `cargo xtask test wasm`, its URL in `PARLO_TEST_SCRIPTED`): a 503 then 200 is retried
//! for a GET and for a POST with an idempotency key, a plain POST is not retried, and a 429
//! with `Retry-After: 1` is retried after about a second.
// Run by wasm-bindgen-test-runner in Chromium, without libtest (`harness = false`);
// elsewhere the binary is empty.
#![cfg_attr(target_arch = "wasm32", no_main)]

#[cfg(not(target_arch = "wasm32"))]
fn main() {}

#[cfg(target_arch = "wasm32")]
mod browser {
    use parlo::client::transport::{Method, Request};
    use parlo::client::{Error, RetryPolicy};
    use serde::Deserialize;
    use std::time::Duration;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    /// The responder's answer to a 200: which request to the path it was (1 = the first).
    #[derive(Debug, Deserialize)]
    struct Answer {
        attempt: u32,
    }

    /// Fast retries, so the 503 cases do not wait for the default backoff.
    const QUICK: RetryPolicy = RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_secs(5),
    };

    /// A request to `/script/{name}/{statuses}`, unique per test run (the responder counts
    /// requests per path).
    fn scripted(method: Method, name: &str, statuses: &str) -> Option<Request> {
        let base = option_env!("PARLO_TEST_SCRIPTED")?;
        let run = js_sys::Math::random().to_bits();
        Some(Request::new(method, format!("{base}/script/{name}-{run}/{statuses}")).retry(QUICK))
    }

    #[wasm_bindgen_test]
    async fn a_get_is_retried_after_a_503() {
        let Some(request) = scripted(Method::Get, "get", "503,200") else {
            return console_log!("PARLO_TEST_SCRIPTED not set: skipped (run `cargo xtask test wasm`)");
        };
        let answer: Answer = request.send().await.unwrap();
        assert_eq!(answer.attempt, 2);
    }

    #[wasm_bindgen_test]
    async fn a_post_with_an_idempotency_key_is_retried_after_a_503() {
        let Some(request) = scripted(Method::Post, "post-key", "503,200") else {
            return;
        };
        let answer: Answer = request
            .json(&serde_json::json!({ "idempotency_key": "k-1" }))
            .unwrap()
            .idempotent()
            .send()
            .await
            .unwrap();
        assert_eq!(answer.attempt, 2);
    }

    #[wasm_bindgen_test]
    async fn a_plain_post_is_not_retried() {
        let Some(request) = scripted(Method::Post, "post-plain", "503,200") else {
            return;
        };
        let error = request
            .json(&serde_json::json!({ "text": "hi" }))
            .unwrap()
            .send::<Answer>()
            .await
            .unwrap_err();
        // A retry would have got the scripted 200.
        assert_eq!(error.status(), Some(503), "{error}");
        assert!(matches!(error, Error::Api { .. }));
    }

    #[wasm_bindgen_test]
    async fn a_429_waits_for_its_retry_after() {
        let Some(request) = scripted(Method::Post, "rate-limited", "429,200") else {
            return;
        };
        let started = js_sys::Date::now();
        let answer: Answer = request.send().await.unwrap();
        let waited = js_sys::Date::now() - started;
        assert_eq!(answer.attempt, 2);
        assert!(
            (900.0..5000.0).contains(&waited),
            "Retry-After: 1 should wait about a second, waited {waited} ms"
        );
    }
}
