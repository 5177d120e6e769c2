-- score_run_inputs_get: the inputs one computation read.
-- Parameters: $1 run_id.
-- Result columns: inputs (no row for a run stored before inputs were kept).
SELECT inputs FROM score_run_inputs WHERE run_id = $1
