-- audit_insert: one entry of the audit log.
-- Parameters: happened_at, actor, action, subject, old_value (JSON text or NULL), new_value (JSON text or NULL).
-- Result columns: none.
INSERT INTO audit_log (happened_at, actor, action, subject, old_value, new_value) VALUES (?, ?, ?, ?, ?::JSON, ?::JSON)
