//! The visitor's language in the widget and the lead forms: each text is looked up by its
//! key (`parlo_model::locale`) in the strings the server sent with the channel
//! configuration or the form, and is its English default, compiled in, when absent. The
//! other languages' catalogues stay on the server, out of the bundles.

use parlo_model::locale::{Strings, is_rtl};
use std::rc::Rc;
use yew::prelude::*;

/// The strings of the visitor's language, given to the components through a yew context
/// (`ContextProvider<Texts>`); none (English) without a provider. Equal when shared.
#[derive(Clone, Debug, Default)]
pub struct Texts(pub Rc<Strings>);

impl PartialEq for Texts {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Texts {
    /// The text of `key`, or `english` when the strings have none.
    pub fn get(&self, key: &str, english: &'static str) -> AttrValue {
        match self.0.0.iter().find(|(k, _)| k == key) {
            Some((_, text)) => text.clone().into(),
            None => AttrValue::Static(english),
        }
    }
}

/// The [`Texts`] of the nearest provider.
#[hook]
pub fn use_texts() -> Texts {
    use_context::<Texts>().unwrap_or_default()
}

/// `rtl` for a language written right to left (e.g. `ar`), else `None` (the default `ltr`):
/// the value of a root's `dir` attribute.
pub fn dir(locale: Option<&str>) -> Option<&'static str> {
    locale.filter(|l| is_rtl(l)).map(|_| "rtl")
}
