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
WITH wd AS (SELECT seq, day FROM calendar WHERE working),
c AS (
    -- Only cases that can count in the period: received by its end, and due (at most
    -- 2N + 31 calendar days after receipt for N working days) no earlier than its start.
    SELECT unit_id, status, channel, visits, promised_days,
           CAST(received_at AS DATE) AS received, CAST(completed_at AS DATE) AS completed
    FROM cases
    WHERE CAST(received_at AS DATE) <= $2
      AND CAST(received_at AS DATE) + to_days(2 * promised_days + 31) >= $1 - INTERVAL 1 DAY
),
due AS (
    SELECT c.*,
           CASE WHEN c.promised_days = 0 THEN c.received ELSE d.day END AS due_on,
           r.day IS NULL OR (c.promised_days > 0 AND d.day IS NULL) AS no_calendar
    FROM c
    LEFT JOIN calendar r ON r.day = c.received
    LEFT JOIN wd d ON d.seq = CASE WHEN c.promised_days > 0 THEN r.seq + c.promised_days END
)
SELECT unit_id,
       count(*) FILTER (WHERE received BETWEEN $1 AND $2) AS received,
       count(*) FILTER (WHERE received BETWEEN $1 AND $2 AND channel IN ('online', 'mobile')) AS online,
       count(*) FILTER (WHERE received BETWEEN $1 AND $2 AND visits <= 1) AS one_visit,
       count(*) FILTER (WHERE received BETWEEN $1 AND $2 AND promised_days = 0) AS instant,
       count(*) FILTER (WHERE status <> 'returned' AND completed <= due_on AND completed BETWEEN $1 AND $2) AS on_time,
       count(*) FILTER (WHERE status <> 'returned' AND (completed IS NULL OR completed > due_on)
                        AND due_on + INTERVAL 1 DAY BETWEEN $1 AND $2) AS overdue,
       count(*) FILTER (WHERE no_calendar) AS no_calendar,
       coalesce(min(year(received)) FILTER (WHERE no_calendar), 0) AS no_calendar_year
FROM due
GROUP BY unit_id
ORDER BY unit_id
