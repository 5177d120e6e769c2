-- peer_scores_evaluator: the scores one evaluator gave in one round (submitted or imported).
-- Parameters: $1 round, $2 evaluator_id.
-- Result columns: group_id, unit_id, score, comment.
SELECT group_id, unit_id, score, comment FROM peer_scores WHERE round = $1 AND evaluator_id = $2
