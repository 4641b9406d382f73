//! The inbox's filters, and how the address bar keeps them.

use super::app::Ctx;
use super::url_query;
use super::workspace_lists::use_channels;
use crate::management::InboxFilter;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The filter of the address bar: `?unread=true&handed_over=true&bot_paused=true&channel=…`
/// (`false` is kept too; anything else is no filter).
pub fn from_url() -> InboxFilter {
    let flag = |name| match url_query::get(name).as_deref() {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => None,
    };
    InboxFilter {
        channel: url_query::get("channel").filter(|c| !c.is_empty()),
        unread: flag("unread"),
        bot_paused: flag("bot_paused"),
        handed_over: flag("handed_over"),
    }
}

/// Puts `filter` in the address bar (without a new history entry), as [`from_url`] reads it.
pub fn to_url(filter: &InboxFilter) {
    let flags = [
        ("unread", filter.unread),
        ("handed_over", filter.handed_over),
        ("bot_paused", filter.bot_paused),
    ];
    let mut pairs: Vec<(&str, String)> = flags
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| (name, v.to_string())))
        .collect();
    if let Some(channel) = &filter.channel {
        pairs.push(("channel", channel.clone()));
    }
    url_query::replace(&pairs);
}

/// Props of [`InboxFilters`].
#[derive(Properties, PartialEq)]
pub struct InboxFiltersProps {
    /// Session and API (for the channels).
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
    /// The filter shown.
    pub filter: InboxFilter,
    /// Called with the new filter on every change.
    pub onchange: Callback<InboxFilter>,
}

/// Three checkboxes ("Unread", "Handed over", "Bot paused": checked shows only those) and
/// the channel (`GET /api/v1/channels`); each change applies at once.
#[component]
pub fn InboxFilters(props: &InboxFiltersProps) -> Html {
    let channels = use_channels(&props.ctx, props.workspace);
    let check = |id: &'static str,
                 label: &'static str,
                 get: fn(&InboxFilter) -> Option<bool>,
                 set: fn(&mut InboxFilter, Option<bool>)| {
        let (filter, onchange) = (props.filter.clone(), props.onchange.clone());
        let onchange = Callback::from(move |e: Event| {
            let mut next = filter.clone();
            set(
                &mut next,
                e.target_unchecked_into::<HtmlInputElement>()
                    .checked()
                    .then_some(true),
            );
            onchange.emit(next);
        });
        html! {
            <div class="check">
                <input type="checkbox" {id} checked={get(&props.filter) == Some(true)} {onchange} />
                <label for={id}>{ label }</label>
            </div>
        }
    };
    let onchannel = {
        let (filter, onchange) = (props.filter.clone(), props.onchange.clone());
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            onchange.emit(InboxFilter {
                channel: (!value.is_empty()).then_some(value),
                ..filter.clone()
            });
        })
    };
    let channel = props.filter.channel.clone().unwrap_or_default();
    html! {
        <fieldset class="filters inbox-filters">
            <legend>{ "Show only" }</legend>
            { check("filter-unread", "Unread", |f| f.unread, |f, v| f.unread = v) }
            { check("filter-handed-over", "Handed over", |f| f.handed_over, |f, v| f.handed_over = v) }
            { check("filter-bot-paused", "Bot paused", |f| f.bot_paused, |f, v| f.bot_paused = v) }
            <div>
                <label for="filter-channel">{ "Channel" }</label>
                <select id="filter-channel" onchange={onchannel}>
                    <option value="" selected={channel.is_empty()}>{ "All channels" }</option>
                    { for channels.items.iter().flatten().map(|c| html! {
                        <option value={c.id.as_str().to_owned()} selected={c.id.as_str() == channel}>
                            { c.settings.name.clone() }
                        </option>
                    }) }
                </select>
            </div>
        </fieldset>
    }
}
