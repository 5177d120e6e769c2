-- unit_complaint_facts: one unit's complaints received in a period, with how many were first
-- responded to (responded_at) within 1 working day of receipt — by the end of the first working
-- day after the day of receipt, through the calendar table — and, of its efficiency complaints
-- (效能投诉, source = 'efficiency'), how many were found substantiated (是否查实). Information for
-- the unit page, not scored.
-- Parameters: $1 unit_id, $2 period start (DATE), $3 period end (DATE).
-- Result columns: received, responded (responded_at given), responded_1wd (responded within 1
--   working day), efficiency (efficiency complaints), checked (efficiency complaints with
--   substantiated given), substantiated (of those, substantiated = true).
SELECT count(*) AS received,
       count(c.responded_at) AS responded,
       count(*) FILTER (WHERE c.responded_at IS NOT NULL AND CAST(c.responded_at AS DATE) <=
           (SELECT min(d.day) FROM calendar d WHERE d.working AND d.seq = r.seq + 1)) AS responded_1wd,
       count(*) FILTER (WHERE c.source = 'efficiency') AS efficiency,
       count(*) FILTER (WHERE c.source = 'efficiency' AND c.substantiated IS NOT NULL) AS checked,
       count(*) FILTER (WHERE c.source = 'efficiency' AND c.substantiated) AS substantiated
FROM complaints c
LEFT JOIN calendar r ON r.day = CAST(c.received_at AS DATE)
WHERE c.unit_id = $1 AND CAST(c.received_at AS DATE) BETWEEN $2 AND $3
