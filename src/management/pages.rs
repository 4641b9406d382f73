//! Cursor pagination: [`ListParams`] in, [`Page`] out, and [`all_pages`] to walk a list.

use super::Error;
use parlo_model::page::{MAX_LIMIT, Page};
use serde::{Deserialize, Serialize};

/// `limit` and `cursor` of a list request (see [`parlo_model::page`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, tsify::Tsify)]
pub struct ListParams {
    /// Page size, 1..=100; the server's default (20) when `None`. Out of range is a 400
    /// `invalid_cursor` (rejected, not clamped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page; `None` for the first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

impl ListParams {
    /// The page after `cursor` (the first one for `None`) with the largest `limit`, as
    /// [`all_pages`] asks for them.
    pub fn after(cursor: Option<String>) -> Self {
        Self {
            limit: Some(MAX_LIMIT),
            cursor,
        }
    }
}

/// Every item of a list, in list order: calls `page` with `None`, then with each
/// `next_cursor`, until a page has none.
///
/// ```no_run
/// # async fn demo(client: parlo::management::Client) -> Result<(), parlo::management::Error> {
/// use parlo::management::{ListParams, all_pages};
/// let tags = all_pages(|cursor| client.tags().list(ListParams::after(cursor))).await?;
/// # let _ = tags;
/// # Ok(())
/// # }
/// ```
///
/// # Errors
/// The first error of a page request; [`Error::Decode`] when the server answers the same
/// cursor it was given (which would loop forever).
pub async fn all_pages<T, F, Fut>(mut page: F) -> Result<Vec<T>, Error>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>, Error>>,
{
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let next = page(cursor.clone()).await?;
        items.extend(next.items);
        match next.next_cursor {
            None => return Ok(items),
            Some(next) if cursor.as_ref() == Some(&next) => {
                return Err(Error::Decode {
                    message: format!("the server answered cursor '{next}' with itself as the next cursor"),
                    body: String::new(),
                });
            }
            Some(next) => cursor = Some(next),
        }
    }
}
