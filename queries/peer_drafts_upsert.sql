-- peer_drafts_upsert: writes one draft score (inserting it the first time).
-- Parameters: round, evaluator_id, unit_id, group_id, score (NULL: not scored), comment, updated_at.
-- Result columns: none.
INSERT INTO peer_drafts (round, evaluator_id, unit_id, group_id, score, comment, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (round, evaluator_id, unit_id, group_id) DO UPDATE SET score = excluded.score,
    comment = excluded.comment, updated_at = excluded.updated_at
