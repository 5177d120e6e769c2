-- indicators_cases: service-efficiency counts per unit for one period (CONTRACT §1, §3).
-- Volume measures count cases received in the period (returned cases included); timeliness
-- counts a non-returned case once, at its outcome: completed on or before its due date → on
-- time, in the period of completion; not completed by its due date → overdue, in the period
-- containing the day after the due date. Due date = the promised_days-th working day after the
-- receipt date through the calendar table (0 = the same day).
-- Parameters: $1 period start (DATE), $2 period end = as-of date (DATE).
-- Result columns: unit_id, received, online (online or mobile), one_visit (visits ≤ 1),
--   instant (promised_days = 0), on_time, overdue, no_calendar (cases whose receipt or due
--   date lies outside the calendar: the caller must refuse to score), no_calendar_year.
WITH due AS (
    SELECT c.unit_id, c.status, c.channel, c.visits, c.promised_days,
           CAST(c.received_at AS DATE) AS received, CAST(c.completed_at AS DATE) AS completed,
           CASE WHEN c.promised_days = 0 THEN CAST(c.received_at AS DATE) ELSE d.day END AS due_on,
           r.day IS NULL OR (c.promised_days > 0 AND d.day IS NULL) AS no_calendar
    FROM cases c
    LEFT JOIN calendar r ON r.day = CAST(c.received_at AS DATE)
    LEFT JOIN calendar d ON d.working AND d.seq = r.seq + c.promised_days AND c.promised_days > 0
    WHERE CAST(c.received_at AS DATE) <= $2
)
SELECT unit_id,
       count(*) FILTER (WHERE received BETWEEN $1 AND $2) AS received,
       count(*) FILTER (WHERE received BETWEEN $1 AND $2 AND channel IN ('online', 'mobile')) AS online,
       count(*) FILTER (WHERE received BETWEEN $1 AND $2 AND visits <= 1) AS one_visit,
       count(*) FILTER (WHERE received BETWEEN $1 AND $2 AND promised_days = 0) AS instant,
       count(*) FILTER (WHERE status <> 'returned' AND completed <= due_on AND completed BETWEEN $1 AND $2) AS on_time,
       count(*) FILTER (WHERE status <> 'returned' AND (completed IS NULL OR completed > due_on)
                        AND due_on + INTERVAL 1 DAY BETWEEN $1 AND $2) AS overdue,
       count(*) FILTER (WHERE no_calendar AND received >= $1 - INTERVAL 400 DAY) AS no_calendar,
       coalesce(min(year(received)) FILTER (WHERE no_calendar AND received >= $1 - INTERVAL 400 DAY), 0) AS no_calendar_year
FROM due
GROUP BY unit_id
ORDER BY unit_id
