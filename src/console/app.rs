//! The console's root: the session, the current screen, navigation.

use super::api_keys::ApiKeys;
use super::channel_edit::ChannelEdit;
use super::channels::Channels;
use super::delivery_view::DeliveryView;
use super::flow_editor::FlowEditor;
use super::flows::Flows;
use super::inbox::Inbox;
use super::lead_view::LeadView;
use super::leads::Leads;
use super::link::Navigate;
use super::login::LoginForm;
use super::nav::Nav;
use super::problem::{self, Shown};
use super::route::{self, Route};
use super::session::{self, Session};
use super::webhooks::Webhooks;
use super::workspaces::Workspaces;
use crate::management::{Client, Error};
use parlo_model::ids::SubscriberId;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

/// Props of [`Console`].
#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    /// Origin of the Parlo server (the page's own, normally).
    pub base_url: AttrValue,
}

/// What every screen needs: the API's base URL and the session.
#[derive(Clone, Debug, PartialEq)]
pub struct Ctx {
    /// Origin of the Parlo server.
    pub base_url: AttrValue,
    /// The logged-in user's session.
    pub session: Session,
    /// Logs out here (the server refused the session: expired, or logged out elsewhere).
    pub onexpired: Callback<()>,
}

impl Ctx {
    /// A client of the management API acting on `workspace` with the user's session.
    pub fn client(&self, workspace: i64) -> Client {
        self.user().in_workspace(workspace)
    }

    /// A client with the user's session (for `/api/v1/workspaces` and log-out).
    pub fn user(&self) -> Client {
        Client::new(&self.base_url, &self.session.token)
    }

    /// `error` as the screens show it ([`problem::show`]); a 401 (the session expired or was
    /// logged out elsewhere) also logs out here, which shows the log-in form.
    pub fn shown(&self, error: &Error) -> Shown {
        if error.status() == Some(401) {
            self.onexpired.emit(());
        }
        problem::show(error)
    }
}

/// The console: the log-in form until a user logs in, then the screen of the address bar.
/// The screen follows `history` (back, forward) and every [`Link`](super::link::Link).
#[component]
pub fn Console(props: &ConsoleProps) -> Html {
    let session = use_state(session::load);
    let route = use_state(route::current);

    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn()>::new(move || route.set(route::current()));
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback("popstate", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = window {
                    let _ =
                        w.remove_event_listener_with_callback("popstate", listener.as_ref().unchecked_ref());
                }
            }
        });
    }
    let navigate = {
        let route = route.clone();
        Navigate(Callback::from(move |to: Route| {
            route::push(&to);
            route.set(to);
        }))
    };
    let shown = match (&*session, &*route) {
        (None, _) => Route::Login,
        (Some(_), Route::Login) => Route::Workspaces,
        (Some(_), r) => r.clone(),
    };
    // A new screen: its title, and (after the first) the focus on its content, where a
    // keyboard or screen reader user continues (the link that led there is gone).
    let first_screen = use_mut_ref(|| true);
    use_effect_with(shown.clone(), move |shown| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&format!("{} · Parlo console", shown.title()));
            let main = document.get_element_by_id("main");
            if !first_screen.replace(false)
                && let Some(main) = main.and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = main.focus();
            }
        }
    });

    let onlogin = {
        let (session, navigate) = (session.clone(), navigate.clone());
        let wanted = route.clone();
        Callback::from(move |s: Session| {
            session::save(&s);
            session.set(Some(s));
            // A deep link opened while logged out opens now.
            if *wanted == Route::Login {
                navigate.0.emit(Route::Workspaces);
            }
        })
    };
    // Stable across renders: the screens' effects depend on the context. An ended session
    // keeps the screen (it opens again after the log-in); "Log out" leaves it, so the next
    // user does not land on this user's workspace.
    let onexpired = {
        let session = session.clone();
        use_callback((), move |(), _| {
            session::clear();
            session.set(None);
        })
    };
    let onlogout = {
        let (onexpired, navigate) = (onexpired.clone(), navigate.clone());
        Callback::from(move |()| {
            onexpired.emit(());
            navigate.0.emit(Route::Login);
        })
    };

    let body = match &*session {
        None => html! { <LoginForm base_url={props.base_url.clone()} {onlogin} /> },
        Some(s) => {
            let ctx = Ctx {
                base_url: props.base_url.clone(),
                session: s.clone(),
                onexpired: onexpired.clone(),
            };
            let screen = match shown.clone() {
                Route::ApiKeys(w) => html! { <ApiKeys ctx={ctx.clone()} workspace={w} /> },
                Route::Leads(w) => html! { <Leads ctx={ctx.clone()} workspace={w} /> },
                Route::Lead(w, id) => html! { <LeadView ctx={ctx.clone()} workspace={w} {id} /> },
                Route::Conversations(w) => {
                    html! { <Inbox ctx={ctx.clone()} workspace={w} open={None::<SubscriberId>} /> }
                }
                Route::Conversation(w, id) => {
                    html! { <Inbox ctx={ctx.clone()} workspace={w} open={Some(id)} /> }
                }
                Route::Channels(w) => html! { <Channels ctx={ctx.clone()} workspace={w} /> },
                Route::NewChannel(w) => html! { <ChannelEdit ctx={ctx.clone()} workspace={w} id={None} /> },
                Route::Channel(w, id) => {
                    html! { <ChannelEdit ctx={ctx.clone()} workspace={w} id={Some(id)} /> }
                }
                Route::Webhooks(w) => html! { <Webhooks ctx={ctx.clone()} workspace={w} /> },
                Route::Delivery(w, id) => html! { <DeliveryView ctx={ctx.clone()} workspace={w} {id} /> },
                Route::Flows(w) => html! { <Flows ctx={ctx.clone()} workspace={w} /> },
                Route::Flow(w, id) => html! { <FlowEditor ctx={ctx.clone()} workspace={w} {id} /> },
                Route::Login | Route::Workspaces => html! { <Workspaces ctx={ctx.clone()} /> },
            };
            html! {
                <>
                    <Nav ctx={ctx.clone()} route={shown.clone()} {onlogout} />
                    <main id="main" class="screen" tabindex="-1">{ screen }</main>
                </>
            }
        }
    };
    html! {
        <ContextProvider<Navigate> context={navigate}>
            { body }
        </ContextProvider<Navigate>>
    }
}
