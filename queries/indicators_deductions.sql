-- indicators_deductions: deduction points per unit dated in one period (before any cap).
-- Parameters: $1 period start (DATE), $2 period end (DATE).
-- Result columns: unit_id, items, points.
SELECT unit_id, count(*) AS items, sum(points) AS points
FROM deductions
WHERE date BETWEEN $1 AND $2
GROUP BY unit_id
ORDER BY unit_id
