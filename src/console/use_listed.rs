//! [`use_listed`]: a list of the workspace read in full (every page), read again after each
//! change the screen makes to it.

use super::app::Ctx;
use crate::management::{Error, all_pages};
use parlo_model::page::Page;
use std::future::Future;
use std::rc::Rc;
use yew::platform::spawn_local;
use yew::prelude::*;

/// A list a screen shows and changes.
pub struct Listed<T> {
    /// The items, once read (`None` while the first read runs).
    pub items: UseStateHandle<Option<Vec<T>>>,
    /// The error of the last read or change, said next to the list.
    pub error: UseStateHandle<Option<AttrValue>>,
    reload: UseStateHandle<u32>,
    ctx: Ctx,
}

impl<T> Clone for Listed<T> {
    fn clone(&self) -> Self {
        Self {
            items: self.items.clone(),
            error: self.error.clone(),
            reload: self.reload.clone(),
            ctx: self.ctx.clone(),
        }
    }
}

impl<T> Listed<T> {
    /// What a change of the list answered: its value on success (and the list is read
    /// again, its error cleared), `None` on failure (said as the list's error).
    pub fn changed<R>(&self, result: Result<R, Error>) -> Option<R> {
        match result {
            Ok(value) => {
                self.error.set(None);
                self.reload.set(*self.reload + 1);
                Some(value)
            }
            Err(e) => {
                self.error.set(self.ctx.shown(&e).general.map(AttrValue::from));
                None
            }
        }
    }
}

impl<T: 'static> Listed<T> {
    /// A button press that asks `question` (`window.confirm`) and, once confirmed, makes the
    /// change `change` answers; a secret it makes (a regenerated key, a rotated signing
    /// secret) goes to `secret`, which shows it once.
    pub fn confirmed<S, C, F>(
        &self,
        question: String,
        change: C,
        secret: &UseStateHandle<Option<S>>,
    ) -> Callback<MouseEvent>
    where
        S: 'static,
        C: Fn() -> F + 'static,
        F: Future<Output = Result<Option<S>, Error>> + 'static,
    {
        let (listed, secret) = (self.clone(), secret.clone());
        Callback::from(move |_: MouseEvent| {
            if !confirm(&question) {
                return;
            }
            let (listed, secret, change) = (listed.clone(), secret.clone(), change());
            spawn_local(async move {
                if let Some(Some(new)) = listed.changed(change.await) {
                    secret.set(Some(new));
                }
            });
        })
    }
}

/// `window.confirm(message)`; `false` when there is no window.
pub fn confirm(message: &str) -> bool {
    web_sys::window().is_some_and(|w| w.confirm_with_message(message).unwrap_or(false))
}

/// The list `page` reads page by page (`page(cursor)` answers the page after `cursor`),
/// read when the screen mounts, when the workspace changes, and after each
/// [`Listed::changed`] success.
#[hook]
pub fn use_listed<T, P, F>(ctx: &Ctx, workspace: i64, page: P) -> Listed<T>
where
    T: 'static,
    P: Fn(Option<String>) -> F + 'static,
    F: Future<Output = Result<Page<T>, Error>> + 'static,
{
    let listed = Listed {
        items: use_state(|| None::<Vec<T>>),
        error: use_state(|| None::<AttrValue>),
        reload: use_state(|| 0_u32),
        ctx: ctx.clone(),
    };
    {
        let listed = listed.clone();
        let page = Rc::new(page);
        use_effect_with((ctx.clone(), workspace, *listed.reload), move |_| {
            spawn_local(async move {
                match all_pages(|cursor| page(cursor)).await {
                    Ok(items) => listed.items.set(Some(items)),
                    Err(e) => listed
                        .error
                        .set(listed.ctx.shown(&e).general.map(AttrValue::from)),
                }
            });
        });
    }
    listed
}
