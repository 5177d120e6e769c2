-- alerts_complaints: complaints not closed as of a date, past due (超期) or due soon (临期)
-- (CONTRACT §1, §5). Open as of the date: received on or before it and closed_at empty or after it.
-- Due date: due_days working days after receipt (the day of receipt not counted), or due_days
-- calendar days moved to the next working day when it falls on a day off; 0 = the same day.
-- Levels and days as in alerts_cases: the as-of day does not count; 超期 when the as-of date is
-- after the due date (days = seq(as-of) − seq(due)); 临期 when as-of ≤ due and seq(due) − seq(as-of) ≤ 2.
-- Parameters: $1 as-of date (DATE), $2 unit_id to list only that unit's alerts ('' = every unit;
--   the filter is applied before the calendar joins, so one unit costs a fraction of the city).
-- Result columns: kind ('complaint'), id, unit_id, received_at, due_on (NULL when the calendar
--   does not reach it), level ('超期', '临期', NULL when due_on is NULL), days, no_calendar_year
--   (the year missing from the calendar when due_on is NULL, else 0).
WITH open AS (
    SELECT c.complaint_id AS id, c.unit_id, c.received_at, r.day IS NULL AS no_receipt_day,
           CASE WHEN c.due_days = 0 THEN r.day
                WHEN c.due_unit = 'working' THEN w.day
                WHEN k.working THEN k.day
                ELSE kn.day END AS due_on
    FROM complaints c
    LEFT JOIN calendar r ON r.day = CAST(c.received_at AS DATE)
    LEFT JOIN calendar w ON c.due_unit = 'working' AND w.working AND w.seq = r.seq + c.due_days AND c.due_days > 0
    LEFT JOIN calendar k ON c.due_unit = 'calendar' AND k.day = CAST(c.received_at AS DATE) + c.due_days
    LEFT JOIN calendar kn ON c.due_unit = 'calendar' AND NOT k.working AND kn.working AND kn.seq = k.seq + 1
    WHERE CAST(c.received_at AS DATE) <= CAST($1 AS DATE)
      AND ($2 = '' OR c.unit_id = $2)
      AND (c.closed_at IS NULL OR CAST(c.closed_at AS DATE) > CAST($1 AS DATE))
), graded AS (
    SELECT o.id, o.unit_id, o.received_at, o.due_on, o.no_receipt_day,
           CASE WHEN o.due_on IS NULL THEN NULL
                WHEN CAST($1 AS DATE) > o.due_on THEN '超期'
                WHEN q.seq - a.seq <= 2 THEN '临期' END AS level,
           CASE WHEN CAST($1 AS DATE) > o.due_on THEN a.seq - q.seq ELSE q.seq - a.seq END AS days
    FROM open o
    LEFT JOIN calendar q ON q.day = o.due_on
    LEFT JOIN calendar a ON a.day = CAST($1 AS DATE)
)
SELECT 'complaint' AS kind, id, unit_id, received_at, due_on, level, coalesce(days, 0) AS days,
       CASE WHEN due_on IS NOT NULL THEN 0
            WHEN no_receipt_day THEN year(received_at)
            ELSE (SELECT max(year(day)) + 1 FROM calendar) END AS no_calendar_year
FROM graded
WHERE due_on IS NULL OR level IS NOT NULL
ORDER BY unit_id, id
