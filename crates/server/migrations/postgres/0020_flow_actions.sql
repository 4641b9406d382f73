-- Webhook, notification and hand-over steps of flows.
--
-- How condition, webhook and hand-over steps ended (parlo_model::flow_statistics), counted
-- while the bot runs: `outcome` is 'then', 'else', 'succeeded', 'failed' or 'handed_over'.
-- Rows go with their flow.
CREATE TABLE flow_step_outcomes (
    workspace_id  BIGINT NOT NULL,
    flow_id       TEXT COLLATE "C" NOT NULL,
    step_id       TEXT COLLATE "C" NOT NULL,
    outcome       TEXT COLLATE "C" NOT NULL CHECK (outcome IN ('then', 'else', 'succeeded', 'failed', 'handed_over')),
    count         BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, flow_id, step_id, outcome),
    FOREIGN KEY (workspace_id, flow_id) REFERENCES flows (workspace_id, id) ON DELETE CASCADE
);

-- Scheduled items may be a webhook step's call (`kind` 'webhook': `content` is the call's
-- JSON, `message_id` its `webhook-id`, `flow_id`/`step_id` the step).
ALTER TABLE scheduled DROP CONSTRAINT scheduled_kind_check;
ALTER TABLE scheduled ADD CONSTRAINT scheduled_kind_check CHECK (kind IN ('message', 'typing', 'webhook'));
