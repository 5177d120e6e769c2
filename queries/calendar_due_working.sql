-- calendar_due_working: the due date of N working days after a receipt date, through the calendar table
-- (the day of receipt does not count; N = 0 is the same day). Used to check the table against the Go calendar.
-- Parameters: received (DATE), n (INTEGER), n again.
-- Result columns: due (DATE), NULL when the calendar does not reach that far.
SELECT CASE WHEN ? = 0 THEN r.day ELSE (SELECT min(d.day) FROM calendar d WHERE d.working AND d.seq = r.seq + ?) END
FROM calendar r WHERE r.day = ?
