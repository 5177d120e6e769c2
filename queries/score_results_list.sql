-- score_results_list: the unit results of one run, in output order.
-- Parameters: $1 run_id.
-- Result columns: unit_id, result (JSON text).
SELECT unit_id, result FROM score_results WHERE run_id = $1 ORDER BY position
