-- rounds_upsert: writes a round's lifecycle row (inserting it the first time).
-- Parameters: round, status, deadline (NULL for none), published_run_id (NULL for none), reason, updated_at, updated_by.
-- Result columns: none.
INSERT INTO rounds (round, status, deadline, published_run_id, reason, updated_at, updated_by)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (round) DO UPDATE SET status = excluded.status, deadline = excluded.deadline,
    published_run_id = excluded.published_run_id, reason = excluded.reason,
    updated_at = excluded.updated_at, updated_by = excluded.updated_by
