-- projects_county_rates: per county, the key-project sums behind 供地率, 投资完成率, 开工率 and 签约项目落地率 as of a date (CONTRACT §4).
-- Sums are taken as DECIMAL: a parallel sum of doubles can differ in its last digit between runs.
-- Parameters: $1 as-of date (DATE). Projects of its year count, each with its latest progress row of that year at or before the as-of month (none: zero progress); signed projects signed from 1 January of that year up to the as-of date.
-- Result columns: unit_id, name, land_supplied, land_need (projects with land_need_mu = 0 left out), land_projects (how many projects land_need sums), investment_ytd, annual_plan, plan_projects (how many projects annual_plan sums), started (planned_start <= as-of and started_on <= as-of), planned (planned_start <= as-of), early (started_on <= as-of < planned_start: 提前开工, outside the rate), signed, landed (landed_on <= as-of); every county, by unit_id.
WITH latest AS (
    SELECT project_id, investment_ytd, land_supplied_mu, started_on
    FROM project_progress
    WHERE month >= strftime($1::DATE, '%Y') || '-01'
      AND month <= strftime($1::DATE, '%Y-%m')
    QUALIFY row_number() OVER (PARTITION BY project_id ORDER BY month DESC) = 1
),
proj AS (
    SELECT p.unit_id,
           CAST(coalesce(sum(CAST(coalesce(l.land_supplied_mu, 0) AS DECIMAL(18, 4))) FILTER (WHERE p.land_need_mu > 0), 0) AS DOUBLE) AS land_supplied,
           CAST(coalesce(sum(CAST(p.land_need_mu AS DECIMAL(18, 4))) FILTER (WHERE p.land_need_mu > 0), 0) AS DOUBLE) AS land_need,
           count(*) FILTER (WHERE p.land_need_mu > 0) AS land_projects,
           CAST(sum(CAST(coalesce(l.investment_ytd, 0) AS DECIMAL(18, 4))) AS DOUBLE) AS investment_ytd,
           CAST(sum(CAST(p.annual_plan AS DECIMAL(18, 4))) AS DOUBLE) AS annual_plan,
           count(*) AS plan_projects,
           count(*) FILTER (WHERE p.planned_start <= $1::DATE AND l.started_on <= $1::DATE) AS started,
           count(*) FILTER (WHERE p.planned_start <= $1::DATE) AS planned,
           count(*) FILTER (WHERE p.planned_start > $1::DATE AND l.started_on <= $1::DATE) AS early
    FROM projects p
    LEFT JOIN latest l ON l.project_id = p.project_id
    WHERE p.year = year($1::DATE)
    GROUP BY p.unit_id
),
sig AS (
    SELECT unit_id,
           count(*) AS signed,
           count(*) FILTER (WHERE landed_on <= $1::DATE) AS landed
    FROM signed_projects
    WHERE signed_on BETWEEN make_date(year($1::DATE), 1, 1) AND $1::DATE
    GROUP BY unit_id
)
SELECT u.unit_id, u.name,
       coalesce(proj.land_supplied, 0) AS land_supplied,
       coalesce(proj.land_need, 0) AS land_need,
       coalesce(proj.land_projects, 0) AS land_projects,
       coalesce(proj.investment_ytd, 0) AS investment_ytd,
       coalesce(proj.annual_plan, 0) AS annual_plan,
       coalesce(proj.plan_projects, 0) AS plan_projects,
       coalesce(proj.started, 0) AS started,
       coalesce(proj.planned, 0) AS planned,
       coalesce(proj.early, 0) AS early,
       coalesce(sig.signed, 0) AS signed,
       coalesce(sig.landed, 0) AS landed
FROM units u
LEFT JOIN proj ON proj.unit_id = u.unit_id
LEFT JOIN sig ON sig.unit_id = u.unit_id
WHERE u.kind = 'county'
ORDER BY u.unit_id
