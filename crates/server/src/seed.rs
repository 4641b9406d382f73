//! The demo workspace (`--seed-demo`): the "Bloom & Brew" coffee and flower shop.
//!
//! Workspace `demo` with the flows of `crates/server/seed/*.json` (`welcome`, which greets
//! a visitor whose first name is known by name, `hours`, `delivery`, `menu`, `fallback`,
//! `bouquet` — a choice and a date question, then a hand-over to a florist —, `shop` — the
//! shop's steps on the demo products, reached from the menu —, `human` —
//! a hand-over —, `quote_greeting`, `chat_intro_start`, `chat_intro_greeting`), two channels
//! and two lead forms (`--demo-webhook` adds `track_order`, see `outbox::receiver`):
//!
//! - channel `demo` (`seed/channel.json`, bot `seed/bot.json`), the chat of the demo site,
//!   and its form `quote` ("request a quote", `seed/quote.json`), which tags the lead, sets
//!   `first_name` and starts `quote_greeting`;
//! - channel `demo-prechat` (`seed/prechat_channel.json`, bot `seed/prechat_bot.json`,
//!   page `www/pre-chat.html`), whose pre-chat form `chat_intro` (`seed/chat_intro.json`:
//!   name and e-mail) sets `first_name` and starts `chat_intro_greeting` ("Hi {{first_name}}…");
//!   its start flow `chat_intro_start` only tags the visitor, so the chat opens on that greeting.
//!
//! Once the server knows its public URL, [`seed_demo_shop`] adds the shop: three
//! bouquets in EUR (`seed/shop_products.json`, images under `www/shop/`) and a payment
//! link to the demo page `www/pay.html`.
//!
//! Flows and forms are validated here, at seed time. Seeding is idempotent and additive: an
//! existing workspace keeps its flows, channels and forms (each is added when missing); only
//! the allowed origins of the channels and forms are refreshed (each channel's defaults plus
//! `extra_origins`; a form gets its channel's), so test servers on random ports can pass theirs.

use crate::clock;
use crate::db::{self, channels, flows, forms, shop, workspaces};
use crate::forms::RegexPatterns;
use anyhow::{Context, bail};
use parlo_model::channel::ChannelConfig;
use parlo_model::flow::{BotConfig, Flow, check_flow_refs};
use parlo_model::form::Form;
use parlo_model::shop::ProductSettings;

/// Slug of the demo workspace.
pub const DEMO_WORKSPACE: &str = "demo";

const FLOWS: [(&str, &str); 11] = [
    ("welcome", include_str!("../seed/welcome.json")),
    ("hours", include_str!("../seed/hours.json")),
    ("delivery", include_str!("../seed/delivery.json")),
    ("menu", include_str!("../seed/menu.json")),
    ("fallback", include_str!("../seed/fallback.json")),
    ("bouquet", include_str!("../seed/bouquet.json")),
    ("shop", include_str!("../seed/shop.json")),
    ("human", include_str!("../seed/human.json")),
    ("quote_greeting", include_str!("../seed/quote_greeting.json")),
    ("chat_intro_start", include_str!("../seed/chat_intro_start.json")),
    (
        "chat_intro_greeting",
        include_str!("../seed/chat_intro_greeting.json"),
    ),
];
/// The lead forms, each on the channel its `channel_id` names.
const FORMS: [(&str, &str); 2] = [
    ("quote", include_str!("../seed/quote.json")),
    ("chat_intro", include_str!("../seed/chat_intro.json")),
];
/// The channels with their bots.
const CHANNELS: [(&str, &str, &str); 2] = [
    (
        "demo",
        include_str!("../seed/channel.json"),
        include_str!("../seed/bot.json"),
    ),
    (
        "demo-prechat",
        include_str!("../seed/prechat_channel.json"),
        include_str!("../seed/prechat_bot.json"),
    ),
];

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

/// Parses the demo channels and their bots; each channel allows its own default origins
/// plus `extra_origins` (trimmed, without a trailing `/`).
fn demo_channels(extra_origins: &[String]) -> anyhow::Result<Vec<(ChannelConfig, BotConfig)>> {
    CHANNELS
        .iter()
        .map(|(name, config, bot)| {
            let mut config: ChannelConfig =
                serde_json::from_str(config).with_context(|| format!("seed channel {name}"))?;
            let bot: BotConfig = serde_json::from_str(bot).with_context(|| format!("seed bot of {name}"))?;
            for origin in extra_origins {
                let origin = origin.trim().trim_end_matches('/');
                if !origin.is_empty() && !config.allowed_origins.iter().any(|o| o == origin) {
                    config.allowed_origins.push(origin.to_owned());
                }
            }
            Ok((config, bot))
        })
        .collect()
}

/// Parses and validates the demo forms; each is allowed on the origins of its channel
/// among `channels`.
fn demo_forms(channels: &[(ChannelConfig, BotConfig)]) -> anyhow::Result<Vec<Form>> {
    FORMS
        .iter()
        .map(|(name, json)| {
            let mut form: Form = serde_json::from_str(json).with_context(|| format!("seed form {name}"))?;
            let (channel, _) = channels
                .iter()
                .find(|(c, _)| Some(&c.id) == form.channel_id.as_ref())
                .with_context(|| format!("seed form {name} names no demo channel"))?;
            form.allowed_origins = channel.allowed_origins.clone();
            let errors = form.validate(&RegexPatterns);
            if !errors.is_empty() {
                bail!("seed form {name} is invalid: {errors:?}");
            }
            Ok(form)
        })
        .collect()
}

/// Adds the channel when missing, or refreshes its allowed origins.
async fn seed_channel(
    conn: &mut db::Connection,
    workspace_id: i64,
    (config, bot): &(ChannelConfig, BotConfig),
    now: &str,
) -> anyhow::Result<()> {
    match channels::find(conn, config.id.as_str()).await? {
        Some(mut channel) => {
            channel.config.allowed_origins = config.allowed_origins.clone();
            channels::upsert(conn, channel.workspace_id, &channel.config, &channel.bot, now).await
        }
        None => channels::upsert(conn, workspace_id, config, bot, now).await,
    }
}

/// Adds the form when missing, or refreshes its allowed origins.
async fn seed_form(
    conn: &mut db::Connection,
    workspace_id: i64,
    form: Form,
    now: &str,
) -> anyhow::Result<()> {
    match forms::find(conn, workspace_id, form.id.as_str()).await? {
        Some(existing) => {
            let refreshed = Form {
                allowed_origins: form.allowed_origins,
                ..existing
            };
            forms::replace(conn, workspace_id, &refreshed, now).await?;
        }
        None => {
            forms::create(conn, workspace_id, &form, now).await?;
        }
    }
    Ok(())
}

/// Seeds the demo workspace, adding what it lacks, and refreshes the allowed origins of its
/// channels and forms.
pub async fn seed_demo(pool: &db::Pool, extra_origins: &[String]) -> anyhow::Result<()> {
    let demo_flows = demo_flows()?;
    let demo_channels = demo_channels(extra_origins)?;
    let demo_forms = demo_forms(&demo_channels)?;
    let now = clock::now_rfc3339();
    let mut tx = db::begin_write(pool).await?;
    let workspace_id = match workspaces::find_by_slug(&mut tx, DEMO_WORKSPACE).await? {
        Some(workspace_id) => workspace_id,
        None => {
            tracing::info!("seeding the demo workspace");
            workspaces::create(&mut tx, DEMO_WORKSPACE, "Bloom & Brew", &now).await?
        }
    };
    for flow in &demo_flows {
        if flows::find(&mut tx, workspace_id, flow.id.as_str())
            .await?
            .is_none()
        {
            flows::upsert(&mut tx, workspace_id, flow, &now).await?;
        }
    }
    for channel in &demo_channels {
        seed_channel(&mut tx, workspace_id, channel, &now).await?;
    }
    for form in demo_forms {
        seed_form(&mut tx, workspace_id, form, &now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The demo products, with `{{base}}` in their image URLs.
const PRODUCTS: &str = include_str!("../seed/shop_products.json");
/// The demo's payment link template, after the public URL.
const PAYMENT_PAGE: &str = "/pay.html?order={{order.id}}&amount={{order.total}}&currency={{order.currency}}";

/// The demo products, their images at `base` (the server's public URL), validated.
fn demo_products(base: &str) -> anyhow::Result<Vec<ProductSettings>> {
    let products: Vec<ProductSettings> =
        serde_json::from_str(&PRODUCTS.replace("{{base}}", base)).context("seed products")?;
    for product in &products {
        let errors = product.validate();
        if !errors.is_empty() {
            bail!("seed product {} is invalid: {errors:?}", product.sku);
        }
    }
    Ok(products)
}

/// Adds the demo workspace's shop (module docs) where it lacks it: each product whose SKU
/// is free, and the payment link when the shop settings have none; `base` is the
/// server's public URL, which the images and the payment page are under. Nothing happens
/// without the demo workspace.
pub async fn seed_demo_shop(pool: &db::Pool, base: &str) -> anyhow::Result<()> {
    let base = base.trim_end_matches('/');
    let products = demo_products(base)?;
    let now = clock::now_rfc3339();
    let mut tx = db::begin_write(pool).await?;
    let Some(workspace_id) = workspaces::find_by_slug(&mut tx, DEMO_WORKSPACE).await? else {
        return Ok(());
    };
    for product in &products {
        if shop::item(&mut tx, workspace_id, &product.sku).await?.is_none() {
            shop::create_product(&mut tx, workspace_id, product, &now).await?;
        }
    }
    let mut settings = shop::settings(&mut tx, workspace_id).await?;
    if settings.payment_url.is_none() {
        settings.payment_url = Some(format!("{base}{PAYMENT_PAGE}"));
        shop::put_settings(&mut tx, workspace_id, &settings).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn demo_products_and_payment_page_are_valid() {
        let products = super::demo_products("http://127.0.0.1:8080").unwrap();
        assert_eq!(products.len(), 3);
        assert!(products.iter().all(|p| p.currency == "EUR"));
        let template = format!("http://127.0.0.1:8080{}", super::PAYMENT_PAGE);
        assert!(parlo_model::payment_link::check(&template).is_ok());
    }

    #[test]
    fn demo_flows_are_valid() {
        let flows = super::demo_flows().unwrap();
        assert_eq!(flows.len(), 11);
    }

    #[test]
    fn the_demo_forms_are_valid_on_their_channels_origins() {
        let channels = super::demo_channels(&["http://127.0.0.1:9999/".to_owned()]).unwrap();
        let forms = super::demo_forms(&channels).unwrap();
        assert_eq!(forms.len(), 2);
        for form in forms {
            assert!(form.allowed_origins.iter().any(|o| o == "http://127.0.0.1:9999"));
        }
    }

    #[test]
    fn the_pre_chat_channel_names_its_form() {
        let channels = super::demo_channels(&[]).unwrap();
        let pre_chat = channels
            .iter()
            .find_map(|(c, _)| c.pre_chat_form.as_ref())
            .unwrap();
        assert_eq!(pre_chat.as_str(), "chat_intro");
    }
}
