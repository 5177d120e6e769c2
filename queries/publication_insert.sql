-- publication_insert: records one publication of a round (round_publications).
-- Parameters: $1 round, $2 version, $3 run_id, $4 published_at, $5 published_by,
--   $6 replaces_version (NULL for the first publication), $7 reason ('' for none), $8 failed_checks (JSON array).
-- Result columns: none.
INSERT INTO round_publications (round, version, run_id, published_at, published_by, replaces_version, reason, failed_checks)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
