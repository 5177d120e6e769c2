-- deductions_insert: writes one deduction confirmed by an admin (a suggested 督办 deduction), the same row an import writes.
-- Parameters: $1 deduction_id, $2 unit_id, $3 date (DATE), $4 points, $5 reason.
-- Result columns: none.
INSERT INTO deductions (deduction_id, unit_id, date, points, reason) VALUES ($1, $2, CAST($3 AS DATE), $4, $5)
