-- projects_overdue: the key projects not started by a date although their planned start has passed (逾期未开工).
-- Parameters: $1 as-of date (DATE). Projects of its year; a project counts as started when its latest progress row of that year at or before the as-of month has started_on <= as-of.
-- Result columns: project_id, name, unit_id, county (the county's name), level, planned_start, days_overdue (calendar days from the planned start to the as-of date), annual_plan, investment_ytd (0 without progress); the longest overdue first, then by project_id.
WITH latest AS (
    SELECT project_id, investment_ytd, started_on
    FROM project_progress
    WHERE month >= strftime($1::DATE, '%Y') || '-01'
      AND month <= strftime($1::DATE, '%Y-%m')
    QUALIFY row_number() OVER (PARTITION BY project_id ORDER BY month DESC) = 1
)
SELECT p.project_id, p.name, p.unit_id, u.name AS county, p.level, p.planned_start,
       datediff('day', p.planned_start, $1::DATE) AS days_overdue,
       p.annual_plan, coalesce(l.investment_ytd, 0) AS investment_ytd
FROM projects p
JOIN units u ON u.unit_id = p.unit_id
LEFT JOIN latest l ON l.project_id = p.project_id
WHERE p.year = year($1::DATE)
  AND p.planned_start < $1::DATE
  AND (l.started_on IS NULL OR l.started_on > $1::DATE)
ORDER BY days_overdue DESC, p.project_id
