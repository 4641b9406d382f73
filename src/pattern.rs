//! The browser's [`PatternMatcher`]: JavaScript `RegExp`, as the HTML `pattern` attribute
//! uses it (WHATWG HTML §4.10.5.3.6: `^(?:pattern)$` with the `v` flag, which every current
//! browser knows), and JavaScript's `Number` for number fields. Lead forms check visitors'
//! values with it; the console checks the forms it edits (their patterns must compile).
//!
//! `Number` keeps core's `f64` parser and its tables out of the bundles with lead forms:
//! 12.5 KB brotli of the pre-chat bundle (measured 2026-12-06). Both round a decimal to the
//! nearest `f64`; on the text the model hands over (non-empty: ASCII digits, signs, `.`, `e`, `E`)
//! `Number` answers `NaN` exactly where Rust's parser fails (`.`, `1e`, `+-1`).

use js_sys::RegExp;
use parlo_model::form::PatternMatcher;
use wasm_bindgen::JsValue;

/// Matches with a JS `RegExp`; a pattern that does not compile is `Err` (and ignored by the
/// model, as browsers ignore it). Reads numbers with JS `Number` (unary `+`).
#[derive(Clone, Copy, Debug, Default)]
pub struct JsPatterns;

impl PatternMatcher for JsPatterns {
    fn matches(&self, pattern: &str, value: &str) -> Result<bool, String> {
        let source = format!("^(?:{pattern})$");
        // `new RegExp` throws a SyntaxError for a bad pattern.
        let compile = || -> Result<RegExp, JsValue> {
            let constructor = js_sys::Reflect::get(&js_sys::global(), &"RegExp".into())?;
            let args = js_sys::Array::of2(&source.as_str().into(), &"v".into());
            js_sys::Reflect::construct(&constructor.into(), &args).map(Into::into)
        };
        let regexp = compile().map_err(|e| crate::client::describe(&e))?;
        Ok(regexp.test(value))
    }

    fn parse_number(&self, text: &str) -> Option<f64> {
        let n = JsValue::from_str(text).unchecked_into_f64();
        (!n.is_nan()).then_some(n)
    }
}
