-- Lead forms (issue 3). `document` is parlo_model::form::Form JSON. Form ids are unique
-- on the server, not per workspace: the public URL /api/public/v1/forms/{id} names no
-- workspace (like channel ids).
CREATE TABLE forms (
    id            TEXT PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    document      TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX forms_workspace ON forms (workspace_id, id);

-- Secrets of this server, by name, made on first use: `form_render` signs the render
-- tokens of public forms (minimum fill time). Stored so tokens outlive restarts.
CREATE TABLE server_secrets (
    name        TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
