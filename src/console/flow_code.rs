//! A text area for a JSON document, with a gutter of line numbers that marks the lines
//! with problems.

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Props of [`FlowCode`].
#[derive(Properties, PartialEq)]
pub struct FlowCodeProps {
    /// Id of the text area (the label's `for`).
    pub id: AttrValue,
    /// The label.
    pub label: AttrValue,
    /// A line under the label.
    pub hint: AttrValue,
    /// The text.
    pub value: AttrValue,
    /// Called with the new text on every change.
    pub oninput: Callback<String>,
    /// Called with the caret's line (from 1) when it moves.
    pub oncaret: Callback<usize>,
    /// The lines with problems, from 1, each with its messages (shown on the gutter's mark).
    pub marked: Vec<(usize, String)>,
    /// Ids describing the text area (the problems' summary).
    pub describedby: AttrValue,
    /// The text area, for the editor to select a line.
    pub textarea: NodeRef,
}

/// The line (from 1) of the caret of `area`.
fn caret_line(area: &HtmlTextAreaElement) -> usize {
    let at = area.selection_start().ok().flatten().unwrap_or(0) as usize;
    let text = area.value();
    let mut units = 0;
    let mut line = 1;
    for c in text.chars() {
        if units >= at {
            break;
        }
        units += c.len_utf16();
        if c == '\n' {
            line += 1;
        }
    }
    line
}

/// Selects line `line` (from 1) of `area` (its first `column - 1` characters skipped when
/// a column is given), focuses it and scrolls the line into the upper third.
pub fn select_line(area: &HtmlTextAreaElement, line: usize, column: Option<usize>) {
    let text = area.value();
    let lines: Vec<&str> = text.split('\n').collect();
    let line = line.clamp(1, lines.len());
    let start: usize = lines[..line - 1]
        .iter()
        .map(|l| l.encode_utf16().count() + 1)
        .sum();
    let this = lines[line - 1].encode_utf16().count();
    let skip = column.map_or(0, |c| c.saturating_sub(1).min(this));
    let _ = area.focus();
    let _ = area.set_selection_range((start + skip) as u32, (start + this) as u32);
    let per_line = f64::from(area.scroll_height()) / lines.len() as f64;
    let top = per_line * (line - 1) as f64 - f64::from(area.client_height()) / 3.0;
    area.set_scroll_top(top.max(0.0) as i32);
}

/// A labelled, monospaced text area without wrapping (a line of text is a line of the
/// gutter), whose gutter follows its scrolling; a marked line's number is shown in the
/// error colour with a `!`, its messages as the mark's tooltip (the problems list says them
/// to everyone). Tab moves the focus on, as in any form.
#[component]
pub fn FlowCode(props: &FlowCodeProps) -> Html {
    let gutter = use_node_ref();
    let onscroll = {
        let gutter = gutter.clone();
        Callback::from(move |e: Event| {
            let area = e.target_unchecked_into::<HtmlTextAreaElement>();
            if let Some(g) = gutter.cast::<HtmlElement>() {
                g.set_scroll_top(area.scroll_top());
            }
        })
    };
    let oninput = props
        .oninput
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlTextAreaElement>().value());
    let caret = |e: &Event| {
        e.target()
            .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
            .map(|area| caret_line(&area))
    };
    let onkeyup = {
        let oncaret = props.oncaret.clone();
        Callback::from(move |e: KeyboardEvent| {
            if let Some(line) = caret(&e) {
                oncaret.emit(line);
            }
        })
    };
    let onclick = {
        let oncaret = props.oncaret.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(line) = caret(&e) {
                oncaret.emit(line);
            }
        })
    };
    let count = props.value.split('\n').count();
    let numbers = (1..=count).map(|n| match props.marked.iter().find(|(line, _)| *line == n) {
        Some((_, message)) => html! { <span class="bad" title={message.clone()}>{ format!("! {n}") }</span> },
        None => html! { <span>{ n }</span> },
    });
    let invalid = (!props.marked.is_empty()).then_some("true");
    let hint_id = format!("{}-hint", props.id);
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <p class="muted hint" id={hint_id.clone()}>{ props.hint.clone() }</p>
            <div class="code-editor">
                <div class="gutter" aria-hidden="true" ref={gutter}>{ for numbers }</div>
                <textarea id={props.id.clone()} ref={props.textarea.clone()} class="code" wrap="off"
                    spellcheck="false" autocapitalize="off" autocomplete="off" rows="22"
                    value={props.value.clone()} {oninput} {onscroll} {onkeyup} {onclick}
                    aria-invalid={invalid} aria-describedby={format!("{hint_id} {}", props.describedby)} />
            </div>
        </div>
    }
}
