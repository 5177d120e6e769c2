-- peer_scores_round: every peer score of one round with the evaluator's class, in a stable order.
-- Parameters: $1 round (e.g. 2019-B1).
-- Result columns: unit_id, evaluator_id, class, group_id, score.
SELECT p.unit_id, p.evaluator_id, e.class, p.group_id, p.score
FROM peer_scores p JOIN evaluators e USING (evaluator_id)
WHERE p.round = $1
ORDER BY p.unit_id, p.evaluator_id, p.group_id
