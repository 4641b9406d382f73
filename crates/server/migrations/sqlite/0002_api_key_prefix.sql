-- The first characters of each API key (`parlo_sk_` + 4), shown in lists to tell keys
-- apart. NULL for keys created before keys carried a checksum (they are still accepted).
ALTER TABLE api_keys ADD COLUMN prefix TEXT;
