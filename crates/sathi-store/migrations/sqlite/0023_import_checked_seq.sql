-- The sync order number of the newest case write when an import's dry run started. The run
-- rejects an update of a case written after it (a higher `sync_seq`), because the dry run
-- did not show what the row would overwrite.
ALTER TABLE imports ADD COLUMN checked_seq BIGINT;
