-- import_log_insert: records one imported file under the id its rows carry.
-- Parameters: id (from the import_log_id sequence), file, kind, sha256, rows_new, rows_replaced, rows_unchanged, actor, imported_at.
-- Result: none.
INSERT INTO import_log (id, file, kind, sha256, rows_new, rows_replaced, rows_unchanged, actor, imported_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
