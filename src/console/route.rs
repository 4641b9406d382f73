//! The console's screens and their paths under `/console/`, with navigation through
//! `history.pushState` (the browser's back and forward buttons work, see [`Console`](super::Console)).

use super::url_query;
use parlo_model::ids::{ChannelId, FlowId, FormId, LeadId, SubscriberId};
use wasm_bindgen::JsValue;

/// Where the console's paths start.
pub const BASE: &str = "/console";

/// One screen of the console.
#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    /// `/console/login`: e-mail and password.
    Login,
    /// `/console`: choose a workspace.
    Workspaces,
    /// `/console/w/{workspace}/api-keys`.
    ApiKeys(i64),
    /// `/console/w/{workspace}/leads`.
    Leads(i64),
    /// `/console/w/{workspace}/leads/{lead_id}`.
    Lead(i64, LeadId),
    /// `/console/w/{workspace}/conversations`: the inbox.
    Conversations(i64),
    /// `/console/w/{workspace}/conversations/{subscriber_id}`: the inbox with one
    /// conversation open.
    Conversation(i64, SubscriberId),
    /// `/console/w/{workspace}/channels`.
    Channels(i64),
    /// `/console/w/{workspace}/channels/new`: the form of a new channel.
    NewChannel(i64),
    /// `/console/w/{workspace}/channels/{channel_id}`: one channel's settings and snippet.
    Channel(i64, ChannelId),
    /// `/console/w/{workspace}/webhooks`: endpoints and deliveries.
    Webhooks(i64),
    /// `/console/w/{workspace}/webhooks/deliveries/{delivery_id}`.
    Delivery(i64, i64),
    /// `/console/w/{workspace}/flows`: the flows by folder.
    Flows(i64),
    /// `/console/w/{workspace}/flows/{flow_id}`: one flow's document and statistics.
    Flow(i64, FlowId),
    /// `/console/w/{workspace}/subscribers`: search and filters.
    Subscribers(i64),
    /// `/console/w/{workspace}/subscribers/{subscriber_id}`: one subscriber.
    Subscriber(i64, SubscriberId),
    /// `/console/w/{workspace}/tags`.
    Tags(i64),
    /// `/console/w/{workspace}/fields`: custom fields and bot fields.
    Fields(i64),
    /// `/console/w/{workspace}/forms`: the lead forms.
    Forms(i64),
    /// `/console/w/{workspace}/forms/new`: the editor of a new form.
    NewForm(i64),
    /// `/console/w/{workspace}/forms/{form_id}/edit`: one form's editor, preview and
    /// publishing (`/edit`, since `new` is a valid form id).
    Form(i64, FormId),
}

impl Route {
    /// The route of `path` (a `location.pathname`); the workspace picker for anything else.
    pub fn parse(path: &str) -> Route {
        let rest = path.strip_prefix(BASE).unwrap_or_default();
        let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
        let workspace = |id: &str| id.parse::<i64>().ok().filter(|id| *id > 0);
        match parts.as_slice() {
            ["login"] => Route::Login,
            ["w", id, "api-keys"] => workspace(id).map_or(Route::Workspaces, Route::ApiKeys),
            ["w", id, "leads"] => workspace(id).map_or(Route::Workspaces, Route::Leads),
            ["w", id, "leads", lead] => {
                workspace(id).map_or(Route::Workspaces, |id| Route::Lead(id, LeadId::from(*lead)))
            }
            ["w", id, "conversations"] => workspace(id).map_or(Route::Workspaces, Route::Conversations),
            ["w", id, "conversations", sub] => workspace(id).map_or(Route::Workspaces, |id| {
                Route::Conversation(id, SubscriberId::from(*sub))
            }),
            ["w", id, "channels"] => workspace(id).map_or(Route::Workspaces, Route::Channels),
            ["w", id, "channels", "new"] => workspace(id).map_or(Route::Workspaces, Route::NewChannel),
            ["w", id, "channels", channel] => workspace(id).map_or(Route::Workspaces, |id| {
                Route::Channel(id, ChannelId::from(*channel))
            }),
            ["w", id, "webhooks"] => workspace(id).map_or(Route::Workspaces, Route::Webhooks),
            ["w", id, "webhooks", "deliveries", delivery] => {
                match (workspace(id), delivery.parse::<i64>().ok().filter(|d| *d > 0)) {
                    (Some(w), Some(d)) => Route::Delivery(w, d),
                    _ => Route::Workspaces,
                }
            }
            ["w", id, "flows"] => workspace(id).map_or(Route::Workspaces, Route::Flows),
            ["w", id, "flows", flow] => {
                workspace(id).map_or(Route::Workspaces, |id| Route::Flow(id, FlowId::from(*flow)))
            }
            ["w", id, "subscribers"] => workspace(id).map_or(Route::Workspaces, Route::Subscribers),
            ["w", id, "subscribers", sub] => workspace(id).map_or(Route::Workspaces, |id| {
                Route::Subscriber(id, SubscriberId::from(*sub))
            }),
            ["w", id, "tags"] => workspace(id).map_or(Route::Workspaces, Route::Tags),
            ["w", id, "fields"] => workspace(id).map_or(Route::Workspaces, Route::Fields),
            ["w", id, "forms"] => workspace(id).map_or(Route::Workspaces, Route::Forms),
            ["w", id, "forms", "new"] => workspace(id).map_or(Route::Workspaces, Route::NewForm),
            ["w", id, "forms", form, "edit"] => {
                workspace(id).map_or(Route::Workspaces, |id| Route::Form(id, FormId::from(*form)))
            }
            _ => Route::Workspaces,
        }
    }

    /// The path of the route with the filters its screen last had in this tab
    /// ([`url_query::remembered`]): where links to it lead.
    pub fn href(&self) -> String {
        let path = self.path();
        let query = url_query::remembered(&path);
        path + &query
    }

    /// The path of the route.
    pub fn path(&self) -> String {
        match self {
            Route::Login => format!("{BASE}/login"),
            Route::Workspaces => BASE.to_owned(),
            Route::ApiKeys(w) => format!("{BASE}/w/{w}/api-keys"),
            Route::Leads(w) => format!("{BASE}/w/{w}/leads"),
            Route::Lead(w, lead) => format!("{BASE}/w/{w}/leads/{}", lead.as_str()),
            Route::Conversations(w) => format!("{BASE}/w/{w}/conversations"),
            Route::Conversation(w, sub) => format!("{BASE}/w/{w}/conversations/{}", sub.as_str()),
            Route::Channels(w) => format!("{BASE}/w/{w}/channels"),
            Route::NewChannel(w) => format!("{BASE}/w/{w}/channels/new"),
            Route::Channel(w, c) => format!("{BASE}/w/{w}/channels/{}", c.as_str()),
            Route::Webhooks(w) => format!("{BASE}/w/{w}/webhooks"),
            Route::Delivery(w, d) => format!("{BASE}/w/{w}/webhooks/deliveries/{d}"),
            Route::Flows(w) => format!("{BASE}/w/{w}/flows"),
            Route::Flow(w, f) => format!("{BASE}/w/{w}/flows/{}", f.as_str()),
            Route::Subscribers(w) => format!("{BASE}/w/{w}/subscribers"),
            Route::Subscriber(w, sub) => format!("{BASE}/w/{w}/subscribers/{}", sub.as_str()),
            Route::Tags(w) => format!("{BASE}/w/{w}/tags"),
            Route::Fields(w) => format!("{BASE}/w/{w}/fields"),
            Route::Forms(w) => format!("{BASE}/w/{w}/forms"),
            Route::NewForm(w) => format!("{BASE}/w/{w}/forms/new"),
            Route::Form(w, f) => format!("{BASE}/w/{w}/forms/{}/edit", f.as_str()),
        }
    }

    /// The workspace the route is in, if any.
    pub fn workspace(&self) -> Option<i64> {
        match self {
            Route::Login | Route::Workspaces => None,
            Route::ApiKeys(w)
            | Route::Leads(w)
            | Route::Lead(w, _)
            | Route::Conversations(w)
            | Route::Conversation(w, _) => Some(*w),
            Route::Channels(w) | Route::NewChannel(w) | Route::Channel(w, _) => Some(*w),
            Route::Webhooks(w) | Route::Delivery(w, _) => Some(*w),
            Route::Flows(w) | Route::Flow(w, _) => Some(*w),
            Route::Subscribers(w) | Route::Subscriber(w, _) | Route::Tags(w) | Route::Fields(w) => Some(*w),
            Route::Forms(w) | Route::NewForm(w) | Route::Form(w, _) => Some(*w),
        }
    }

    /// The screen's title, for `document.title` (screen readers announce it).
    pub fn title(&self) -> &'static str {
        match self {
            Route::Login => "Log in",
            Route::Workspaces => "Workspaces",
            Route::ApiKeys(_) => "API keys",
            Route::Leads(_) => "Leads",
            Route::Lead(..) => "Lead",
            Route::Conversations(_) => "Inbox",
            Route::Conversation(..) => "Conversation",
            Route::Channels(_) => "Channels",
            Route::NewChannel(_) => "New channel",
            Route::Channel(..) => "Channel",
            Route::Webhooks(_) => "Webhooks",
            Route::Delivery(..) => "Delivery",
            Route::Flows(_) => "Flows",
            Route::Flow(..) => "Flow",
            Route::Subscribers(_) => "Subscribers",
            Route::Subscriber(..) => "Subscriber",
            Route::Tags(_) => "Tags",
            Route::Fields(_) => "Fields",
            Route::Forms(_) => "Forms",
            Route::NewForm(_) => "New form",
            Route::Form(..) => "Form",
        }
    }
}

/// The route of the page's current location.
pub fn current() -> Route {
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    Route::parse(&path)
}

/// Puts `route` in the address bar as a new history entry (nothing when it is there),
/// with the filters its screen last had in this tab ([`url_query::remembered`]).
pub fn push(route: &Route) {
    if current() == *route {
        return;
    }
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&route.href()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setup_screens_have_paths_that_parse_back() {
        for route in [
            Route::Channels(3),
            Route::NewChannel(3),
            Route::Channel(3, ChannelId::from("ch_abc")),
            Route::Webhooks(3),
            Route::Delivery(3, 42),
            Route::Flows(3),
            Route::Flow(3, FlowId::from("welcome")),
        ] {
            assert_eq!(Route::parse(&route.path()), route);
        }
        for route in [
            Route::Subscribers(3),
            Route::Subscriber(3, SubscriberId::from("sub_abc")),
            Route::Tags(3),
            Route::Fields(3),
            Route::Forms(3),
            Route::NewForm(3),
            Route::Form(3, FormId::from("new")),
        ] {
            assert_eq!(Route::parse(&route.path()), route);
        }
        assert_eq!(
            Route::parse("/console/w/3/webhooks/deliveries/x"),
            Route::Workspaces
        );
    }
}
