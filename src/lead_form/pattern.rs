//! The browser's [`PatternMatcher`]: JavaScript `RegExp`, as the HTML `pattern` attribute
//! uses it (WHATWG HTML §4.10.5.3.6: `^(?:pattern)$` with the `v` flag, which every current
//! browser knows).

use js_sys::RegExp;
use parlo_model::form::PatternMatcher;
use wasm_bindgen::JsValue;

/// Matches with a JS `RegExp`; a pattern that does not compile is `Err` (and ignored by the
/// model, as browsers ignore it).
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
}
