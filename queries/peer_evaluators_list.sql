-- peer_evaluators_list: the evaluator roster with their work groups.
-- Parameters: none.
-- Result columns: evaluator_id, name, class, unit_id (NULL for none), group_ids (joined with the unit separator chr(31)); by class (leader, lead_head, member_head), then evaluator_id.
SELECT evaluator_id, name, class, unit_id, array_to_string(group_ids, chr(31)) AS group_ids
FROM evaluators
ORDER BY CASE class WHEN 'leader' THEN 1 WHEN 'lead_head' THEN 2 ELSE 3 END, evaluator_id
