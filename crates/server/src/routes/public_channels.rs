//! `GET /api/public/v1/channels/{channel_id}`: the public channel configuration.
//!
//! Channels are managed at `/api/v1/channels` ([`super::channels`]); the demo's come from
//! the seed (`seed.rs`). Archived channels answer 404 here.

use crate::db::{channels, forms};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::locales::{self, LocaleQuery, Part};
use crate::state::AppState;
use axum::extract::State;
use parlo_model::channel::{Availability, BusinessHours, ChannelConfig, Weekday};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_public_channel))
}

/// Channel configuration
///
/// Answers the [`ChannelConfig`] the widget draws itself from, with its availability now
/// when the channel has business hours. 404 for an unknown or archived channel.
/// A `pre_chat_form` that is not a published form of the channel's workspace is left out
/// (`null`), so the widget goes straight to the chat instead of showing a form that fails.
/// `locale` and `strings` are the widget's language for the `locale` query and its texts
/// in it (the built-in catalogue, the owner's own `strings` over it).
#[utoipa::path(
    get,
    path = "/api/public/v1/channels/{channel_id}",
    tag = "public",
    params(("channel_id" = String, Path, description = "Public channel id, e.g. `demo`"), LocaleQuery),
    responses(
        (status = 200, description = "What the widget draws itself from", body = ChannelConfig),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
async fn get_public_channel(
    State(state): State<AppState>,
    Path(channel_id): Path<String>,
    Query(query): Query<LocaleQuery>,
) -> ApiResult<Json<ChannelConfig>> {
    let mut conn = state.db.acquire().await?;
    let mut channel = channels::find(&mut conn, &channel_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no channel '{channel_id}'")))?;
    if let Some(form_id) = &channel.config.pre_chat_form {
        let form = forms::find(&mut conn, channel.workspace_id, form_id.as_str()).await?;
        if !form.is_some_and(|f| f.published) {
            channel.config.pre_chat_form = None;
        }
    }
    channel.config.availability = channel
        .business_hours
        .as_ref()
        .map(|hours| availability(hours, jiff::Timestamp::now()));
    let (locale, strings) = locales::resolve(query.locale.as_deref(), Part::Widget, &channel.strings);
    channel.config.locale = Some(locale);
    channel.config.strings = strings;
    Ok(Json(channel.config))
}

/// Online or away at `now`, by the weekly ranges in the hours' time zone (a zone the tz
/// database does not know, which validation keeps out, counts as UTC).
pub fn availability(hours: &BusinessHours, now: jiff::Timestamp) -> Availability {
    let zone = jiff::tz::TimeZone::get(&hours.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let local = now.to_zoned_datetime(zone);
    let day = Weekday::ALL[usize::try_from(local.weekday().to_monday_zero_offset()).unwrap_or(0)];
    let minute = u16::try_from(local.hour()).unwrap_or(0) * 60 + u16::try_from(local.minute()).unwrap_or(0);
    Availability {
        online: hours.is_open_at(day, minute),
        away_message: hours.away_message.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::availability;
    use parlo_model::channel::BusinessHours;

    #[test]
    fn hours_are_read_in_their_time_zone_with_daylight_saving() {
        let hours: BusinessHours = serde_json::from_value(serde_json::json!({
            "time_zone": "Europe/Paris", "away_message": "Away",
            "weekly": [{"day": "monday", "open": "09:00", "close": "17:00"}]
        }))
        .unwrap();
        let at = |t: &str| availability(&hours, t.parse().unwrap()).online;
        // Monday 2026-01-05, winter (UTC+1): 08:30 UTC is 09:30 in Paris.
        assert!(at("2026-01-05T08:30:00Z"));
        assert!(!at("2026-01-05T07:30:00Z"));
        // Monday 2026-07-06, summer (UTC+2): 15:30 UTC is 17:30 in Paris.
        assert!(!at("2026-07-06T15:30:00Z"));
        assert!(at("2026-07-06T14:30:00Z"));
    }
}
