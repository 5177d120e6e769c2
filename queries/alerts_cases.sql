-- alerts_cases: pending cases past due (超期) or due soon (临期) as of a date (CONTRACT §1, §5).
-- A case is open as of the date when it was received on or before it, is not returned, and was
-- not completed by it (status pending with no completed_at, or completed_at after the date).
-- Due date = the promised_days-th working day after the receipt date (0 = the same day).
-- Days are counted like a deadline: the as-of day itself does not count, so days left =
-- seq(due) − seq(as-of) = working days after the as-of date up to and including the due date.
-- 超期 when the as-of date is after the due date, days = seq(as-of) − seq(due) (working days
-- past due, 0 on a day off straight after the due date); 临期 when as-of ≤ due and days left ≤ 2
-- (due today = 0, due the next working day = 1).
-- Parameters: $1 as-of date (DATE), $2 unit_id to list only that unit's alerts ('' = every unit;
--   the filter is applied before the calendar joins, so one unit costs a fraction of the city).
-- Result columns: kind ('case'), id, unit_id, received_at, due_on (NULL when the calendar does
--   not reach it), level ('超期', '临期', NULL when due_on is NULL), days, no_calendar_year
--   (the year missing from the calendar when due_on is NULL, else 0).
WITH open AS (
    SELECT c.case_id AS id, c.unit_id, c.received_at, r.day IS NULL AS no_receipt_day,
           CASE WHEN c.promised_days = 0 THEN r.day ELSE d.day END AS due_on
    FROM cases c
    LEFT JOIN calendar r ON r.day = CAST(c.received_at AS DATE)
    LEFT JOIN calendar d ON d.working AND d.seq = r.seq + c.promised_days AND c.promised_days > 0
    WHERE CAST(c.received_at AS DATE) <= CAST($1 AS DATE)
      AND ($2 = '' OR c.unit_id = $2)
      AND ((c.status = 'pending' AND (c.completed_at IS NULL OR CAST(c.completed_at AS DATE) > CAST($1 AS DATE)))
           OR (c.status = 'completed' AND CAST(c.completed_at AS DATE) > CAST($1 AS DATE)))
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
SELECT 'case' AS kind, id, unit_id, received_at, due_on, level, coalesce(days, 0) AS days,
       CASE WHEN due_on IS NOT NULL THEN 0
            WHEN no_receipt_day THEN year(received_at)
            ELSE (SELECT max(year(day)) + 1 FROM calendar) END AS no_calendar_year
FROM graded
WHERE due_on IS NULL OR level IS NOT NULL
ORDER BY unit_id, id
