//! The log-in form.

use super::error_text::ErrorText;
use super::problem::{self, Shown};
use super::session::Session;
use crate::management::{Client, Error};
use parlo_model::user::Login;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`LoginForm`].
#[derive(Properties, PartialEq)]
pub struct LoginFormProps {
    /// Origin of the Parlo server.
    pub base_url: AttrValue,
    /// Called with the new session after a successful log-in.
    pub onlogin: Callback<Session>,
}

/// E-mail and password (`POST /api/v1/auth/login`). A wrong e-mail or password, too many
/// attempts or an unreachable server are said under the form; field problems under their
/// field.
#[component]
pub fn LoginForm(props: &LoginFormProps) -> Html {
    let email = use_node_ref();
    let password = use_node_ref();
    let shown = use_state(Shown::default);
    let busy = use_state(|| false);
    let onsubmit = {
        let (email, password, shown, busy) = (email.clone(), password.clone(), shown.clone(), busy.clone());
        let (base_url, onlogin) = (props.base_url.clone(), props.onlogin.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = |r: &NodeRef| {
                r.cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            let login = Login {
                email: value(&email),
                password: value(&password),
            };
            let (shown, busy, base_url, onlogin) =
                (shown.clone(), busy.clone(), base_url.clone(), onlogin.clone());
            busy.set(true);
            spawn_local(async move {
                match Client::login(&base_url, &login).await {
                    Ok((_, session)) => onlogin.emit(Session {
                        token: session.token,
                        email: session.user.email,
                    }),
                    Err(error) => {
                        busy.set(false);
                        shown.set(explain(&error));
                    }
                }
            });
        })
    };
    let email_error = shown.field("/email");
    let password_error = shown.field("/password");
    html! {
        <main id="main" class="login" tabindex="-1">
            <h1>{ "Parlo console" }</h1>
            <form {onsubmit} aria-describedby="login-error" novalidate=true>
                <label for="email">{ "E-mail" }</label>
                <input id="email" ref={email} type="email" name="email" autocomplete="username" required=true
                    aria-invalid={email_error.is_some().then_some("true")} aria-describedby="email-error" />
                <ErrorText id="email-error" message={email_error.map(AttrValue::from)} />
                <label for="password">{ "Password" }</label>
                <input id="password" ref={password} type="password" name="password" autocomplete="current-password" required=true
                    aria-invalid={password_error.is_some().then_some("true")} aria-describedby="password-error" />
                <ErrorText id="password-error" message={password_error.map(AttrValue::from)} />
                <ErrorText id="login-error" message={shown.general.clone().map(AttrValue::from)} />
                <button type="submit" disabled={*busy}>{ if *busy { "Logging in…" } else { "Log in" } }</button>
            </form>
        </main>
    }
}

/// A failed log-in as the user reads it: 401 is a wrong e-mail or password.
fn explain(error: &Error) -> Shown {
    if error.status() == Some(401) {
        return Shown {
            general: Some("Wrong e-mail or password.".to_owned()),
            ..Shown::default()
        };
    }
    problem::show(error)
}
