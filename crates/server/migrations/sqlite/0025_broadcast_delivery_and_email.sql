-- Broadcast statistics and e-mail copies.
-- `broadcasts.email_copy` (0/1): recipients with an e-mail address who have not opted out
-- also get the messages by e-mail. `broadcast_recipients.delivered_live` (0/1): when the
-- recipient was sent to, their widget had a realtime stream open to the sending server
-- instance, which pushed the messages at once. `broadcast_recipients.email_copy`: what became
-- of the recipient's e-mail copy (`queued`, `no_address`, `opted_out`; NULL: none asked for).
ALTER TABLE broadcasts ADD COLUMN email_copy INTEGER NOT NULL DEFAULT 0;
ALTER TABLE broadcast_recipients ADD COLUMN delivered_live INTEGER NOT NULL DEFAULT 0;
ALTER TABLE broadcast_recipients ADD COLUMN email_copy TEXT
    CHECK (email_copy IN ('queued', 'no_address', 'opted_out'));
-- When the subscriber opted out of e-mail copies (the unsubscribe link of one), RFC 3339 UTC.
ALTER TABLE subscribers ADD COLUMN email_opted_out_at TEXT;
