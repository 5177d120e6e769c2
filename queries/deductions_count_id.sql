-- deductions_count_id: whether a deduction_id is already stored (a confirmed 督办 deduction must not replace one).
-- Parameters: $1 deduction_id.
-- Result columns: n.
SELECT count(*) AS n FROM deductions WHERE deduction_id = $1
