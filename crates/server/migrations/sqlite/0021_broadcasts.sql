-- Broadcasts: content sent to many subscribers at `send_at_ms` (Unix milliseconds) at
-- `rate_per_second`. `content` is parlo_model::broadcast::BroadcastContent JSON, `audience`
-- parlo_model::broadcast::Audience JSON, `automations` a JSON array of
-- parlo_model::automation::Automation (run when it is done). States: scheduled → sending → done, or cancelled.
CREATE TABLE broadcasts (
    id               INTEGER PRIMARY KEY,
    workspace_id     INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name             TEXT NOT NULL,
    content          TEXT NOT NULL,
    audience         TEXT NOT NULL,
    automations      TEXT NOT NULL DEFAULT '[]',
    send_at          TEXT NOT NULL,
    send_at_ms       INTEGER NOT NULL,
    rate_per_second  INTEGER NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('scheduled', 'sending', 'done', 'cancelled')),
    created_at       TEXT NOT NULL,
    started_at       TEXT,
    finished_at      TEXT,
    cancelled_at     TEXT
);
CREATE INDEX broadcasts_workspace ON broadcasts (workspace_id, id);
CREATE INDEX broadcasts_due ON broadcasts (state, send_at_ms);

-- The recipients a broadcast's audience resolved to (once, when sending began), sent to
-- in `id` order. A worker claims a pending row by setting `lease` and moving
-- `lease_until_ms` ahead; the row becomes `sent` in the transaction that stores the
-- messages, and only while that lease is held, so it is sent to at most once.
CREATE TABLE broadcast_recipients (
    id              INTEGER PRIMARY KEY,
    broadcast_id    INTEGER NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    subscriber_id   TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'cancelled')),
    reason          TEXT,
    lease           TEXT,
    lease_until_ms  INTEGER NOT NULL DEFAULT 0,
    done_at         TEXT,
    UNIQUE (broadcast_id, subscriber_id)
);
CREATE INDEX broadcast_recipients_pending ON broadcast_recipients (broadcast_id, state, id);
CREATE INDEX broadcast_recipients_subscriber ON broadcast_recipients (subscriber_id);
