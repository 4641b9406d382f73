//! Lists several screens read in full: the workspace's tags, channels, flows and lead forms
//! ([`use_listed`]).

use super::app::Ctx;
use super::use_listed::{Listed, use_listed};
use crate::management::{FlowFilter, ListParams};
use parlo_model::channel::Channel;
use parlo_model::flow::Flow;
use parlo_model::form::Form;
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

/// Every flow of the workspace (`GET /api/v1/flows`), every folder.
#[hook]
pub fn use_flows(ctx: &Ctx, workspace: i64) -> Listed<Flow> {
    let client = ctx.client(workspace);
    use_listed(ctx, workspace, move |cursor| {
        let client = client.clone();
        async move {
            client
                .flows()
                .list(&FlowFilter::default(), ListParams::after(cursor))
                .await
        }
    })
}

/// Every lead form of the workspace (`GET /api/v1/forms`).
#[hook]
pub fn use_forms(ctx: &Ctx, workspace: i64) -> Listed<Form> {
    let client = ctx.client(workspace);
    use_listed(ctx, workspace, move |cursor| {
        let client = client.clone();
        async move { client.forms().list(ListParams::after(cursor)).await }
    })
}
