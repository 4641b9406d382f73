//! Unsaved flow documents, kept in the tab's `sessionStorage` (as the session is, see
//! [`session`](super::session)) per workspace and flow, so that what the owner typed
//! survives a failed save, a lost connection and a reload; forgotten once saved or
//! discarded, and when the tab is closed.

use super::session::storage;
use parlo_model::ids::FlowId;

/// The storage key of the draft of flow `id` in `workspace`.
fn key(workspace: i64, id: &FlowId) -> String {
    format!("parlo.console.flow-draft.{workspace}.{}", id.as_str())
}

/// The kept draft of the flow, if any.
pub fn load(workspace: i64, id: &FlowId) -> Option<String> {
    storage()?.get_item(&key(workspace, id)).ok()?
}

/// Keeps `text` as the draft of the flow (best effort: a full or refused storage keeps it
/// in the page only).
pub fn save(workspace: i64, id: &FlowId, text: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(&key(workspace, id), text);
    }
}

/// Forgets the draft of the flow.
pub fn clear(workspace: i64, id: &FlowId) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&key(workspace, id));
    }
}
