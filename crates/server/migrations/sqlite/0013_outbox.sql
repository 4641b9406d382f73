-- Webhook endpoints and the outbox of automations (issue 3). Times: RFC 3339 UTC text,
-- except `*_ms` columns (Unix milliseconds, compared numerically).

-- `secret` is the Standard Webhooks signing secret `whsec_<base64>`; it must be kept in
-- clear to sign. `disabled_at` is set when the endpoint answered 410 Gone.
CREATE TABLE webhook_endpoints (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    url           TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    secret        TEXT NOT NULL,
    disabled_at   TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX webhook_endpoints_workspace ON webhook_endpoints (workspace_id);

-- One row per automation of an event, written in the event's transaction. `automation`
-- is parlo_model::automation::Automation JSON, `data` the event data JSON, `message_id`
-- the stable `webhook-id`. A worker claims a due pending row by moving
-- `next_attempt_at_ms` past its lease and setting `lease`; it finishes only while it
-- still holds that lease. `endpoint_id` (webhook rows) lets deliveries be listed per
-- endpoint; it is not a foreign key so a deleted endpoint's history stays.
CREATE TABLE outbox (
    id                  INTEGER PRIMARY KEY,
    workspace_id        INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    message_id          TEXT NOT NULL UNIQUE,
    event_type          TEXT NOT NULL,
    subscriber_id       TEXT,
    automation          TEXT NOT NULL,
    endpoint_id         INTEGER,
    data                TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at_ms  INTEGER NOT NULL,
    lease               TEXT,
    last_attempt_at     TEXT,
    last_status         INTEGER,
    last_error          TEXT,
    created_at          TEXT NOT NULL,
    delivered_at        TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at_ms) WHERE status = 'pending';
CREATE INDEX outbox_workspace ON outbox (workspace_id, id);
CREATE INDEX outbox_endpoint ON outbox (endpoint_id, id);
