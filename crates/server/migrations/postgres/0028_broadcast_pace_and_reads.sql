-- Broadcasts: a rate shared by every server instance, and read receipts.
-- `broadcasts.next_slot_us`: when the broadcast's next send slot opens (Unix microseconds);
-- a sender takes a slot by moving it one period (1 s / rate_per_second) ahead of the later
-- of itself and now, in one statement, so instances sharing the database share the rate.
-- `broadcast_recipients.seq`: the `seq` of the last message the broadcast put in the
-- recipient's conversation (NULL: none); `read_at`: when their widget first reported a read
-- position at or past it (RFC 3339 UTC).
ALTER TABLE broadcasts ADD COLUMN next_slot_us BIGINT NOT NULL DEFAULT 0;
ALTER TABLE broadcast_recipients ADD COLUMN seq BIGINT;
ALTER TABLE broadcast_recipients ADD COLUMN read_at TEXT COLLATE "C";
