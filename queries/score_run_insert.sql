-- score_run_insert: records one computation of a round as its next version.
-- Parameters: $1 round, $2 scheme (canonical JSON), $3 scheme_hash, $4 inputs_fingerprint, $5 computed_at, $6 actor,
--   $7 seed and $8 number of runs of the robustness Monte Carlo.
-- Result columns: run_id, version.
INSERT INTO score_runs (round, version, scheme, scheme_hash, inputs_fingerprint, computed_at, actor, seed, robust_runs)
SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5, $6, $7, $8 FROM score_runs WHERE round = $1
RETURNING run_id, version
