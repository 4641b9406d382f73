-- Form submissions and leads (issue 3).

-- Leads: accepted submissions. `values_json` is the cleaned values (field name →
-- string | [string] | bool), `consents` ConsentRecord JSON array, `capture` Capture JSON.
-- `form_id` is not a foreign key: leads stay when their form is deleted. `seq` orders
-- them (newest first in lists) and is the list cursor.
CREATE TABLE leads (
    seq              INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    workspace_id     INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    form_id          TEXT NOT NULL,
    subscriber_id    TEXT REFERENCES subscribers (id) ON DELETE SET NULL,
    idempotency_key  TEXT NOT NULL,
    values_json      TEXT NOT NULL,
    consents         TEXT NOT NULL,
    capture          TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX leads_workspace ON leads (workspace_id, seq);
CREATE INDEX leads_form ON leads (workspace_id, form_id, seq);
CREATE INDEX leads_created ON leads (workspace_id, created_at);

-- Every submission answered as accepted, once per idempotency key: `outcome` says whether
-- it made a lead or was taken for spam; `body_hash` (SHA-256 of the values, capture and
-- honeypot) detects a key reused with another body; `response` is the answer given, sent
-- again to retries.
CREATE TABLE form_submissions (
    form_id          TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL,
    workspace_id     INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    body_hash        TEXT NOT NULL,
    outcome          TEXT NOT NULL CHECK (outcome IN ('lead', 'honeypot', 'too_fast')),
    lead_id          TEXT,
    response         TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    PRIMARY KEY (form_id, idempotency_key)
);
CREATE INDEX form_submissions_outcome ON form_submissions (form_id, outcome);
