-- Human takeover: the bot of a conversation can be paused. Paused while
-- `bot_paused_at` is set and `bot_paused_until` (RFC 3339 UTC) is NULL (until resumed)
-- or later than now.
ALTER TABLE conversations ADD COLUMN bot_paused_at TEXT;
ALTER TABLE conversations ADD COLUMN bot_paused_until TEXT;

-- Messages get a fourth author, `system` (notices such as "the bot is paused"). SQLite
-- cannot change a CHECK constraint, so the table is rebuilt; nothing refers to it.
CREATE TABLE messages_new (
    conversation_id  INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq              INTEGER NOT NULL,
    id               TEXT NOT NULL,
    author           TEXT NOT NULL CHECK (author IN ('visitor', 'bot', 'agent', 'system')),
    content          TEXT NOT NULL,
    reply_to         TEXT,
    input            TEXT,
    answer_last_seq  INTEGER,
    created_at       TEXT NOT NULL,
    PRIMARY KEY (conversation_id, seq),
    UNIQUE (conversation_id, id)
);
INSERT INTO messages_new (conversation_id, seq, id, author, content, reply_to, input, answer_last_seq, created_at)
SELECT conversation_id, seq, id, author, content, reply_to, input, answer_last_seq, created_at FROM messages;
DROP TABLE messages;
ALTER TABLE messages_new RENAME TO messages;
-- The management history filters by date.
CREATE INDEX messages_created ON messages (conversation_id, created_at);
