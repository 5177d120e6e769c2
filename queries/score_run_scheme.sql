-- score_run_scheme: the canonical scheme JSON a stored computation used.
-- Parameters: $1 run_id.
-- Result columns: scheme.
SELECT scheme FROM score_runs WHERE run_id = $1
