-- 006_import_ids: every imported row names the import that wrote it
-- (import_log.id). A row whose import_id is not in import_log was written by
-- an import that never committed its log entry: the integrity check after an
-- unclean shutdown finds such rows, and `xiaoneng check --repair` removes
-- them without guessing. Rows written before this migration, and rows written
-- by the web (peer scores), keep NULL.
ALTER TABLE holidays ADD COLUMN import_id BIGINT;
ALTER TABLE units ADD COLUMN import_id BIGINT;
ALTER TABLE work_groups ADD COLUMN import_id BIGINT;
ALTER TABLE evaluators ADD COLUMN import_id BIGINT;
ALTER TABLE peer_scores ADD COLUMN import_id BIGINT;
ALTER TABLE cases ADD COLUMN import_id BIGINT;
ALTER TABLE complaints ADD COLUMN import_id BIGINT;
ALTER TABLE surveys ADD COLUMN import_id BIGINT;
ALTER TABLE deductions ADD COLUMN import_id BIGINT;
ALTER TABLE projects ADD COLUMN import_id BIGINT;
ALTER TABLE project_progress ADD COLUMN import_id BIGINT;
ALTER TABLE signed_projects ADD COLUMN import_id BIGINT;
ALTER TABLE documents ADD COLUMN import_id BIGINT;
ALTER TABLE tasks ADD COLUMN import_id BIGINT;
ALTER TABLE task_extensions ADD COLUMN import_id BIGINT;
ALTER TABLE targets ADD COLUMN import_id BIGINT;

-- The integrity state: set by the check that runs when the database opens
-- after an unclean shutdown and finds something wrong, cleared by a repair.
-- While a row is here, the store refuses to open for anything but the check.
CREATE TABLE integrity_state (
    found_at TIMESTAMP NOT NULL,
    summary  VARCHAR NOT NULL,  -- the one Chinese line
    details  JSON NOT NULL      -- the findings
);
