-- Keywords become a managed resource: each stored keyword of a channel's bot config gets an
-- id, a match rule and an on/off switch. Old entries {keywords, flow, exact} become
-- {id: "kw_<position>", phrases, match: exact|contains, flow, enabled: true}, in order.
UPDATE channels
SET bot = jsonb_set(bot::jsonb, '{keywords}', (
    SELECT jsonb_agg(jsonb_build_object(
        'id', 'kw_' || (k.ord - 1),
        'phrases', k.value -> 'keywords',
        'match', CASE WHEN coalesce((k.value ->> 'exact')::boolean, false) THEN 'exact' ELSE 'contains' END,
        'flow', k.value -> 'flow',
        'enabled', true) ORDER BY k.ord)
    FROM jsonb_array_elements(channels.bot::jsonb -> 'keywords') WITH ORDINALITY AS k(value, ord)))::text
WHERE jsonb_array_length(bot::jsonb -> 'keywords') > 0
  AND bot::jsonb #> '{keywords,0,id}' IS NULL;
