-- score_run_versions: every stored computation of a round, newest first.
-- Parameters: $1 round.
-- Result columns: run_id, version, scheme_hash, inputs_fingerprint, computed_at, actor.
SELECT run_id, version, scheme_hash, inputs_fingerprint, computed_at, actor
FROM score_runs WHERE round = $1 ORDER BY version DESC
