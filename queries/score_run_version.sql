-- score_run_version: one stored computation of a round by version.
-- Parameters: $1 round, $2 version.
-- Result columns: run_id, version, scheme_hash, inputs_fingerprint, computed_at (no row when absent).
SELECT run_id, version, scheme_hash, inputs_fingerprint, computed_at
FROM score_runs WHERE round = $1 AND version = $2
