//! A channel's settings as the console's form edits them: one text per field, keyed by the
//! JSON pointer of the member it becomes (so the API's field errors land on their inputs).

use parlo_model::channel::{
    BusinessHours, ChannelSettings, OpeningRange, Position, ProactiveMessage, Weekday,
};
use parlo_model::flow::ButtonDef;
use parlo_model::ids::{FlowId, FormId};
use std::collections::BTreeMap;

/// The days of the week by their names in the form (the API's, Monday first).
const DAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Monday),
    ("tuesday", Weekday::Tuesday),
    ("wednesday", Weekday::Wednesday),
    ("thursday", Weekday::Thursday),
    ("friday", Weekday::Friday),
    ("saturday", Weekday::Saturday),
    ("sunday", Weekday::Sunday),
];

/// The form's texts by JSON pointer (`/theme/primary_color`); lists are one item a line
/// (`/allowed_origins`, `/business_hours/weekly` as `monday 09:00-17:30`, `/ice_breakers` and
/// `/main_menu` as `title | flow id` or `title | https://link`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    texts: BTreeMap<&'static str, String>,
    /// The settings the form does not edit (the widget's texts), kept as they were.
    base: Option<ChannelSettings>,
}

impl Draft {
    /// The form of a new channel: the default look, nothing else.
    pub fn new_channel() -> Self {
        let theme = parlo_model::channel::Theme::default();
        let mut draft = Draft::default();
        draft.set("/theme/primary_color", theme.primary_color);
        draft.set("/theme/on_primary_color", theme.on_primary_color);
        draft.set("/theme/position", "right".to_owned());
        draft
    }

    /// The form of stored `settings`.
    pub fn of(settings: &ChannelSettings) -> Self {
        let mut d = Draft {
            base: Some(settings.clone()),
            ..Draft::default()
        };
        let opt = |s: &Option<String>| s.clone().unwrap_or_default();
        let num = |n: Option<u16>| n.map(|n| n.to_string()).unwrap_or_default();
        let t = &settings.theme;
        d.set("/name", settings.name.clone());
        d.set("/allowed_origins", settings.allowed_origins.join("\n"));
        d.set("/greeting", opt(&settings.greeting));
        d.set("/theme/primary_color", t.primary_color.clone());
        d.set("/theme/on_primary_color", t.on_primary_color.clone());
        d.set(
            "/theme/position",
            if t.position == Position::Left {
                "left"
            } else {
                "right"
            }
            .to_owned(),
        );
        d.set("/theme/launcher_label", opt(&t.launcher_label));
        d.set("/theme/font_family", opt(&t.font_family));
        d.set("/theme/corner_radius", num(t.corner_radius.map(u16::from)));
        d.set("/theme/offset_bottom", num(t.offset_bottom));
        d.set("/theme/offset_side", num(t.offset_side));
        if let Some(p) = &t.proactive_message {
            d.set("/theme/proactive_message/text", p.text.clone());
            d.set(
                "/theme/proactive_message/delay_seconds",
                p.delay_seconds.to_string(),
            );
        }
        if let Some(h) = &settings.business_hours {
            d.set("/business_hours/time_zone", h.time_zone.clone());
            let weekly = h.weekly.iter().map(|r| {
                let day = DAYS.iter().find(|(_, d)| *d == r.day).map_or("", |(n, _)| n);
                format!("{day} {}-{}", r.open, r.close)
            });
            d.set("/business_hours/weekly", weekly.collect::<Vec<_>>().join("\n"));
            d.set("/business_hours/away_message", h.away_message.clone());
        }
        let buttons = |list: &[ButtonDef]| list.iter().map(button_line).collect::<Vec<_>>().join("\n");
        d.set("/ice_breakers", buttons(&settings.ice_breakers));
        d.set("/main_menu", buttons(&settings.main_menu));
        d.set(
            "/welcome_flow",
            settings
                .welcome_flow
                .as_ref()
                .map(|f| f.as_str().to_owned())
                .unwrap_or_default(),
        );
        d.set(
            "/fallback_flow",
            settings
                .fallback_flow
                .as_ref()
                .map(|f| f.as_str().to_owned())
                .unwrap_or_default(),
        );
        d.set(
            "/pre_chat_form",
            settings
                .pre_chat_form
                .as_ref()
                .map(|f| f.as_str().to_owned())
                .unwrap_or_default(),
        );
        d
    }

    /// The text of the field at `pointer` (empty when unset).
    pub fn get(&self, pointer: &str) -> &str {
        self.texts.get(pointer).map_or("", String::as_str)
    }

    /// Sets the text of the field at `pointer`.
    pub fn set(&mut self, pointer: &'static str, text: String) {
        self.texts.insert(pointer, text);
    }

    /// The settings the form says, or the problems found before sending (a number or a
    /// line of opening hours that does not read), as `(pointer, message)`. Empty optional
    /// texts are left out; business hours exist when any of their fields is filled in.
    pub fn settings(&self) -> Result<ChannelSettings, Vec<(String, String)>> {
        let mut errors = Vec::new();
        let text = |p: &str| Some(self.get(p).trim().to_owned()).filter(|t| !t.is_empty());
        let mut number = |p: &str| -> Option<u32> {
            let t = text(p)?;
            let n = t.parse::<u32>().ok();
            if n.is_none() {
                errors.push((p.to_owned(), "Enter a whole number, or nothing.".to_owned()));
            }
            n
        };
        let corner_radius = number("/theme/corner_radius");
        let offset_bottom = number("/theme/offset_bottom");
        let offset_side = number("/theme/offset_side");
        let delay = number("/theme/proactive_message/delay_seconds");
        let weekly = self.lines(
            "/business_hours/weekly",
            opening_range,
            "monday 09:00-17:30",
            &mut errors,
        );
        let ice_breakers = self.lines(
            "/ice_breakers",
            button,
            "Where is my order? | order_status",
            &mut errors,
        );
        let main_menu = self.lines(
            "/main_menu",
            button,
            "Returns | https://shop.example/returns",
            &mut errors,
        );
        let hours = ["/business_hours/time_zone", "/business_hours/away_message"]
            .iter()
            .any(|p| text(p).is_some())
            || !weekly.is_empty();
        let mut settings =
            (self.base.clone()).unwrap_or_else(|| ChannelSettings::new(String::new(), Vec::new()));
        settings.name = self.get("/name").trim().to_owned();
        settings.allowed_origins = self
            .get("/allowed_origins")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        settings.greeting = text("/greeting");
        let theme = &mut settings.theme;
        theme.primary_color = self.get("/theme/primary_color").trim().to_owned();
        theme.on_primary_color = self.get("/theme/on_primary_color").trim().to_owned();
        theme.position = if self.get("/theme/position") == "left" {
            Position::Left
        } else {
            Position::Right
        };
        theme.launcher_label = text("/theme/launcher_label");
        theme.font_family = text("/theme/font_family");
        // Out of range for the type: sent as the largest value, which the server refuses
        // with its own message at the field.
        theme.corner_radius = corner_radius.map(|n| u8::try_from(n).unwrap_or(u8::MAX));
        theme.offset_bottom = offset_bottom.map(|n| u16::try_from(n).unwrap_or(u16::MAX));
        theme.offset_side = offset_side.map(|n| u16::try_from(n).unwrap_or(u16::MAX));
        theme.proactive_message = text("/theme/proactive_message/text").map(|text| ProactiveMessage {
            text,
            delay_seconds: delay.unwrap_or(0),
        });
        settings.business_hours = hours.then(|| BusinessHours {
            time_zone: text("/business_hours/time_zone").unwrap_or_default(),
            weekly,
            away_message: text("/business_hours/away_message").unwrap_or_default(),
        });
        settings.ice_breakers = ice_breakers;
        settings.main_menu = main_menu;
        settings.welcome_flow = text("/welcome_flow").map(|f| FlowId::from(f.as_str()));
        settings.fallback_flow = text("/fallback_flow").map(|f| FlowId::from(f.as_str()));
        settings.pre_chat_form = text("/pre_chat_form").map(|f| FormId::from(f.as_str()));
        if errors.is_empty() {
            Ok(settings)
        } else {
            Err(errors)
        }
    }

    /// The items of the field at `pointer`, one a non-empty line read by `parse`; a line
    /// it cannot read adds an error showing `example`.
    fn lines<T>(
        &self,
        pointer: &str,
        parse: fn(&str) -> Option<T>,
        example: &str,
        errors: &mut Vec<(String, String)>,
    ) -> Vec<T> {
        let mut items = Vec::new();
        for (i, line) in self.get(pointer).lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match parse(line) {
                Some(item) => items.push(item),
                None => errors.push((
                    pointer.to_owned(),
                    format!("Line {}: write it like “{example}”.", i + 1),
                )),
            }
        }
        items
    }
}

/// The button of a line `title | flow id` or `title | https://link` (split at the last `|`).
fn button(line: &str) -> Option<ButtonDef> {
    let (title, target) = line.rsplit_once('|')?;
    let (title, target) = (title.trim().to_owned(), target.trim());
    if target.is_empty() {
        return None;
    }
    let link = target.starts_with("http://") || target.starts_with("https://");
    Some(ButtonDef {
        title,
        next: None,
        flow: (!link).then(|| FlowId::from(target)),
        url: link.then(|| target.to_owned()),
    })
}

/// The line of `button` that [`button`] reads back.
fn button_line(button: &ButtonDef) -> String {
    let target = match (&button.flow, &button.url) {
        (Some(flow), _) => flow.as_str(),
        (None, Some(url)) => url.as_str(),
        (None, None) => "",
    };
    format!("{} | {target}", button.title)
}

/// The range of a line `monday 09:00-17:30` (the day's name in any case).
fn opening_range(line: &str) -> Option<OpeningRange> {
    let (day, hours) = line.trim().split_once(char::is_whitespace)?;
    let day = DAYS.iter().find(|(n, _)| n.eq_ignore_ascii_case(day))?.1;
    let (open, close) = hours.trim().split_once('-')?;
    Some(OpeningRange {
        day,
        open: open.trim().to_owned(),
        close: close.trim().to_owned(),
    })
}

/// The messages of `errors` (pointer, message) for the field at `pointer`: its own, and
/// those of its items (`/allowed_origins/1` reads “Line 2: …”), joined by spaces.
pub fn field_error(errors: &[(String, String)], pointer: &str) -> Option<String> {
    let messages: Vec<String> = errors
        .iter()
        .filter_map(|(p, message)| {
            if p == pointer {
                return Some(message.clone());
            }
            let rest = p.strip_prefix(pointer)?.strip_prefix('/')?;
            let line = rest.split('/').next()?.parse::<usize>().ok()?;
            Some(format!("Line {}: {message}", line + 1))
        })
        .collect();
    (!messages.is_empty()).then(|| messages.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_back_what_stored_settings_write() {
        let mut draft = Draft::new_channel();
        draft.set("/name", "Shop".to_owned());
        draft.set(
            "/allowed_origins",
            " https://shop.example \n\nhttps://www.shop.example".to_owned(),
        );
        draft.set("/business_hours/time_zone", "Europe/Paris".to_owned());
        draft.set(
            "/business_hours/weekly",
            "Monday 09:00-17:30\nfriday 10:00 - 12:00".to_owned(),
        );
        draft.set("/ice_breakers", "Where is my order? | order_status".to_owned());
        draft.set("/main_menu", "Returns | https://shop.example/returns".to_owned());
        let settings = draft.settings().expect("valid");
        assert_eq!(
            settings.allowed_origins,
            ["https://shop.example", "https://www.shop.example"]
        );
        let hours = settings.business_hours.as_ref().expect("hours");
        assert_eq!(hours.weekly.len(), 2);
        assert_eq!(
            (hours.weekly[1].day, hours.weekly[1].open.as_str()),
            (Weekday::Friday, "10:00")
        );
        assert_eq!(
            settings.ice_breakers[0].flow.as_ref().map(FlowId::as_str),
            Some("order_status")
        );
        assert_eq!(
            settings.main_menu[0].url.as_deref(),
            Some("https://shop.example/returns")
        );
        assert_eq!(Draft::of(&settings).settings().expect("valid again"), settings);
    }

    #[test]
    fn unreadable_lines_and_numbers_are_said_at_their_field() {
        let mut draft = Draft::new_channel();
        draft.set("/theme/corner_radius", "big".to_owned());
        draft.set("/main_menu", "Returns".to_owned());
        let errors = draft.settings().expect_err("invalid");
        assert!(field_error(&errors, "/theme/corner_radius").is_some());
        assert!(field_error(&errors, "/main_menu").is_some_and(|m| m.starts_with("Line 1: ")));
    }

    #[test]
    fn item_errors_name_their_line() {
        let errors = vec![("/allowed_origins/1".to_owned(), "Not an origin.".to_owned())];
        assert_eq!(
            field_error(&errors, "/allowed_origins").as_deref(),
            Some("Line 2: Not an origin.")
        );
        assert_eq!(field_error(&errors, "/allowed"), None);
    }
}
