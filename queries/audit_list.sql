-- audit_list: the audit log, newest first, optionally filtered.
-- Parameters: actor ('' for any), action prefix ('' for any), subject substring ('' for any), limit, offset.
-- Result columns: id, happened_at, actor, action, subject, old_value, new_value (JSON text or NULL).
SELECT id, happened_at, actor, action, subject, old_value::VARCHAR, new_value::VARCHAR
FROM audit_log
WHERE (?1 = '' OR actor = ?1)
  AND (?2 = '' OR starts_with(action, ?2))
  AND (?3 = '' OR contains(subject, ?3))
ORDER BY id DESC
LIMIT ?4 OFFSET ?5
