//! `GET /api/public/v1/channels/{channel_id}`.

use super::transport::Method;
use super::{Client, Error};
use parlo_model::channel::ChannelConfig;

/// The channel resource; see [`Client::channel`].
#[derive(Debug)]
pub struct ChannelApi<'a> {
    pub(super) client: &'a Client,
}

impl ChannelApi<'_> {
    /// The channel's public configuration: name, greeting, theme, ice breakers.
    pub async fn config(&self) -> Result<ChannelConfig, Error> {
        self.client.request(Method::Get, "").send().await
    }
}
