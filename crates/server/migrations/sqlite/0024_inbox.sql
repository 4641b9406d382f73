-- The owner console's inbox.
-- `read_seq`: the owner's read marker, the `seq` of the last message read; visitor
-- messages after it are unread. `handed_over_at`: when a flow's hand-over step asked for
-- a person (RFC 3339 UTC); cleared when the bot is resumed.
ALTER TABLE conversations ADD COLUMN read_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN handed_over_at TEXT;

-- `ordinal`: the order in which messages were stored, over the whole database, so the
-- workspace event stream can resume after the last message it sent (`Last-Event-ID`).
-- Writers are serialised, so ordinals grow in commit order. Numbered from a counter that
-- never goes back (a rowid would be reused after the newest message is erased).
ALTER TABLE messages ADD COLUMN ordinal INTEGER;
UPDATE messages SET ordinal = rowid;
CREATE TABLE message_ordinal (last INTEGER NOT NULL);
INSERT INTO message_ordinal (last) SELECT coalesce(max(rowid), 0) FROM messages;
CREATE TRIGGER messages_ordinal AFTER INSERT ON messages
BEGIN
    UPDATE message_ordinal SET last = last + 1;
    UPDATE messages SET ordinal = (SELECT last FROM message_ordinal) WHERE rowid = NEW.rowid;
END;
CREATE INDEX messages_ordinal ON messages (ordinal);
