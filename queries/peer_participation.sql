-- peer_participation: every evaluator and how many peer scores they gave in one round (参评情况).
-- Parameters: $1 round (VARCHAR, e.g. 2019-B3).
-- Result columns: evaluator_id, name, class, scores (0 when none); by class (leader, lead_head, member_head), then evaluator_id.
SELECT e.evaluator_id, e.name, e.class, count(p.unit_id) AS scores
FROM evaluators e
LEFT JOIN peer_scores p ON p.evaluator_id = e.evaluator_id AND p.round = $1
GROUP BY e.evaluator_id, e.name, e.class
ORDER BY CASE e.class WHEN 'leader' THEN 1 WHEN 'lead_head' THEN 2 ELSE 3 END, e.evaluator_id
