-- peer_drafts_get: an evaluator's draft scores of one round.
-- Parameters: $1 round, $2 evaluator_id.
-- Result columns: group_id, unit_id, score (NULL: not scored yet), comment.
SELECT group_id, unit_id, score, comment FROM peer_drafts WHERE round = $1 AND evaluator_id = $2
