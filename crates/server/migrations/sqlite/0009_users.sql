-- Console users (e-mail + password) and their sessions; workspaces get an owner.

-- `password_hash` is an argon2id PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash).
CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash  TEXT NOT NULL,
    created_at     TEXT NOT NULL
);

-- Only the SHA-256 (hex) of the bearer token `parlo_us_…` is stored.
CREATE TABLE user_sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX user_sessions_user ON user_sessions (user_id);

-- Failed log-ins, counted per e-mail and per client IP to throttle password guessing.
CREATE TABLE login_failures (
    id            INTEGER PRIMARY KEY,
    scope         TEXT NOT NULL CHECK (scope IN ('email', 'ip')),
    subject       TEXT NOT NULL,
    failed_at_ms  INTEGER NOT NULL
);
CREATE INDEX login_failures_subject ON login_failures (scope, subject, failed_at_ms);

-- The user owning each workspace; NULL for workspaces made by the command line only.
ALTER TABLE workspaces ADD COLUMN owner_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX workspaces_owner ON workspaces (owner_user_id);
