//! The shop: products with variants, a cart per subscriber, and orders (UChat's e-commerce
//! data and HighTouch's orders: the buyer's contact details and a basket of goods).
//!
//! Money is an integer amount in the currency's minor units (cents for `EUR`, yen for
//! `JPY`) with an active ISO 4217 code (see [`crate::currency`], whose
//! [`minor_units`](crate::currency::minor_units) places the decimal point when an amount is
//! shown); a product has one currency. Everything bought is named
//! by its SKU, unique in the workspace: a product without variants is bought by its own
//! SKU, a product with variants by a variant's SKU.
//!
//! ```
//! use parlo_model::shop::{OrderStatus, ProductSettings};
//! let p: ProductSettings = serde_json::from_str(r#"{
//!   "name": "Latte", "currency": "EUR", "price": 350, "sku": "latte",
//!   "variants": [{"options": {"size": "large"}, "price": 420, "sku": "latte-l", "stock": 3}]
//! }"#).unwrap();
//! assert!(p.validate().is_empty());
//! assert!(OrderStatus::Pending.can_become(OrderStatus::Paid));
//! assert!(!OrderStatus::Fulfilled.can_become(OrderStatus::Pending));
//! ```

use crate::automation::Automation;
use crate::currency;
use crate::ids::SubscriberId;
use crate::link::check_web_url;
use crate::problem::FieldError;
use crate::validate::{EMAIL, MemberRule, Rule, URL, check_name, items, name, normalise_email, up_to};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest product name, in characters.
pub const MAX_PRODUCT_NAME_CHARS: usize = 200;
/// Longest product description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 5000;
/// Most images of a product.
pub const MAX_IMAGES: usize = 10;
/// Most variants of a product.
pub const MAX_VARIANTS: usize = 100;
/// Most options of a variant (e.g. size and colour).
pub const MAX_OPTIONS: usize = 5;
/// Longest option name or value, in characters.
pub const MAX_OPTION_CHARS: usize = 50;
/// Largest price or stock, in minor units or pieces (fits every total of an order).
pub const MAX_AMOUNT: i64 = 1_000_000_000;
/// Largest quantity of one line.
pub const MAX_QUANTITY: i64 = 1000;
/// Most lines of a cart or an order.
pub const MAX_LINES: usize = 100;
/// Longest buyer name, phone or address, in characters.
pub const MAX_CONTACT_CHARS: usize = 500;
/// Most automations per order event.
pub const MAX_AUTOMATIONS: usize = 20;
/// A SKU: 1..=64 of `A-Z a-z 0-9 . _ -`, as an ECMA-262 regular expression.
pub const SKU_PATTERN: &str = "^[A-Za-z0-9._-]{1,64}$";
/// The shape of an ISO 4217 currency code: three upper-case letters (the code must also be
/// an active one, [`currency::is_active`]).
pub const CURRENCY_PATTERN: &str = "^[A-Z]{3}$";

/// Event type when an order is created (data: the [`Order`]).
pub const ORDER_CREATED: &str = "order.created";
/// Event type when an order becomes `paid` (data: the [`Order`]).
pub const ORDER_PAID: &str = "order.paid";
/// Event type when an order becomes `cancelled` (data: the [`Order`]).
pub const ORDER_CANCELLED: &str = "order.cancelled";

/// Whether `sku` matches [`SKU_PATTERN`].
pub fn is_sku(sku: &str) -> bool {
    (1..=64).contains(&sku.len())
        && sku
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Whether `code` is an active ISO 4217 currency code, e.g. `EUR` ([`currency::is_active`];
/// [`currency::minor_units`] tells how to format its amounts).
pub fn is_currency(code: &str) -> bool {
    currency::is_active(code)
}

/// An amount of money: minor units of an ISO 4217 currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Money {
    /// ISO 4217 code, e.g. `EUR`.
    pub currency: String,
    /// Minor units, e.g. `350` for 3.50 EUR.
    pub amount: i64,
}

/// Digits after the decimal point of `currency`'s minor unit (ISO 4217): 0 for
/// currencies without one (e.g. `JPY`), 3 for those in thousandths (e.g. `KWD`), else 2.
pub fn minor_digits(currency: &str) -> u32 {
    const NONE: [&str; 16] = [
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV",
        "XAF", "XOF",
    ];
    const THOUSANDTHS: [&str; 7] = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];
    if NONE.contains(&currency) {
        0
    } else if THOUSANDTHS.contains(&currency) {
        3
    } else {
        2
    }
}

impl Money {
    /// The amount in major units with a point, e.g. `54.00` for 5400 `EUR` and `500` for
    /// 500 `JPY` (see [`minor_digits`]); a minus sign when negative.
    ///
    /// ```
    /// use parlo_model::shop::Money;
    /// assert_eq!(Money { currency: "EUR".into(), amount: 5400 }.decimal(), "54.00");
    /// assert_eq!(Money { currency: "JPY".into(), amount: 500 }.decimal(), "500");
    /// ```
    pub fn decimal(&self) -> String {
        let digits = minor_digits(&self.currency);
        let sign = if self.amount < 0 { "-" } else { "" };
        let units = self.amount.unsigned_abs();
        if digits == 0 {
            return format!("{sign}{units}");
        }
        let scale = 10_u64.pow(digits);
        let (major, minor) = (units / scale, units % scale);
        format!("{sign}{major}.{minor:0width$}", width = digits as usize)
    }

    /// The symbol written before the amount: `€`, `$`, `£`, `¥` for `EUR`, `USD`, `GBP`,
    /// `JPY`; `None` for other currencies (their code follows the amount).
    fn symbol(&self) -> Option<&'static str> {
        match self.currency.as_str() {
            "EUR" => Some("€"),
            "USD" => Some("$"),
            "GBP" => Some("£"),
            "JPY" => Some("¥"),
            _ => None,
        }
    }
}

/// The amount as a shopper reads it: the symbol before the number for `EUR`, `USD`, `GBP`
/// and `JPY`, else the number and the code.
///
/// ```
/// use parlo_model::shop::Money;
/// assert_eq!(Money { currency: "EUR".into(), amount: 5400 }.to_string(), "€54.00");
/// assert_eq!(Money { currency: "CHF".into(), amount: 1250 }.to_string(), "12.50 CHF");
/// ```
impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.symbol() {
            Some(symbol) => write!(f, "{symbol}{}", self.decimal()),
            None => write!(f, "{} {}", self.decimal(), self.currency),
        }
    }
}

/// A variant as an owner sets it: its options with its own price, SKU and stock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// What sets it apart, e.g. `{"size": "large"}`: 1..=5 options, names and values
    /// 1..=50 characters.
    pub options: BTreeMap<String, String>,
    /// Price in minor units of the product's currency, 0..=1,000,000,000.
    pub price: i64,
    /// SKU, unique in the workspace ([`SKU_PATTERN`]).
    pub sku: String,
    /// Pieces in stock, 0..=1,000,000,000; absent: not counted (never out of stock).
    #[serde(default)]
    pub stock: Option<i64>,
}

/// What an owner sets on a product (the body of create and replace).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "openapi", schema(examples(json!({
    "name": "Latte", "description": "Double shot, steamed milk.", "images": ["https://example.com/latte.jpg"],
    "currency": "EUR", "price": 350, "sku": "latte", "stock": 20,
    "variants": [{"options": {"size": "large"}, "price": 420, "sku": "latte-l", "stock": 5}]
}))))]
#[serde(deny_unknown_fields)]
pub struct ProductSettings {
    /// Name, 1..=200 characters, trimmed.
    pub name: String,
    /// Description, at most 5000 characters.
    #[serde(default)]
    pub description: String,
    /// Image URLs (http or https), at most 10.
    #[serde(default)]
    pub images: Vec<String>,
    /// ISO 4217 currency of every price of the product, e.g. `EUR`.
    pub currency: String,
    /// Price in minor units, 0..=1,000,000,000.
    pub price: i64,
    /// SKU, unique in the workspace among products and variants ([`SKU_PATTERN`]).
    pub sku: String,
    /// Pieces in stock, 0..=1,000,000,000; absent: not counted. Only for a product without
    /// variants (each variant has its own).
    #[serde(default)]
    pub stock: Option<i64>,
    /// Off: kept, but cannot be added to a cart or ordered. On when absent.
    #[serde(default = "active_by_default")]
    pub active: bool,
    /// Variants, at most 100; with variants the product is bought by a variant's SKU.
    #[serde(default)]
    pub variants: Vec<Variant>,
}

fn active_by_default() -> bool {
    true
}

/// A product: its id and settings, as stored (stock as it is now).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Product {
    /// Id, e.g. `12`.
    pub id: i64,
    /// Its settings; `stock` and the variants' stock are what is left now.
    pub settings: ProductSettings,
    /// When it was created, RFC 3339 UTC.
    pub created_at: String,
    /// When its settings last changed, RFC 3339 UTC.
    pub updated_at: String,
}

/// What [`ProductSettings::validate`] and the other checks of this module verify one
/// member at a time, for the API document.
pub const SCHEMA_RULES: [MemberRule; 24] = [
    ("ProductSettings", "", Rule::Closed),
    ("ProductSettings", "name", name(MAX_PRODUCT_NAME_CHARS)),
    ("ProductSettings", "description", up_to(MAX_DESCRIPTION_CHARS)),
    ("ProductSettings", "images", items(0, MAX_IMAGES)),
    ("ProductSettings", "images/items", URL),
    ("ProductSettings", "currency", Rule::Pattern(CURRENCY_PATTERN)),
    ("ProductSettings", "price", AMOUNT),
    ("ProductSettings", "sku", Rule::Pattern(SKU_PATTERN)),
    ("ProductSettings", "stock", AMOUNT),
    ("ProductSettings", "variants", items(0, MAX_VARIANTS)),
    ("Variant", "", Rule::Closed),
    (
        "Variant",
        "options",
        Rule::Properties {
            min: 1,
            max: MAX_OPTIONS,
        },
    ),
    ("Variant", "options/propertyNames", name(MAX_OPTION_CHARS)),
    ("Variant", "options/additionalProperties", name(MAX_OPTION_CHARS)),
    ("Variant", "price", AMOUNT),
    ("Variant", "sku", Rule::Pattern(SKU_PATTERN)),
    ("Variant", "stock", AMOUNT),
    ("CartItem", "sku", Rule::Pattern(SKU_PATTERN)),
    ("CartItem", "quantity", QUANTITY),
    ("NewOrder", "lines", items(1, MAX_LINES)),
    ("Buyer", "name", name(MAX_CONTACT_CHARS)),
    ("Buyer", "email", EMAIL),
    ("Buyer", "phone", up_to(MAX_CONTACT_CHARS)),
    ("Buyer", "address", up_to(MAX_CONTACT_CHARS)),
];

/// A price or a stock: `0..=`[`MAX_AMOUNT`].
const AMOUNT: Rule = Rule::Range {
    min: 0.0,
    max: MAX_AMOUNT as f64,
};

/// A line's quantity: `1..=`[`MAX_QUANTITY`].
const QUANTITY: Rule = Rule::Range {
    min: 1.0,
    max: MAX_QUANTITY as f64,
};

/// 422 problems of a price or stock at `pointer`.
fn check_amount(errors: &mut Vec<FieldError>, pointer: String, amount: i64) {
    if !(0..=MAX_AMOUNT).contains(&amount) {
        errors.push(FieldError::new(pointer, format!("must be 0..={MAX_AMOUNT}")));
    }
}

/// 422 problem of a SKU at `pointer`.
fn check_sku(errors: &mut Vec<FieldError>, pointer: String, sku: &str) {
    if !is_sku(sku) {
        errors.push(FieldError::new(
            pointer,
            "must be 1..=64 of A-Z, a-z, 0-9, '.', '_' and '-'",
        ));
    }
}

impl ProductSettings {
    /// Every problem of the document (whether its SKUs are free in the workspace is the
    /// server's check): the rules of each member, a stock on a product with variants, and
    /// SKUs repeated within the product.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Err(problem) = check_name(&self.name, MAX_PRODUCT_NAME_CHARS) {
            errors.push(FieldError::new("/name", problem));
        }
        if self.description.chars().count() > MAX_DESCRIPTION_CHARS {
            errors.push(FieldError::new(
                "/description",
                format!("must be at most {MAX_DESCRIPTION_CHARS} characters"),
            ));
        }
        if self.images.len() > MAX_IMAGES {
            errors.push(FieldError::new(
                "/images",
                format!("must list at most {MAX_IMAGES} images"),
            ));
        }
        for (i, url) in self.images.iter().enumerate() {
            if let Err(problem) = check_web_url(url) {
                errors.push(FieldError::new(format!("/images/{i}"), problem));
            }
        }
        if !is_currency(&self.currency) {
            errors.push(FieldError::new(
                "/currency",
                "must be an active ISO 4217 currency code in upper case, e.g. EUR",
            ));
        }
        check_amount(&mut errors, "/price".into(), self.price);
        check_sku(&mut errors, "/sku".into(), &self.sku);
        if let Some(stock) = self.stock {
            check_amount(&mut errors, "/stock".into(), stock);
            if !self.variants.is_empty() {
                errors.push(FieldError::new(
                    "/stock",
                    "must be absent on a product with variants: each variant has its own",
                ));
            }
        }
        if self.variants.len() > MAX_VARIANTS {
            errors.push(FieldError::new(
                "/variants",
                format!("must list at most {MAX_VARIANTS} variants"),
            ));
        }
        let mut skus = vec![self.sku.as_str()];
        for (i, variant) in self.variants.iter().enumerate() {
            let at = format!("/variants/{i}");
            if variant.options.is_empty() || variant.options.len() > MAX_OPTIONS {
                errors.push(FieldError::new(
                    format!("{at}/options"),
                    format!("must have 1..={MAX_OPTIONS} options"),
                ));
            }
            for (option, value) in &variant.options {
                if check_name(option, MAX_OPTION_CHARS).is_err()
                    || check_name(value, MAX_OPTION_CHARS).is_err()
                {
                    errors.push(FieldError::new(
                        format!("{at}/options/{option}"),
                        format!(
                            "names and values must be 1..={MAX_OPTION_CHARS} characters, not blank, without control characters"
                        ),
                    ));
                }
            }
            check_amount(&mut errors, format!("{at}/price"), variant.price);
            check_sku(&mut errors, format!("{at}/sku"), &variant.sku);
            if let Some(stock) = variant.stock {
                check_amount(&mut errors, format!("{at}/stock"), stock);
            }
            if skus.contains(&variant.sku.as_str()) {
                errors.push(FieldError::new(
                    format!("{at}/sku"),
                    "is used twice in this product",
                ));
            }
            skus.push(&variant.sku);
        }
        errors
    }
}

/// An item to put in a cart or an order: a SKU and how many.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct CartItem {
    /// SKU of an active product without variants, or of a variant of an active product.
    pub sku: String,
    /// Pieces, 1..=1000.
    pub quantity: i64,
}

/// Body of setting a cart line's quantity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct SetQuantity {
    /// Pieces, 1..=1000 (remove the line to have none).
    pub quantity: i64,
}

/// Rule of [`SetQuantity`], for the API document.
pub const QUANTITY_RULES: [MemberRule; 1] = [("SetQuantity", "quantity", QUANTITY)];

/// 422 problem of a quantity at `pointer`.
pub fn check_quantity(pointer: &str, quantity: i64) -> Option<FieldError> {
    (!(1..=MAX_QUANTITY).contains(&quantity))
        .then(|| FieldError::new(pointer, format!("must be 1..={MAX_QUANTITY}")))
}

/// A line of a cart or an order: what it is, its price when it was read, and its total.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Line {
    /// SKU bought.
    pub sku: String,
    /// The product's id.
    pub product_id: i64,
    /// The product's name.
    pub name: String,
    /// The variant's options; empty for a product without variants.
    pub options: BTreeMap<String, String>,
    /// Pieces.
    pub quantity: i64,
    /// ISO 4217 currency.
    pub currency: String,
    /// Price of one piece, minor units.
    pub unit_price: i64,
    /// `unit_price × quantity`, minor units.
    pub total: i64,
}

/// Sums of `lines` per currency, in currency order.
pub fn totals(lines: &[Line]) -> Vec<Money> {
    let mut sums = BTreeMap::<&str, i64>::new();
    for line in lines {
        *sums.entry(&line.currency).or_default() += line.total;
    }
    sums.into_iter()
        .map(|(currency, amount)| Money {
            currency: currency.to_owned(),
            amount,
        })
        .collect()
}

/// A subscriber's cart, priced now (the server computes every total).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Cart {
    /// Whose cart it is.
    pub subscriber_id: SubscriberId,
    /// Lines in the order they were added, at current prices.
    pub lines: Vec<Line>,
    /// Sum of the lines per currency (one entry per currency, sorted by code); empty for an
    /// empty cart.
    pub totals: Vec<Money>,
}

/// The buyer's contact details kept with an order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct Buyer {
    /// Name, 1..=500 characters, trimmed.
    pub name: String,
    /// E-mail address (stored with its domain in lower case).
    pub email: String,
    /// Phone number as given, at most 500 characters.
    #[serde(default)]
    pub phone: Option<String>,
    /// Postal address as given, at most 500 characters.
    #[serde(default)]
    pub address: Option<String>,
}

impl Buyer {
    /// What an order keeps of its buyer once the subscriber who ordered was erased: name
    /// `erased`, e-mail address `erased@invalid` (a reserved domain: nothing is ever sent
    /// there), no phone, no address. The lines, total and status stay for the bookkeeping.
    pub fn erased() -> Self {
        Self {
            name: "erased".to_owned(),
            email: "erased@invalid".to_owned(),
            phone: None,
            address: None,
        }
    }

    /// The details as stored (name trimmed, e-mail normalised), or every problem, at
    /// `/buyer/…`.
    pub fn checked(&self) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = check_name(&self.name, MAX_CONTACT_CHARS)
            .map_err(|p| errors.push(FieldError::new("/buyer/name", p)))
            .unwrap_or_default()
            .to_owned();
        let email = normalise_email(&self.email);
        if email.is_none() {
            errors.push(FieldError::new("/buyer/email", "must be an e-mail address"));
        }
        for (pointer, value) in [("/buyer/phone", &self.phone), ("/buyer/address", &self.address)] {
            if value
                .as_ref()
                .is_some_and(|v| v.chars().count() > MAX_CONTACT_CHARS)
            {
                errors.push(FieldError::new(
                    pointer,
                    format!("must be at most {MAX_CONTACT_CHARS} characters"),
                ));
            }
        }
        if errors.is_empty() {
            Ok(Self {
                name,
                email: email.unwrap_or_default(),
                phone: self.phone.clone(),
                address: self.address.clone(),
            })
        } else {
            Err(errors)
        }
    }
}

/// Body of creating an order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "openapi", schema(examples(json!({
    "subscriber_id": "sub_4ZyT0rW8qk2mB1xLcV9d",
    "buyer": {"name": "Ada Lovelace", "email": "ada@example.com", "phone": "+44 20 7946 0958"}
}))))]
#[serde(deny_unknown_fields)]
pub struct NewOrder {
    /// The subscriber who orders (a subscriber of the workspace). Without `lines` the order
    /// is their cart's content, and the cart is emptied.
    #[serde(default)]
    pub subscriber_id: Option<SubscriberId>,
    /// What is ordered, 1..=100 lines, each SKU once; absent: the subscriber's cart.
    #[serde(default)]
    pub lines: Option<Vec<CartItem>>,
    /// The buyer's contact details.
    pub buyer: Buyer,
}

/// Where an order is; see [`OrderStatus::can_become`] for the allowed transitions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Created, not paid yet.
    Pending,
    /// Paid.
    Paid,
    /// Paid and delivered.
    Fulfilled,
    /// Called off before delivery; its stock is given back.
    Cancelled,
    /// Paid, then the money was returned.
    Refunded,
}

impl OrderStatus {
    /// The status's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Paid => "paid",
            Self::Fulfilled => "fulfilled",
            Self::Cancelled => "cancelled",
            Self::Refunded => "refunded",
        }
    }

    /// The status of wire name `s`.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Pending,
            Self::Paid,
            Self::Fulfilled,
            Self::Cancelled,
            Self::Refunded,
        ]
        .into_iter()
        .find(|status| status.as_str() == s)
    }

    /// Whether an order may go from `self` to `next`: `pending → paid → fulfilled`,
    /// `pending` or `paid → cancelled`, `paid` or `fulfilled → refunded`. Nothing else,
    /// and no status to itself.
    pub fn can_become(self, next: Self) -> bool {
        use OrderStatus::*;
        matches!(
            (self, next),
            (Pending, Paid) | (Paid, Fulfilled) | (Pending | Paid, Cancelled) | (Paid | Fulfilled, Refunded)
        )
    }
}

/// Body of changing an order's status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// The new status; it must be allowed from the current one ([`OrderStatus::can_become`]).
    pub status: OrderStatus,
}

/// An order: the buyer, a snapshot of the lines and prices when it was created, and its
/// status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Order {
    /// Id, e.g. `42`.
    pub id: i64,
    /// The subscriber who ordered; absent for an order created through the API for no
    /// subscriber.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscriber_id: Option<SubscriberId>,
    /// The buyer's contact details.
    pub buyer: Buyer,
    /// The lines at the prices of the moment the order was created.
    pub lines: Vec<Line>,
    /// Sum of the lines (one currency per order).
    pub total: Money,
    /// Where it is.
    pub status: OrderStatus,
    /// When it was created, RFC 3339 UTC.
    pub created_at: String,
    /// When its status last changed, RFC 3339 UTC.
    pub updated_at: String,
}

/// The automations run on order events, per event (each list at most 20).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct ShopSettings {
    /// Run when an order is created (event `order.created`, data: the order).
    #[serde(default)]
    pub order_created: Vec<Automation>,
    /// Run when an order becomes `paid` (event `order.paid`).
    #[serde(default)]
    pub order_paid: Vec<Automation>,
    /// Run when an order becomes `cancelled` (event `order.cancelled`).
    #[serde(default)]
    pub order_cancelled: Vec<Automation>,
    /// The payment link a `checkout` flow step sends after creating an order: a template
    /// of a web URL with placeholders (see [`crate::payment_link`]), e.g.
    /// `https://pay.example/checkout?order={{order.id}}&amount={{order.total}}`. Parlo
    /// takes no payments: the payment page marks the order `paid` through the API. Absent:
    /// the bot says the order was received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_url: Option<String>,
}

/// Rules of [`ShopSettings`], for the API document.
pub const SETTINGS_RULES: [MemberRule; 5] = [
    ("ShopSettings", "", Rule::Closed),
    ("ShopSettings", "order_created", items(0, MAX_AUTOMATIONS)),
    ("ShopSettings", "order_paid", items(0, MAX_AUTOMATIONS)),
    ("ShopSettings", "order_cancelled", items(0, MAX_AUTOMATIONS)),
    ("ShopSettings", "payment_url", URL),
];

impl ShopSettings {
    /// The automations of event `event_type` (one of the `ORDER_*` constants).
    pub fn automations(&self, event_type: &str) -> &[Automation] {
        match event_type {
            ORDER_CREATED => &self.order_created,
            ORDER_PAID => &self.order_paid,
            ORDER_CANCELLED => &self.order_cancelled,
            _ => &[],
        }
    }

    /// Every problem of the lists: their lengths and each automation's own
    /// ([`Automation::check`]); the endpoints, tags and flows named are the server's check.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        for (member, list) in [
            ("order_created", &self.order_created),
            ("order_paid", &self.order_paid),
            ("order_cancelled", &self.order_cancelled),
        ] {
            if list.len() > MAX_AUTOMATIONS {
                errors.push(FieldError::new(
                    format!("/{member}"),
                    format!("must list at most {MAX_AUTOMATIONS} automations"),
                ));
            }
            for (i, automation) in list.iter().enumerate() {
                errors.extend(automation.check(&format!("/{member}/{i}")));
            }
        }
        if let Some(template) = &self.payment_url
            && let Err(problem) = crate::payment_link::check(template)
        {
            errors.push(FieldError::new("/payment_url", problem));
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> ProductSettings {
        serde_json::from_str(
            r#"{"name":"Tee","currency":"EUR","price":1500,"sku":"tee",
                "variants":[{"options":{"size":"M"},"price":1500,"sku":"tee-m","stock":2}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn product_rules() {
        assert!(settings().validate().is_empty());
        let mut bad = settings();
        bad.currency = "EUX".into();
        bad.price = -1;
        bad.stock = Some(3);
        bad.images = vec!["javascript:alert(1)".into()];
        bad.variants[0].sku = "tee".into();
        bad.variants[0].options.clear();
        let pointers: Vec<_> = bad.validate().into_iter().map(|e| e.pointer).collect();
        assert_eq!(
            pointers,
            [
                "/images/0",
                "/currency",
                "/price",
                "/stock",
                "/variants/0/options",
                "/variants/0/sku"
            ]
        );
    }

    #[test]
    fn transitions_and_totals() {
        use OrderStatus::*;
        assert!(Paid.can_become(Refunded) && Fulfilled.can_become(Refunded));
        assert!(!Cancelled.can_become(Paid) && !Pending.can_become(Fulfilled) && !Paid.can_become(Paid));
        assert!(!Pending.can_become(Refunded) && !Fulfilled.can_become(Cancelled));
        let line = |currency: &str, total| Line {
            sku: "x".into(),
            product_id: 1,
            name: "x".into(),
            options: BTreeMap::new(),
            quantity: 1,
            currency: currency.into(),
            unit_price: total,
            total,
        };
        let sums = totals(&[line("USD", 5), line("EUR", 2), line("USD", 1)]);
        assert_eq!(
            sums,
            [
                Money {
                    currency: "EUR".into(),
                    amount: 2
                },
                Money {
                    currency: "USD".into(),
                    amount: 6
                }
            ]
        );
    }
}
