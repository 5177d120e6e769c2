-- projects_latest_month: the newest month with key-project progress, the default period of the counties page.
-- Parameters: none.
-- Result columns: month (YYYY-MM, NULL when no progress was imported).
SELECT max(month) AS month
FROM project_progress
