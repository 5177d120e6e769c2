-- data_last_day: the last day of imported data, the default as-of date of every date-dependent
-- page and command (capped at today by analytics.DefaultAsOf): the latest day on which a case or
-- complaint was received, responded to, completed or closed, a document step started or finished,
-- a survey answered, a 督办 task assigned, extended or done, a project started, signed or landed,
-- or the last day of the newest month of project progress. Deductions are left out: they are
-- decisions dated by whoever enters them, not activity of the city.
-- Parameters: none.
-- Result columns: day (DATE, NULL when no table holds a dated row).
SELECT CAST(greatest(
    (SELECT max(greatest(received_at, completed_at)) FROM cases),
    (SELECT max(greatest(received_at, responded_at, closed_at)) FROM complaints),
    (SELECT max(greatest(started_at, finished_at)) FROM documents),
    (SELECT CAST(max(answered_at) AS TIMESTAMP) FROM surveys),
    (SELECT CAST(max(greatest(assigned_on, done_on)) AS TIMESTAMP) FROM tasks),
    (SELECT CAST(max(requested_on) AS TIMESTAMP) FROM task_extensions),
    (SELECT CAST(max(greatest(last_day(CAST(month || '-01' AS DATE)), started_on)) AS TIMESTAMP) FROM project_progress),
    (SELECT CAST(max(greatest(signed_on, landed_on)) AS TIMESTAMP) FROM signed_projects)) AS DATE) AS day
