-- peer_submission_get: when an evaluator submitted their sheet of a round.
-- Parameters: $1 round, $2 evaluator_id.
-- Result columns: submitted_at (no row: not submitted).
SELECT submitted_at FROM peer_submissions WHERE round = $1 AND evaluator_id = $2
