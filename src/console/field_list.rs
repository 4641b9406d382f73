//! The workspace's custom fields or bot fields: list, create, delete; bot field values.

use super::api_keys::day;
use super::app::Ctx;
use super::error_text::ErrorText;
use super::field_editor::{sent_value, shown_value};
use super::problem::Shown;
use super::text_field::TextField;
use super::use_listed::use_listed;
use crate::management::ListParams;
use parlo_model::bot_field::BotField;
use parlo_model::page::Page;
use parlo_model::tag::{CreateCustomField, FieldType, FieldValue, IdOrName};
use std::collections::BTreeMap;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::platform::spawn_local;
use yew::prelude::*;

/// Every field type, in the order the type choice lists them.
const TYPES: [FieldType; 7] = [
    FieldType::Text,
    FieldType::LongText,
    FieldType::Number,
    FieldType::Boolean,
    FieldType::Date,
    FieldType::Datetime,
    FieldType::Array,
];

/// Props of [`FieldList`].
#[derive(Properties, PartialEq)]
pub struct FieldListProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
    /// Bot fields (`/api/v1/bot-fields`, one value each) rather than custom fields
    /// (`/api/v1/custom-fields`, a value per subscriber).
    pub bot: bool,
}

/// The fields (name, type, description; a bot field's value with "Save", its error under
/// it), a form to create one (name, type, description; each error at its input, a taken
/// name said next to the form), and per field "Delete" (asked for confirmation).
#[component]
pub fn FieldList(props: &FieldListProps) -> Html {
    let bot = props.bot;
    let prefix = if bot { "bot" } else { "custom" };
    let shown = use_state(Shown::default);
    let none = use_state(|| None::<()>);
    let name = use_state(String::new);
    let description = use_state(String::new);
    let kind = use_node_ref();
    // A bot field's edited value and its error, by field id.
    let drafts = use_state(BTreeMap::<i64, String>::new);
    let value_errors = use_state(BTreeMap::<i64, String>::new);
    let client = props.ctx.client(props.workspace);
    let fields = {
        let client = client.clone();
        use_listed(&props.ctx, props.workspace, move |cursor| {
            let client = client.clone();
            async move {
                let params = ListParams::after(cursor);
                if bot {
                    client.bot_fields().list(params).await
                } else {
                    let page = client.custom_fields().list(params).await?;
                    Ok(Page {
                        items: page
                            .items
                            .into_iter()
                            .map(|field| BotField { field, value: None })
                            .collect(),
                        next_cursor: page.next_cursor,
                    })
                }
            }
        })
    };

    let onsubmit = {
        let (client, shown, fields) = (client.clone(), shown.clone(), fields.clone());
        let (name, description, kind, ctx) =
            (name.clone(), description.clone(), kind.clone(), props.ctx.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let field_type = kind
                .cast::<HtmlSelectElement>()
                .and_then(|s| FieldType::parse(&s.value()))
                .unwrap_or(FieldType::Text);
            let body = CreateCustomField {
                name: name.trim().to_owned(),
                field_type,
                description: description.trim().to_owned(),
            };
            let (client, shown, fields, ctx) = (client.clone(), shown.clone(), fields.clone(), ctx.clone());
            let (name, description) = (name.clone(), description.clone());
            spawn_local(async move {
                let created = if bot {
                    client.bot_fields().create(&body).await.map(drop)
                } else {
                    client.custom_fields().create(&body).await.map(drop)
                };
                match created {
                    Ok(()) => {
                        name.set(String::new());
                        description.set(String::new());
                        shown.set(Shown::default());
                        fields.changed(Ok(()));
                    }
                    Err(e) => shown.set(ctx.shown(&e)),
                }
            });
        })
    };

    let save_value = |f: &BotField| {
        let (client, drafts, value_errors, fields) = (
            client.clone(),
            drafts.clone(),
            value_errors.clone(),
            fields.clone(),
        );
        let (id, field_type, ctx) = (f.field.id, f.field.field_type, props.ctx.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(text) = drafts.get(&id).cloned() else {
                return;
            };
            let values = [FieldValue {
                field: IdOrName::Id(id),
                value: sent_value(field_type, &text),
            }];
            let (client, drafts, value_errors, fields, ctx) = (
                client.clone(),
                drafts.clone(),
                value_errors.clone(),
                fields.clone(),
                ctx.clone(),
            );
            spawn_local(async move {
                let mut errors = (*value_errors).clone();
                match client.bot_fields().set_values(&values).await {
                    Ok(_) => {
                        errors.remove(&id);
                        let mut rest = (*drafts).clone();
                        rest.remove(&id);
                        drafts.set(rest);
                        fields.changed(Ok(()));
                    }
                    Err(e) => {
                        let shown = ctx.shown(&e);
                        let message = shown.fields.first().map(|(_, m)| m.clone()).or(shown.general);
                        errors.insert(id, message.unwrap_or_default());
                    }
                }
                value_errors.set(errors);
            });
        })
    };

    let rows = fields.items.as_ref().map(|list| {
        list.iter()
            .map(|f| {
                let (id, field_name) = (f.field.id, f.field.name.clone());
                let ondelete = {
                    let client = client.clone();
                    fields.confirmed(
                        if bot {
                            format!("Delete the bot field “{field_name}” and its value?")
                        } else {
                            format!("Delete the field “{field_name}” and every subscriber's value of it?")
                        },
                        move || {
                            let client = client.clone();
                            async move {
                                let field = IdOrName::Id(id);
                                if bot {
                                    client.bot_fields().delete(&field).await.map(|()| None)
                                } else {
                                    client.custom_fields().delete(&field).await.map(|()| None)
                                }
                            }
                        },
                        &none,
                    )
                };
                let value = bot.then(|| {
                    let input_id = format!("bot-value-{id}");
                    let error_id = format!("{input_id}-error");
                    let error = value_errors.get(&id).cloned();
                    let current = drafts.get(&id).cloned().unwrap_or_else(|| {
                        f.value.as_deref().map(|v| shown_value(f.field.field_type, v)).unwrap_or_default()
                    });
                    let oninput = {
                        let drafts = drafts.clone();
                        Callback::from(move |e: InputEvent| {
                            let mut next = (*drafts).clone();
                            next.insert(id, e.target_unchecked_into::<HtmlInputElement>().value());
                            drafts.set(next);
                        })
                    };
                    html! {
                        <td>
                            <form class="row" onsubmit={save_value(f)}>
                                <label for={input_id.clone()} class="sr-only">{ format!("Value of {field_name}") }</label>
                                <input id={input_id} value={current} {oninput}
                                    aria-invalid={error.is_some().then_some("true")}
                                    aria-describedby={error.is_some().then(|| error_id.clone())} />
                                <button type="submit" aria-label={format!("Save {field_name}")}>{ "Save" }</button>
                            </form>
                            <ErrorText id={error_id} message={error.map(AttrValue::from)} />
                        </td>
                    }
                });
                html! {
                    <tr key={id}>
                        <th scope="row">{ field_name.clone() }</th>
                        <td>{ f.field.field_type.as_str() }</td>
                        <td>{ f.field.description.clone() }</td>
                        { for value }
                        <td>{ day(&f.field.created_at) }</td>
                        <td class="actions">
                            <button type="button" class="danger" onclick={ondelete}
                                aria-label={format!("Delete field {field_name}")}>{ "Delete" }</button>
                        </td>
                    </tr>
                }
            })
            .collect::<Html>()
    });
    let (title, noun) = if bot {
        ("Bot fields", "bot field")
    } else {
        ("Custom fields", "field")
    };
    let set = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |v: String| state.set(v))
    };
    html! {
        <section aria-labelledby={format!("{prefix}-fields-title")}>
            <h2 id={format!("{prefix}-fields-title")}>{ title }</h2>
            <p class="muted">{ if bot {
                "One value for the whole workspace, which flows can show and change."
            } else {
                "A value per subscriber, set by flows, forms, the API or the subscriber's profile."
            } }</p>
            <ErrorText id={format!("{prefix}-fields-error")} message={(*fields.error).clone()} />
            if fields.items.as_ref().is_some_and(Vec::is_empty) {
                <p>{ format!("No {noun}s yet.") }</p>
            } else {
                <table tabindex="0">
                    <caption>{ title }</caption>
                    <thead><tr>
                        <th scope="col">{ "Name" }</th><th scope="col">{ "Type" }</th>
                        <th scope="col">{ "Description" }</th>
                        if bot { <th scope="col">{ "Value" }</th> }
                        <th scope="col">{ "Created" }</th><th scope="col">{ "Actions" }</th>
                    </tr></thead>
                    <tbody>{ rows.unwrap_or_default() }</tbody>
                </table>
            }
            <form {onsubmit} aria-labelledby={format!("{prefix}-new-title")}>
                <h3 id={format!("{prefix}-new-title")}>{ format!("Create a {noun}") }</h3>
                <TextField id={format!("{prefix}-field-name")} label="Name" value={(*name).clone()}
                    oninput={set(&name)} error={shown.field("/name").map(AttrValue::from)} />
                <div class="field">
                    <label for={format!("{prefix}-field-type")}>{ "Type" }</label>
                    <select id={format!("{prefix}-field-type")} ref={kind}>
                        { for TYPES.iter().map(|t| html! { <option value={t.as_str()}>{ t.as_str() }</option> }) }
                    </select>
                </div>
                <TextField id={format!("{prefix}-field-description")} label="Description" value={(*description).clone()}
                    oninput={set(&description)} error={shown.field("/description").map(AttrValue::from)} />
                <button type="submit">{ format!("Create {noun}") }</button>
                <ErrorText id={format!("{prefix}-field-create-error")} message={shown.general.clone().map(AttrValue::from)} />
            </form>
        </section>
    }
}
