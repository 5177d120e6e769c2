-- score_run_latest: the newest computation of a round.
-- Parameters: $1 round.
-- Result columns: run_id, version, scheme_hash, inputs_fingerprint, computed_at (no row when the round was never scored).
SELECT run_id, version, scheme_hash, inputs_fingerprint, computed_at
FROM score_runs WHERE round = $1 ORDER BY version DESC LIMIT 1
