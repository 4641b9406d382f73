//! Lists several screens read in full: the workspace's tags and channels ([`use_listed`]).

use super::app::Ctx;
use super::use_listed::{Listed, use_listed};
use crate::management::ListParams;
use parlo_model::channel::Channel;
use parlo_model::tag::Tag;
use yew::prelude::*;

/// Every tag of the workspace (`GET /api/v1/tags`), in id order.
#[hook]
pub fn use_tags(ctx: &Ctx, workspace: i64) -> Listed<Tag> {
    let client = ctx.client(workspace);
    use_listed(ctx, workspace, move |cursor| {
        let client = client.clone();
        async move { client.tags().list(ListParams::after(cursor)).await }
    })
}

/// Every channel of the workspace (`GET /api/v1/channels`).
#[hook]
pub fn use_channels(ctx: &Ctx, workspace: i64) -> Listed<Channel> {
    let client = ctx.client(workspace);
    use_listed(ctx, workspace, move |cursor| {
        let client = client.clone();
        async move { client.channels().list(ListParams::after(cursor)).await }
    })
}
