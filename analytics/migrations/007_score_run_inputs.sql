-- 007_score_run_inputs: the inputs a computation read, stored with the run
-- in the same transaction, so that what-if simulations of a published
-- version start from exactly its inputs, whatever was imported after it.
-- inputs is the JSON whose sha256 is the run's inputs_fingerprint. Runs
-- stored before this table have no row.

CREATE TABLE score_run_inputs (
    run_id BIGINT PRIMARY KEY,
    inputs VARCHAR NOT NULL   -- the RoundInputs the run read, as JSON
);
