-- Ice breakers start a flow: the stored public config holds them as quick replies
-- {title, payload}. The old form (bare strings sent as visitor text) names no flow, so
-- channels still holding it lose their ice breakers; an owner sets them again through the API.
UPDATE channels
SET config = (config::jsonb - 'ice_breakers')::text
WHERE jsonb_typeof(config::jsonb -> 'ice_breakers' -> 0) = 'string';
