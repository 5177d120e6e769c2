-- import_log_list: the most recent imports, newest first.
-- Parameters: limit (INTEGER).
-- Result columns: id, file, kind, sha256, rows_new, rows_replaced, rows_unchanged, actor, imported_at.
SELECT id, file, kind, sha256, rows_new, rows_replaced, rows_unchanged, actor, imported_at
FROM import_log ORDER BY id DESC LIMIT ?
