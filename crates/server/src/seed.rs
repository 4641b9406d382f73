//! The demo workspace (`--seed-demo`): the "Bloom & Brew" coffee and flower shop.
//!
//! Workspace `demo` with channel `demo` and the flows of `crates/server/seed/*.json`
//! (`welcome`, `hours`, `delivery`, `menu`, `fallback`, `quote_greeting`), and the lead
//! form `quote` ("request a quote", `seed/quote.json`) on the channel's origins, which
//! tags the lead, sets `first_name` and starts `quote_greeting`. Flows and the form are
//! validated here, at seed time. Seeding is idempotent: an existing workspace keeps its
//! flows and form (both are added when missing); only the allowed origins of the channel
//! and the form are refreshed (defaults plus `extra_origins`), so test servers on random
//! ports can pass theirs.

use crate::clock;
use crate::db::{self, channels, flows, forms, workspaces};
use crate::forms::RegexPatterns;
use anyhow::{Context, bail};
use parlo_model::channel::ChannelConfig;
use parlo_model::flow::{BotConfig, Flow, check_flow_refs};
use parlo_model::form::Form;
use sqlx::{SqliteConnection, SqlitePool};

/// Slug of the demo workspace.
pub const DEMO_WORKSPACE: &str = "demo";

const FLOWS: [(&str, &str); 6] = [
    ("welcome", include_str!("../seed/welcome.json")),
    ("hours", include_str!("../seed/hours.json")),
    ("delivery", include_str!("../seed/delivery.json")),
    ("menu", include_str!("../seed/menu.json")),
    ("fallback", include_str!("../seed/fallback.json")),
    ("quote_greeting", include_str!("../seed/quote_greeting.json")),
];
const FORM: &str = include_str!("../seed/quote.json");
const CHANNEL: &str = include_str!("../seed/channel.json");
const BOT: &str = include_str!("../seed/bot.json");

/// Parses and validates the demo flows (including references between them).
fn demo_flows() -> anyhow::Result<Vec<Flow>> {
    let flows = FLOWS
        .iter()
        .map(|(name, json)| {
            Flow::from_json(json).map_err(|errors| anyhow::anyhow!("seed flow {name} is invalid: {errors:?}"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    for flow in &flows {
        let dangling = check_flow_refs(flow, |id| flows.iter().any(|f| &f.id == id));
        if !dangling.is_empty() {
            bail!("seed flow {} refers to missing flows: {dangling:?}", flow.id);
        }
    }
    Ok(flows)
}

/// Parses and validates the demo form, allowed on `origins`.
fn demo_form(origins: &[String]) -> anyhow::Result<Form> {
    let mut form: Form = serde_json::from_str(FORM).context("seed quote.json")?;
    form.allowed_origins = origins.to_vec();
    let errors = form.validate(&RegexPatterns);
    if !errors.is_empty() {
        bail!("seed form {} is invalid: {errors:?}", form.id);
    }
    Ok(form)
}

/// Adds the demo form (and the flow it starts) to the workspace when missing, or
/// refreshes its allowed origins.
async fn seed_form(
    conn: &mut SqliteConnection,
    workspace_id: i64,
    form: Form,
    flows_to_seed: &[Flow],
    now: &str,
) -> anyhow::Result<()> {
    if let Some(existing) = forms::find(conn, workspace_id, form.id.as_str()).await? {
        let refreshed = Form {
            allowed_origins: form.allowed_origins,
            ..existing
        };
        forms::replace(conn, workspace_id, &refreshed, now).await?;
        return Ok(());
    }
    for flow in flows_to_seed.iter().filter(|f| f.id.as_str() == "quote_greeting") {
        if flows::find(conn, workspace_id, flow.id.as_str()).await?.is_none() {
            flows::upsert(conn, workspace_id, flow, now).await?;
        }
    }
    forms::create(conn, workspace_id, &form, now).await?;
    Ok(())
}

/// Seeds the demo workspace if absent and refreshes its channel's allowed origins.
pub async fn seed_demo(pool: &SqlitePool, extra_origins: &[String]) -> anyhow::Result<()> {
    let flows_to_seed = demo_flows()?;
    let mut config: ChannelConfig = serde_json::from_str(CHANNEL).context("seed channel.json")?;
    let bot: BotConfig = serde_json::from_str(BOT).context("seed bot.json")?;
    for origin in extra_origins {
        let origin = origin.trim().trim_end_matches('/');
        if !origin.is_empty() && !config.allowed_origins.iter().any(|o| o == origin) {
            config.allowed_origins.push(origin.to_owned());
        }
    }
    let form = demo_form(&config.allowed_origins)?;
    let now = clock::now_rfc3339();
    let mut tx = db::begin_write(pool).await?;
    match workspaces::find_by_slug(&mut tx, DEMO_WORKSPACE).await? {
        Some(workspace_id) => {
            let mut channel = channels::find(&mut tx, &config.id.0)
                .await?
                .context("the demo workspace has no demo channel")?;
            channel.config.allowed_origins = config.allowed_origins;
            channels::upsert(&mut tx, workspace_id, &channel.config, &channel.bot, &now).await?;
            seed_form(&mut tx, workspace_id, form, &flows_to_seed, &now).await?;
        }
        None => {
            let workspace_id = workspaces::create(&mut tx, DEMO_WORKSPACE, "Bloom & Brew", &now).await?;
            for flow in &flows_to_seed {
                flows::upsert(&mut tx, workspace_id, flow, &now).await?;
            }
            channels::upsert(&mut tx, workspace_id, &config, &bot, &now).await?;
            seed_form(&mut tx, workspace_id, form, &flows_to_seed, &now).await?;
            tracing::info!("seeded the demo workspace");
        }
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn demo_flows_are_valid() {
        let flows = super::demo_flows().unwrap();
        assert_eq!(flows.len(), 6);
    }

    #[test]
    fn the_demo_form_is_valid() {
        let form = super::demo_form(&["http://localhost:8080".to_owned()]).unwrap();
        assert_eq!(form.allowed_origins, ["http://localhost:8080"]);
    }
}
