-- Verified visitor identity: `external_id` is the site's own user id, set only from a
-- session start whose `user_hash` (HMAC-SHA256 with the channel's identity secret) was
-- valid; unique per workspace. `capture` is parlo_model::form::Capture JSON: UTM
-- parameters, referrer and landing page of the visitor's first chat session.
ALTER TABLE subscribers ADD COLUMN external_id TEXT;
ALTER TABLE subscribers ADD COLUMN capture TEXT;
CREATE UNIQUE INDEX subscribers_external_id ON subscribers (workspace_id, external_id)
    WHERE external_id IS NOT NULL;
