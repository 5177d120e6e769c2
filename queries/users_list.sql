-- users_list: every account, by role and username (password hashes left out).
-- Parameters: none.
-- Result columns: username, display_name, role, evaluator_id, disabled, failed_logins, locked_until, created_at, updated_at.
SELECT username, display_name, role, evaluator_id, disabled, failed_logins, locked_until, created_at, updated_at
FROM users ORDER BY CASE role WHEN 'admin' THEN 0 WHEN 'leader' THEN 1 ELSE 2 END, username
