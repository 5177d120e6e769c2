-- peer_assignments: the units each evaluator scores, once per work group of theirs (their own unit never).
-- Parameters: $1 evaluator_id ('' for every evaluator).
-- Result columns: evaluator_id, group_id, group_name, unit_id, unit_name, category; by evaluator, group, lead unit first, then the members in list order.
SELECT e.evaluator_id, g.group_id, g.name AS group_name, u.unit_id, u.name AS unit_name, u.category
FROM evaluators e
JOIN work_groups g ON list_contains(e.group_ids, g.group_id)
JOIN units u ON u.unit_id = g.lead_unit_id OR list_contains(g.member_unit_ids, u.unit_id)
WHERE ($1 = '' OR e.evaluator_id = $1) AND u.unit_id IS DISTINCT FROM e.unit_id
ORDER BY e.evaluator_id, g.group_id, u.unit_id <> g.lead_unit_id, list_position(g.member_unit_ids, u.unit_id), u.unit_id
