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
    /// The channel's public configuration: name, greeting, theme, ice breakers, and the
    /// widget's texts in the first of `locale`'s languages (comma-separated language tags,
    /// e.g. `de-AT,en`) the server has (English when none, or without `locale`).
    pub async fn config(&self, locale: Option<&str>) -> Result<ChannelConfig, Error> {
        let query = locale.map_or(String::new(), |l| {
            format!("?locale={}", js_sys::encode_uri_component(l))
        });
        self.client.request(Method::Get, &query).send().await
    }
}
