-- score_result_insert: stores one unit's result of a run.
-- Parameters: run_id, position, unit_id, result (JSON text).
-- Result: none.
INSERT INTO score_results (run_id, position, unit_id, result) VALUES (?, ?, ?, ?)
