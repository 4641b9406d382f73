//! Cursor pagination: `limit` (1..=100, default 20) and an opaque `cursor`.

use serde::{Deserialize, Serialize};

/// Largest accepted `limit`. Larger values are rejected, not clamped.
pub const MAX_LIMIT: u32 = 100;
/// `limit` used when the request gives none.
pub const DEFAULT_LIMIT: u32 = 20;

/// One page of a list.
///
/// `next_cursor` is `None` on the last page; otherwise pass it back as `cursor`
/// to get the next page. Cursors are opaque strings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Page<T> {
    /// The items of this page, in list order.
    pub items: Vec<T>,
    /// Cursor of the next page, `None` when this is the last one.
    pub next_cursor: Option<String>,
}
