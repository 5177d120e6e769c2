-- peer_evaluator_get: one evaluator of the roster.
-- Parameters: $1 evaluator_id.
-- Result columns: name, class, unit_id (NULL for a leader without a unit).
SELECT name, class, unit_id FROM evaluators WHERE evaluator_id = $1
