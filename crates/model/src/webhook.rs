//! Webhook endpoints and deliveries (outbox rows) of a workspace.
//!
//! | method | path | body → answer |
//! |---|---|---|
//! | GET | `/api/v1/webhook-endpoints` | → `Page<WebhookEndpoint>` |
//! | POST | `/api/v1/webhook-endpoints` | [`CreateWebhookEndpoint`] → [`WebhookEndpointWithSecret`] |
//! | GET, DELETE | `/api/v1/webhook-endpoints/{endpoint_id}` | → [`WebhookEndpoint`], 204 |
//! | POST | `/api/v1/webhook-endpoints/{endpoint_id}/rotate-secret` | → [`WebhookEndpointWithSecret`] |
//! | GET | `/api/v1/deliveries?status=&endpoint_id=&limit=&cursor=` | → `Page<Delivery>` |
//! | GET | `/api/v1/deliveries/{delivery_id}` | → [`Delivery`] |
//! | GET | `/api/v1/deliveries/{delivery_id}/attempts?limit=&cursor=` | → `Page<DeliveryAttempt>` |
//! | POST | `/api/v1/deliveries/{delivery_id}/redeliver` | → [`Delivery`] |
//!
//! Deliveries follow the Standard Webhooks spec (<https://www.standardwebhooks.com>): the
//! body is `{"type", "timestamp", "data"}`, headers `webhook-id` (the delivery's
//! `message_id`, the same on every attempt so receivers can dedupe), `webhook-timestamp`
//! (Unix seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256>`).

use crate::automation::Automation;
use crate::ids::SubscriberId;
use serde::{Deserialize, Serialize};

/// Prefix of endpoint secrets (Standard Webhooks): `whsec_` + base64 of the key bytes.
pub const SECRET_PREFIX: &str = "whsec_";
/// Longest endpoint URL, in bytes: every stored URL's limit ([`crate::link`]).
pub const MAX_URL_LEN: usize = crate::link::MAX_URL_LEN;

/// A webhook endpoint: where signed events are POSTed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct WebhookEndpoint {
    /// Id of the endpoint in its workspace.
    pub id: i64,
    /// The `http`/`https` URL events are POSTed to.
    pub url: String,
    /// What the endpoint is for, for people.
    pub description: String,
    /// Set (RFC 3339 UTC) when the endpoint stopped receiving: it answered 410 Gone.
    /// Deliveries to a disabled endpoint fail at once (state `dead`).
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub disabled_at: Option<String>,
    /// When the endpoint was created, RFC 3339 UTC.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
}

/// An endpoint with its signing secret, answered only on create and on rotation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct WebhookEndpointWithSecret {
    /// The endpoint.
    #[serde(flatten)]
    pub endpoint: WebhookEndpoint,
    /// The signing secret, `whsec_` + base64 of 24 random bytes; shown only now.
    pub secret: String,
}

/// Body of `POST /api/v1/webhook-endpoints`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "openapi", schema(examples(json!({"url": "https://hooks.example.com/parlo", "description": "CRM sync"}))))]
#[serde(deny_unknown_fields)]
pub struct CreateWebhookEndpoint {
    /// Absolute `http` or `https` URL without credentials, at most 2000 bytes. Hosts in
    /// private, loopback or link-local ranges are refused unless the server allows them
    /// (`--allow-private-webhooks`).
    pub url: String,
    /// What the endpoint is for (at most 1000 characters).
    #[serde(default)]
    pub description: String,
    /// A secret to sign with, `whsec_` + base64 of 24..=64 bytes; one is generated when
    /// absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// State of a delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for its first or next attempt (`next_attempt_at`).
    Pending,
    /// Done: the receiver answered 2xx, or the subscriber/e-mail action succeeded.
    Delivered,
    /// Given up after the last attempt or a permanent failure; can be redelivered.
    Dead,
}

impl DeliveryStatus {
    /// The wire (and stored) name, e.g. `pending`.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Dead => "dead",
        }
    }

    /// The status of wire name `name`, if any.
    pub fn parse(name: &str) -> Option<Self> {
        [
            DeliveryStatus::Pending,
            DeliveryStatus::Delivered,
            DeliveryStatus::Dead,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }
}

/// One automation of one event, delivered at least once by the outbox worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Delivery {
    /// Id of the delivery in its workspace.
    pub id: i64,
    /// Stable message id, `msg_…`: the `webhook-id` header of every attempt.
    pub message_id: String,
    /// The event type, e.g. `lead.created`.
    pub event_type: String,
    /// What is delivered.
    pub automation: Automation,
    /// The subscriber the event is about, if any.
    pub subscriber_id: Option<SubscriberId>,
    /// The event data (the `data` of the webhook body).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, unknown>"))]
    pub data: serde_json::Value,
    /// Current state.
    pub status: DeliveryStatus,
    /// Attempts made so far, counting one in progress.
    pub attempts: u32,
    /// When the next attempt is due (RFC 3339 UTC), while `pending`.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub next_attempt_at: Option<String>,
    /// When the last attempt ended, RFC 3339 UTC.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub last_attempt_at: Option<String>,
    /// HTTP status of the last webhook attempt, if it got an answer.
    pub last_status: Option<u16>,
    /// Why the last attempt failed, if it did.
    pub last_error: Option<String>,
    /// When the event happened, RFC 3339 UTC.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
    /// When it was delivered, RFC 3339 UTC.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub delivered_at: Option<String>,
}

/// One finished attempt of a [`Delivery`], as Svix and Stripe list them for a webhook
/// message: when it ended, how long it took, and the receiver's answer or the error.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct DeliveryAttempt {
    /// Id of the attempt (increasing in the order attempts ended).
    pub id: i64,
    /// Number of the attempt within its round, from 1; a redelivery starts again at 1.
    pub attempt: u32,
    /// When the attempt ended, RFC 3339 UTC.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub ended_at: String,
    /// From the start of the attempt to its end, in milliseconds.
    pub duration_ms: u64,
    /// HTTP status of the receiver's answer (webhooks), if there was one.
    pub status: Option<u16>,
    /// Why the attempt failed; `null` when it succeeded.
    pub error: Option<String>,
}
