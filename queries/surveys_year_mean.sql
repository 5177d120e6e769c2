-- surveys_year_mean: each unit's answers to one survey (e.g. 效能问政) in a year, for the year composite.
-- Sums are taken as DECIMAL: a parallel sum of doubles can differ in its last digit between runs.
-- Parameters: $1 year start (DATE), $2 year end (DATE), $3 survey name.
-- Result columns: unit_id, answers, score_sum (the caller divides).
SELECT unit_id, count(*) AS answers, CAST(sum(CAST(score AS DECIMAL(18, 4))) AS DOUBLE) AS score_sum
FROM surveys
WHERE answered_at BETWEEN $1 AND $2 AND survey = $3
GROUP BY unit_id
ORDER BY unit_id
