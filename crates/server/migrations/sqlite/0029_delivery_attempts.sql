-- One row per finished attempt of an outbox row (a webhook or e-mail delivery), so owners
-- see every attempt, not only the last. `attempt` counts from 1 within the row's current
-- round (a redelivery starts a new round at 1); `ended_at` RFC 3339 UTC; `duration_ms` from
-- the claim to the end; `status` the HTTP status of a webhook answer; `error` why it failed,
-- NULL when it succeeded. Deleted with its outbox row.
CREATE TABLE delivery_attempts (
    id           INTEGER PRIMARY KEY,
    outbox_id    INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    attempt      INTEGER NOT NULL,
    ended_at     TEXT NOT NULL,
    duration_ms  INTEGER NOT NULL,
    status       INTEGER,
    error        TEXT
);
CREATE INDEX delivery_attempts_outbox ON delivery_attempts (outbox_id, id);
