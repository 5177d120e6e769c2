-- alerts_latest_day: the last day on which a case or complaint was received or a document step started,
-- the default as-of date of the alerts page (the data's own "today", not the server clock).
-- Parameters: none.
-- Result columns: day (DATE, NULL when none of the three tables holds a row).
SELECT CAST(greatest(
    (SELECT max(received_at) FROM cases),
    (SELECT max(received_at) FROM complaints),
    (SELECT max(started_at) FROM documents)) AS DATE) AS day
