-- Idempotency keys of API triggers (`Idempotency-Key` of POST /api/v1/flows/{flow_id}/trigger),
-- per workspace: a retry with a known key answers `response` (the first answer) when the
-- request hashes to `body_hash`, 409 otherwise. Deleted with the subscriber it is about, and
-- pruned after the idempotency retention (by `created_at`).
CREATE TABLE flow_triggers (
    workspace_id     BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    idempotency_key  TEXT COLLATE "C" NOT NULL,
    body_hash        TEXT COLLATE "C" NOT NULL,
    subscriber_id    TEXT COLLATE "C" NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    response         TEXT NOT NULL,
    created_at       TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (workspace_id, idempotency_key)
);
CREATE INDEX flow_triggers_created ON flow_triggers (created_at);
CREATE INDEX flow_triggers_subscriber ON flow_triggers (subscriber_id);
