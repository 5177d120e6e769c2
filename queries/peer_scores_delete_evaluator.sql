-- peer_scores_delete_evaluator: removes one evaluator's scores of one round before their sheet replaces them.
-- Parameters: $1 round, $2 evaluator_id.
-- Result columns: none.
DELETE FROM peer_scores WHERE round = $1 AND evaluator_id = $2
