-- alerts_documents: document-circulation alerts (报警) as of a date (CONTRACT §5).
-- The as-of instant is the end of the as-of day (24:00). A step is slow when it took more than
-- 24 hours: finished by the as-of instant in the as-of month with finished_at − started_at > 24 h,
-- or started before the as-of instant, not finished by it, and as-of instant − started_at > 24 h.
-- A unit is alerted when it has 2 or more `unresolved` evaluations dated (finished_at, else
-- started_at) in the as-of month up to the as-of date.
-- Parameters: $1 as-of date (DATE), $2 unit_id to list only that unit's alerts ('' = every unit).
-- Result columns: kind ('document_step' | 'document_unresolved'), id (doc_id, or the month
--   YYYY-MM), unit_id, step (NULL for a unit), hours (the step's duration so far, NULL for a
--   unit), finished (whether the step was finished, NULL for a unit), unresolved (count, 0 for a step).
WITH b AS (
    SELECT CAST($1 AS DATE) AS as_of,
           CAST(CAST($1 AS DATE) + INTERVAL 1 DAY AS TIMESTAMP) AS as_of_end,
           CAST(date_trunc('month', CAST($1 AS DATE)) AS DATE) AS month_start
), steps AS (
    SELECT d.doc_id, d.unit_id, d.step, d.started_at,
           d.finished_at IS NOT NULL AND d.finished_at < b.as_of_end AS finished,
           CASE WHEN d.finished_at IS NOT NULL AND d.finished_at < b.as_of_end THEN d.finished_at
                ELSE b.as_of_end END AS until_at,
           b.month_start
    FROM documents d, b
    WHERE d.started_at < b.as_of_end
      AND ($2 = '' OR d.unit_id = $2)
)
SELECT 'document_step' AS kind, doc_id AS id, unit_id, step,
       epoch(until_at - started_at) / 3600.0 AS hours, finished, 0 AS unresolved
FROM steps
WHERE until_at - started_at > INTERVAL 24 HOUR
  AND (NOT finished OR CAST(until_at AS DATE) >= month_start)
UNION ALL
SELECT 'document_unresolved', strftime(b.month_start, '%Y-%m'), d.unit_id, NULL, NULL, NULL, count(*)
FROM documents d, b
WHERE d.evaluation = 'unresolved'
  AND ($2 = '' OR d.unit_id = $2)
  AND CAST(coalesce(d.finished_at, d.started_at) AS DATE) BETWEEN b.month_start AND b.as_of
GROUP BY d.unit_id, b.month_start
HAVING count(*) >= 2
ORDER BY unit_id, id
