//! One lead form (or a new one): its definition as JSON, checked as it is typed by the
//! model's own rules, a live preview, and publishing.

use super::app::Ctx;
use super::error_text::ErrorText;
use super::form_draft::{self, Problem};
use super::form_preview::FormPreview;
use super::link::{Link, Navigate};
use super::route::Route;
use parlo_model::form::Form;
use parlo_model::ids::FormId;
use web_sys::HtmlTextAreaElement;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`FormEditor`].
#[derive(Properties, PartialEq)]
pub struct FormEditorProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
    /// The form; `None` for a new one.
    pub id: Option<FormId>,
}

/// The public view of `form` as JSON, for the preview.
fn preview_json(form: &Form) -> Option<AttrValue> {
    serde_json::to_string(&form.public_view(String::new()))
        .ok()
        .map(AttrValue::from)
}

/// What the draft `text` gives for the preview: its public view when it reads and is valid.
fn preview_of(text: &str, keep_id: Option<&FormId>) -> Option<AttrValue> {
    form_draft::read(text, true, keep_id)
        .ok()
        .as_ref()
        .and_then(preview_json)
}

/// Selects line `line` (1-based) of the text area `id` and moves the focus there.
fn go_to_line(id: &str, line: usize) {
    let area = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<HtmlTextAreaElement>(e).ok());
    let Some(area) = area else { return };
    let text = area.value();
    // Offsets in UTF-16 code units, as the DOM counts them.
    let mut start = 0_u32;
    for (i, l) in text.split('\n').enumerate() {
        let len = u32::try_from(l.encode_utf16().count()).unwrap_or(u32::MAX);
        if i + 1 == line {
            let _ = area.focus();
            let _ = area.set_selection_range(start, start.saturating_add(len));
            return;
        }
        start = start.saturating_add(len + 1);
    }
}

/// The id of the definition's text area.
const TEXT_ID: &str = "form-json";

/// The form's definition in a text area (JSON, every member of the API's `Form` but
/// `published`) with line numbers, its problems marked there and listed under it, each with
/// the line it is on (a button that selects that line): the browser's check (the model's [`Form::validate`], the same code as
/// the server's) once saving was tried and at every change from then on, or the server's
/// 422 `errors` placed the same way. Nothing is sent while the draft has problems, and the
/// draft stays as typed when saving fails. Beside it the [`FormPreview`] of the draft (of the
/// last valid one while it has problems). A saved form has "Publish" or "Unpublish", which
/// change only `published` of the saved definition; new forms are created unpublished.
#[component]
pub fn FormEditor(props: &FormEditorProps) -> Html {
    let text = use_state(form_draft::template);
    let saved = use_state(|| None::<Form>);
    let problems = use_state(Vec::<Problem>::new);
    let checked = use_state(|| false);
    let preview = use_state(|| preview_of(&form_draft::template(), None));
    let general = use_state(|| None::<String>);
    let publish_error = use_state(|| None::<String>);
    let status = use_state(|| None::<&'static str>);
    let saving = use_state(|| false);
    let navigate = use_context::<Navigate>();
    let gutter = use_node_ref();
    let client = props.ctx.client(props.workspace);
    {
        let (text, saved, problems, checked, preview, general, status) = (
            text.clone(),
            saved.clone(),
            problems.clone(),
            checked.clone(),
            preview.clone(),
            general.clone(),
            status.clone(),
        );
        let (client, ctx, publish_error) = (client.clone(), props.ctx.clone(), publish_error.clone());
        use_effect_with(
            (props.ctx.clone(), props.workspace, props.id.clone()),
            move |(_, _, id)| {
                problems.set(Vec::new());
                checked.set(false);
                general.set(None);
                publish_error.set(None);
                match id.clone() {
                    None => {
                        let template = form_draft::template();
                        preview.set(preview_of(&template, None));
                        text.set(template);
                        saved.set(None);
                        status.set(None);
                    }
                    Some(id) => spawn_local(async move {
                        if saved.as_ref().is_some_and(|f| f.id != id) {
                            saved.set(None);
                        }
                        match client.forms().get(&id).await {
                            Ok(form) => {
                                preview.set(preview_json(&form));
                                text.set(form_draft::text_of(&form));
                                saved.set(Some(form));
                            }
                            Err(e) => general.set(ctx.shown(&e).general),
                        }
                    }),
                }
            },
        );
    }
    let keep_id = props.id.clone();
    let oninput = {
        let (text, problems, checked, preview, status) = (
            text.clone(),
            problems.clone(),
            checked.clone(),
            preview.clone(),
            status.clone(),
        );
        let keep_id = keep_id.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            let read = form_draft::read(&value, true, keep_id.as_ref());
            if let Ok(form) = &read {
                preview.set(preview_json(form));
            }
            if *checked {
                problems.set(read.err().unwrap_or_default());
            }
            status.set(None);
            text.set(value);
        })
    };
    let onsubmit = {
        let (text, saved, problems, checked, general, status, saving) = (
            text.clone(),
            saved.clone(),
            problems.clone(),
            checked.clone(),
            general.clone(),
            status.clone(),
            saving.clone(),
        );
        let (ctx, workspace, client) = (props.ctx.clone(), props.workspace, client.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            checked.set(true);
            status.set(None);
            let published = saved.as_ref().is_some_and(|f| f.published);
            let form = match form_draft::read(&text, published, keep_id.as_ref()) {
                Ok(form) => form,
                Err(found) => {
                    problems.set(found);
                    general.set(None);
                    return;
                }
            };
            problems.set(Vec::new());
            let (client, text, saved, problems, general, status, saving, navigate, ctx) = (
                client.clone(),
                (*text).clone(),
                saved.clone(),
                problems.clone(),
                general.clone(),
                status.clone(),
                saving.clone(),
                navigate.clone(),
                ctx.clone(),
            );
            let new = saved.is_none();
            saving.set(true);
            spawn_local(async move {
                let result = if new {
                    client.forms().create(&form).await
                } else {
                    client.forms().put(&form).await
                };
                saving.set(false);
                match result {
                    Ok(form) => {
                        general.set(None);
                        status.set(Some("Saved."));
                        let to = Route::Form(workspace, form.id.clone());
                        saved.set(Some(form));
                        if let (true, Some(navigate)) = (new, navigate) {
                            navigate.0.emit(to);
                        }
                    }
                    Err(e) => {
                        let mut shown = ctx.shown(&e);
                        // 409: another form (of any workspace) has the id.
                        if e.status() == Some(409)
                            && let Some(message) = shown.general.take()
                        {
                            shown.fields.push(("/id".to_owned(), message));
                        }
                        problems.set(form_draft::placed(&text, &shown.fields));
                        general.set(shown.general);
                    }
                }
            });
        })
    };
    let onpublish = {
        let (saved, publish_error, client, ctx) = (
            saved.clone(),
            publish_error.clone(),
            client.clone(),
            props.ctx.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some(mut form) = (*saved).clone() else { return };
            form.published = !form.published;
            let (saved, publish_error, client, ctx) =
                (saved.clone(), publish_error.clone(), client.clone(), ctx.clone());
            spawn_local(async move {
                match client.forms().put(&form).await {
                    Ok(form) => {
                        publish_error.set(None);
                        saved.set(Some(form));
                    }
                    Err(e) => publish_error.set(Some(ctx.shown(&e).general.unwrap_or_else(|| {
                        "The saved definition has problems: save a valid one first.".to_owned()
                    }))),
                }
            });
        })
    };

    let title = match (&props.id, &*saved) {
        (None, _) => "New form".to_owned(),
        (Some(_), Some(f)) => format!("Form “{}”", f.name),
        (Some(id), None) => format!("Form {}", id.as_str()),
    };
    let error_list = (!problems.is_empty()).then(|| {
        let items = problems.iter().map(|p| {
            let line = p.line;
            let onclick = Callback::from(move |_: MouseEvent| go_to_line(TEXT_ID, line));
            html! {
                <li>
                    <button type="button" class="line" {onclick}>{ format!("Line {line}") }</button>
                    if !p.pointer.is_empty() { { " " }<code>{ p.pointer.clone() }</code> }
                    { format!(": {}", p.message) }
                </li>
            }
        });
        let count = problems.len();
        html! {
            <div id="form-json-errors" class="problems" role="alert">
                <p class="error">{ format!(
                    "Not saved: {count} {} (the line buttons select the line).",
                    if count == 1 { "problem" } else { "problems" }
                ) }</p>
                <ul>{ for items }</ul>
            </div>
        }
    });
    // The line numbers beside the text, those with a problem marked; scrolled with the text.
    let numbers = {
        let count = text.split('\n').count();
        (1..=count)
            .map(|n| {
                let bad = problems.iter().any(|p| p.line == n);
                html! { <span class={classes!(bad.then_some("bad"))}>{ format!("{n}\n") }</span> }
            })
            .collect::<Html>()
    };
    let onscroll = {
        let gutter = gutter.clone();
        Callback::from(move |e: Event| {
            let area = e.target_unchecked_into::<HtmlTextAreaElement>();
            if let Some(g) = gutter.cast::<web_sys::Element>() {
                g.set_scroll_top(area.scroll_top());
            }
        })
    };
    let described = if problems.is_empty() {
        "form-json-hint"
    } else {
        "form-json-hint form-json-errors"
    };
    let publishing = saved.as_ref().map(|f| {
        let (state, explain, action) = if f.published {
            (
                "Published",
                "pages with this form show it and accept leads.",
                "Unpublish",
            )
        } else {
            (
                "Not published",
                "pages with this form say it isn't available, and no lead is accepted.",
                "Publish",
            )
        };
        html! {
            <section class="publishing" aria-labelledby="publish-title">
                <h2 id="publish-title">{ "Publishing" }</h2>
                <p role="status"><strong class={classes!("state", f.published.then_some("on"))}>{ state }</strong>
                    { format!(": {explain}") }</p>
                <button type="button" onclick={onpublish.clone()}>{ action }</button>
                <ErrorText id="publish-error" message={(*publish_error).clone().map(AttrValue::from)} />
                <p class="muted">{ "Publishing changes only that: unsaved edits stay in the editor. On a page with the embed snippet: " }
                    <code>{ format!("<parlo-form form=\"{}\"></parlo-form>", f.id.as_str()) }</code></p>
            </section>
        }
    });
    let loading = props.id.is_some() && saved.is_none();
    html! {
        <>
            <p><Link to={Route::Forms(props.workspace)}>{ "← All forms" }</Link></p>
            <h1>{ title }</h1>
            { for publishing }
            if loading {
                <ErrorText id="form-load-error" message={(*general).clone().map(AttrValue::from)} />
                if general.is_none() {
                    <p aria-busy="true">{ "Loading…" }</p>
                }
            } else {
            <div class="form-editor">
                <form {onsubmit} aria-labelledby="definition-title" novalidate=true>
                    <h2 id="definition-title">{ "Definition" }</h2>
                    <div class="field">
                        <label for={TEXT_ID}>{ "Form definition (JSON)" }</label>
                        <p class="muted hint" id="form-json-hint">{
                            "The API's form: id (fixed once saved), name, fields (name, type, label, required, options…), \
                             submit_label, success, allowed_origins, min_fill_ms. Checked with the server's own rules."
                        }</p>
                        <div class="code-area">
                            <pre class="gutter" aria-hidden="true" ref={gutter}>{ numbers }</pre>
                            <textarea id={TEXT_ID} class="code" rows="24" spellcheck="false" wrap="off"
                                value={(*text).clone()} {oninput} {onscroll}
                                aria-invalid={(!problems.is_empty()).then_some("true")}
                                aria-describedby={described} />
                        </div>
                        { for error_list }
                    </div>
                    <ErrorText id="form-error" message={(*general).clone().map(AttrValue::from)} />
                    <button type="submit" disabled={*saving}>{ if saved.is_some() { "Save changes" } else { "Create form" } }</button>
                    <p class="muted" role="status">{ status.unwrap_or_default() }</p>
                </form>
                <section aria-labelledby="preview-title">
                    <h2 id="preview-title">{ "Preview" }</h2>
                    <p class="muted">{ "As visitors see it, with the unsaved draft (the last valid one while it has problems). Sending the preview sends nothing." }</p>
                    if let Some(form) = (*preview).clone() {
                        <FormPreview {form} />
                    }
                </section>
            </div>
            }
        </>
    }
}
