-- Subscriber automations (tags, fields, flow) of one subscriber run one at a time in
-- outbox order; this finds a row's pending predecessors quickly.
CREATE INDEX outbox_subscriber_pending ON outbox (subscriber_id, id) WHERE status = 'pending';
