-- The owner's own texts of a channel's widget, per language: JSON {"de": {"widget.…": "…"}}.
ALTER TABLE channels ADD COLUMN strings TEXT;
