-- users_insert: adds an account.
-- Parameters: username, display_name, role, evaluator_id (NULL unless role evaluator), password_hash, now.
-- Result columns: none.
INSERT INTO users (username, display_name, role, evaluator_id, password_hash, disabled, failed_logins, locked_until, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, false, 0, NULL, $6, $6)
