-- task_deduction_decision_count: whether a task already has a decision for one effective due date
-- (read inside the deciding transaction).
-- Parameters: $1 task_id, $2 due_on (DATE).
-- Result columns: n (0 or 1).
SELECT count(*) AS n FROM task_deduction_decisions WHERE task_id = $1 AND due_on = CAST($2 AS DATE)
