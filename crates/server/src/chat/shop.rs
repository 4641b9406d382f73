//! The shop inside the chat: what a turn does for [`Output::Shop`](parlo_engine::Output::Shop)
//! (the `show_products`, `show_cart` and `checkout` flow steps, and presses of the
//! buttons of their messages), and the bot message that says so.
//!
//! Everything happens in the turn's transaction, so a press is carried out once: a
//! widget resending the same visitor message gets the first answer back (see
//! [`super::send_message`]). Adding and checking out share the management API's rules
//! ([`carts::add`], [`orders::place`]); what the API answers as a problem, the bot says
//! in the chat, and nothing is changed then.
//!
//! The messages use the widget's existing kinds: products are a carousel of cards, the
//! confirmations texts with buttons, whose payloads are the engine's
//! [`shop_payload`]s of the shop step.

use super::Turn;
use crate::db::{messages, shop};
use crate::error::{ApiError, ApiResult};
use crate::routes::shop::carts::{self, priced};
use crate::routes::shop::orders::{self, Placing};
use parlo_engine::{Bot, Profile, ShopAction, StepRef, shop_payload};
use parlo_model::chat::{
    Button, ButtonAction, Card, Image, MAX_CARD_BUTTONS, MAX_CARD_TEXT_CHARS, MAX_CARDS, MessageContent,
};
use parlo_model::flow::{MAX_TITLE_CHARS, Step};
use parlo_model::payment_link;
use parlo_model::shop::{Buyer, Cart, CartItem, Line, Money, Product};

/// Products read per page while looking for the active ones of a `show_products` step
/// without SKUs.
const PAGE: u32 = 50;

/// `text` cut to `max` characters, ending in `…` when cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

/// A postback button titled `title` asking for `action` of shop step `at`.
fn button(at: &StepRef, title: &str, action: &ShopAction) -> Button {
    Button {
        title: clip(title, MAX_TITLE_CHARS),
        action: ButtonAction::Postback {
            payload: shop_payload(at, action),
        },
    }
}

/// `n item(s)`.
fn count(n: i64) -> String {
    if n == 1 {
        "1 item".into()
    } else {
        format!("{n} items")
    }
}

/// The pieces of a cart or an order, and its total(s) joined by ` + `.
fn size(lines: &[Line], totals: &[Money]) -> (i64, String) {
    let pieces = lines.iter().map(|l| l.quantity).sum();
    let total = totals
        .iter()
        .map(Money::to_string)
        .collect::<Vec<_>>()
        .join(" + ");
    (pieces, total)
}

/// A line's name with its variant's option values, e.g. `Rose bouquet (large)`.
fn line_name(line: &Line) -> String {
    if line.options.is_empty() {
        return line.name.clone();
    }
    let values: Vec<&str> = line.options.values().map(String::as_str).collect();
    format!("{} ({})", line.name, values.join(", "))
}

/// The card of `product`: its first image, name, price (the lowest of its variants',
/// "from …") and description, with "Add to cart" (or one button per variant, the first
/// [`MAX_CARD_BUTTONS`]).
fn product_card(at: &StepRef, product: &Product) -> Card {
    let p = &product.settings;
    let money = |amount| Money {
        currency: p.currency.clone(),
        amount,
    };
    let buttons: Vec<Button> = if p.variants.is_empty() {
        vec![button(at, "Add to cart", &ShopAction::Add(p.sku.clone()))]
    } else {
        p.variants
            .iter()
            .take(MAX_CARD_BUTTONS)
            .map(|v| {
                let values: Vec<&str> = v.options.values().map(String::as_str).collect();
                let title = format!("Add {} · {}", values.join(" "), money(v.price));
                button(at, &title, &ShopAction::Add(v.sku.clone()))
            })
            .collect()
    };
    let price = match p.variants.iter().map(|v| v.price).min() {
        Some(lowest) => format!("from {}", money(lowest)),
        None => money(p.price).to_string(),
    };
    let subtitle = if p.description.trim().is_empty() {
        price
    } else {
        format!("{price} · {}", p.description.trim())
    };
    Card {
        title: clip(&p.name, MAX_CARD_TEXT_CHARS),
        subtitle: Some(clip(&subtitle, MAX_CARD_TEXT_CHARS)),
        image: p.images.first().map(|url| Image {
            url: url.clone(),
            alt: clip(&p.name, parlo_model::chat::MAX_ALT_CHARS),
        }),
        buttons,
    }
}

impl Turn<'_> {
    /// Carries out `action` of shop step `at` of `bot` for the turn's subscriber, whose
    /// profile is `profile` (see the module docs); answers the bot message saying so.
    pub(super) async fn shop(
        &mut self,
        bot: &Bot,
        profile: &Profile,
        at: &StepRef,
        action: ShopAction,
    ) -> ApiResult<MessageContent> {
        let (workspace_id, _) = messages::parties(self.conn, self.conversation_id).await?;
        let shopping = matches!(
            bot.flows.get(&at.flow).and_then(|f| f.steps.get(&at.step)),
            Some(Step::ShowProducts { .. })
        );
        let keep_shopping = || button(at, "Keep shopping", &ShopAction::ShowProducts(Vec::new()));
        // The message, and whether it offers "Keep shopping" (on a show_products step).
        let (mut content, more) = match action {
            ShopAction::ShowProducts(skus) => (self.products(workspace_id, at, &skus).await?, false),
            ShopAction::Add(sku) => {
                let item = CartItem { sku, quantity: 1 };
                match carts::add(self.conn, workspace_id, &self.subscriber_id, &item).await {
                    Ok(added) => {
                        let added = line_name(&added.line(1)?);
                        let cart = priced(self.conn, workspace_id, &self.subscriber_id).await?;
                        let (pieces, total) = size(&cart.lines, &cart.totals);
                        let text = format!("Added {added} — cart: {}, {total}", count(pieces));
                        let content = MessageContent {
                            buttons: vec![
                                button(at, "View cart", &ShopAction::ShowCart),
                                button(at, "Check out", &ShopAction::Checkout),
                            ],
                            ..MessageContent::text(text)
                        };
                        (content, true)
                    }
                    Err(ApiError::Validation(_)) => (
                        MessageContent::text("Sorry, this product can no longer be bought."),
                        true,
                    ),
                    Err(ApiError::Conflict(_)) => (
                        MessageContent::text("Sorry, your cart is full: check out first."),
                        false,
                    ),
                    Err(other) => return Err(other),
                }
            }
            ShopAction::ShowCart => {
                let cart = priced(self.conn, workspace_id, &self.subscriber_id).await?;
                let mut content = MessageContent::text(cart_text(&cart));
                if !cart.lines.is_empty() {
                    content
                        .buttons
                        .push(button(at, "Check out", &ShopAction::Checkout));
                }
                (content, true)
            }
            ShopAction::Checkout => self.checkout(workspace_id, profile).await?,
        };
        if more && shopping {
            content.buttons.push(keep_shopping());
        }
        Ok(content)
    }

    /// The carousel of the products of `skus` (own SKUs; empty: the first active ones).
    async fn products(
        &mut self,
        workspace_id: i64,
        at: &StepRef,
        skus: &[String],
    ) -> ApiResult<MessageContent> {
        let mut products = Vec::new();
        if skus.is_empty() {
            let mut after = 0;
            while products.len() < MAX_CARDS {
                let page = shop::products(self.conn, workspace_id, after, PAGE).await?;
                let Some(last) = page.last() else { break };
                after = last.id;
                products.extend(page.into_iter().filter(|p| p.settings.active));
            }
            products.truncate(MAX_CARDS);
        } else {
            for sku in skus {
                if let Some(item) = shop::item(self.conn, workspace_id, sku).await?
                    && let Some(product) =
                        shop::find_product(self.conn, workspace_id, item.product_id).await?
                    && product.settings.active
                    && !products.iter().any(|p: &Product| p.id == product.id)
                {
                    products.push(product);
                }
            }
        }
        if products.is_empty() {
            return Ok(MessageContent::text("Sorry, there is nothing to buy right now."));
        }
        Ok(MessageContent {
            cards: products.iter().map(|p| product_card(at, p)).collect(),
            ..MessageContent::default()
        })
    }

    /// Orders the subscriber's cart (see [`Step::Checkout`]); the message with the payment
    /// link, or saying why nothing was ordered (and then offering to keep shopping).
    async fn checkout(&mut self, workspace_id: i64, profile: &Profile) -> ApiResult<(MessageContent, bool)> {
        let items: Vec<CartItem> = shop::cart(self.conn, workspace_id, &self.subscriber_id)
            .await?
            .into_iter()
            .map(|(sku, quantity)| CartItem { sku, quantity })
            .collect();
        if items.is_empty() {
            return Ok((MessageContent::text("Your cart is empty."), true));
        }
        let Some(buyer) = buyer(profile) else {
            let text = "Sorry, we need your e-mail address to take your order. Nothing was ordered.";
            return Ok((MessageContent::text(text), false));
        };
        let placing = Placing {
            subscriber_id: Some(&self.subscriber_id),
            buyer: &buyer,
            items: &items,
            from_cart: true,
            idempotency: None,
        };
        let (order, notify) = match orders::place(self.conn, workspace_id, &placing).await {
            Ok(placed) => placed,
            Err(ApiError::OutOfStock(_)) => {
                return Ok((self.out_of_stock(workspace_id, &items).await?, true));
            }
            Err(ApiError::Validation(_)) => {
                let text = "Sorry, something in your cart can no longer be bought. Nothing was ordered.";
                return Ok((MessageContent::text(text), true));
            }
            Err(other) => return Err(other),
        };
        self.notified |= notify;
        let (pieces, total) = size(&order.lines, std::slice::from_ref(&order.total));
        let settings = shop::settings(self.conn, workspace_id).await?;
        let content = match settings.payment_url {
            Some(template) => MessageContent {
                buttons: vec![Button {
                    title: clip(&format!("Pay {total}"), MAX_TITLE_CHARS),
                    action: ButtonAction::Url {
                        url: payment_link::fill(&template, &order),
                    },
                }],
                ..MessageContent::text(format!(
                    "Thank you! Your order #{} ({}, {total}) is reserved: please pay it here.",
                    order.id,
                    count(pieces)
                ))
            },
            None => MessageContent::text(format!(
                "Thank you! We received your order #{} ({}, {total}) and will be in touch.",
                order.id,
                count(pieces)
            )),
        };
        Ok((content, false))
    }

    /// The message when a line of `items` is short of pieces: which, and how many are left.
    async fn out_of_stock(&mut self, workspace_id: i64, items: &[CartItem]) -> ApiResult<MessageContent> {
        for wanted in items {
            if let Some(item) = shop::item(self.conn, workspace_id, &wanted.sku).await?
                && let Some(left) = item.stock.filter(|left| *left < wanted.quantity)
            {
                let name = line_name(&item.line(wanted.quantity)?);
                let text = match left {
                    0 => format!("Sorry, {name} is sold out. Nothing was ordered."),
                    left => format!("Sorry, only {left} of {name} are left. Nothing was ordered."),
                };
                return Ok(MessageContent::text(text));
            }
        }
        Ok(MessageContent::text(
            "Sorry, something in your cart is sold out. Nothing was ordered.",
        ))
    }
}

/// The text of a cart: a line per SKU with its quantity and price, then the total; or
/// that it is empty.
fn cart_text(cart: &Cart) -> String {
    if cart.lines.is_empty() {
        return "Your cart is empty.".into();
    }
    let mut text: Vec<String> = cart
        .lines
        .iter()
        .map(|l| {
            let total = Money {
                currency: l.currency.clone(),
                amount: l.total,
            };
            format!("{} × {} — {total}", l.quantity, line_name(l))
        })
        .collect();
    let (pieces, total) = size(&cart.lines, &cart.totals);
    text.push(format!("Total ({}): {total}", count(pieces)));
    text.join("\n")
}

/// The buyer a subscriber's profile gives (see [`Step::Checkout`]); `None` without a valid
/// `email`.
fn buyer(profile: &Profile) -> Option<Buyer> {
    let field = |name: &str| {
        profile
            .fields
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    };
    let email = field("email")?;
    let first_last: Vec<&str> = ["first_name", "last_name"]
        .into_iter()
        .filter_map(field)
        .collect();
    let name = match field("name") {
        Some(name) => name.to_owned(),
        None if !first_last.is_empty() => first_last.join(" "),
        None => email.to_owned(),
    };
    Buyer {
        name,
        email: email.to_owned(),
        phone: field("phone").map(str::to_owned),
        address: None,
    }
    .checked()
    .ok()
}
