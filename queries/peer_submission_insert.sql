-- peer_submission_insert: records that an evaluator submitted their sheet of a round.
-- Parameters: round, evaluator_id, submitted_at.
-- Result columns: none.
INSERT INTO peer_submissions (round, evaluator_id, submitted_at) VALUES (?, ?, ?)
