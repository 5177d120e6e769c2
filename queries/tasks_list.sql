-- tasks_list: the 督办 tasks assigned on or before a date, with their stored dates (README "Tasks and targets").
-- Due dates given as due_days are resolved by the caller through the working-day calendar.
-- Parameters: $1 as-of date (DATE); $2 unit_id to list only the tasks it leads or cooperates on ('' = every task).
-- Result columns: task_id, title, source, lead_unit_id, cooperating (unit ids joined by commas, '' when none),
--   assigned_on, due_on (NULL when due_days is given), due_days (NULL when due_on is given), due_unit,
--   done_on (NULL while open), evidence ('' when empty); by task_id.
SELECT task_id, title, source, lead_unit_id,
       array_to_string(coalesce(cooperating_unit_ids, []::VARCHAR[]), ',') AS cooperating,
       assigned_on, due_on, due_days, due_unit, done_on, coalesce(evidence, '') AS evidence
FROM tasks
WHERE assigned_on <= CAST($1 AS DATE)
  AND ($2 = '' OR lead_unit_id = $2 OR list_contains(coalesce(cooperating_unit_ids, []::VARCHAR[]), $2))
ORDER BY task_id
