//! One flow: its document in a text editor checked as the owner types, saving, and its
//! statistics per step.

use super::app::Ctx;
use super::error_text::ErrorText;
use super::flow_check::{self, Problem};
use super::flow_code::{FlowCode, select_line};
use super::flow_draft;
use super::flow_problems::FlowProblems;
use super::flow_statistics::FlowStats;
use super::link::Link;
use super::route::Route;
use super::use_listed::confirm;
use crate::management::{Client, Error, FlowFilter, ListParams, all_pages};
use gloo_timers::callback::Timeout;
use gloo_timers::future::sleep;
use parlo_model::flow::Flow;
use parlo_model::ids::FlowId;
use parlo_model::problem::FieldError;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;
use web_sys::HtmlTextAreaElement;
use yew::platform::spawn_local;
use yew::prelude::*;

/// How long the text must rest before it is checked.
const DEBOUNCE_MS: u32 = 300;
/// The first and the longest wait between two tries of a save that got no answer.
const RETRY: (Duration, Duration) = (Duration::from_secs(1), Duration::from_secs(10));

/// Props of [`FlowEditor`].
#[derive(Properties, PartialEq)]
pub struct FlowEditorProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
    /// The flow.
    pub id: FlowId,
}

/// The document as the editor shows it: pretty JSON.
fn pretty(flow: &Flow) -> String {
    serde_json::to_string_pretty(flow).unwrap_or_default()
}

/// What a save is doing.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Saving {
    /// Nothing.
    Idle,
    /// The request is out.
    Sending,
    /// It got no answer: tried again until the server answers.
    Reconnecting,
}

/// Everything a save changes, cloned into its task.
#[derive(Clone)]
struct Saver {
    ctx: Ctx,
    client: Client,
    workspace: i64,
    id: FlowId,
    /// The text as typed last (a save that waits for the connection sends the newest).
    latest: Rc<RefCell<String>>,
    /// The workspace's flow ids, for [`flow_check::check`].
    known: Rc<RefCell<Vec<FlowId>>>,
    /// Whether the screen is still shown (a reconnecting save stops when it is left).
    alive: Rc<Cell<bool>>,
    saved: UseStateHandle<Option<Flow>>,
    local: UseStateHandle<Vec<Problem>>,
    server: UseStateHandle<Vec<FieldError>>,
    status: UseStateHandle<Option<AttrValue>>,
    general: UseStateHandle<Option<AttrValue>>,
    saving: UseStateHandle<Saving>,
    version: UseStateHandle<u32>,
}

impl Saver {
    /// Checks the newest text and, without problems, sends it; a save without an answer is
    /// tried again (backing off to [`RETRY`]`.1`) until the server answers, the text is kept
    /// in the tab meanwhile ([`flow_draft`]).
    async fn run(self) {
        let mut wait = RETRY.0;
        loop {
            let text = self.latest.borrow().clone();
            let flow = match flow_check::check(&text, &self.id, &self.known.borrow()) {
                Ok(flow) => flow,
                Err(problems) => {
                    let n = problems.len();
                    self.local.set(problems);
                    self.saving.set(Saving::Idle);
                    self.status.set(Some(
                        format!(
                            "Not saved: fix the {} listed below first. Nothing was sent.",
                            if n == 1 {
                                "problem".to_owned()
                            } else {
                                format!("{n} problems")
                            }
                        )
                        .into(),
                    ));
                    return;
                }
            };
            match self.client.flows().put(&flow).await {
                Ok(saved) => {
                    flow_draft::clear(self.workspace, &self.id);
                    self.saved.set(Some(saved));
                    self.server.set(Vec::new());
                    self.general.set(None);
                    self.saving.set(Saving::Idle);
                    self.status.set(Some("Saved.".into()));
                    self.version.set(*self.version + 1);
                    return;
                }
                Err(Error::Network(_)) if self.alive.get() => {
                    self.saving.set(Saving::Reconnecting);
                    self.status.set(Some(
                        "Connection lost: reconnecting… Your changes are kept in this tab and saved once the server answers."
                            .into(),
                    ));
                    sleep(wait).await;
                    wait = (wait * 2).min(RETRY.1);
                    if !self.alive.get() {
                        return;
                    }
                }
                Err(e) => {
                    let shown = self.ctx.shown(&e);
                    self.saving.set(Saving::Idle);
                    self.server.set(
                        shown
                            .fields
                            .into_iter()
                            .map(|(p, m)| FieldError::new(p, m))
                            .collect(),
                    );
                    self.general.set(shown.general.map(AttrValue::from));
                    self.status.set(Some(
                        "Not saved: the server refused the flow (see the problems below). Your changes are kept."
                            .into(),
                    ));
                    return;
                }
            }
        }
    }
}

/// The flow's document as pretty JSON in a [`FlowCode`] editor, checked with the model's
/// rules ([`flow_check`]) 300 ms after the owner stops typing: every problem is marked at its
/// line and listed ([`FlowProblems`], each jumps to its line). "Save" checks again and sends
/// nothing while there are problems; the server's 422 problems are shown the same way (until
/// the text is edited: the next save checks again). What
/// is typed is kept in the tab until saved ([`flow_draft`]): a reload or a failed save keeps
/// it, and a save without an answer says "reconnecting" and is tried again until the server
/// answers. The flow's [`FlowStats`] are below.
#[component]
pub fn FlowEditor(props: &FlowEditorProps) -> Html {
    let text = use_state(String::new);
    let saved = use_state(|| None::<Flow>);
    let local = use_state(Vec::<Problem>::new);
    let server = use_state(Vec::<FieldError>::new);
    let status = use_state(|| None::<AttrValue>);
    let general = use_state(|| None::<AttrValue>);
    let saving = use_state(|| Saving::Idle);
    let version = use_state(|| 0_u32);
    let restored = use_state(|| false);
    let caret = use_state(|| 0_usize);
    let latest = use_mut_ref(String::new);
    let known = use_mut_ref(Vec::<FlowId>::new);
    let alive = use_memo((), |_| Rc::new(Cell::new(true)));
    let debounce = use_mut_ref(|| None::<Timeout>);
    let textarea = use_node_ref();
    let client = props.ctx.client(props.workspace);
    {
        let alive = (*alive).clone();
        use_effect_with((), move |_| move || alive.set(false));
    }
    {
        let (text, saved, local, server, status, general, restored, latest, known) = (
            text.clone(),
            saved.clone(),
            local.clone(),
            server.clone(),
            status.clone(),
            general.clone(),
            restored.clone(),
            latest.clone(),
            known.clone(),
        );
        let (ctx, client, workspace) = (props.ctx.clone(), client.clone(), props.workspace);
        use_effect_with((props.ctx.clone(), props.id.clone()), move |(_, id)| {
            let id = id.clone();
            saved.set(None);
            server.set(Vec::new());
            status.set(None);
            general.set(None);
            spawn_local(async move {
                let every = FlowFilter::default();
                let all = all_pages(|c| client.flows().list(&every, ListParams::after(c)));
                let (all, flow) = match (all.await, client.flows().get(&id).await) {
                    (Ok(all), Ok(flow)) => (all, flow),
                    (Err(e), _) | (_, Err(e)) => {
                        general.set(ctx.shown(&e).general.map(AttrValue::from));
                        return;
                    }
                };
                *known.borrow_mut() = all.into_iter().map(|f| f.id).collect();
                let stored = pretty(&flow);
                let draft = flow_draft::load(workspace, &id).filter(|d| *d != stored);
                restored.set(draft.is_some());
                let shown = draft.unwrap_or(stored);
                local.set(
                    flow_check::check(&shown, &id, &known.borrow())
                        .err()
                        .unwrap_or_default(),
                );
                *latest.borrow_mut() = shown.clone();
                text.set(shown);
                saved.set(Some(flow));
            });
        });
    }
    let oninput = {
        let (text, local, server, latest, known, debounce, saved, status) = (
            text.clone(),
            local.clone(),
            server.clone(),
            latest.clone(),
            known.clone(),
            debounce.clone(),
            saved.clone(),
            status.clone(),
        );
        let (workspace, id) = (props.workspace, props.id.clone());
        Callback::from(move |new: String| {
            if saved.as_ref().is_some_and(|f| pretty(f) == new) {
                flow_draft::clear(workspace, &id);
            } else {
                flow_draft::save(workspace, &id, &new);
            }
            *latest.borrow_mut() = new.clone();
            text.set(new);
            status.set(None);
            // The server's problems were of the text it was sent; the next save checks again.
            server.set(Vec::new());
            let (local, latest, known, id) = (local.clone(), latest.clone(), known.clone(), id.clone());
            // Replacing the timeout cancels the previous one.
            *debounce.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || {
                local.set(
                    flow_check::check(&latest.borrow(), &id, &known.borrow())
                        .err()
                        .unwrap_or_default(),
                );
            }));
        })
    };
    let saver = Saver {
        ctx: props.ctx.clone(),
        client: client.clone(),
        workspace: props.workspace,
        id: props.id.clone(),
        latest: latest.clone(),
        known: known.clone(),
        alive: (*alive).clone(),
        saved: saved.clone(),
        local: local.clone(),
        server: server.clone(),
        status: status.clone(),
        general: general.clone(),
        saving: saving.clone(),
        version: version.clone(),
    };
    let onsubmit = {
        let (saver, saving) = (saver.clone(), saving.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *saving != Saving::Idle {
                return;
            }
            saving.set(Saving::Sending);
            saver.status.set(None);
            spawn_local(saver.clone().run());
        })
    };
    let ondiscard = {
        let (saved, text, latest, local, server, restored, status, known) = (
            saved.clone(),
            text.clone(),
            latest.clone(),
            local.clone(),
            server.clone(),
            restored.clone(),
            status.clone(),
            known.clone(),
        );
        let (workspace, id) = (props.workspace, props.id.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(flow) = &*saved else { return };
            if !confirm("Discard your changes and show the saved flow again?") {
                return;
            }
            let stored = pretty(flow);
            flow_draft::clear(workspace, &id);
            local.set(
                flow_check::check(&stored, &id, &known.borrow())
                    .err()
                    .unwrap_or_default(),
            );
            server.set(Vec::new());
            *latest.borrow_mut() = stored.clone();
            text.set(stored);
            restored.set(false);
            status.set(Some("Changes discarded.".into()));
        })
    };
    let onjump = {
        let (textarea, caret) = (textarea.clone(), caret.clone());
        Callback::from(move |(line, column): (usize, Option<usize>)| {
            if let Some(area) = textarea.cast::<HtmlTextAreaElement>() {
                select_line(&area, line, column);
                caret.set(line);
            }
        })
    };
    let onjump_pointer = {
        let (onjump, text) = (onjump.clone(), text.clone());
        Callback::from(move |pointer: String| {
            if let Some(p) = flow_check::place(&text, &[FieldError::new(pointer, "")]).first() {
                onjump.emit((p.line, None));
            }
        })
    };
    let oncaret = {
        let caret = caret.clone();
        Callback::from(move |line: usize| caret.set(line))
    };

    let server_problems = flow_check::place(&text, &server);
    let mut marked: Vec<(usize, String)> = Vec::new();
    for p in local.iter().chain(&server_problems) {
        match marked.iter_mut().find(|(line, _)| *line == p.line) {
            Some((_, messages)) => {
                messages.push_str("; ");
                messages.push_str(&p.message);
            }
            None => marked.push((p.line, p.message.clone())),
        }
    }
    let at_caret = marked
        .iter()
        .find(|(line, _)| *line == *caret)
        .map(|(line, messages)| format!("Line {line}: {messages}"));
    let dirty = saved.as_ref().is_some_and(|f| pretty(f) != *text);
    let title = match &*saved {
        Some(flow) => format!("Flow “{}”", flow.name),
        None => format!("Flow {}", props.id.as_str()),
    };
    let button = match *saving {
        Saving::Idle => "Save flow",
        Saving::Sending => "Saving…",
        Saving::Reconnecting => "Reconnecting…",
    };
    html! {
        <>
            <p><Link to={Route::Flows(props.workspace)}>{ "← All flows" }</Link></p>
            <h1>{ title }</h1>
            if saved.is_none() {
                <ErrorText id="flow-load-error" message={(*general).clone()} />
                if general.is_none() {
                    <p aria-busy="true">{ "Loading…" }</p>
                }
            } else {
                if *restored && dirty {
                    <p class="warning">{ "Your unsaved changes to this flow were kept in this tab and are shown here." }</p>
                }
                <form class="flow-editor" {onsubmit} aria-labelledby="flow-doc-title" novalidate=true>
                    <h2 id="flow-doc-title" class="sr-only">{ "Document" }</h2>
                    <FlowCode id="flow-doc" label="Flow document (JSON)" value={AttrValue::from((*text).clone())}
                        hint="Steps by id, from “start”. Problems are checked as you type and listed below the text; Tab leaves the text."
                        {oninput} {oncaret} {marked} describedby="flow-problems-summary" textarea={textarea.clone()} />
                    <p class="caret-note error" aria-hidden="true">{ at_caret.unwrap_or_default() }</p>
                    <FlowProblems id="flow-problems-summary" local={(*local).clone()} server={server_problems}
                        onjump={onjump.clone()} />
                    <ErrorText id="flow-save-error" message={(*general).clone()} />
                    <div class="row">
                        <button type="submit" disabled={*saving != Saving::Idle}>{ button }</button>
                        if dirty {
                            <button type="button" onclick={ondiscard}>{ "Discard changes" }</button>
                        }
                    </div>
                    <p role="status" class={classes!("muted", (*saving == Saving::Reconnecting).then_some("lost"))}>
                        { (*status).clone().unwrap_or(AttrValue::Static(if dirty { "Unsaved changes (kept in this tab)." } else { "" })) }
                    </p>
                </form>
                <FlowStats ctx={props.ctx.clone()} workspace={props.workspace} id={props.id.clone()}
                    version={*version} onjump={onjump_pointer} />
            }
        </>
    }
}
