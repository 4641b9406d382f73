-- Webhook, notification and hand-over steps of flows.
--
-- How condition, webhook and hand-over steps ended (parlo_model::flow_statistics), counted
-- while the bot runs: `outcome` is 'then', 'else', 'succeeded', 'failed' or 'handed_over'.
-- Rows go with their flow.
CREATE TABLE flow_step_outcomes (
    workspace_id  INTEGER NOT NULL,
    flow_id       TEXT NOT NULL,
    step_id       TEXT NOT NULL,
    outcome       TEXT NOT NULL CHECK (outcome IN ('then', 'else', 'succeeded', 'failed', 'handed_over')),
    count         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, flow_id, step_id, outcome),
    FOREIGN KEY (workspace_id, flow_id) REFERENCES flows (workspace_id, id) ON DELETE CASCADE
);

-- Scheduled items may be a webhook step's call (`kind` 'webhook': `content` is the call's
-- JSON, `message_id` its `webhook-id`, `flow_id`/`step_id` the step). SQLite cannot change
-- a CHECK constraint, so the table is rebuilt.
CREATE TABLE scheduled_new (
    id               INTEGER PRIMARY KEY,
    conversation_id  INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    due_at_ms        INTEGER NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('message', 'typing', 'webhook')),
    message_id       TEXT,
    content          TEXT,
    reply_to         TEXT,
    typing_ms        INTEGER,
    created_at       TEXT NOT NULL,
    flow_id          TEXT,
    step_id          TEXT
);
INSERT INTO scheduled_new (id, conversation_id, due_at_ms, kind, message_id, content, reply_to, typing_ms,
                           created_at, flow_id, step_id)
    SELECT id, conversation_id, due_at_ms, kind, message_id, content, reply_to, typing_ms, created_at, flow_id, step_id
    FROM scheduled;
DROP TABLE scheduled;
ALTER TABLE scheduled_new RENAME TO scheduled;
CREATE INDEX scheduled_due ON scheduled (due_at_ms, id);
