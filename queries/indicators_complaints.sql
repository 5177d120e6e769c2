-- indicators_complaints: complaint-handling counts per unit for one period (CONTRACT §1, §3).
-- Timeliness: closed on or before the due date → on time, in the period of closure; not
-- closed by the due date → overdue, in the period containing the day after it. Resolution
-- and satisfaction count complaints closed in the period. The due date is due_days working
-- days after receipt (the day of receipt not counted), or due_days calendar days moved to the
-- next working day when it falls on a day off, through the calendar table.
-- Parameters: $1 period start (DATE), $2 period end = as-of date (DATE).
-- Result columns: unit_id, on_time, overdue, closed, resolved, rated, favourable
--   (very_satisfied, satisfied or basic), no_calendar, no_calendar_year.
WITH due AS (
    SELECT c.unit_id, c.resolved, c.satisfaction,
           CAST(c.received_at AS DATE) AS received, CAST(c.closed_at AS DATE) AS closed,
           CASE WHEN c.due_days = 0 THEN CAST(c.received_at AS DATE)
                WHEN c.due_unit = 'working' THEN w.day
                WHEN k.working THEN k.day
                ELSE kn.day END AS due_on,
           r.day IS NULL OR (c.due_days > 0 AND c.due_unit = 'working' AND w.day IS NULL)
                OR (c.due_days > 0 AND c.due_unit = 'calendar' AND (k.day IS NULL OR (NOT k.working AND kn.day IS NULL))) AS no_calendar
    FROM complaints c
    LEFT JOIN calendar r ON r.day = CAST(c.received_at AS DATE)
    LEFT JOIN calendar w ON c.due_unit = 'working' AND w.working AND w.seq = r.seq + c.due_days AND c.due_days > 0
    LEFT JOIN calendar k ON c.due_unit = 'calendar' AND k.day = CAST(c.received_at AS DATE) + c.due_days
    LEFT JOIN calendar kn ON c.due_unit = 'calendar' AND NOT k.working AND kn.working AND kn.seq = k.seq + 1
    WHERE CAST(c.received_at AS DATE) <= $2
)
SELECT unit_id,
       count(*) FILTER (WHERE closed <= due_on AND closed BETWEEN $1 AND $2) AS on_time,
       count(*) FILTER (WHERE (closed IS NULL OR closed > due_on) AND due_on + INTERVAL 1 DAY BETWEEN $1 AND $2) AS overdue,
       count(*) FILTER (WHERE closed BETWEEN $1 AND $2) AS closed,
       count(*) FILTER (WHERE closed BETWEEN $1 AND $2 AND resolved) AS resolved,
       count(*) FILTER (WHERE closed BETWEEN $1 AND $2 AND satisfaction IS NOT NULL) AS rated,
       count(*) FILTER (WHERE closed BETWEEN $1 AND $2 AND satisfaction IN ('very_satisfied', 'satisfied', 'basic')) AS favourable,
       count(*) FILTER (WHERE no_calendar AND received >= $1 - INTERVAL 400 DAY) AS no_calendar,
       coalesce(min(year(received)) FILTER (WHERE no_calendar AND received >= $1 - INTERVAL 400 DAY), 0) AS no_calendar_year
FROM due
GROUP BY unit_id
ORDER BY unit_id
