-- indicators_complaints: complaint-handling counts per unit for one period (CONTRACT §1, §3).
-- Timeliness: closed on or before the due date → on time, in the period of closure; not
-- closed by the due date → overdue, in the period containing the day after it. Resolution
-- and satisfaction count complaints closed in the period. The due date is due_days working
-- days after receipt (the day of receipt not counted), or due_days calendar days moved to the
-- next working day when it falls on a day off, through the calendar table.
-- Parameters: $1 period start (DATE), $2 period end = as-of date (DATE).
-- Result columns: unit_id, on_time, overdue, closed, resolved, rated, favourable
--   (very_satisfied, satisfied or basic), no_calendar, no_calendar_year.
WITH wd AS (SELECT seq, day FROM calendar WHERE working),
-- For calendar-day deadlines: each day and the working day it moves to (itself if working).
cal AS (
    SELECT c.day, CASE WHEN c.working THEN c.day ELSE w.day END AS moved
    FROM calendar c LEFT JOIN wd w ON w.seq = c.seq + 1
),
c AS (
    -- Only complaints that can count in the period (see indicators_cases).
    SELECT unit_id, resolved, satisfaction, due_days, due_unit,
           CAST(received_at AS DATE) AS received, CAST(closed_at AS DATE) AS closed
    FROM complaints
    WHERE CAST(received_at AS DATE) <= $2
      AND CAST(received_at AS DATE) + to_days(2 * due_days + 31) >= $1 - INTERVAL 1 DAY
),
due AS (
    SELECT c.*,
           CASE WHEN c.due_days = 0 THEN c.received WHEN c.due_unit = 'working' THEN w.day ELSE k.moved END AS due_on,
           r.day IS NULL OR (c.due_days > 0 AND CASE WHEN c.due_unit = 'working' THEN w.day ELSE k.moved END IS NULL) AS no_calendar
    FROM c
    LEFT JOIN calendar r ON r.day = c.received
    LEFT JOIN wd w ON w.seq = CASE WHEN c.due_days > 0 AND c.due_unit = 'working' THEN r.seq + c.due_days END
    LEFT JOIN cal k ON k.day = CASE WHEN c.due_days > 0 AND c.due_unit = 'calendar' THEN c.received + c.due_days END
)
SELECT unit_id,
       count(*) FILTER (WHERE closed <= due_on AND closed BETWEEN $1 AND $2) AS on_time,
       count(*) FILTER (WHERE (closed IS NULL OR closed > due_on) AND due_on + INTERVAL 1 DAY BETWEEN $1 AND $2) AS overdue,
       count(*) FILTER (WHERE closed BETWEEN $1 AND $2) AS closed,
       count(*) FILTER (WHERE closed BETWEEN $1 AND $2 AND resolved) AS resolved,
       count(*) FILTER (WHERE closed BETWEEN $1 AND $2 AND satisfaction IS NOT NULL) AS rated,
       count(*) FILTER (WHERE closed BETWEEN $1 AND $2 AND satisfaction IN ('very_satisfied', 'satisfied', 'basic')) AS favourable,
       count(*) FILTER (WHERE no_calendar) AS no_calendar,
       coalesce(min(year(received)) FILTER (WHERE no_calendar), 0) AS no_calendar_year
FROM due
GROUP BY unit_id
ORDER BY unit_id
