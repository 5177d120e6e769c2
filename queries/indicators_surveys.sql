-- indicators_surveys: survey answers per unit and respondent type for one period, by answered_at.
-- Sums are taken as DECIMAL: a parallel sum of doubles can differ in its last digit between runs.
-- The answers of the year's survey (效能问政, the scheme's year.wenzheng_survey) are left out:
-- they count only in the year composite (queries/surveys_year_mean.sql).
-- Parameters: $1 period start (DATE), $2 period end (DATE), $3 name of the year's survey.
-- Result columns: unit_id, respondent_type, answers, score_sum (the caller divides; sums keep
--   the arithmetic exact and order-independent).
SELECT unit_id, respondent_type, count(*) AS answers, CAST(sum(CAST(score AS DECIMAL(18, 4))) AS DOUBLE) AS score_sum
FROM surveys
WHERE answered_at BETWEEN $1 AND $2 AND survey <> $3
GROUP BY unit_id, respondent_type
ORDER BY unit_id, respondent_type
