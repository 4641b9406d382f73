//! Parsed bots, reused while what they were built from is unchanged.
//!
//! A turn's bot is a channel's triggers plus every flow of its workspace. Parsing the flow
//! documents anew for every visitor message costs more than reading them, so each channel's
//! last bot is kept with the documents it was parsed from; a turn reads the documents
//! (one query with the bot fields, [`flows::bot_sources`]) and reuses the bot when they and the triggers are byte for byte
//! the same. The stored rows stay the only truth, so a change made by any instance is seen
//! by the next turn, and nothing needs invalidating. For the same reason one cache serves
//! the whole process (several servers in one test process included): an entry is only
//! ever used for the very rows it was built from.

use crate::db::{channels, flows};
use parlo_engine::Bot;
use parlo_model::flow::BotConfig;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

/// The last bot of each channel (by public id) with what it was built from.
static BOTS: LazyLock<Mutex<HashMap<String, Arc<Built>>>> = LazyLock::new(Mutex::default);

/// A bot and its sources.
#[derive(Debug)]
struct Built {
    /// The channel's triggers.
    config: BotConfig,
    /// The workspace's flows as stored: `(id, document)` in id order.
    documents: Vec<(String, String)>,
    /// The bot parsed from them.
    bot: Arc<Bot>,
}

/// The bot of `channel`: its triggers and the flows of its workspace, `documents` (as
/// [`flows::documents`] answers them, read now).
///
/// # Errors
/// A stored flow that does not parse.
pub fn bot_of(channel: &channels::Channel, documents: Vec<(String, String)>) -> anyhow::Result<Arc<Bot>> {
    let id = channel.config.id.as_str();
    let cached = cache().get(id).cloned();
    if let Some(built) = cached
        && built.config == channel.bot
        && built.documents == documents
    {
        return Ok(Arc::clone(&built.bot));
    }
    let parsed = documents
        .iter()
        .map(|(id, document)| flows::parse(id, document))
        .collect::<anyhow::Result<_>>()?;
    let bot = Arc::new(Bot::new(channel.bot.clone(), parsed));
    let built = Built {
        config: channel.bot.clone(),
        documents,
        bot: Arc::clone(&bot),
    };
    cache().insert(id.to_owned(), Arc::new(built));
    Ok(bot)
}

/// The cache; a panic while it was held left nothing half-done in it.
fn cache() -> std::sync::MutexGuard<'static, HashMap<String, Arc<Built>>> {
    BOTS.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
