-- Bot (global) fields: typed like custom fields (`type` decides the accepted values,
-- parlo_model::tag::FieldType), but with one value for the whole workspace instead of one
-- per subscriber. `value` is the canonical text of the typed value (as in
-- `subscriber_fields.value`), NULL while unset.
CREATE TABLE bot_fields (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    type          TEXT NOT NULL CHECK (type IN ('text', 'number', 'boolean', 'date', 'datetime', 'array', 'long_text')),
    description   TEXT NOT NULL DEFAULT '',
    value         TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (workspace_id, name)
);
