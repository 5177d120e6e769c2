-- rounds_list: every round known to the lifecycle or computed at least once,
-- with its lifecycle row (NULLs when it has none) and its newest version.
-- Parameters: none.
-- Result columns: round, status, deadline, published_run_id, published_version, reason, updated_at, updated_by, latest_version, latest_computed_at.
WITH latest AS (
    SELECT round, max(version) AS latest_version, max(computed_at) AS latest_computed_at
    FROM score_runs GROUP BY round
)
SELECT coalesce(r.round, l.round) AS round, r.status, r.deadline, r.published_run_id, p.version,
       r.reason, r.updated_at, r.updated_by, coalesce(l.latest_version, 0), l.latest_computed_at
FROM rounds r
FULL OUTER JOIN latest l ON l.round = r.round
LEFT JOIN score_runs p ON p.run_id = r.published_run_id
ORDER BY 1
