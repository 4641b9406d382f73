//! One channel's settings (or a new channel's), a live preview of its widget, and its embed
//! snippet.

use super::app::Ctx;
use super::channel_form::{Draft, field_error};
use super::created_key::CreatedKey;
use super::error_text::ErrorText;
use super::link::{Link, Navigate};
use super::route::Route;
use super::snippet::Snippet;
use super::text_field::TextField;
use super::widget_preview::WidgetPreview;
use super::workspace_lists::{use_flows, use_forms};
use parlo_model::channel::{Channel, ChannelWithSecret};
use parlo_model::ids::ChannelId;
use web_sys::HtmlSelectElement;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`ChannelEdit`].
#[derive(Properties, PartialEq)]
pub struct ChannelEditProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
    /// The channel; `None` for a new one.
    pub id: Option<ChannelId>,
}

/// One text field of the form: its JSON pointer, label, hint and whether it takes one
/// item a line.
struct Field(&'static str, &'static str, &'static str, bool);

/// The form's groups (legend, fields), in order.
const GROUPS: [(&str, &[Field]); 4] = [
    (
        "Basics",
        &[
            Field(
                "/name",
                "Name",
                "Shown in the widget's header, 1 to 100 characters.",
                false,
            ),
            Field(
                "/allowed_origins",
                "Allowed origins",
                "One a line, as the browser sends it: https://shop.example (scheme, host, optional port; no path or trailing /).",
                true,
            ),
            Field(
                "/greeting",
                "Greeting",
                "The line under the name, e.g. “Usually replies in a minute”.",
                false,
            ),
        ],
    ),
    (
        "Look",
        &[
            Field(
                "/theme/primary_color",
                "Accent colour",
                "#rrggbb, e.g. #2563eb.",
                false,
            ),
            Field(
                "/theme/on_primary_color",
                "Text colour on the accent",
                "#rrggbb, e.g. #ffffff.",
                false,
            ),
            Field(
                "/theme/launcher_label",
                "Launcher label",
                "Text beside the launcher icon; icon only when empty.",
                false,
            ),
            Field(
                "/theme/font_family",
                "Font",
                "A CSS font family the page loads, e.g. Georgia, serif; the system font when empty.",
                false,
            ),
            Field(
                "/theme/corner_radius",
                "Corner radius",
                "CSS pixels; 16 when empty.",
                false,
            ),
            Field(
                "/theme/offset_bottom",
                "Distance from the bottom",
                "CSS pixels; 20 when empty.",
                false,
            ),
            Field(
                "/theme/offset_side",
                "Distance from the side",
                "CSS pixels; 20 when empty.",
                false,
            ),
            Field(
                "/theme/proactive_message/text",
                "Proactive message",
                "A bubble beside the closed launcher; none when empty.",
                false,
            ),
            Field(
                "/theme/proactive_message/delay_seconds",
                "Proactive message delay",
                "Seconds on the page before it shows; 0 when empty.",
                false,
            ),
        ],
    ),
    (
        "Business hours",
        &[
            Field(
                "/business_hours/time_zone",
                "Time zone",
                "IANA name, e.g. Europe/Paris. Leave the three fields empty to be always online.",
                false,
            ),
            Field(
                "/business_hours/weekly",
                "Opening hours",
                "One range a line, e.g. monday 09:00-17:30.",
                true,
            ),
            Field(
                "/business_hours/away_message",
                "Away message",
                "What the widget says outside the hours.",
                false,
            ),
        ],
    ),
    (
        "Conversation",
        &[
            Field(
                "/welcome_flow",
                "Welcome flow",
                "Id of the flow run when a new visitor opens the chat (pick one of your flows or type its id); none when empty.",
                false,
            ),
            Field(
                "/fallback_flow",
                "Fallback flow",
                "Id of the flow run on text nothing else answers; none when empty.",
                false,
            ),
            Field(
                "/pre_chat_form",
                "Pre-chat form",
                "Id of a lead form the visitor fills in before the first chat (pick one of your forms or type its id); none when empty.",
                false,
            ),
            Field(
                "/ice_breakers",
                "Ice breakers",
                "Up to 4 starter questions, one a line: title | flow id, e.g. Where is my order? | order_status.",
                true,
            ),
            Field(
                "/main_menu",
                "Main menu",
                "Up to 10 items, one a line: title | flow id, or title | https://link.",
                true,
            ),
        ],
    ),
];

/// Id of the `<datalist>` suggesting values for the field at `pointer`: the workspace's
/// flows for the flow fields, its forms for the pre-chat form.
fn suggestions(pointer: &str) -> Option<AttrValue> {
    match pointer {
        "/welcome_flow" | "/fallback_flow" => Some(AttrValue::Static("ch-flow-ids")),
        "/pre_chat_form" => Some(AttrValue::Static("ch-form-ids")),
        _ => None,
    }
}

/// The id of the control of the field at `pointer` (`/theme/font_family` → `ch-theme-font_family`).
fn control_id(pointer: &str) -> String {
    format!("ch{}", pointer.replace('/', "-"))
}

/// A form of every setting the console edits ([`Draft`]); the API's field errors are shown
/// under their fields and the form keeps what was typed. A saved channel shows its embed
/// snippet and a live preview of its widget with the look as typed ([`WidgetPreview`]); a
/// new one also its identity secret, once ([`CreatedKey`]).
#[component]
pub fn ChannelEdit(props: &ChannelEditProps) -> Html {
    let draft = use_state(Draft::new_channel);
    let channel = use_state(|| None::<Channel>);
    let created = use_state(|| None::<ChannelWithSecret>);
    let errors = use_state(Vec::<(String, String)>::new);
    let general = use_state(|| None::<String>);
    let status = use_state(|| None::<&'static str>);
    let saving = use_state(|| false);
    let navigate = use_context::<Navigate>();
    let client = props.ctx.client(props.workspace);
    let flows = use_flows(&props.ctx, props.workspace);
    let forms = use_forms(&props.ctx, props.workspace);
    let datalist = |id: &'static str, options: Vec<(String, String)>| {
        html! {
            <datalist {id}>
                { for options.into_iter().map(|(value, name)| html! { <option {value}>{ name }</option> }) }
            </datalist>
        }
    };
    let flow_ids = flows
        .items
        .iter()
        .flatten()
        .map(|f| (f.id.as_str().to_owned(), f.name.clone()));
    let form_ids = forms
        .items
        .iter()
        .flatten()
        .map(|f| (f.id.as_str().to_owned(), f.name.clone()));
    let datalists = html! {
        <>
            { datalist("ch-flow-ids", flow_ids.collect()) }
            { datalist("ch-form-ids", form_ids.collect()) }
        </>
    };
    {
        let (draft, channel, created, general, client) = (
            draft.clone(),
            channel.clone(),
            created.clone(),
            general.clone(),
            client.clone(),
        );
        let (errors, status, ctx) = (errors.clone(), status.clone(), props.ctx.clone());
        use_effect_with(
            (props.ctx.clone(), props.workspace, props.id.clone()),
            move |(_, _, id)| {
                // Another channel's errors and messages do not apply; the secret of the
                // channel just created (which this leads to) stays.
                errors.set(Vec::new());
                general.set(None);
                status.set(None);
                let id = id.clone();
                match id {
                    None => {
                        draft.set(Draft::new_channel());
                        channel.set(None);
                        created.set(None);
                    }
                    Some(id) => spawn_local(async move {
                        if channel.as_ref().is_some_and(|c| c.id != id) {
                            channel.set(None);
                        }
                        match client.channels().get(&id).await {
                            Ok(c) => {
                                draft.set(Draft::of(&c.settings));
                                channel.set(Some(c));
                            }
                            Err(e) => general.set(ctx.shown(&e).general),
                        }
                    }),
                }
            },
        );
    }
    let onsubmit = {
        let (draft, channel, created, errors, general, status, saving) = (
            draft.clone(),
            channel.clone(),
            created.clone(),
            errors.clone(),
            general.clone(),
            status.clone(),
            saving.clone(),
        );
        let (ctx, id, workspace) = (props.ctx.clone(), props.id.clone(), props.workspace);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            status.set(None);
            let settings = match draft.settings() {
                Ok(s) => s,
                Err(found) => {
                    errors.set(found);
                    general.set(None);
                    return;
                }
            };
            let (client, channel, created, errors, general, status, saving, navigate, id, ctx) = (
                client.clone(),
                channel.clone(),
                created.clone(),
                errors.clone(),
                general.clone(),
                status.clone(),
                saving.clone(),
                navigate.clone(),
                id.clone(),
                ctx.clone(),
            );
            saving.set(true);
            spawn_local(async move {
                let result = match &id {
                    Some(id) => client.channels().put(id, &settings).await.map(|c| (c, None)),
                    None => client
                        .channels()
                        .create(&settings)
                        .await
                        .map(|c| (c.channel.clone(), Some(c))),
                };
                saving.set(false);
                match result {
                    Ok((saved, new)) => {
                        errors.set(Vec::new());
                        general.set(None);
                        status.set(Some("Saved."));
                        let to = Route::Channel(workspace, saved.id.clone());
                        channel.set(Some(saved));
                        if new.is_some() {
                            created.set(new);
                            if let Some(navigate) = navigate {
                                navigate.0.emit(to);
                            }
                        }
                    }
                    Err(e) => {
                        let shown = ctx.shown(&e);
                        errors.set(shown.fields);
                        general.set(shown.general);
                    }
                }
            });
        })
    };
    let claimed = |pointer: &str| {
        GROUPS
            .iter()
            .flat_map(|(_, fields)| fields.iter())
            .any(|f| pointer == f.0 || pointer.starts_with(&format!("{}/", f.0)))
    };
    let others: Vec<String> = errors
        .iter()
        .filter(|(p, _)| !claimed(p))
        .map(|(p, m)| format!("{p}: {m}"))
        .collect();
    let summary = (!errors.is_empty()).then(|| {
        let mut text = "The channel was not saved: see the fields marked below.".to_owned();
        for other in &others {
            text.push(' ');
            text.push_str(other);
        }
        AttrValue::from(text)
    });
    let groups = GROUPS.iter().map(|(legend, fields)| {
        let inputs = fields.iter().map(|f| {
            let oninput = {
                let (draft, pointer) = (draft.clone(), f.0);
                Callback::from(move |text: String| {
                    let mut next = (*draft).clone();
                    next.set(pointer, text);
                    draft.set(next);
                })
            };
            html! {
                <TextField id={control_id(f.0)} label={f.1} hint={Some(AttrValue::Static(f.2))} multiline={f.3}
                    list={suggestions(f.0)}
                    value={AttrValue::from(draft.get(f.0).to_owned())} {oninput}
                    error={field_error(&errors, f.0).map(AttrValue::from)} />
            }
        });
        let position = (*legend == "Look").then(|| {
            let onchange = {
                let draft = draft.clone();
                Callback::from(move |e: Event| {
                    let mut next = (*draft).clone();
                    next.set("/theme/position", e.target_unchecked_into::<HtmlSelectElement>().value());
                    draft.set(next);
                })
            };
            let left = draft.get("/theme/position") == "left";
            html! {
                <div class="field">
                    <label for="ch-theme-position">{ "Launcher corner" }</label>
                    <select id="ch-theme-position" {onchange}>
                        <option value="right" selected={!left}>{ "Bottom right" }</option>
                        <option value="left" selected={left}>{ "Bottom left" }</option>
                    </select>
                </div>
            }
        });
        html! {
            <fieldset>
                <legend>{ *legend }</legend>
                { for inputs }
                { for position }
            </fieldset>
        }
    });
    let title = match (&props.id, &*channel) {
        (None, _) => "New channel".to_owned(),
        (Some(_), Some(c)) => format!("Channel “{}”", c.settings.name),
        (Some(id), None) => format!("Channel {}", id.as_str()),
    };
    let ondismiss = {
        let created = created.clone();
        Callback::from(move |()| created.set(None))
    };
    html! {
        <>
            <p><Link to={Route::Channels(props.workspace)}>{ "← All channels" }</Link></p>
            <h1>{ title }</h1>
            if let Some(new) = (*created).clone() {
                <CreatedKey title="Identity secret of the new channel" label="Identity secret" noun="secret"
                    if_lost="Your server signs visitor identities with it; if you lose it, rotate it over the API."
                    secret={new.identity_secret} {ondismiss} />
            }
            if let Some(c) = &*channel {
                <Snippet code={c.embed_snippet.clone()} />
            }
            if props.id.is_some() && channel.is_none() {
                <ErrorText id="channel-load-error" message={(*general).clone().map(AttrValue::from)} />
                if general.is_none() {
                    <p aria-busy="true">{ "Loading…" }</p>
                }
            } else {
            <form class="settings" {onsubmit} aria-labelledby="settings-title" novalidate=true>
                <h2 id="settings-title">{ "Settings" }</h2>
                { datalists }
                <ErrorText id="channel-errors" message={summary} />
                { for groups }
                <ErrorText id="channel-error" message={(*general).clone().map(AttrValue::from)} />
                <button type="submit" disabled={*saving}>{ if props.id.is_some() { "Save changes" } else { "Create channel" } }</button>
                <p class="muted" role="status">{ status.unwrap_or_default() }</p>
            </form>
            if let Some(c) = &*channel {
                <WidgetPreview channel={c.id.clone()} theme={draft.settings().ok().map(|s| s.theme)} />
            }
            }
        </>
    }
}
