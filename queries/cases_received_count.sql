-- cases_received_count: how many cases were received in a period (the publish gate's "no cases" check).
-- Parameters: $1 period start (DATE), $2 period end (DATE, inclusive).
-- Result columns: received (count).
SELECT count(*) AS received
FROM cases
WHERE CAST(received_at AS DATE) BETWEEN $1 AND $2
