-- import_log_insert: records one imported file.
-- Parameters: file, kind, sha256, rows_new, rows_replaced, rows_unchanged, actor, imported_at.
-- Result: none.
INSERT INTO import_log (file, kind, sha256, rows_new, rows_replaced, rows_unchanged, actor, imported_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
