-- Flows are filed in folders: `folder` is the path of the flow document's `folder`
-- (e.g. `sales/quotes`), NULL at the top level; a copy of the document's member, so
-- folders can be listed and filtered without parsing every document.
ALTER TABLE flows ADD COLUMN folder TEXT;
CREATE INDEX flows_folder ON flows (workspace_id, folder);
