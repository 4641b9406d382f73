//! A subscriber's custom field values, each edited with a control of its field's type.

use super::app::Ctx;
use super::error_text::ErrorText;
use super::text_field::TextField;
use super::use_listed::use_listed;
use crate::management::ListParams;
use parlo_model::subscriber::Subscriber;
use parlo_model::tag::{CustomField, FieldType, FieldValue, IdOrName};
use serde_json::Value;
use std::collections::BTreeMap;
use web_sys::HtmlSelectElement;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`FieldEditor`].
#[derive(Properties, PartialEq)]
pub struct FieldEditorProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
    /// The subscriber, with its current values.
    pub subscriber: Subscriber,
    /// Called with the changed subscriber after a save.
    pub onchange: Callback<Subscriber>,
}

/// A stored value as its control shows it: an array (stored as JSON) one item a line,
/// anything else as stored.
pub(super) fn shown_value(field_type: FieldType, stored: &str) -> String {
    match field_type {
        FieldType::Array => serde_json::from_str::<Vec<String>>(stored)
            .map(|items| items.join("\n"))
            .unwrap_or_else(|_| stored.to_owned()),
        _ => stored.to_owned(),
    }
}

/// What the control's `text` sends: `null` (clears) when empty, an array of the non-empty
/// lines for an array field, else the text (the server checks it against the type).
pub(super) fn sent_value(field_type: FieldType, text: &str) -> Value {
    let text = text.trim();
    match field_type {
        _ if text.is_empty() => Value::Null,
        FieldType::Array => Value::Array(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| Value::String(l.to_owned()))
                .collect(),
        ),
        _ => Value::String(text.to_owned()),
    }
}

/// One control per custom field of the workspace (`GET /api/v1/custom-fields`): a text, number or date input, a text area (long
/// text; an array one item a line), a Yes/No choice (boolean). "Save fields" sends the
/// changed values at once (`PATCH /api/v1/subscribers/{id}/fields`; emptied ones are
/// cleared); the server's error for a value is shown under its control.
#[component]
pub fn FieldEditor(props: &FieldEditorProps) -> Html {
    let client = props.ctx.client(props.workspace);
    let defs = {
        let client = client.clone();
        use_listed(&props.ctx, props.workspace, move |cursor| {
            let client = client.clone();
            async move { client.custom_fields().list(ListParams::after(cursor)).await }
        })
    };
    // Edited texts by field id.
    let drafts = use_state(BTreeMap::<i64, String>::new);
    // Errors by field id, and the one said under the form.
    let errors = use_state(BTreeMap::<i64, String>::new);
    let general = use_state(|| None::<AttrValue>);
    let saved = use_state(|| false);
    let editable: Vec<CustomField> = defs.items.iter().flatten().cloned().collect();
    let current = |f: &CustomField| {
        drafts.get(&f.id).cloned().unwrap_or_else(|| {
            props
                .subscriber
                .fields
                .get(&f.name)
                .map(|v| shown_value(f.field_type, v))
                .unwrap_or_default()
        })
    };

    let onsubmit = {
        let (drafts, errors, general, saved) =
            (drafts.clone(), errors.clone(), general.clone(), saved.clone());
        let (ctx, client, onchange) = (props.ctx.clone(), client.clone(), props.onchange.clone());
        let (id, editable) = (props.subscriber.id.clone(), editable.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let changed: Vec<&CustomField> = editable.iter().filter(|f| drafts.contains_key(&f.id)).collect();
            if changed.is_empty() {
                return;
            }
            let values: Vec<FieldValue> = changed
                .iter()
                .map(|f| FieldValue {
                    field: IdOrName::Id(f.id),
                    value: sent_value(f.field_type, &drafts[&f.id]),
                })
                .collect();
            let ids: Vec<i64> = changed.iter().map(|f| f.id).collect();
            let (drafts, errors, general, saved) =
                (drafts.clone(), errors.clone(), general.clone(), saved.clone());
            let (ctx, client, onchange, id) = (ctx.clone(), client.clone(), onchange.clone(), id.clone());
            spawn_local(async move {
                match client.subscribers().set_fields(&id, &values).await {
                    Ok(s) => {
                        drafts.set(BTreeMap::new());
                        errors.set(BTreeMap::new());
                        general.set(None);
                        saved.set(true);
                        onchange.emit(s);
                    }
                    Err(e) => {
                        let shown = ctx.shown(&e);
                        // `/fields/{i}/value` (or `/field`) is the i-th value sent.
                        let at = |pointer: &str| {
                            let i = pointer
                                .strip_prefix("/fields/")?
                                .split('/')
                                .next()?
                                .parse::<usize>()
                                .ok()?;
                            ids.get(i).copied()
                        };
                        let mut by_field = BTreeMap::new();
                        let mut unplaced = shown.general.clone();
                        for (pointer, message) in &shown.fields {
                            match at(pointer) {
                                Some(field) => {
                                    by_field.insert(field, message.clone());
                                }
                                None => unplaced = unplaced.or(Some(message.clone())),
                            }
                        }
                        errors.set(by_field);
                        general.set(unplaced.map(AttrValue::from));
                        saved.set(false);
                    }
                }
            });
        })
    };

    let control = |f: &CustomField| {
        let id = format!("field-{}", f.id);
        let error = errors.get(&f.id).cloned().map(AttrValue::from);
        let oninput = {
            let (drafts, saved, field) = (drafts.clone(), saved.clone(), f.id);
            Callback::from(move |text: String| {
                let mut next = (*drafts).clone();
                next.insert(field, text);
                drafts.set(next);
                saved.set(false);
            })
        };
        let value = current(f);
        if f.field_type == FieldType::Boolean {
            let onchange = oninput.reform(|e: Event| e.target_unchecked_into::<HtmlSelectElement>().value());
            let error_id = format!("{id}-error");
            return html! {
                <div class="field" key={id.clone()}>
                    <label for={id.clone()}>{ f.name.clone() }</label>
                    <select id={id.clone()} {onchange} aria-invalid={error.is_some().then_some("true")}
                        aria-describedby={error.is_some().then(|| error_id.clone())}>
                        <option value="" selected={value.is_empty()}>{ "Not set" }</option>
                        <option value="true" selected={value == "true"}>{ "Yes" }</option>
                        <option value="false" selected={value == "false"}>{ "No" }</option>
                    </select>
                    <ErrorText id={error_id} message={error} />
                </div>
            };
        }
        let (kind, hint, multiline) = match f.field_type {
            FieldType::Number => ("number", None, false),
            FieldType::Date => ("date", None, false),
            FieldType::Datetime => ("text", Some("RFC 3339, e.g. 2026-12-07T09:30:00Z"), false),
            FieldType::Array => ("text", Some("One item a line"), true),
            FieldType::LongText => ("text", None, true),
            FieldType::Text | FieldType::Boolean => ("text", None, false),
        };
        html! {
            <TextField key={id.clone()} id={id.clone()} label={f.name.clone()} value={value} {oninput} {error}
                hint={hint.map(AttrValue::Static)} {multiline} kind={kind} />
        }
    };
    html! {
        <form class="field-values" {onsubmit} aria-labelledby="field-values-title">
            <h4 id="field-values-title">{ "Custom fields" }</h4>
            <ErrorText id="field-values-list-error" message={(*defs.error).clone()} />
            if defs.items.is_some() && editable.is_empty() {
                <p class="muted">{ "The workspace has no custom fields." }</p>
            }
            { for editable.iter().map(control) }
            if !editable.is_empty() {
                <button type="submit">{ "Save fields" }</button>
            }
            <ErrorText id="field-values-error" message={(*general).clone()} />
            <p role="status" class="muted">{ if *saved { "Saved." } else { "" } }</p>
        </form>
    }
}
