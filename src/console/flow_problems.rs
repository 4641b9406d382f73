//! The problems of a flow document, listed; each jumps to its line.

use super::flow_check::Problem;
use yew::prelude::*;

/// Props of [`FlowProblems`].
#[derive(Properties, PartialEq)]
pub struct FlowProblemsProps {
    /// Id of the list's summary (the editor's `aria-describedby`).
    pub id: AttrValue,
    /// What the console's check found, in line order.
    pub local: Vec<Problem>,
    /// What the server's last save refused, placed on the current text.
    pub server: Vec<Problem>,
    /// Called with a problem's line and column to show it in the text.
    pub onjump: Callback<(usize, Option<usize>)>,
}

/// A summary ("2 problems: the flow cannot be saved until they are fixed.") and one button
/// a problem, "Line 8, column 3 — /steps/greet/text: must not be blank", that selects its
/// line in the text. The server's problems are said as such.
#[component]
pub fn FlowProblems(props: &FlowProblemsProps) -> Html {
    let item = |p: &Problem, server: bool| {
        let onclick = {
            let (onjump, at) = (props.onjump.clone(), (p.line, p.column));
            Callback::from(move |_: MouseEvent| onjump.emit(at))
        };
        let place = match p.column {
            Some(column) => format!("Line {}, column {column}", p.line),
            None => format!("Line {}", p.line),
        };
        let what = match (p.pointer.as_str(), server) {
            ("", false) => p.message.clone(),
            ("", true) => format!("server: {}", p.message),
            (pointer, false) => format!("{pointer}: {}", p.message),
            (pointer, true) => format!("{pointer} (server): {}", p.message),
        };
        html! {
            <li><button type="button" class="problem" {onclick}>
                <span class="where">{ place }</span>{ " — " }<span>{ what }</span>
            </button></li>
        }
    };
    let count = props.local.len() + props.server.len();
    let summary = match (props.local.len(), props.server.len()) {
        (0, 0) => "No problems found.".to_owned(),
        (0, _) => format!(
            "The server refused the last save: {} {} below.",
            count,
            if count == 1 { "problem" } else { "problems" }
        ),
        (n, _) => format!(
            "{count} {}: the flow cannot be saved until {} fixed.",
            if count == 1 { "problem" } else { "problems" },
            if n == 1 && count == 1 { "it is" } else { "they are" }
        ),
    };
    html! {
        <div class="problems">
            <p id={props.id.clone()} class={classes!(if count > 0 { "error" } else { "ok" })}>{ summary }</p>
            if count > 0 {
                <ul aria-label="Problems of the flow document">
                    { for props.local.iter().map(|p| item(p, false)) }
                    { for props.server.iter().map(|p| item(p, true)) }
                </ul>
            }
        </div>
    }
}
