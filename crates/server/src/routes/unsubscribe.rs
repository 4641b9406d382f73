//! `/unsubscribe/{token}`: the unsubscribe link of a broadcast's e-mail copies (see
//! [`crate::broadcasts::email_copy`]), a page for people outside the API.
//!
//! - `GET` shows a confirmation page whose button `POST`s to the same URL (a link
//!   scanner fetching the link opts no one out);
//! - `POST` opts the subscriber out of e-mail copies (`email_opted_out_at` on the
//!   subscriber) and says so; it is also the one-click unsubscribe of RFC 8058, which mail
//!   clients send with the body `List-Unsubscribe=One-Click` (any body is accepted).
//!   Repeating it changes nothing.
//!
//! A token that is not one the server signed is a 404. The pages are not cached, not
//! indexed and send no `Referer` (the token is in the URL).

use crate::broadcasts::email_copy;
use crate::clock;
use crate::db::{self, email_opt_outs};
use crate::error::{ApiError, ApiResult};
use crate::extract::Path;
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/unsubscribe/{token}", get(show_unsubscribe).post(unsubscribe))
}

/// The subscriber of a valid `token`; 404 otherwise.
async fn subscriber_of(state: &AppState, token: &str) -> ApiResult<String> {
    let mut conn = state.db.acquire().await?;
    let secret = email_opt_outs::unsubscribe_secret(&mut conn).await?;
    secret
        .and_then(|secret| email_copy::verify(&secret, token))
        .ok_or_else(|| ApiError::NotFound("no such unsubscribe link".to_owned()))
}

/// `body` as a small HTML page titled `title`, with the headers of the module docs.
fn page(title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>body{{font:16px/1.5 system-ui,sans-serif;max-width:32rem;\
         margin:4rem auto;padding:0 1rem}}button{{font:inherit;padding:.5rem 1rem}}</style></head>\
         <body><h1>{title}</h1>{body}</body></html>"
    );
    (
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::REFERRER_POLICY, "no-referrer"),
            (header::HeaderName::from_static("x-robots-tag"), "noindex"),
        ],
        Html(html),
    )
        .into_response()
}

/// `GET`: the confirmation page.
async fn show_unsubscribe(State(state): State<AppState>, Path(token): Path<String>) -> ApiResult<Response> {
    subscriber_of(&state, &token).await?;
    Ok(page(
        "Unsubscribe",
        "<p>Stop receiving e-mail copies of our chat messages?</p>\
         <form method=\"post\"><button type=\"submit\">Unsubscribe</button></form>",
    ))
}

/// `POST`: opts the subscriber out.
async fn unsubscribe(State(state): State<AppState>, Path(token): Path<String>) -> ApiResult<Response> {
    let subscriber_id = subscriber_of(&state, &token).await?;
    let mut tx = db::begin_write(&state.db).await?;
    email_opt_outs::opt_out(&mut tx, &subscriber_id, &clock::now_rfc3339()).await?;
    tx.commit().await?;
    Ok(page(
        "Unsubscribed",
        "<p>You will get no more e-mail copies of our chat messages.</p>",
    ))
}
