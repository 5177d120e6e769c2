-- users_get: one account by username.
-- Parameters: username.
-- Result columns: username, display_name, role, evaluator_id, password_hash, disabled, failed_logins, locked_until, created_at, updated_at.
SELECT username, display_name, role, evaluator_id, password_hash, disabled, failed_logins, locked_until, created_at, updated_at
FROM users WHERE username = ?
