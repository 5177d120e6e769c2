-- task_deduction_decisions_list: every decision on a suggested 督办 deduction, newest first.
-- Parameters: none.
-- Result columns: task_id, due_on, decision, unit_id, as_of, points (NULL when dismissed),
--   deduction_id (NULL when dismissed), note ('' when empty), decided_by, decided_at.
SELECT task_id, due_on, decision, unit_id, as_of, points, deduction_id, coalesce(note, '') AS note, decided_by, decided_at
FROM task_deduction_decisions
ORDER BY decided_at DESC, task_id, due_on
