-- targets_list: the reform targets (目标任务) (README "Tasks and targets").
-- Parameters: none.
-- Result columns: target_id, name, indicator, scope ('city' or a unit_id), value, start_month (YYYY-MM), due_on; by due_on, target_id.
SELECT target_id, name, indicator, scope, value, start_month, due_on
FROM targets
ORDER BY due_on, target_id
