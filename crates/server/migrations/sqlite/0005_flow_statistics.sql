-- Flow statistics (parlo_model::flow_statistics), counted while the bot runs. Rows go
-- with their flow.
CREATE TABLE flow_step_stats (
    workspace_id  INTEGER NOT NULL,
    flow_id       TEXT NOT NULL,
    step_id       TEXT NOT NULL,
    sent          INTEGER NOT NULL DEFAULT 0,
    completions   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, flow_id, step_id),
    FOREIGN KEY (workspace_id, flow_id) REFERENCES flows (workspace_id, id) ON DELETE CASCADE
);

-- Presses of postback buttons (`kind` 'button') and quick replies ('quick_reply') of a
-- message step, by position in the step's list.
CREATE TABLE flow_button_clicks (
    workspace_id  INTEGER NOT NULL,
    flow_id       TEXT NOT NULL,
    step_id       TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('button', 'quick_reply')),
    position      INTEGER NOT NULL,
    clicks        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, flow_id, step_id, kind, position),
    FOREIGN KEY (workspace_id, flow_id) REFERENCES flows (workspace_id, id) ON DELETE CASCADE
);

-- A delayed message remembers the step that sent it, so its delivery counts as `sent`.
ALTER TABLE scheduled ADD COLUMN flow_id TEXT;
ALTER TABLE scheduled ADD COLUMN step_id TEXT;
