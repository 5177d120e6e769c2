-- score_run_inputs_insert: stores the inputs one computation read.
-- Parameters: $1 run_id, $2 inputs (JSON text whose sha256 is the run's inputs_fingerprint).
-- Result: none.
INSERT INTO score_run_inputs (run_id, inputs) VALUES ($1, $2)
