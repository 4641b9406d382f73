-- Idempotency keys of visitor session starts (`Idempotency-Key` of POST /sessions): a retry
-- with a known key answers the subscriber the first start created. Pruned after the
-- idempotency retention (by `created_at`).
CREATE TABLE session_starts (
    idempotency_key  TEXT PRIMARY KEY,
    channel_id       TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    subscriber_id    TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    created_at       TEXT NOT NULL
);
CREATE INDEX session_starts_created ON session_starts (created_at);
CREATE INDEX session_starts_subscriber ON session_starts (subscriber_id);
