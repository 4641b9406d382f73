//! `products`, `product_skus`, `cart_lines`, `orders` and `shop_settings`: the shop of a
//! workspace (see [`parlo_model::shop`]).
//!
//! Everything bought is a row of `product_skus` (a product's own SKU and one per variant);
//! stock is taken with one conditional update ([`take_stock`]), so it never goes below
//! zero whichever backend and however many writers.

use crate::db::Connection;
use anyhow::Context;
use parlo_model::ids::SubscriberId;
use parlo_model::shop::{
    Buyer, Line, Money, Order, OrderStatus, Product, ProductSettings, ShopSettings, Variant,
};
use std::collections::BTreeMap;

/// Inserts a product with its SKUs; returns its id. The SKUs must be free ([`taken_skus`]).
pub async fn create_product(
    conn: &mut Connection,
    workspace_id: i64,
    settings: &ProductSettings,
    now: &str,
) -> anyhow::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO products (workspace_id, name, description, images, currency, active, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(workspace_id)
    .bind(&settings.name)
    .bind(&settings.description)
    .bind(serde_json::to_string(&settings.images)?)
    .bind(&settings.currency)
    .bind(i64::from(settings.active))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    insert_skus(conn, workspace_id, id, settings).await?;
    Ok(id)
}

/// Inserts the SKU rows of product `product_id`: its own at position 0, then its variants.
async fn insert_skus(
    conn: &mut Connection,
    workspace_id: i64,
    product_id: i64,
    settings: &ProductSettings,
) -> anyhow::Result<()> {
    let own = Variant {
        options: BTreeMap::new(),
        price: settings.price,
        sku: settings.sku.clone(),
        stock: settings.stock,
    };
    for (position, variant) in std::iter::once(&own).chain(&settings.variants).enumerate() {
        sqlx::query(
            "INSERT INTO product_skus (workspace_id, sku, product_id, position, options, price, stock)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(workspace_id)
        .bind(&variant.sku)
        .bind(product_id)
        .bind(i64::try_from(position)?)
        .bind(serde_json::to_string(&variant.options)?)
        .bind(variant.price)
        .bind(variant.stock)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Replaces product `id`'s settings (its SKUs and their stock too); `false` when the
/// workspace has no such product.
pub async fn replace_product(
    conn: &mut Connection,
    workspace_id: i64,
    id: i64,
    settings: &ProductSettings,
    now: &str,
) -> anyhow::Result<bool> {
    let updated = sqlx::query(
        "UPDATE products SET name = $3, description = $4, images = $5, currency = $6, active = $7, updated_at = $8
         WHERE workspace_id = $1 AND id = $2",
    )
    .bind(workspace_id)
    .bind(id)
    .bind(&settings.name)
    .bind(&settings.description)
    .bind(serde_json::to_string(&settings.images)?)
    .bind(&settings.currency)
    .bind(i64::from(settings.active))
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated == 0 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM product_skus WHERE product_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    insert_skus(conn, workspace_id, id, settings).await?;
    Ok(true)
}

/// Deletes product `id` with its SKUs (cart lines of them are dropped); `false` when
/// there is none. Orders keep their snapshot.
pub async fn delete_product(conn: &mut Connection, workspace_id: i64, id: i64) -> sqlx::Result<bool> {
    sqlx::query(
        "DELETE FROM cart_lines WHERE workspace_id = $1
         AND sku IN (SELECT sku FROM product_skus WHERE workspace_id = $1 AND product_id = $2)",
    )
    .bind(workspace_id)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM product_skus WHERE workspace_id = $1 AND product_id = $2")
        .bind(workspace_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let deleted = sqlx::query("DELETE FROM products WHERE workspace_id = $1 AND id = $2")
        .bind(workspace_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(deleted.rows_affected() > 0)
}

/// Those of `skus` that a product other than `except` of the workspace already uses.
pub async fn taken_skus(
    conn: &mut Connection,
    workspace_id: i64,
    skus: &[&str],
    except: Option<i64>,
) -> sqlx::Result<Vec<String>> {
    let mut taken = Vec::new();
    for sku in skus {
        let owner: Option<i64> =
            sqlx::query_scalar("SELECT product_id FROM product_skus WHERE workspace_id = $1 AND sku = $2")
                .bind(workspace_id)
                .bind(*sku)
                .fetch_optional(&mut *conn)
                .await?;
        if owner.is_some_and(|owner| Some(owner) != except) {
            taken.push((*sku).to_owned());
        }
    }
    Ok(taken)
}

#[derive(sqlx::FromRow)]
struct ProductRow {
    id: i64,
    name: String,
    description: String,
    images: String,
    currency: String,
    active: i64,
    created_at: String,
    updated_at: String,
}

#[derive(sqlx::FromRow)]
struct SkuRow {
    sku: String,
    options: String,
    price: i64,
    stock: Option<i64>,
}

async fn product(conn: &mut Connection, row: ProductRow) -> anyhow::Result<Product> {
    let id = row.id;
    let skus: Vec<SkuRow> = sqlx::query_as(
        "SELECT sku, options, price, stock FROM product_skus WHERE product_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    let mut skus = skus.into_iter();
    let own = skus.next().with_context(|| format!("product {id} has no SKU"))?;
    let variants = skus
        .map(|v| {
            Ok(Variant {
                options: serde_json::from_str(&v.options)?,
                price: v.price,
                sku: v.sku,
                stock: v.stock,
            })
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(Product {
        id,
        settings: ProductSettings {
            name: row.name,
            description: row.description,
            images: serde_json::from_str(&row.images).with_context(|| format!("images of product {id}"))?,
            currency: row.currency,
            price: own.price,
            sku: own.sku,
            stock: own.stock,
            active: row.active != 0,
            variants,
        },
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// Product `id` of the workspace, if any.
pub async fn find_product(
    conn: &mut Connection,
    workspace_id: i64,
    id: i64,
) -> anyhow::Result<Option<Product>> {
    let row: Option<ProductRow> = sqlx::query_as(
        "SELECT id, name, description, images, currency, active, created_at, updated_at
         FROM products WHERE workspace_id = $1 AND id = $2",
    )
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(row) => Ok(Some(product(conn, row).await?)),
        None => Ok(None),
    }
}

/// Up to `limit` products of the workspace with an id after `after`, in id order.
pub async fn products(
    conn: &mut Connection,
    workspace_id: i64,
    after: i64,
    limit: u32,
) -> anyhow::Result<Vec<Product>> {
    let rows: Vec<ProductRow> = sqlx::query_as(
        "SELECT id, name, description, images, currency, active, created_at, updated_at
         FROM products WHERE workspace_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(workspace_id)
    .bind(after)
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
    .await?;
    let mut products = Vec::with_capacity(rows.len());
    for row in rows {
        products.push(product(conn, row).await?);
    }
    Ok(products)
}

/// What a SKU is: the product it belongs to and its price now.
#[derive(Debug, sqlx::FromRow)]
pub struct Item {
    /// The SKU.
    pub sku: String,
    /// Its product.
    pub product_id: i64,
    /// The product's name.
    pub name: String,
    /// The variant's options (JSON object), `{}` for a product's own SKU.
    pub options: String,
    /// Price of one piece, minor units.
    pub price: i64,
    /// The product's currency.
    pub currency: String,
    /// Pieces in stock; `None`: not counted.
    pub stock: Option<i64>,
    /// Whether the product is active (1) or not (0).
    pub active: i64,
    /// 1 when this is a product's own SKU while it has variants (not buyable).
    pub has_variants: i64,
}

impl Item {
    /// The line of `quantity` pieces of this item at its price now.
    pub fn line(&self, quantity: i64) -> anyhow::Result<Line> {
        Ok(Line {
            sku: self.sku.clone(),
            product_id: self.product_id,
            name: self.name.clone(),
            options: serde_json::from_str(&self.options)?,
            quantity,
            currency: self.currency.clone(),
            unit_price: self.price,
            total: self.price * quantity,
        })
    }
}

/// Item `sku` of the workspace, if any.
pub async fn item(conn: &mut Connection, workspace_id: i64, sku: &str) -> sqlx::Result<Option<Item>> {
    sqlx::query_as(
        "SELECT s.sku, s.product_id, p.name, s.options, s.price, p.currency, s.stock, p.active,
                CASE WHEN s.position = 0 AND EXISTS
                     (SELECT 1 FROM product_skus v WHERE v.product_id = s.product_id AND v.position > 0)
                THEN 1 ELSE 0 END AS has_variants
         FROM product_skus s JOIN products p ON p.id = s.product_id
         WHERE s.workspace_id = $1 AND s.sku = $2",
    )
    .bind(workspace_id)
    .bind(sku)
    .fetch_optional(conn)
    .await
}

/// Takes `quantity` pieces of `sku` from its stock, unless fewer are left: `false` then
/// (one conditional update, so never below zero). A SKU whose stock is not counted always
/// gives.
pub async fn take_stock(
    conn: &mut Connection,
    workspace_id: i64,
    sku: &str,
    quantity: i64,
) -> sqlx::Result<bool> {
    let updated = sqlx::query(
        "UPDATE product_skus SET stock = CASE WHEN stock IS NULL THEN NULL ELSE stock - $3 END
         WHERE workspace_id = $1 AND sku = $2 AND (stock IS NULL OR stock >= $3)",
    )
    .bind(workspace_id)
    .bind(sku)
    .bind(quantity)
    .execute(conn)
    .await?;
    Ok(updated.rows_affected() > 0)
}

/// Gives `quantity` pieces of `sku` back to its stock (when it still exists and is counted).
pub async fn give_back_stock(
    conn: &mut Connection,
    workspace_id: i64,
    sku: &str,
    quantity: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE product_skus SET stock = stock + $3 WHERE workspace_id = $1 AND sku = $2 AND stock IS NOT NULL")
        .bind(workspace_id)
        .bind(sku)
        .bind(quantity)
        .execute(conn)
        .await?;
    Ok(())
}

/// The lines of a subscriber's cart, `(sku, quantity)` in the order they were added.
pub async fn cart(
    conn: &mut Connection,
    workspace_id: i64,
    subscriber_id: &str,
) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as(
        "SELECT sku, quantity FROM cart_lines WHERE workspace_id = $1 AND subscriber_id = $2 ORDER BY id",
    )
    .bind(workspace_id)
    .bind(subscriber_id)
    .fetch_all(conn)
    .await
}

/// Sets the quantity of `sku` in a subscriber's cart, adding the line when absent.
pub async fn set_cart_line(
    conn: &mut Connection,
    workspace_id: i64,
    subscriber_id: &str,
    sku: &str,
    quantity: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO cart_lines (workspace_id, subscriber_id, sku, quantity) VALUES ($1, $2, $3, $4)
         ON CONFLICT (subscriber_id, sku) DO UPDATE SET quantity = excluded.quantity",
    )
    .bind(workspace_id)
    .bind(subscriber_id)
    .bind(sku)
    .bind(quantity)
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes `sku` from a subscriber's cart (every line with `None`); `false` when nothing
/// was there.
pub async fn remove_cart_lines(
    conn: &mut Connection,
    workspace_id: i64,
    subscriber_id: &str,
    sku: Option<&str>,
) -> sqlx::Result<bool> {
    let deleted = sqlx::query(
        "DELETE FROM cart_lines WHERE workspace_id = $1 AND subscriber_id = $2 AND ($3 IS NULL OR sku = $3)",
    )
    .bind(workspace_id)
    .bind(subscriber_id)
    .bind(sku)
    .execute(conn)
    .await?;
    Ok(deleted.rows_affected() > 0)
}

/// An order to insert with [`create_order`].
#[derive(Debug)]
pub struct NewOrder<'a> {
    /// The subscriber who orders, if any.
    pub subscriber_id: Option<&'a str>,
    /// Contact details, checked.
    pub buyer: &'a Buyer,
    /// The priced lines.
    pub lines: &'a [Line],
    /// Their sum.
    pub total: &'a Money,
    /// The `Idempotency-Key` of the request and the hash of its body, if it had one.
    pub idempotency: Option<(&'a str, &'a str)>,
    /// Now, RFC 3339 UTC.
    pub now: &'a str,
}

/// Inserts a `pending` order; returns its id.
pub async fn create_order(
    conn: &mut Connection,
    workspace_id: i64,
    new: &NewOrder<'_>,
) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO orders (workspace_id, subscriber_id, buyer, lines, currency, total, status, created_at, updated_at,
                             idempotency_key, body_hash)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7, $8, $9) RETURNING id",
    )
    .bind(workspace_id)
    .bind(new.subscriber_id)
    .bind(serde_json::to_string(new.buyer)?)
    .bind(serde_json::to_string(new.lines)?)
    .bind(&new.total.currency)
    .bind(new.total.amount)
    .bind(new.now)
    .bind(new.idempotency.map(|(key, _)| key))
    .bind(new.idempotency.map(|(_, hash)| hash))
    .fetch_one(conn)
    .await?)
}

/// The id and body hash of the order created with `Idempotency-Key` `key`, if any.
pub async fn order_by_idempotency_key(
    conn: &mut Connection,
    workspace_id: i64,
    key: &str,
) -> sqlx::Result<Option<(i64, String)>> {
    sqlx::query_as("SELECT id, body_hash FROM orders WHERE workspace_id = $1 AND idempotency_key = $2")
        .bind(workspace_id)
        .bind(key)
        .fetch_optional(conn)
        .await
}

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: i64,
    subscriber_id: Option<String>,
    buyer: String,
    lines: String,
    currency: String,
    total: i64,
    status: String,
    created_at: String,
    updated_at: String,
}

impl TryFrom<OrderRow> for Order {
    type Error = anyhow::Error;

    fn try_from(row: OrderRow) -> anyhow::Result<Self> {
        let id = row.id;
        Ok(Order {
            id,
            subscriber_id: row.subscriber_id.map(SubscriberId),
            buyer: serde_json::from_str(&row.buyer).with_context(|| format!("buyer of order {id}"))?,
            lines: serde_json::from_str(&row.lines).with_context(|| format!("lines of order {id}"))?,
            total: Money {
                currency: row.currency,
                amount: row.total,
            },
            status: OrderStatus::parse(&row.status)
                .with_context(|| format!("order {id} has status '{}'", row.status))?,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// The columns of an [`OrderRow`], as a literal for `concat!`.
macro_rules! order_columns {
    () => {
        "id, subscriber_id, buyer, lines, currency, total, status, created_at, updated_at"
    };
}

/// Order `id` of the workspace, if any.
pub async fn find_order(conn: &mut Connection, workspace_id: i64, id: i64) -> anyhow::Result<Option<Order>> {
    let row: Option<OrderRow> = sqlx::query_as(concat!(
        "SELECT ",
        order_columns!(),
        " FROM orders WHERE workspace_id = $1 AND id = $2"
    ))
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(Order::try_from).transpose()
}

/// Which orders [`orders`] lists.
#[derive(Debug, Default)]
pub struct OrderFilter<'a> {
    /// Only orders in this status.
    pub status: Option<OrderStatus>,
    /// Only orders of this subscriber.
    pub subscriber_id: Option<&'a str>,
    /// Only orders created at or after this time (RFC 3339 UTC as stored).
    pub from: Option<&'a str>,
    /// Only orders created at or before this time.
    pub to: Option<&'a str>,
}

/// Up to `limit` orders of the workspace matching `filter`, newest first, with an id below
/// `before` (all with 0).
pub async fn orders(
    conn: &mut Connection,
    workspace_id: i64,
    filter: &OrderFilter<'_>,
    before: i64,
    limit: u32,
) -> anyhow::Result<Vec<Order>> {
    let rows: Vec<OrderRow> = sqlx::query_as(concat!(
        "SELECT ",
        order_columns!(),
        " FROM orders
         WHERE workspace_id = $1 AND ($2 = 0 OR id < $2) AND ($3 IS NULL OR status = $3)
           AND ($4 IS NULL OR subscriber_id = $4) AND ($5 IS NULL OR created_at >= $5)
           AND ($6 IS NULL OR created_at <= $6)
         ORDER BY id DESC LIMIT $7"
    ))
    .bind(workspace_id)
    .bind(before)
    .bind(filter.status.map(OrderStatus::as_str))
    .bind(filter.subscriber_id)
    .bind(filter.from)
    .bind(filter.to)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(Order::try_from).collect()
}

/// Sets order `id`'s status when it is still `from`; `false` otherwise.
pub async fn set_order_status(
    conn: &mut Connection,
    workspace_id: i64,
    id: i64,
    from: OrderStatus,
    to: OrderStatus,
    now: &str,
) -> sqlx::Result<bool> {
    let updated = sqlx::query(
        "UPDATE orders SET status = $4, updated_at = $5 WHERE workspace_id = $1 AND id = $2 AND status = $3",
    )
    .bind(workspace_id)
    .bind(id)
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(updated.rows_affected() > 0)
}

/// The workspace's shop settings (all lists empty when never set).
pub async fn settings(conn: &mut Connection, workspace_id: i64) -> anyhow::Result<ShopSettings> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT settings FROM shop_settings WHERE workspace_id = $1")
            .bind(workspace_id)
            .fetch_optional(conn)
            .await?;
    Ok(match stored {
        Some(json) => serde_json::from_str(&json).context("shop settings")?,
        None => ShopSettings::default(),
    })
}

/// Stores the workspace's shop settings.
pub async fn put_settings(
    conn: &mut Connection,
    workspace_id: i64,
    settings: &ShopSettings,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO shop_settings (workspace_id, settings) VALUES ($1, $2)
         ON CONFLICT (workspace_id) DO UPDATE SET settings = excluded.settings",
    )
    .bind(workspace_id)
    .bind(serde_json::to_string(settings)?)
    .execute(conn)
    .await?;
    Ok(())
}
