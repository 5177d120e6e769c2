-- holidays_list: the imported local calendar changes, overlaid on the official calendar.
-- Parameters: none.
-- Result columns: date (DATE), kind ('holiday' | 'workday'), name (may be NULL).
SELECT date, kind, coalesce(name, '') FROM holidays ORDER BY date
