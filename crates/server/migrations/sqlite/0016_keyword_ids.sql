-- Keywords become a managed resource: each stored keyword of a channel's bot config gets an
-- id, a match rule and an on/off switch. Old entries {keywords, flow, exact} become
-- {id: "kw_<position>", phrases, match: exact|contains, flow, enabled: true}, in order.
UPDATE channels
SET bot = json_set(bot, '$.keywords', (
    SELECT json_group_array(json_object(
        'id', 'kw_' || k.key,
        'phrases', json(json_extract(k.value, '$.keywords')),
        'match', CASE WHEN json_extract(k.value, '$.exact') THEN 'exact' ELSE 'contains' END,
        'flow', json_extract(k.value, '$.flow'),
        'enabled', json('true')))
    FROM (SELECT key, value FROM json_each(channels.bot, '$.keywords') ORDER BY key) AS k))
WHERE json_array_length(bot, '$.keywords') > 0
  AND json_extract(bot, '$.keywords[0].id') IS NULL;
