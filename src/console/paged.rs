//! A list read page by page as the user asks ("Load more"), for the filter they chose.

use super::app::Ctx;
use super::problem::Shown;
use crate::management::Error;
use parlo_model::page::Page;
use std::future::Future;
use yew::platform::spawn_local;
use yew::prelude::*;

/// The items found so far and the cursor of the next page.
#[derive(Clone, Default, PartialEq)]
pub struct Found<T> {
    /// The items of the pages read, in list order.
    pub items: Vec<T>,
    /// The cursor of the next page, when there is one.
    pub next_cursor: Option<String>,
}

/// Reads the page `page` answers into `found`: the first one (`cursor` is `None`) replaces
/// what was found, a later one is appended; an error goes to `shown` ([`Ctx::shown`]).
pub fn load_page<T, F>(
    ctx: &Ctx,
    found: &UseStateHandle<Option<Found<T>>>,
    shown: &UseStateHandle<Shown>,
    cursor: Option<String>,
    page: F,
) where
    T: Clone + 'static,
    F: Future<Output = Result<Page<T>, Error>> + 'static,
{
    let (ctx, found, shown) = (ctx.clone(), found.clone(), shown.clone());
    spawn_local(async move {
        match page.await {
            Ok(page) => {
                let mut items = match (&cursor, &*found) {
                    (Some(_), Some(before)) => before.items.clone(),
                    _ => Vec::new(),
                };
                items.extend(page.items);
                shown.set(Shown::default());
                found.set(Some(Found {
                    items,
                    next_cursor: page.next_cursor,
                }));
            }
            Err(e) => shown.set(ctx.shown(&e)),
        }
    });
}
