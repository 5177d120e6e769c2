-- targets_first_contact: the counts behind 一次性办结率 (the target metric first_contact_rate) per unit for one period.
-- 一次性办结率 = complaints closed in the period with first_contact true ÷ complaints closed in the period
-- (a complaint whose first_contact is empty counts as closed, not as closed at first contact).
-- Parameters: $1 period start (DATE), $2 period end = as-of date (DATE).
-- Result columns: unit_id, closed, first_contact; the units with a complaint closed in the period, by unit_id.
SELECT unit_id,
       count(*) AS closed,
       count(*) FILTER (WHERE first_contact) AS first_contact
FROM complaints
WHERE CAST(closed_at AS DATE) BETWEEN $1 AND $2
GROUP BY unit_id
ORDER BY unit_id
