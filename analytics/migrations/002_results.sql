-- 002_results: stored round results. Every computation is a new version of
-- its round, never an overwrite, with the scheme it used (text and hash) and
-- a fingerprint of the inputs, so a published ranking can be reproduced.

CREATE SEQUENCE score_run_id;
CREATE TABLE score_runs (
    run_id             BIGINT PRIMARY KEY DEFAULT nextval('score_run_id'),
    round              VARCHAR NOT NULL,
    version            INTEGER NOT NULL,
    scheme             VARCHAR NOT NULL,  -- canonical JSON of the scheme used
    scheme_hash        VARCHAR NOT NULL,  -- sha256 of scheme
    inputs_fingerprint VARCHAR NOT NULL,  -- sha256 of the round's inputs as read
    seed               UBIGINT NOT NULL,  -- of the robustness Monte Carlo
    robust_runs        INTEGER NOT NULL,
    computed_at        TIMESTAMP NOT NULL,
    actor              VARCHAR NOT NULL,
    UNIQUE (round, version)
);

CREATE TABLE score_results (
    run_id   BIGINT NOT NULL,
    position INTEGER NOT NULL,  -- output order: category, rank, unit_id
    unit_id  VARCHAR NOT NULL,
    result   VARCHAR NOT NULL   -- the unit's result as JSON (CONTRACT §6 fields)
);
