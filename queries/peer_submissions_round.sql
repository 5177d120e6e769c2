-- peer_submissions_round: every submission of one round.
-- Parameters: $1 round.
-- Result columns: evaluator_id, submitted_at; by evaluator_id.
SELECT evaluator_id, submitted_at FROM peer_submissions WHERE round = $1 ORDER BY evaluator_id
