-- calendar_clear: empties the calendar table before it is rebuilt from the official data and holidays.
-- Parameters: none.
-- Result: none.
DELETE FROM calendar
