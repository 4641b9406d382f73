//! The workspace's custom fields and bot fields.

use super::app::Ctx;
use super::field_list::FieldList;
use yew::prelude::*;

/// Props of [`Fields`].
#[derive(Properties, PartialEq)]
pub struct FieldsProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
}

/// The custom fields, then the bot fields ([`FieldList`] each).
#[component]
pub fn Fields(props: &FieldsProps) -> Html {
    html! {
        <>
            <h1>{ "Fields" }</h1>
            <FieldList ctx={props.ctx.clone()} workspace={props.workspace} bot={false} />
            <FieldList ctx={props.ctx.clone()} workspace={props.workspace} bot={true} />
        </>
    }
}
