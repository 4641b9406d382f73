-- Parlo's initial schema (SQLite). Timestamps are RFC 3339 UTC text with milliseconds,
-- except `scheduled.due_at_ms` (Unix milliseconds, compared numerically).

CREATE TABLE workspaces (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- One website chat entry point. `config` is the public ChannelConfig JSON, `bot` the
-- private BotConfig JSON (triggers of the channel's bot).
CREATE TABLE channels (
    id            TEXT PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    config        TEXT NOT NULL,
    bot           TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX channels_workspace ON channels (workspace_id);

-- Flow documents (parlo_model::flow::Flow JSON), ids unique within a workspace.
CREATE TABLE flows (
    workspace_id  INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    id            TEXT NOT NULL,
    document      TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (workspace_id, id)
);

CREATE TABLE subscribers (
    id            TEXT PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    channel_id    TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL
);
CREATE INDEX subscribers_workspace ON subscribers (workspace_id);

CREATE TABLE subscriber_fields (
    subscriber_id  TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    value          TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (subscriber_id, name)
);

CREATE TABLE subscriber_tags (
    subscriber_id  TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    tag            TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (subscriber_id, tag)
);

-- Visitor sessions: only the SHA-256 (hex) of the bearer token is stored.
CREATE TABLE sessions (
    token_hash     TEXT PRIMARY KEY,
    subscriber_id  TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    channel_id     TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    created_at     TEXT NOT NULL
);
CREATE INDEX sessions_subscriber ON sessions (subscriber_id);

-- One conversation per subscriber and channel. `state` is the engine's
-- ConversationState JSON; `last_seq` the seq of its newest message (0 when none).
CREATE TABLE conversations (
    id             INTEGER PRIMARY KEY,
    subscriber_id  TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    channel_id     TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    state          TEXT NOT NULL,
    last_seq       INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    UNIQUE (subscriber_id, channel_id)
);

-- Messages, numbered per conversation by `seq` (1, 2, 3, … without gaps).
-- Visitor messages keep their `input` (VisitorInput JSON) to detect idempotency-key reuse
-- with a different body, and `answer_last_seq`, the seq of the last bot message of the
-- immediate answer (replies stored in the same turn hold seq+1 ..= answer_last_seq).
CREATE TABLE messages (
    conversation_id  INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq              INTEGER NOT NULL,
    id               TEXT NOT NULL,
    author           TEXT NOT NULL CHECK (author IN ('visitor', 'bot', 'agent')),
    content          TEXT NOT NULL,
    reply_to         TEXT,
    input            TEXT,
    answer_last_seq  INTEGER,
    created_at       TEXT NOT NULL,
    PRIMARY KEY (conversation_id, seq),
    UNIQUE (conversation_id, id)
);

-- Bot output due later (after a delay step): a message (`content` is MessageContent
-- JSON, `message_id` its pre-assigned id) or a typing indicator (`typing_ms`).
-- Delivered by the scheduler in (due_at_ms, id) order; survives restarts.
CREATE TABLE scheduled (
    id               INTEGER PRIMARY KEY,
    conversation_id  INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    due_at_ms        INTEGER NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('message', 'typing')),
    message_id       TEXT,
    content          TEXT,
    reply_to         TEXT,
    typing_ms        INTEGER,
    created_at       TEXT NOT NULL
);
CREATE INDEX scheduled_due ON scheduled (due_at_ms, id);

-- Management API keys: only the SHA-256 (hex) of `parlo_sk_…` is stored.
CREATE TABLE api_keys (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    key_hash      TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    last_used_at  TEXT,
    revoked_at    TEXT
);
