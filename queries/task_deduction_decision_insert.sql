-- task_deduction_decision_insert: records an admin's decision on a suggested 督办 deduction.
-- Parameters: $1 task_id, $2 due_on, $3 decision (confirmed | dismissed), $4 unit_id, $5 as_of,
--   $6 points (NULL when dismissed), $7 deduction_id (NULL when dismissed), $8 note, $9 decided_by, $10 decided_at.
-- Result columns: none.
INSERT INTO task_deduction_decisions (task_id, due_on, decision, unit_id, as_of, points, deduction_id, note, decided_by, decided_at)
VALUES ($1, CAST($2 AS DATE), $3, $4, CAST($5 AS DATE), $6, $7, $8, $9, $10)
