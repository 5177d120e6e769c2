-- indicators_deductions: deduction points per unit dated in one period (before any cap).
-- Sums are taken as DECIMAL: a parallel sum of doubles can differ in its last digit between runs.
-- Parameters: $1 period start (DATE), $2 period end (DATE).
-- Result columns: unit_id, items, points.
SELECT unit_id, count(*) AS items, CAST(sum(CAST(points AS DECIMAL(18, 4))) AS DOUBLE) AS points
FROM deductions
WHERE date BETWEEN $1 AND $2
GROUP BY unit_id
ORDER BY unit_id
