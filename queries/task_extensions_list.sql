-- task_extensions_list: the extension requests (延期申请) of the tasks of tasks_list, made on or before a date.
-- Parameters: $1 as-of date (DATE); $2 unit_id as in tasks_list ('' = every task).
-- Result columns: task_id, requested_on, new_due_on, reason, approved; by task_id, requested_on, new_due_on.
SELECT e.task_id, e.requested_on, e.new_due_on, e.reason, e.approved
FROM task_extensions e
JOIN tasks t ON t.task_id = e.task_id
WHERE e.requested_on <= CAST($1 AS DATE)
  AND ($2 = '' OR t.lead_unit_id = $2 OR list_contains(coalesce(t.cooperating_unit_ids, []::VARCHAR[]), $2))
ORDER BY e.task_id, e.requested_on, e.new_due_on
