-- peer_scores_insert: one submitted peer score.
-- Parameters: round, evaluator_id, unit_id, group_id, score, comment (NULL for none).
-- Result columns: none.
INSERT INTO peer_scores (round, evaluator_id, unit_id, group_id, score, comment) VALUES (?, ?, ?, ?, ?, ?)
