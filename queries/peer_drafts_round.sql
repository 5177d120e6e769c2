-- peer_drafts_round: every draft score of one round.
-- Parameters: $1 round.
-- Result columns: evaluator_id, group_id, unit_id, score (NULL: not scored yet).
SELECT evaluator_id, group_id, unit_id, score FROM peer_drafts WHERE round = $1
