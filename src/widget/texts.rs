//! The widget's texts in the visitor's language: each is looked up by its key
//! (`parlo_model::locale`) in the strings the server sent with the channel configuration,
//! and is its English default, compiled in, when absent. The other languages' catalogues stay
//! on the server, out of the bundle.

use parlo_model::channel::ChannelConfig;
use std::rc::Rc;
use yew::AttrValue;

/// The strings of the channel configuration the widget shows (none — English — before it
/// arrives), handed to the components as a prop. Equal when it is the same configuration.
#[derive(Clone, Debug, Default)]
pub struct Texts(pub Option<Rc<ChannelConfig>>);

impl PartialEq for Texts {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (a, b) => a.is_none() && b.is_none(),
        }
    }
}

impl Texts {
    /// The text of `key`, or `english` when the strings have none.
    pub fn get(&self, key: &str, english: &'static str) -> AttrValue {
        let strings = self.0.as_ref().map(|config| &config.strings.0);
        match strings.and_then(|s| s.iter().find(|(k, _)| k == key)) {
            Some((_, text)) => text.clone().into(),
            None => AttrValue::Static(english),
        }
    }

    /// [`Texts::get`] with its one placeholder (`{name}`, `{n}`) replaced by `value`.
    pub fn fill(&self, key: &str, english: &'static str, value: &str) -> String {
        let text = self.get(key, english);
        // Char patterns only: a `str` pattern would bring its searcher into the bundle.
        match text
            .split_once('{')
            .and_then(|(before, rest)| Some((before, rest.split_once('}')?.1)))
        {
            Some((before, after)) => [before, value, after].concat(),
            None => text.to_string(),
        }
    }

    /// The `dir` of the widget's root: `rtl` for a language written right to left (e.g.
    /// `ar`), else `None` (the default, `ltr`).
    pub fn dir(&self) -> Option<&'static str> {
        let locale = self.0.as_ref()?.locale.as_deref()?;
        parlo_model::locale::is_rtl(locale).then_some("rtl")
    }
}
