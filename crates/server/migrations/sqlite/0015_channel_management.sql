-- Channels managed through the API: weekly business hours (BusinessHours JSON), the
-- identity secret the site's backend signs visitor identities with (never answered
-- after create and rotation), and archiving (archived channels are gone from the public
-- API but keep their conversations).
ALTER TABLE channels ADD COLUMN business_hours TEXT;
ALTER TABLE channels ADD COLUMN identity_secret TEXT;
ALTER TABLE channels ADD COLUMN archived_at TEXT;
