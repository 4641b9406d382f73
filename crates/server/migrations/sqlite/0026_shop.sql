-- The shop. `products`: a workspace's products; `images` a JSON array of URLs. Prices are
-- minor units of `currency` (ISO 4217).
CREATE TABLE products (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL,
    images       TEXT NOT NULL,
    currency     TEXT NOT NULL,
    active       INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX products_workspace ON products (workspace_id, id);

-- What can be bought, by SKU (unique in the workspace): a product's own SKU
-- (`position` 0, `options` '{}') and one row per variant (`position` 1…, `options` a JSON
-- object). `stock` NULL: not counted; never below zero.
CREATE TABLE product_skus (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    sku          TEXT NOT NULL,
    product_id   INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    options      TEXT NOT NULL,
    price        INTEGER NOT NULL,
    stock        INTEGER CHECK (stock >= 0),
    PRIMARY KEY (workspace_id, sku),
    UNIQUE (product_id, position)
);

-- A subscriber's cart: one row per SKU; `id` orders the lines.
CREATE TABLE cart_lines (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    subscriber_id TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    sku           TEXT NOT NULL,
    quantity      INTEGER NOT NULL,
    UNIQUE (subscriber_id, sku)
);

-- Orders: `buyer` parlo_model::shop::Buyer JSON, `lines` a JSON array of
-- parlo_model::shop::Line (the snapshot), `total` minor units of `currency`.
-- `idempotency_key`: the `Idempotency-Key` it was created with, if any, and `body_hash`
-- the SHA-256 of that request's body (a repeat with another body is refused).
CREATE TABLE orders (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    subscriber_id TEXT REFERENCES subscribers (id) ON DELETE SET NULL,
    buyer         TEXT NOT NULL,
    lines         TEXT NOT NULL,
    currency      TEXT NOT NULL,
    total         INTEGER NOT NULL,
    idempotency_key TEXT,
    body_hash     TEXT,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'fulfilled', 'cancelled', 'refunded')),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX orders_workspace ON orders (workspace_id, id);
CREATE UNIQUE INDEX orders_idempotency ON orders (workspace_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

-- The automations of order events: parlo_model::shop::ShopSettings JSON.
CREATE TABLE shop_settings (
    workspace_id INTEGER PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    settings     TEXT NOT NULL
);
