-- Tags and custom fields become records of their workspace (unique names), referred to by
-- id from subscribers. Existing subscriber tags and fields are carried over (fields as
-- `text`).

CREATE TABLE tags (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    UNIQUE (workspace_id, name)
);

-- `type` decides the accepted values (parlo_model::tag::FieldType).
CREATE TABLE custom_fields (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    type          TEXT NOT NULL CHECK (type IN ('text', 'number', 'boolean', 'date', 'datetime', 'array', 'long_text')),
    description   TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (workspace_id, name)
);

INSERT INTO tags (workspace_id, name, created_at)
SELECT s.workspace_id, st.tag, MIN(st.created_at)
FROM subscriber_tags st JOIN subscribers s ON s.id = st.subscriber_id
GROUP BY s.workspace_id, st.tag;

INSERT INTO custom_fields (workspace_id, name, type, created_at, updated_at)
SELECT s.workspace_id, sf.name, 'text', MIN(sf.updated_at), MIN(sf.updated_at)
FROM subscriber_fields sf JOIN subscribers s ON s.id = sf.subscriber_id
GROUP BY s.workspace_id, sf.name;

CREATE TABLE subscriber_tags_new (
    subscriber_id  TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    tag_id         INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (subscriber_id, tag_id)
);
INSERT INTO subscriber_tags_new (subscriber_id, tag_id, created_at)
SELECT st.subscriber_id, t.id, st.created_at
FROM subscriber_tags st
JOIN subscribers s ON s.id = st.subscriber_id
JOIN tags t ON t.workspace_id = s.workspace_id AND t.name = st.tag;
DROP TABLE subscriber_tags;
ALTER TABLE subscriber_tags_new RENAME TO subscriber_tags;
CREATE INDEX subscriber_tags_tag ON subscriber_tags (tag_id);

-- `value` is the canonical text of the typed value (numbers as JSON numbers, booleans as
-- `true`/`false`, arrays as JSON, date-times in UTC).
CREATE TABLE subscriber_fields_new (
    subscriber_id  TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    field_id       INTEGER NOT NULL REFERENCES custom_fields (id) ON DELETE CASCADE,
    value          TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (subscriber_id, field_id)
);
INSERT INTO subscriber_fields_new (subscriber_id, field_id, value, updated_at)
SELECT sf.subscriber_id, f.id, sf.value, sf.updated_at
FROM subscriber_fields sf
JOIN subscribers s ON s.id = sf.subscriber_id
JOIN custom_fields f ON f.workspace_id = s.workspace_id AND f.name = sf.name;
DROP TABLE subscriber_fields;
ALTER TABLE subscriber_fields_new RENAME TO subscriber_fields;
CREATE INDEX subscriber_fields_field ON subscriber_fields (field_id);
