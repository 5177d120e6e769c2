-- unit_survey_dimensions: one unit's survey answers per dimension (维度, e.g. 服务态度, 办事效率)
-- in a round and in its year, by answered_at; answers without a dimension are left out. Shown
-- on the unit page as information (not scored); no respondent is named.
-- Parameters: $1 unit_id, $2 round start (DATE), $3 round end (DATE), $4 year start (DATE),
--   $5 year end (DATE).
-- Result columns: dimension, round_n (answers in the round), round_sum (their score sum),
--   year_n, year_sum (the same over the year); sums are exact (DECIMAL) and the caller divides.
SELECT dimension,
       count(*) FILTER (WHERE answered_at BETWEEN $2 AND $3) AS round_n,
       CAST(coalesce(sum(CAST(score AS DECIMAL(18, 4))) FILTER (WHERE answered_at BETWEEN $2 AND $3), 0) AS DOUBLE) AS round_sum,
       count(*) AS year_n,
       CAST(sum(CAST(score AS DECIMAL(18, 4))) AS DOUBLE) AS year_sum
FROM surveys
WHERE unit_id = $1 AND answered_at BETWEEN $4 AND $5 AND trim(coalesce(dimension, '')) <> ''
GROUP BY dimension
ORDER BY dimension
