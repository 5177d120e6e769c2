-- deductions_round: every deduction item dated in one round, for the bulletin's list of reasons.
-- Parameters: $1 round start (DATE), $2 round end (DATE), both inclusive.
-- Result columns: id, unit_id, date, points, reason.
SELECT deduction_id AS id, unit_id, date, points, reason
FROM deductions
WHERE date BETWEEN $1 AND $2
ORDER BY unit_id, date, deduction_id
