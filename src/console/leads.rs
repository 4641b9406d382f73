//! Leads: by form and date range, newest first, page after page; CSV export.

use super::app::Ctx;
use super::download;
use super::error_text::ErrorText;
use super::link::Link;
use super::paged::{Found, load_page};
use super::problem::Shown;
use super::route::Route;
use crate::management::{LeadFilter, ListParams, all_pages};
use parlo_model::form::Form;
use parlo_model::lead::Lead;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`Leads`].
#[derive(Properties, PartialEq)]
pub struct LeadsProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
}

/// A form and a date range (both optional) → the matching leads, 20 at a time with "Load
/// more" (`GET /api/v1/leads`), each a link to the lead; "Export CSV" saves every matching
/// lead as the server's export (`GET /api/v1/leads/export.csv`).
#[component]
pub fn Leads(props: &LeadsProps) -> Html {
    let forms = use_state(Vec::<Form>::new);
    let filter = use_state(LeadFilter::default);
    let found = use_state(|| None::<Found<Lead>>);
    let shown = use_state(Shown::default);
    let (form_ref, from_ref, to_ref) = (use_node_ref(), use_node_ref(), use_node_ref());
    let client = props.ctx.client(props.workspace);

    {
        let (forms, client) = (forms.clone(), client.clone());
        use_effect_with((props.ctx.clone(), props.workspace), move |_| {
            spawn_local(async move {
                if let Ok(all) = all_pages(|c| client.forms().list(ListParams::after(c))).await {
                    forms.set(all);
                }
            });
        });
    }
    // Loads the first page of `filter`, or the next page after `cursor`.
    let load = {
        let (client, found, shown) = (client.clone(), found.clone(), shown.clone());
        let ctx = props.ctx.clone();
        move |filter: LeadFilter, cursor: Option<String>| {
            let client = client.clone();
            let params = ListParams {
                limit: None,
                cursor: cursor.clone(),
            };
            load_page(&ctx, &found, &shown, cursor, async move {
                client.leads().list(&filter, params).await
            });
        }
    };
    {
        let load = load.clone();
        use_effect_with((props.ctx.clone(), props.workspace), move |_| {
            load(LeadFilter::default(), None)
        });
    }
    let onsubmit = {
        let (filter, load) = (filter.clone(), load.clone());
        let (form_ref, from_ref, to_ref) = (form_ref.clone(), from_ref.clone(), to_ref.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let form = form_ref
                .cast::<HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            let date = |r: &NodeRef| {
                r.cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .filter(|v| !v.is_empty())
            };
            let next = LeadFilter {
                form_id: (!form.is_empty()).then_some(form),
                from: date(&from_ref).map(|d| format!("{d}T00:00:00Z")),
                to: date(&to_ref).map(|d| format!("{d}T23:59:59.999Z")),
            };
            filter.set(next.clone());
            load(next, None);
        })
    };
    let onmore = {
        let (filter, found, load) = (filter.clone(), found.clone(), load.clone());
        Callback::from(move |_: MouseEvent| {
            let cursor = found.as_ref().and_then(|f| f.next_cursor.clone());
            load((*filter).clone(), cursor);
        })
    };
    let export_error = use_state(|| None::<AttrValue>);
    let onexport = {
        let (client, filter, export_error) = (client.clone(), filter.clone(), export_error.clone());
        let ctx = props.ctx.clone();
        Callback::from(move |_: MouseEvent| {
            let (client, filter, export_error) = (client.clone(), (*filter).clone(), export_error.clone());
            let ctx = ctx.clone();
            spawn_local(async move {
                let saved = match client.leads().export_csv(&filter).await {
                    Ok(csv) => {
                        download::save("leads.csv", "text/csv", &csv).map_err(|e| crate::client::describe(&e))
                    }
                    Err(e) => Err(ctx.shown(&e).general.unwrap_or_default()),
                };
                export_error.set(saved.err().map(AttrValue::from));
            });
        })
    };

    let form_name = |id: &str| {
        forms
            .iter()
            .find(|f| f.id.as_str() == id)
            .map_or_else(|| id.to_owned(), |f| f.name.clone())
    };
    let range_error = shown
        .field("/from")
        .or(shown.field("/to"))
        .or(shown.general.clone());
    let rows = found.as_ref().map(|found| {
        if found.items.is_empty() {
            return html! { <p>{ "No leads match." }</p> };
        }
        html! {
            <table>
                <caption>{ "Leads, newest first" }</caption>
                <thead><tr>
                    <th scope="col">{ "Received" }</th><th scope="col">{ "Form" }</th>
                    <th scope="col">{ "Values" }</th>
                </tr></thead>
                <tbody>
                    { for found.items.iter().map(|lead| html! {
                        <tr key={lead.id.as_str().to_owned()}>
                            <th scope="row">
                                <Link to={Route::Lead(props.workspace, lead.id.clone())}>{ lead.created_at.replace('T', " ").get(..16).unwrap_or_default().to_owned() }</Link>
                            </th>
                            <td>{ form_name(lead.form_id.as_str()) }</td>
                            <td>{ summary(lead) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        }
    });
    let more = found.as_ref().is_some_and(|f| f.next_cursor.is_some());
    html! {
        <>
            <h1>{ "Leads" }</h1>
            <form class="filters" {onsubmit} aria-label="Filter leads">
                <div>
                    <label for="lead-form">{ "Form" }</label>
                    <select id="lead-form" ref={form_ref}>
                        <option value="">{ "All forms" }</option>
                        { for forms.iter().map(|f| html! {
                            <option value={f.id.as_str().to_owned()}>{ f.name.clone() }</option>
                        }) }
                    </select>
                </div>
                <div>
                    <label for="lead-from">{ "From" }</label>
                    <input id="lead-from" type="date" ref={from_ref} aria-describedby="range-error" />
                </div>
                <div>
                    <label for="lead-to">{ "To" }</label>
                    <input id="lead-to" type="date" ref={to_ref} aria-describedby="range-error" />
                </div>
                <button type="submit">{ "Show leads" }</button>
                <button type="button" onclick={onexport}>{ "Export CSV" }</button>
            </form>
            <ErrorText id="range-error" message={range_error.map(AttrValue::from)} />
            <ErrorText id="export-error" message={(*export_error).clone()} />
            { rows.unwrap_or_else(|| html! { <p aria-busy="true">{ "Loading…" }</p> }) }
            if more {
                <button type="button" onclick={onmore}>{ "Load more" }</button>
            }
        </>
    }
}

/// The first values of a lead, `name: value` joined by ` · ` (at most three).
fn summary(lead: &Lead) -> String {
    lead.values
        .iter()
        .take(3)
        .map(|(name, value)| format!("{name}: {}", value.display()))
        .collect::<Vec<_>>()
        .join(" · ")
}
